"""Tenancy: a user of organisation A never reads B's records, through pages, API or exports."""

import pytest

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for, scope_to_user
from wijkinzicht.parties import selectors
from wijkinzicht.parties.models import Membership


def test_scope_to_user_only_own_organisation(two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    qs = scope_to_user(Membership.objects.all(), user=a["analyst"])
    assert set(qs.values_list("organisation_id", flat=True)) == {a["org"].id}
    assert b["org"].id not in organisation_ids_for(a["administrator"])


def test_anonymous_and_inactive_see_nothing(two_organisations, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_to_user(Membership.objects.all(), user=AnonymousUser()).exists()
    user = two_organisations["A"]["coordinator"]
    Membership.objects.filter(user=user).update(is_active=False)
    user = django_user_model.objects.get(pk=user.pk)
    assert not scope_to_user(Membership.objects.all(), user=user).exists()


def test_superuser_is_not_above_tenancy(two_organisations, django_user_model):
    su = django_user_model.objects.create_superuser("root", password="geheim-wachtwoord-1")
    assert not scope_to_user(Membership.objects.all(), user=su).exists()


def test_members_selector_refuses_other_organisation(two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    with pytest.raises(TenancyError):
        selectors.organisation_members(organisation_id=b["org"].id, user=a["administrator"])
    # a fieldworker of A may not see the member list of A either
    with pytest.raises(TenancyError):
        selectors.organisation_members(organisation_id=a["org"].id, user=a["fieldworker"])
    members = selectors.organisation_members(organisation_id=a["org"].id, user=a["coordinator"])
    assert {m.organisation_id for m in members} == {a["org"].id}


def test_page_shows_only_own_organisation(client, two_organisations):
    a = two_organisations["A"]
    client.force_login(a["administrator"])
    html = client.get("/organisatie/").content.decode()
    assert "Organisatie A" in html and "Organisatie B" not in html
    assert "b-coordinator" not in html and "a-fieldworker" in html


def test_csv_export_of_other_organisation_is_404(client, two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    client.force_login(a["administrator"])
    assert client.get(f"/organisatie/{b['org'].id}/leden.csv").status_code == 404
    r = client.get(f"/organisatie/{a['org'].id}/leden.csv")
    assert r.status_code == 200 and b"a-researcher" in r.content and b"b-" not in r.content
    client.force_login(a["fieldworker"])
    assert client.get(f"/organisatie/{a['org'].id}/leden.csv").status_code == 404


def test_api_members_of_other_organisation_is_404(client, two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    auth = {"HTTP_AUTHORIZATION": f"Token {api_token_issue(user=a['administrator'])[1]}"}
    r = client.get(f"/api/v1/organisations/{b['org'].id}/members", **auth)
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
    r = client.get(f"/api/v1/organisations/{a['org'].id}/members", **auth)
    assert r.status_code == 200
    assert {m["username"] for m in r.json()["results"]} == {f"a-{x}" for x in (
        "fieldworker", "coordinator", "analyst", "researcher", "administrator")}
    # guessing ids gives nothing either
    assert client.get("/api/v1/organisations/999999/members", **auth).status_code == 404


def test_api_members_needs_authentication(client, two_organisations):
    r = client.get(f"/api/v1/organisations/{two_organisations['A']['org'].id}/members")
    assert r.status_code == 401


def test_organisation_kinds_formal_informal(db):
    from wijkinzicht.parties.services import organisation_create

    assert organisation_create(name="Wijkteam", kind="wijkteam").is_formal
    assert not organisation_create(name="Buurtvaders", kind="bewonersinitiatief").is_formal
    with pytest.raises(ValueError):
        organisation_create(name="X", kind="welzijn", area_codes=["GM9999"])
