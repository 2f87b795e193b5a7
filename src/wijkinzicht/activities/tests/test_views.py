"""Pages through HTTP: registering, importing, reports and the public sociale kaart."""

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from wijkinzicht.activities.models import Activity, Attendance, ImportBatch, Meeting, Participant


def test_activity_form_creates_and_shows_errors(client, orgs):
    client.force_login(orgs["A"]["fieldworker"])
    assert client.get("/activiteiten/nieuw/").status_code == 200
    data = {
        "organisation": orgs["A"]["org"].pk,
        "title": "Jongerenavond",
        "kind": "jongerenwerk",
        "frequency": "wekelijks",
        "weekdays": ["5"],
        "areas": "BU03630000, BU03639999",
        "themes": ["jeugd"],
    }
    r = client.post("/activiteiten/nieuw/", data)
    assert r.status_code == 200 and "BU03639999" in r.content.decode()
    data["areas"] = "BU03630000"
    r = client.post("/activiteiten/nieuw/", data)
    activity = Activity.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/activiteiten/{activity.pk}/"
    assert client.get(r["Location"]).status_code == 200


def test_register_meeting_form(client, orgs, activity, participants):
    client.force_login(orgs["A"]["fieldworker"])
    url = f"/activiteiten/{activity.pk}/bijeenkomst/"
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "date": "2024-05-07",
            "other_participants": "p1, p2",
            "anonymous_count": "3",
            "volunteers": "1",
            "volunteer_hours": "2,5",
            "professional_hours": "0",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.anonymous_count == 3 and float(meeting.volunteer_hours) == 2.5
    assert Attendance.objects.count() == 2
    # the participants now appear as tick boxes on the next registration
    html = client.get(url).content.decode()
    assert f'value="{participants[0].pk}"' in html
    r = client.post(
        url,
        {
            "date": "2024-05-07",
            "anonymous_count": "0",
            "volunteers": "0",
            "volunteer_hours": "0",
            "professional_hours": "0",
        },
    )
    assert r.status_code == 200 and Meeting.objects.count() == 1  # same day twice: an error on the form
    r = client.post(
        url,
        {
            "date": "2024-05-14",
            "other_participants": "onbekend",
            "anonymous_count": "0",
            "volunteers": "0",
            "volunteer_hours": "0",
            "professional_hours": "0",
        },
    )
    assert r.status_code == 200 and "onbekend" in r.content.decode()
    r = client.post(
        f"/activiteiten/bijeenkomsten/{meeting.pk}/",
        {
            "participants": [participants[0].pk],
            "anonymous_count": "5",
            "volunteers": "0",
            "volunteer_hours": "0",
            "professional_hours": "0",
        },
    )
    assert r.status_code == 302 and Attendance.objects.count() == 1


def test_the_edit_form_keeps_the_dates(client, orgs, activity):
    """A date input shows only an ISO value (yyyy-mm-dd); a Dutch "01-01-2020" shows as an empty
    field, and saving the form would then clear the start date."""
    client.force_login(orgs["A"]["fieldworker"])
    page = client.get(f"/activiteiten/{activity.pk}/bewerken/")
    assert page.status_code == 200 and page.wsgi_request.LANGUAGE_CODE == "nl"
    assert 'type="date" name="start_date" value="2020-01-01"' in page.text
    meeting = client.get(f"/activiteiten/{activity.pk}/bijeenkomst/").text
    assert f'name="date" value="{dt.date.today():%Y-%m-%d}"' in meeting


def test_pages_of_another_organisation_are_404(client, orgs, activity):
    client.force_login(orgs["B"]["administrator"])
    for url in (
        f"/activiteiten/{activity.pk}/",
        f"/activiteiten/{activity.pk}/bewerken/",
        f"/activiteiten/{activity.pk}/bijeenkomst/",
    ):
        assert client.get(url).status_code == 404
    client.force_login(orgs["A"]["analyst"])
    assert client.get(f"/activiteiten/{activity.pk}/").status_code == 200
    assert client.get(f"/activiteiten/{activity.pk}/bijeenkomst/").status_code == 403
    assert client.get("/activiteiten/import/").status_code == 403


def test_participant_page(client, orgs):
    client.force_login(orgs["A"]["fieldworker"])
    r = client.post(
        "/activiteiten/deelnemers/", {"organisation": orgs["A"]["org"].pk, "pseudonym": "111222333"}
    )
    assert r.status_code == 200 and not Participant.objects.exists()
    r = client.post(
        "/activiteiten/deelnemers/",
        {
            "organisation": orgs["A"]["org"].pk,
            "pseudonym": "W-7",
            "birth_year": "1960",
            "home_buurt": "BU03630000",
        },
    )
    assert r.status_code == 302 and Participant.objects.get().pseudonym == "W-7"
    client.force_login(orgs["B"]["fieldworker"])
    assert client.get("/activiteiten/deelnemers/").context["page"].paginator.count == 0


def test_import_page_report_and_rejected_download(client, orgs):
    client.force_login(orgs["A"]["coordinator"])
    f = SimpleUploadedFile("deelnemers.csv", b"deelnemer;geboortejaar\nA1;1950\nA2;3000\n")
    r = client.post(
        "/activiteiten/import/",
        {"organisation": orgs["A"]["org"].pk, "kind": "participants", "mode": "keep_valid", "file": f},
    )
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/activiteiten/import/{batch.pk}/"
    html = client.get(r["Location"]).content.decode()
    assert "geboortejaar" in html and "afgekeurd.csv" in html
    rejected = client.get(f"/activiteiten/import/{batch.pk}/afgekeurd.csv")
    assert "A2;3000" in rejected.content.decode("utf-8-sig")
    f = SimpleUploadedFile("leeg.csv", b"")
    r = client.post(
        "/activiteiten/import/",
        {"organisation": orgs["A"]["org"].pk, "kind": "participants", "mode": "keep_valid", "file": f},
    )
    assert r.status_code == 200 and ImportBatch.objects.count() == 1
    client.force_login(orgs["B"]["coordinator"])
    assert client.get(f"/activiteiten/import/{batch.pk}/").status_code == 404
    assert client.get(f"/activiteiten/import/{batch.pk}/afgekeurd.csv").status_code == 404


def test_reach_page_and_exports(client, orgs, activity, participants):
    from wijkinzicht.activities import services

    services.meeting_register(
        user=orgs["A"]["fieldworker"],
        activity=activity,
        date=dt.date(2024, 3, 5),
        anonymous_count=12,
        participant_ids=[p.pk for p in participants],
    )
    client.force_login(orgs["A"]["analyst"])
    params = {"organisation": orgs["A"]["org"].pk, "start": "2024-01-01", "end": "2024-12-31"}
    html = client.get("/activiteiten/bereik/", params).content.decode()
    assert "Koffieochtend Zeedijk" in html and 'id="chart-months"' in html and 'id="table-months"' in html
    csv_text = client.get("/activiteiten/bereik/", {**params, "export": "csv"}).content.decode("utf-8-sig")
    assert "Koffieochtend Zeedijk" in csv_text
    xlsx = client.get("/activiteiten/bereik/", {**params, "export": "xlsx"}).content
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert len(wb.sheetnames) == 4
    client.force_login(orgs["B"]["analyst"])
    html = client.get("/activiteiten/bereik/", params).content.decode()
    assert "&lt;5" in html
    r = client.get("/activiteiten/bereik/", {"start": "2024-01-01", "end": "2023-01-01"})
    assert r.status_code == 200 and "report" not in r.context or r.context["report"] is None


def test_sociale_kaart_is_public(client, orgs, activity, amsterdam_boundaries):
    r = client.get("/sociale-kaart/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Koffieochtend Zeedijk" in html and "<svg" in html and "<circle" in html
    assert (
        client.get("/sociale-kaart/", {"q": "koffie", "dag": "2", "thema": "eenzaamheid", "postcode": "1012"})
        .context["page"]
        .paginator.count
        == 1
    )
    assert client.get("/sociale-kaart/", {"dag": "1"}).context["page"].paginator.count == 0
    assert client.get("/sociale-kaart/", {"postcode": "ABCD"}).context["errors"]
    assert client.get(f"/sociale-kaart/{activity.pk}/").status_code == 200
    data = client.get("/sociale-kaart/open-data.json").json()
    assert data["count"] == 1 and data["activities"][0]["dagen"] == [2, 4]
    csv_text = client.get("/sociale-kaart/open-data.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id;titel;") and "Koffieochtend" in csv_text
    from wijkinzicht.activities import services

    services.activity_update(user=orgs["A"]["fieldworker"], activity=activity, is_published=False)
    assert client.get(f"/sociale-kaart/{activity.pk}/").status_code == 404
    assert client.get("/sociale-kaart/open-data.json").json()["count"] == 0


def test_a_large_import_on_the_page_runs_in_the_background(client, orgs, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wijkinzicht.core.jobs import run_pending

    settings.IMPORT_INLINE_MAX_BYTES = 10
    client.force_login(orgs["A"]["fieldworker"])
    r = client.post("/activiteiten/import/", {
        "organisation": orgs["A"]["org"].pk, "kind": "participants", "mode": "keep_valid",
        "file": SimpleUploadedFile("d.csv", b"deelnemer;geboortejaar\nP1;1950\nP2;1960\n")})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "achtergrond" in page
    run_pending()
    page = client.get(r["Location"]).content.decode()
    assert "2 rijen: 2 toegevoegd" in page


def test_a_fieldworker_lands_on_the_activities_of_this_week(client, orgs, activity):
    """Issue 14, item 7: a fieldworker landed on a wall of 400 gemeente links instead of their work."""
    from wijkinzicht.activities import selectors

    tuesday = dt.date(2026, 12, 1)  # the coffee morning runs on Tuesday and Thursday
    week = selectors.week_for_user(user=orgs["A"]["fieldworker"], today=tuesday)
    assert [(i.activity, i.days) for i in week] == [(activity, [tuesday, dt.date(2026, 12, 3)])]
    assert selectors.week_for_user(user=orgs["B"]["fieldworker"], today=tuesday) == []
    assert selectors.week_for_user(user=orgs["A"]["analyst"], today=tuesday) == []  # does not register
    client.force_login(orgs["A"]["fieldworker"])
    html = client.get("/").content.decode()
    assert "Mijn activiteiten deze week" in html and f"/activiteiten/{activity.pk}/bijeenkomst/" in html
    assert html.index("Mijn activiteiten deze week") < html.index("<details>")  # the gemeenten folded away
    client.force_login(orgs["A"]["analyst"])
    assert "Mijn activiteiten deze week" not in client.get("/").content.decode()


def test_an_ended_activity_is_not_in_the_week(orgs, activity):
    from wijkinzicht.activities import selectors

    Activity.objects.filter(pk=activity.pk).update(end_date=dt.date(2026, 11, 1))
    assert selectors.week_for_user(user=orgs["A"]["fieldworker"], today=dt.date(2026, 12, 1)) == []


def test_sociale_kaart_search_finds_what_residents_type(client, orgs, activity):
    """Issue 14, item 8: "taalcafe" and "eenzaam" found nothing; a postcode was an exact match."""
    from wijkinzicht.activities import services as activity_services

    a = orgs["A"]
    cafe = activity_services.activity_create(
        user=a["fieldworker"], organisation=a["org"], code="TAAL", title="Taalcafé Oost", kind="buurthuis",
        themes=["taal"], target_groups=["volwassenen"], weekdays=[3], location_name="Huis van de Wijk",
        address="Ringdijk 1", postcode="1091 AB", city="Amsterdam", latitude=52.3590, longitude=4.9170,
        is_free=True, is_published=True, area_codes=["BU03630000"], start_date=dt.date(2020, 1, 1),
    )

    def found(**params):
        return [a.pk for a in client.get("/sociale-kaart/", params).context["page"]]

    assert found(q="taalcafe") == [cafe.pk] and found(q="TAALCAFÉ") == [cafe.pk]
    assert found(q="eenzaam") == [activity.pk]  # its theme, not its title
    assert found(q="eenzame ouderen") == [activity.pk]  # a synonym and a stem
    assert found(q="koffie") == [activity.pk]  # part of "Koffieochtend"
    assert found(q="nederlands") == [cafe.pk]  # synonym of taal
    assert found(q="zwemmen") == []
    # a postcode sorts by distance; 1012 AN is the coffee morning's own postcode
    assert found(postcode="1012 AN") == [activity.pk, cafe.pk]
    assert found(postcode="1091AC") == [cafe.pk, activity.pk]  # its area 1091
    r = client.get("/sociale-kaart/", {"postcode": "1093"})  # no activity there: area 1091, roughly
    assert [a.pk for a in r.context["page"]] == [cafe.pk, activity.pk]
    assert "ongeveer" in r.content.decode().lower()
    assert "km hiervandaan" in r.content.decode()
    r = client.get("/sociale-kaart/", {"postcode": "9999"})
    assert "niet op afstand gesorteerd" in r.content.decode() and len(r.context["page"]) == 2


def test_unicode_digits_are_refused_not_a_500(client, orgs, activity):
    """An attack pass: dag=² passed str.isdigit() and broke int() (500 on the public page and the
    open data); Arabic-Indic digits were taken as a postcode."""
    for path in ("/sociale-kaart/", "/sociale-kaart/open-data.json", "/sociale-kaart/open-data.csv"):
        assert client.get(path, {"dag": "²"}).status_code in (200, 400), path
    assert client.get("/sociale-kaart/", {"dag": "²"}).context["errors"]["weekday"]
    assert client.get("/sociale-kaart/", {"postcode": "1٠١٢"}).context["errors"]["postcode"]


def test_the_kaart_follows_the_re_coding_and_lists_the_newest_wijken(client, orgs, activity, amsterdam,
                                                                     cbs_dir):
    """An attack pass: the wijk choice listed Amsterdam's wijken twice (old and new code), and the new
    code found none of the activities linked to the old one."""
    import io as _io

    from django.core.management import call_command

    from wijkinzicht.activities.selectors import kaart_wijken
    from wijkinzicht.areas.models import Area
    from wijkinzicht.areas.services import kwb_import

    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    call_command("import-crosswalk", str(cbs_dir / "amsterdam_buurt_crosswalk_2015_2022.csv"),
                 "--from-column", "BUURTCODE_CBS_2015", "--to-column", "BUURTCODE_CBS_2022", "--year", "2023",
                 stdout=_io.StringIO())
    wijken = kaart_wijken(gemeente=Area.objects.get(code="GM0363"))
    assert wijken and all(not w.code.startswith("WK03630") for w in wijken)  # the 2023 codes only
    names = [w.name for w in wijken]
    assert len(names) == len(set(names))
    for code in ("WK0363AE", "BU0363AE01", "WK036300", "BU03630000"):  # the activity is linked to old codes
        found = client.get("/sociale-kaart/", {"gebied": code}).context["page"].paginator.count
        assert found == 1, code
    r = client.get("/sociale-kaart/", {"gebied": "NL00"})
    assert r.context["errors"]["area"]
