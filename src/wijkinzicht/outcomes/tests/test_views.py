"""Programme pages through HTTP: who sees and edits what, the editor's JSON answers, exports,
report and PDF, measurement form and import with hostile input."""

import datetime as dt
import io

import openpyxl

from wijkinzicht.activities import services as activity_services
from wijkinzicht.outcomes import services
from wijkinzicht.outcomes.models import Element, Measurement

from .conftest import djg11_answers

JSON = {"HTTP_ACCEPT": "application/json"}


def test_partners_see_the_programme_others_get_404(login, programme, model, orgs):
    url = f"/programmas/{programme.pk}/"
    for user in (orgs["A"]["fieldworker"], orgs["B"]["fieldworker"], orgs["B"]["researcher"]):
        r = login(user).get(url)
        assert r.status_code == 200
        assert "Samen tegen eenzaamheid" in r.text and "Minder eenzaamheid" in r.text
        assert "<svg" in r.text and 'role="img"' in r.text
    for user in (orgs["C"]["administrator"], orgs["C"]["coordinator"]):
        client = login(user)
        for path in (
            "",
            "model/",
            "versies/",
            "versies/1/",
            "veranderingsmodel.csv",
            "rapport/",
            "rapport.pdf",
            f"uitkomsten/{model['outcome'].pk}/",
            "resultaten/",
        ):
            assert client.get(url + path).status_code == 404, path
    assert "Samen tegen eenzaamheid" not in login(orgs["C"]["coordinator"]).get("/programmas/").text


def test_only_the_owners_editors_reach_the_editor(login, programme, model, orgs):
    base = f"/programmas/{programme.pk}/model/"
    assert login(orgs["A"]["coordinator"]).get(base).status_code == 200
    for user in (orgs["A"]["fieldworker"], orgs["B"]["coordinator"]):
        client = login(user)
        assert client.get(base).status_code == 403
        r = client.post(base + "elementen/", {"kind": "goal", "title": "Ingebroken"}, **JSON)
        assert r.status_code == 403
        assert client.post(base + f"elementen/{model['goal'].pk}/verwijderen/").status_code == 403
    assert not Element.objects.filter(title="Ingebroken").exists()
    assert Element.objects.filter(pk=model["goal"].pk).exists()


def test_editor_json_add_link_move_and_errors(login, programme, model, orgs):
    client = login(orgs["A"]["coordinator"])
    base = f"/programmas/{programme.pk}/model/"
    r = client.post(base + "elementen/", {"kind": "outcome", "title": "Meer vertrouwen"}, **JSON)
    data = r.json()
    assert (
        r.status_code == 200 and data["ok"] and "Meer vertrouwen" in data["html"] and "<svg" in data["html"]
    )
    new = Element.objects.get(title="Meer vertrouwen")
    r = client.post(
        base + "pijlen/",
        {"source": new.pk, "target": model["goal"].pk, "assumption": "Vertrouwen helpt"},
        **JSON,
    )
    assert r.json()["ok"] and "Vertrouwen helpt" in r.json()["html"]
    r = client.post(base + f"elementen/{new.pk}/verplaatsen/", {"step": "up"}, **JSON)
    assert r.json()["ok"]
    version = r.json()["version"]
    # errors come back as JSON with the field's message, and nothing is written
    r = client.post(base + "pijlen/", {"source": model["goal"].pk, "target": new.pk}, **JSON)
    assert r.status_code == 400 and r.json()["ok"] is False and r.json()["errors"]["target"]
    r = client.post(base + "elementen/", {"kind": "hack", "title": ""}, **JSON)
    assert r.status_code == 400 and set(r.json()["errors"]) >= {"kind", "title"}
    assert programme.versions.first().number == version
    # a version can be read back
    r = client.get(f"/programmas/{programme.pk}/versies/{version}/")
    assert r.status_code == 200 and "Meer vertrouwen" in r.text and "Huisbezoeken" not in r.text
    # without JavaScript the same form posts and comes back to the editor
    r = client.post(base + "elementen/", {"kind": "output", "title": "Huisbezoeken"})
    assert r.status_code == 302 and r.url == base


def test_exports_of_the_structure(login, programme, model, orgs):
    client = login(orgs["B"]["fieldworker"])
    base = f"/programmas/{programme.pk}/veranderingsmodel"
    svg = client.get(base + ".svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"Minder eenzaamheid" in svg.content
    csv = client.get(base + ".csv").content.decode("utf-8-sig")
    assert "D1;" in csv and "Er komen mensen" in csv and "Contact vermindert eenzaamheid" in csv
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + ".xlsx").content))
    assert len(book.worksheets) == 2
    rows = list(book.worksheets[1].values)
    assert rows[1][0] == "A1" and rows[1][1] == "P1"
    old = client.get(base + ".csv?versie=2").content.decode("utf-8-sig")
    assert "Minder eenzaamheid" in old and "Meer sociale contacten" not in old


def test_formula_cells_are_neutralised_in_exports(login, programme, orgs):
    services.element_add(
        user=orgs["A"]["coordinator"], programme=programme, kind="goal", title="=HYPERLINK(1)"
    )
    csv = login(orgs["A"]["coordinator"]).get(f"/programmas/{programme.pk}/veranderingsmodel.csv")
    assert "'=HYPERLINK(1)" in csv.content.decode("utf-8-sig")


def test_indicator_bound_through_the_page_shows_progress(login, programme, model, orgs):
    client = login(orgs["A"]["coordinator"])
    r = client.post(
        f"/programmas/{programme.pk}/uitkomsten/{model['outcome'].pk}/indicator/",
        {
            "name": "Ervaren contact",
            "source": "manual",
            "baseline_value": "40",
            "baseline_date": "2024-01-01",
            "target_value": "60",
            "target_date": "2026-01-01",
        },
    )
    assert r.status_code == 302
    r = client.post(r.url, {"date": "2025-01-01", "value": "70"}, follow=True)
    assert "Ervaren contact" in r.text and "progress-achieved" in r.text
    page = client.get(f"/programmas/{programme.pk}/")
    assert "Ervaren contact" in page.text and "progress-achieved" in page.text
    # a bad form names its field and writes nothing
    r = client.post(
        f"/programmas/{programme.pk}/uitkomsten/{model['outcome'].pk}/indicator/",
        {"name": "x", "source": "area", "area": "GM9999", "baseline_value": "abc"},
    )
    assert r.status_code == 200 and "errorlist" in r.text
    assert programme.elements.get(pk=model["outcome"].pk).indicators.count() == 1


def test_vision_form_for_a_partner(login, programme, model, orgs):
    client = login(orgs["B"]["coordinator"])
    url = f"/programmas/{programme.pk}/uitkomsten/{model['outcome'].pk}/"
    r = client.post(
        url,
        {
            "vision-organisation": orgs["B"]["org"].pk,
            "vision-priority": "2",
            "vision-own_role": "responsible",
            "vision-responsible": orgs["B"]["org"].pk,
        },
    )
    assert r.status_code == 302
    # B cannot post A's vision by changing the organisation id, nor set the agreed roles
    r = client.post(
        url, {"vision-organisation": orgs["A"]["org"].pk, "vision-priority": "5", "vision-own_role": "none"}
    )
    assert r.status_code == 200 and "errorlist" in r.text
    r = client.post(url, {"role-organisation": orgs["B"]["org"].pk, "role-role": "responsible"})
    assert r.status_code == 403
    assert model["outcome"].visions.get().organisation == orgs["B"]["org"]
    assert not model["outcome"].roles.exists()


def test_report_and_pdf(login, programme, model, orgs):
    client = login(orgs["B"]["fieldworker"])
    r = client.get(f"/programmas/{programme.pk}/rapport/?van=2024-01-01&tot=2025-12-31")
    assert r.status_code == 200 and "Minder eenzaamheid" in r.text and "01-01-2024" in r.text
    pdf = client.get(f"/programmas/{programme.pk}/rapport.pdf?van=nonsense")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # issue 14: the first page held only the heading (the model did not fit under it), no page numbers
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf.content)).pages
    first = pages[0].extract_text()
    assert "Veranderingsmodel" in first and "Minder eenzaamheid" in first and "Pagina 1" in first
    assert all(f"Pagina {n}" in page.extract_text() for n, page in enumerate(pages, 1))


def test_measurement_form_and_import(login, programme, orgs, tmp_path):
    a = orgs["A"]
    activity_services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym="k1")
    client = login(a["fieldworker"])
    form = client.get("/programmas/metingen/djg11/nieuw/")
    assert form.status_code == 200 and "Ik mis gezelligheid om me heen" in form.text
    assert "niet voor het stellen van een diagnose" in form.text or "not for diagnosing" in form.text
    data = {
        "organisation": a["org"].pk,
        "participant": "k1",
        "programme": programme.pk,
        "moment": "intake",
        "date": "2025-03-01",
        **djg11_answers(9),
    }
    r = client.post("/programmas/metingen/djg11/nieuw/", data)
    assert r.status_code == 302
    assert Measurement.objects.get().category == "ernstig eenzaam"
    # import: a file with a forbidden column is refused whole
    bad = io.BytesIO(b"deelnemer;naam;moment;datum\nk1;Jan;intake;2025-01-01\n")
    bad.name = "metingen.csv"
    r = client.post("/programmas/metingen/djg11/importeren/", {"organisation": a["org"].pk, "file": bad})
    assert r.status_code == 200 and "naam" in r.text and Measurement.objects.count() == 1
    header = "deelnemer;moment;datum;" + ";".join(f"djg_{n}" for n in range(1, 12))
    good = ";".join(djg11_answers(2)[f"djg_{n}"] for n in range(1, 12))
    body = f"{header}\nk1;exit;2025-09-01;{good}\nk1;exit;2025-09-02;{good.replace('ja', 'jaa', 1)}\n"
    upload = io.BytesIO(body.encode("utf-8"))
    upload.name = "metingen.csv"
    r = client.post("/programmas/metingen/djg11/importeren/", {"organisation": a["org"].pk, "file": upload})
    assert r.status_code == 200 and ("Rij 3" in r.text or "Row 3" in r.text)
    assert Measurement.objects.count() == 1  # nothing of the file was written
    upload = io.BytesIO(f"{header}\nk1;exit;2025-09-01;{good}\n".encode())
    upload.name = "metingen.csv"
    r = client.post(
        "/programmas/metingen/djg11/importeren/",
        {"organisation": a["org"].pk, "file": upload, "programme": programme.pk},
    )
    assert r.status_code == 302 and Measurement.objects.count() == 2


def test_a_large_measurement_file_is_imported_by_a_background_job(login, programme, orgs, settings):
    """Above WIJKINZICHT_IMPORT_INLINE_MAX_BYTES the page answers at once and a job imports the file,
    all or nothing; the status page is for the uploader and the coordinators, nobody else."""
    from wijkinzicht.core.jobs import run_pending
    from wijkinzicht.outcomes.models import MeasurementImport

    settings.IMPORT_INLINE_MAX_BYTES = 10
    a = orgs["A"]
    activity_services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym="k1")
    header = "deelnemer;moment;datum;" + ";".join(f"djg_{n}" for n in range(1, 12))
    good = ";".join(djg11_answers(2)[f"djg_{n}"] for n in range(1, 12))

    def upload(client, body):
        f = io.BytesIO(body.encode())
        f.name = "metingen.csv"
        r = client.post(
            "/programmas/metingen/djg11/importeren/",
            {"organisation": a["org"].pk, "file": f, "programme": programme.pk},
        )
        assert r.status_code == 302 and "/programmas/metingen/importen/" in r["Location"]
        return r["Location"]

    client = login(a["fieldworker"])
    # a bad row: the job imports nothing and the page names the row
    status = upload(client, f"{header}\nk1;exit;2025-09-01;{good}\nk2;exit;2025-09-02;{good}\n")
    page = client.get(status).text
    assert "achtergrond" in page and Measurement.objects.count() == 0
    assert run_pending() == 1
    page = client.get(status).text
    assert "Rij 3" in page and "k2" in page and Measurement.objects.count() == 0
    assert MeasurementImport.objects.get().data is None  # the file is not kept
    # a good file
    status = upload(client, f"{header}\nk1;exit;2025-09-01;{good}\nk1;exit;2025-10-01;{good}\n")
    assert run_pending() == 1
    assert "2 metingen geïmporteerd" in client.get(status).text
    assert Measurement.objects.filter(programme=programme).count() == 2
    # a retried job (the worker died after the import) adds nothing twice
    from wijkinzicht.outcomes.services import measurement_import_run

    assert measurement_import_run(import_id=int(status.rstrip("/").rsplit("/", 1)[1])) == "already done"
    assert Measurement.objects.count() == 2
    # who may look: the coordinator of A yes; A's analyst, B and C not (404)
    assert login(a["coordinator"]).get(status).status_code == 200
    for user in (a["analyst"], orgs["B"]["coordinator"], orgs["C"]["administrator"]):
        assert login(user).get(status).status_code == 404
    huge = "/programmas/metingen/importen/99999999999999999999/"
    assert login(a["coordinator"]).get(huge).status_code == 404


def test_a_measurement_import_given_up_by_the_queue_says_so(orgs, programme):
    from wijkinzicht.outcomes.models import MeasurementImport
    from wijkinzicht.outcomes.tasks import _lost

    found = MeasurementImport.objects.create(
        organisation=orgs["A"]["org"], user=orgs["A"]["fieldworker"], instrument="djg11",
        filename="m.csv", sha256="0" * 64, data=b"x",
    )
    from django.utils import translation

    with translation.override("en"):
        _lost([], {"import_id": found.pk})
    found.refresh_from_db()
    assert found.state == "rejected" and found.data is None and "upload the file again" in found.problems[0]


def test_measurements_stay_with_their_organisation(login, programme, orgs):
    a, b = orgs["A"], orgs["B"]
    activity_services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym="geheim-1")
    services.measurement_create(
        user=a["fieldworker"],
        organisation=a["org"],
        pseudonym="geheim-1",
        instrument="djg6",
        moment="intake",
        date=dt.date(2025, 1, 1),
        answers={"djg_3": "ja"},
        programme=programme,
    )
    assert "geheim-1" in login(a["coordinator"]).get("/programmas/metingen/").text
    assert "geheim-1" not in login(b["coordinator"]).get("/programmas/metingen/").text
    # B sees the programme, but the group result of fewer than 5 people stays hidden
    page = login(b["coordinator"]).get(f"/programmas/{programme.pk}/")
    assert "geheim-1" not in page.text


def test_programme_create_through_the_form(login, orgs, activity):
    client = login(orgs["A"]["coordinator"])
    r = client.post(
        "/programmas/nieuw/",
        {
            "organisation": orgs["A"]["org"].pk,
            "name": "Wijkaanpak Noord",
            "start_date": "2025-01-01",
            "end_date": "2024-01-01",
            "areas": "GM0363, XX1",
            "partners": "Organisatie B: financier\nBestaat niet: x",
        },
    )
    assert r.status_code == 200
    assert "XX1" in r.text and "Bestaat niet" in r.text
    r = client.post(
        "/programmas/nieuw/",
        {
            "organisation": orgs["A"]["org"].pk,
            "name": "Wijkaanpak Noord",
            "start_date": "2024-01-01",
            "end_date": "2026-01-01",
            "areas": "GM0363",
            "partners": "Organisatie B: financier",
            "activities": [activity.pk],
        },
    )
    assert r.status_code == 302
    page = client.get(r.url)
    assert "Organisatie B (financier)" in page.text
    assert login(orgs["A"]["fieldworker"]).get("/programmas/nieuw/").status_code == 403


def test_programme_edit_through_the_form_replaces_the_partners(login, programme, orgs):
    client = login(orgs["A"]["coordinator"])
    r = client.post(
        f"/programmas/{programme.pk}/bewerken/",
        {
            "organisation": orgs["A"]["org"].pk,
            "name": "Samen tegen eenzaamheid",
            "start_date": "2024-01-01",
            "end_date": "2027-12-31",
            "areas": "gm0363",
            "partners": "Organisatie C: financier",
        },
    )
    assert r.status_code == 302
    partners = dict(programme.partners.values_list("organisation__name", "role"))
    assert set(partners) == {"Organisatie A", "Organisatie C"} and partners["Organisatie C"] == "financier"
    assert login(orgs["B"]["coordinator"]).get(f"/programmas/{programme.pk}/").status_code == 404


def test_correcting_and_deleting_a_measurement_through_the_pages(login, programme, orgs):
    a, b = orgs["A"], orgs["B"]
    activity_services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym="k7")
    m = services.measurement_create(
        user=a["fieldworker"],
        organisation=a["org"],
        pseudonym="k7",
        instrument="djg11",
        moment="intake",
        date=dt.date(2025, 3, 1),
        answers=djg11_answers(9),
        programme=programme,
    )
    edit, delete = f"/programmas/metingen/{m.pk}/", f"/programmas/metingen/{m.pk}/verwijderen/"
    # a partner and an outsider do not learn that it exists; an analyst of A sees it, may not change it
    for user, status in ((b["coordinator"], 404), (orgs["C"]["administrator"], 404), (a["analyst"], 403)):
        client = login(user)
        assert client.get(edit).status_code == status
        assert client.post(delete).status_code == status
    assert Measurement.objects.filter(pk=m.pk).exists()
    assert 'href="/programmas/metingen/' not in login(a["analyst"]).get("/programmas/metingen/").text
    client = login(a["fieldworker"])
    assert f'href="{edit}"' in client.get("/programmas/metingen/").text
    page = client.get(edit)
    assert page.status_code == 200 and "k7" in page.text
    assert 'value="2025-03-01"' in page.text  # the form starts from the measurement as it is
    data = {"programme": programme.pk, "moment": "intake", "date": "2025-03-02", **djg11_answers(9)}
    hostile = client.post(edit, {**data, "djg_3": "<script>x</script>", "date": "2025-02-30"})
    assert hostile.status_code == 200 and "<script>x</script>" not in hostile.text
    assert Measurement.objects.get(pk=m.pk).date == dt.date(2025, 3, 1)  # nothing changed
    r = client.post(edit, {**data, **djg11_answers(1)})
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.date, m.score, m.category) == (dt.date(2025, 3, 2), 1, "niet eenzaam")
    confirm = client.get(delete)
    assert confirm.status_code == 200 and "k7" in confirm.text and "<form" in confirm.text
    assert client.post(delete).status_code == 302
    assert not Measurement.objects.filter(pk=m.pk).exists()
