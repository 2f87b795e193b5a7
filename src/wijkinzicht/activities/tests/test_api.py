"""The REST API through real HTTP requests: tokens, problem+json, tenancy tried from outside."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.activities.models import Activity, Attendance, Meeting, Participant


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


NEW_ACTIVITY = {
    "title": "Buurtmoestuin",
    "kind": "bewonersinitiatief",
    "themes": ["ontmoeting", "gezondheid"],
    "residentLed": True,
    "weekdays": [6],
    "startTime": "10:00",
    "areas": ["BU03630001"],
    "isPublished": True,
    "postcode": "1012 GH",
}


def test_create_read_update_activity(orgs):
    c = api(orgs["A"]["fieldworker"])
    r = c.post("/api/v1/activities", NEW_ACTIVITY, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["gemeente"] == "GM0363" and body["residentLed"] and body["weekdays"] == [6]
    assert body["postcode"] == "1012GH" and body["organisation"] == orgs["A"]["org"].pk
    r = c.patch(f"/api/v1/activities/{body['id']}", {"title": "Moestuin De Kop"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "Moestuin De Kop"
    assert c.get("/api/v1/activities").json()["count"] == 1


def test_validation_errors_are_problem_json_naming_the_field(orgs):
    c = api(orgs["A"]["fieldworker"])
    r = c.post(
        "/api/v1/activities",
        {**NEW_ACTIVITY, "areas": ["BU99999999"], "targetGroups": ["katten"]},
        format="json",
    )
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in r.json()["invalidParams"]} >= {
        "targetGroups[0]"
    } or "targetGroups" in r.content.decode()
    r = c.post("/api/v1/activities", {**NEW_ACTIVITY, "areas": ["BU99999999"]}, format="json")
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "areas"
    r = c.post(
        "/api/v1/activities",
        {**NEW_ACTIVITY, "startDate": "2024-05-01", "endDate": "2024-04-01"},
        format="json",
    )
    assert r.json()["invalidParams"][0]["name"] == "endDate"
    r = c.post("/api/v1/activities", "{not json", content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert not Activity.objects.exists()


def test_other_organisation_is_refused(orgs, activity):
    b = api(orgs["B"]["administrator"])
    assert b.get(f"/api/v1/activities/{activity.pk}").status_code == 404
    assert b.patch(f"/api/v1/activities/{activity.pk}", {"title": "x"}, format="json").status_code == 404
    assert b.get("/api/v1/activities").json()["count"] == 0
    r = b.post("/api/v1/activities", {**NEW_ACTIVITY, "organisation": orgs["A"]["org"].pk}, format="json")
    assert r.status_code == 403
    r = b.post("/api/v1/meetings", {"activity": activity.pk, "date": "2024-02-01"}, format="json")
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "activity"
    # an analyst of A may read but not write
    a_analyst = api(orgs["A"]["analyst"])
    assert a_analyst.get(f"/api/v1/activities/{activity.pk}").status_code == 200
    assert (
        a_analyst.patch(f"/api/v1/activities/{activity.pk}", {"title": "x"}, format="json").status_code == 403
    )
    assert api().get("/api/v1/activities").status_code == 401
    activity.refresh_from_db()
    assert activity.title == "Koffieochtend Zeedijk"


def test_participants_and_meetings(orgs, activity):
    c = api(orgs["A"]["fieldworker"])
    r = c.post(
        "/api/v1/participants",
        {"participantId": "K-1", "birthYear": 1950, "homeBuurt": "BU03630000", "consent": True},
        format="json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = c.post("/api/v1/participants", {"participantId": "111222333"}, format="json")
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "pseudonym"
    r = c.post(
        "/api/v1/meetings",
        {"activity": activity.pk, "date": "2024-02-06", "anonymousCount": 5, "participants": ["K-1"]},
        format="json",
    )
    assert r.status_code == 201, r.content
    meeting = r.json()
    assert meeting["participants"] == ["K-1"] and meeting["anonymousCount"] == 5
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    r = c.post("/api/v1/meetings", {"activity": activity.pk, "date": future}, format="json")
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "date"
    r = c.post(
        "/api/v1/meetings",
        {"activity": activity.pk, "date": "2024-02-13", "participants": ["K-404"]},
        format="json",
    )
    assert r.status_code == 400 and "K-404" in r.json()["detail"]
    r = c.put(f"/api/v1/meetings/{meeting['id']}", {"anonymousCount": 2, "participants": []}, format="json")
    assert r.status_code == 200 and r.json()["participants"] == []
    for hostile in ([1, 2], "tekst", {"anonymousCount": "veel"}, {"date": "2030-01-01", "anonymousCount": 1}):
        r = c.put(f"/api/v1/meetings/{meeting['id']}", hostile, format="json")
        assert r.status_code in (200, 400)
        assert r["Content-Type"] in ("application/json", "application/problem+json")
    assert Meeting.objects.get().date == dt.date(2024, 2, 6)  # the date of a meeting never changes
    b = api(orgs["B"]["fieldworker"])
    assert b.get(f"/api/v1/participants/{pid}").status_code == 404
    assert b.get(f"/api/v1/meetings/{meeting['id']}").status_code == 404
    assert b.delete(f"/api/v1/meetings/{meeting['id']}").status_code == 404
    assert b.get("/api/v1/participants").json()["count"] == 0
    assert c.delete(f"/api/v1/meetings/{meeting['id']}").status_code == 204
    assert not Meeting.objects.exists()


def test_import_through_the_api(orgs, activity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = api(orgs["A"]["coordinator"])
    f = SimpleUploadedFile("d.csv", b"deelnemer;geboortejaar\nA1;1950\nA2;18xx\n", content_type="text/csv")
    r = c.post("/api/v1/imports", {"kind": "participants", "file": f}, format="multipart")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["rows_created"] == 1 and body["errors"][0]["row"] == 3
    r = c.get(body["rejectedRows"])
    assert r.status_code == 200 and "18xx" in r.content.decode("utf-8-sig")
    assert api(orgs["B"]["coordinator"]).get(body["rejectedRows"]).status_code == 404
    f = SimpleUploadedFile(
        "a.csv", b"activiteit;datum;deelnemer\nKOFFIE;2024-02-06;A1\n", content_type="text/csv"
    )
    r = c.post(
        "/api/v1/imports", {"kind": "attendance", "mode": "all_or_nothing", "file": f}, format="multipart"
    )
    assert r.status_code == 201 and Attendance.objects.count() == 1
    r = c.post(
        "/api/v1/imports",
        {"kind": "participants", "file": SimpleUploadedFile("x.csv", b"", content_type="text/csv")},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "file"


def test_reach_api(orgs, activity):
    c = api(orgs["A"]["analyst"])
    r = c.get(
        "/api/v1/reach", {"organisation": orgs["A"]["org"].pk, "start": "2024-01-01", "end": "2024-12-31"}
    )
    assert r.status_code == 200 and r.json()["suppressed"] is False
    r = api(orgs["B"]["analyst"]).get("/api/v1/reach", {"organisation": orgs["A"]["org"].pk})
    assert r.json()["suppressed"] is True and r.json()["uniqueParticipants"] == "<5"
    assert c.get("/api/v1/reach", {"area": "GM9999"}).status_code == 400
    assert (
        c.get("/api/v1/reach", {"organisation": orgs["A"]["org"].pk, "start": "gisteren"}).status_code == 400
    )
    assert c.get("/api/v1/reach").status_code == 400


def test_public_feed_needs_no_login_and_shows_only_published(orgs, activity):
    from wijkinzicht.activities import services

    services.activity_create(
        user=orgs["A"]["fieldworker"],
        organisation=orgs["A"]["org"],
        title="Intern overleg",
        kind="other",
        area_codes=["BU03630000"],
    )
    r = api().get("/api/v1/sociale-kaart")
    assert r.status_code == 200
    assert [a["titel"] for a in r.json()["results"]] == ["Koffieochtend Zeedijk"]
    assert api().get("/api/v1/sociale-kaart", {"weekday": "9"}).status_code == 400
    assert (
        api().get("/api/v1/sociale-kaart", {"theme": "eenzaamheid", "area": "WK036300"}).json()["count"] == 1
    )


def test_openapi_lists_the_new_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/activities",
        "/api/v1/meetings",
        "/api/v1/participants",
        "/api/v1/imports",
        "/api/v1/reach",
        "/api/v1/sociale-kaart",
    ):
        assert p in paths


@pytest.mark.parametrize("payload", [[], "tekst", {"title": ["a"]}, {"title": "x" * 5000, "kind": "other"}])
def test_hostile_payloads(orgs, payload):
    r = api(orgs["A"]["fieldworker"]).post("/api/v1/activities", payload, format="json")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"


def test_a_large_import_runs_as_a_job_and_reports_through_its_status(orgs, settings):
    """Files above WIJKINZICHT_IMPORT_INLINE_MAX_BYTES: 202 at once, a job imports them."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    from wijkinzicht.core.jobs import run_pending

    settings.IMPORT_INLINE_MAX_BYTES = 10
    rows = "deelnemer;geboortejaar\n" + "".join(f"G{i};{1940 + i % 60}\n" for i in range(500))
    rows += "KAPOT;18xx\n"
    c = api(orgs["A"]["coordinator"])
    upload = SimpleUploadedFile("g.csv", rows.encode())
    r = c.post("/api/v1/imports", {"kind": "participants", "file": upload}, format="multipart")
    assert r.status_code == 202 and r["Location"] == f"/api/v1/imports/{r.json()['id']}"
    assert r.json()["status"] == "queued" and Participant.objects.count() == 0
    assert DBTaskResult.objects.count() == 1
    assert api(orgs["B"]["coordinator"]).get(r["Location"]).status_code == 404  # another organisation
    assert run_pending() == 1
    body = c.get(r["Location"]).json()
    assert body["status"] == "partial" and body["rows_created"] == 500 and body["errors"][0]["row"] == 502
    assert Participant.objects.count() == 500
    from wijkinzicht.activities.models import ImportUpload

    assert not ImportUpload.objects.exists()  # the stored file is gone once imported


def test_a_large_file_that_cannot_be_read_fails_with_its_reason(orgs, settings):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from wijkinzicht.core.jobs import run_pending

    settings.IMPORT_INLINE_MAX_BYTES = 10
    c = api(orgs["A"]["coordinator"])
    # a damaged zip is refused at once, in the request (its directory is read to decide where to import)
    r = c.post("/api/v1/imports", {"kind": "participants",
                                   "file": SimpleUploadedFile("g.xlsx", b"PK\x03\x04 not a workbook at all")},
               format="multipart")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    # a sound zip that is no workbook goes to the job, which fails with the reason
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "no sheets here " * 10)
    upload = SimpleUploadedFile("g.xlsx", buffer.getvalue())
    r = c.post("/api/v1/imports", {"kind": "participants", "file": upload}, format="multipart")
    assert r.status_code == 202
    run_pending()
    body = c.get(r["Location"]).json()
    assert body["status"] == "failed" and body["message"]
    assert c.get("/api/v1/imports/99999999999999999999").status_code == 404


def test_a_large_import_given_up_after_lost_workers_says_so(orgs, settings):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from wijkinzicht.activities.models import ImportBatch
    from wijkinzicht.core.jobs import recover_lost_jobs

    settings.IMPORT_INLINE_MAX_BYTES = 10
    r = api(orgs["A"]["coordinator"]).post(
        "/api/v1/imports",
        {"kind": "participants", "file": SimpleUploadedFile("g.csv", b"deelnemer\nX1\nX2\n")},
        format="multipart")
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - timedelta(hours=1),
                                worker_ids=["dead"] * settings.JOB_MAX_ATTEMPTS)
    assert recover_lost_jobs() == (0, 1)
    batch = ImportBatch.objects.get(pk=r.json()["id"])
    assert batch.status == "failed" and "opnieuw" in batch.message
