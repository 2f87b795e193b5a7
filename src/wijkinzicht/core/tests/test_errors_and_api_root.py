"""Errors in the house style (Dutch and English), problem+json under /api/ also for a 500,
out-of-range numbers answered as bad input, and the API root listing the resources."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import path

from wijkinzicht.config import urls as project_urls


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *project_urls.urlpatterns,
    path("kapot/", _boom),
    path("api/v1/kapot", _boom),
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
handler403 = project_urls.handler403
handler400 = project_urls.handler400


@pytest.fixture
def broken_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_404_page_in_dutch_and_english(client):
    r = client.get("/bestaat-niet/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "Pagina niet gevonden" in html and 'class="page-header"' in html and "Foutcode 404" in html
    r = client.get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in r.content.decode()


@pytest.mark.django_db
def test_500_page_and_api_500_as_problem_json(broken_urls, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("zonder-organisatie"))
    r = client.get("/kapot/")
    assert r.status_code == 500 and "Er ging iets mis" in r.content.decode()
    r = client.get("/api/v1/kapot")
    assert r.status_code == 500 and r["Content-Type"] == "application/problem+json"
    assert r.json()["status"] == 500 and "Traceback" not in r.content.decode()


@pytest.mark.django_db
def test_api_404_is_problem_json(client):
    r = client.get("/api/v1/bestaat-niet")
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1", "/api/v1/"])
def test_api_root_lists_the_resources(client, url):
    r = client.get(url)
    assert r.status_code == 200
    links = r.json()["_links"]
    assert links["areas"]["href"] == "http://testserver/api/v1/areas"
    assert {"openapi", "token", "activities", "participants", "reach", "sociale-kaart"} <= set(links)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/v1/meetings?activity=99999999999999999999",
    "/api/v1/meetings?activity=9223372036854775808",
    "/api/v1/meetings?activity=1e400",
    "/api/v1/meetings?activity=-1",
    "/api/v1/activities/99999999999999999999",
    "/api/v1/participants/9223372036854775808",
])
def test_numbers_too_large_for_the_database_are_bad_input_not_a_crash(two_organisations, api_key, url):
    client = Client(raise_request_exception=False)
    r = client.get(url, HTTP_AUTHORIZATION=f"Token {api_key(two_organisations['A']['fieldworker'])}")
    assert r.status_code == (404 if "?" not in url else 400), r.content  # the same on both databases
    assert r["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_pagination_links_and_headers(client, amsterdam, two_organisations, api_key):
    auth = {"HTTP_AUTHORIZATION": f"Token {api_key(two_organisations['A']['analyst'])}"}
    r = client.get("/api/v1/areas?level=wijk&parent=GM0363&pageSize=10&page=2", **auth)
    body = r.json()
    assert body["count"] == 99 and len(body["results"]) == 10
    links = body["_links"]

    def page(name):
        return parse_qs(urlsplit(links[name]["href"]).query)["page"]

    assert (page("self"), page("prev"), page("next"), page("last")) == (["2"], ["1"], ["3"], ["10"])
    assert r["X-Total-Count"] == "99" and r["X-Pagination-Page"] == "2" and r["X-Pagination-Limit"] == "10"
    assert 'rel="next"' in r["Link"] and 'rel="prev"' in r["Link"]
    last = client.get(links["last"]["href"], **auth).json()
    assert "next" not in last["_links"] and len(last["results"]) == 9


def _db_down(request):
    from django.db import OperationalError

    raise OperationalError("connection to server at 127.0.0.1 failed: the database system is shutting down")


urlpatterns += [path("api/v1/db-weg", _db_down), path("db-weg/", _db_down)]


@pytest.mark.django_db
def test_database_unreachable_is_503_with_retry_after(broken_urls, django_user_model):
    client = Client(raise_request_exception=False)
    r = client.get("/api/v1/db-weg")
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert r["Content-Type"] == "application/problem+json"
    client.force_login(django_user_model.objects.create_user("zonder-organisatie"))
    r = client.get("/db-weg/")
    assert r.status_code == 503 and "database" in r.content.decode()


@pytest.mark.parametrize("url", [
    "/api/v1/areas?level=wijk&search=p%00x", "/api/v1/areas/BU03630000/comparable?indicators=+%00x",
    "/gebieden/?q=a%00b", "/sociale-kaart/?q=koffie%00",
])
def test_a_nul_character_in_the_query_is_a_bad_request(client, two_organisations, url):
    """Found by schemathesis on PostgreSQL: a NUL in a search parameter reached the database (500)."""
    client.force_login(two_organisations["A"]["analyst"])
    r = client.get(url)
    assert r.status_code == 400
