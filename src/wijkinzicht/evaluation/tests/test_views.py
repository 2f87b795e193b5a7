"""The evaluation pages through HTTP: who may see and do what, bad input, downloads."""

import json

import pytest
from django.urls import reverse

from wijkinzicht.evaluation import services
from wijkinzicht.evaluation.constants import DonorPool

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(rotterdam_housing, two_organisations):
    a = two_organisations["A"]
    evaluation = services.evaluation_create(
        user=a["analyst"],
        organisation=a["org"],
        name="Wijkaanpak Centrum",
        method="synth",
        treated_codes=["BU05990110"],
        treatment_year=2019,
        outcome_key="pct_rented",
        donor_pool=DonorPool.MUNICIPALITY,
        placebos=True,
    )
    run = services.evaluation_run_request(evaluation=evaluation, user=a["analyst"], background=False)
    return evaluation, services.evaluation_run_execute(run_id=run.pk)


def urls(evaluation, run):
    return [
        reverse("evaluation:detail", args=[evaluation.pk]),
        reverse("evaluation:run_detail", args=[evaluation.pk, run.pk]),
        reverse("evaluation:status", args=[evaluation.pk, run.pk]),
        reverse("evaluation:run_json", args=[evaluation.pk, run.pk]),
        reverse("evaluation:run_pdf", args=[evaluation.pk, run.pk]),
    ]


def test_result_page_shows_summary_chart_table_weights_and_placebos(client, computed, two_organisations):
    evaluation, run = computed
    client.force_login(two_organisations["A"]["fieldworker"])  # every member may read
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert "Samenvatting" in page
    assert 'id="chart-trend"' in page and 'aria-describedby="table-trend"' in page
    assert 'id="table-trend"' in page
    assert "Vergelijkingsgebieden en hun gewichten" in page
    assert "Placebotoets" in page
    assert "Opnieuw berekenen" not in page  # a fieldworker cannot run it
    status = client.get(reverse("evaluation:status", args=[evaluation.pk, run.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100


def test_downloads(client, computed, two_organisations):
    evaluation, run = computed
    client.force_login(two_organisations["A"]["analyst"])
    response = client.get(reverse("evaluation:run_json", args=[evaluation.pk, run.pk]))
    data = json.loads(response.content)
    assert data["result"]["estimate"] == pytest.approx(run.result["estimate"])
    assert data["panel_rows"] and data["reproduce"]["command"].startswith("wijkinzicht evaluate synth")
    pdf = client.get(reverse("evaluation:run_pdf", args=[evaluation.pk, run.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 2000


def test_another_organisation_sees_nothing(client, computed, two_organisations):
    evaluation, run = computed
    for role in ("analyst", "administrator", "researcher"):
        client.force_login(two_organisations["B"][role])
        for url in urls(evaluation, run):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("evaluation:run", args=[evaluation.pk])).status_code == 404
        assert "Wijkaanpak Centrum" not in client.get(reverse("evaluation:list")).content.decode()


def test_anonymous_users_are_sent_to_login(client, computed):
    evaluation, run = computed
    for url in urls(evaluation, run):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_fieldworker_may_not_create_or_run(client, computed, two_organisations):
    evaluation, _ = computed
    client.force_login(two_organisations["A"]["fieldworker"])
    assert client.get(reverse("evaluation:create")).status_code == 403
    assert client.post(reverse("evaluation:run", args=[evaluation.pk])).status_code == 403
    assert evaluation.runs.count() == 1


def test_rerun_keeps_history(client, computed, two_organisations):
    evaluation, first = computed
    client.force_login(two_organisations["A"]["analyst"])
    response = client.post(reverse("evaluation:run", args=[evaluation.pk]))
    assert response.status_code == 302
    assert evaluation.runs.count() == 2
    first.refresh_from_db()
    assert first.status == "done"  # the earlier result is kept, untouched


def form_data(**overrides):
    data = {
        "name": "Test",
        "method": "synth",
        "treated": "BU05990110",
        "treatment_year": "2019",
        "outcome": "pct_rented",
        "donor_pool": "municipality",
        "donor_count": "50",
        "donor_codes": "",
        "exclude_codes": "",
        "exclude_neighbours": "on",
        "placebos": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"treated": "BU0599011X'; DROP TABLE"}, "geen CBS-code"),
        ({"treated": ""}, "Geef minstens één gebied (naam of CBS-code), of kies een programma"),
        ({"treatment_year": "twintig"}, "Voer een geheel getal in"),
        ({"treated": "BU09999999"}, "geen gebied met de code(s) BU09999999"),
        # issue 14: refused in English by the engine after queueing; now in Dutch, before, with the years
        ({"treatment_year": "2014"},
         "BU05990110 heeft cijfers voor deze indicator in 1 jaar vóór 2014 (2013)"),
        ({"treatment_year": "2026"}, "geen cijfers voor deze indicator vanaf 2026 (het laatste is van 2025)"),
        ({"predictor_1": "dwellings", "predictor_1_from": "2013"}, "Geef de jaren"),
        (
            {"predictor_1": "dwellings", "predictor_1_from": "2019", "predictor_1_to": "2020"},
            "voor het startjaar",
        ),
        ({"donor_pool": "list", "donor_codes": "BU05990111"}, "minstens 2"),
        # an attack pass: predictor years after the start were let through, and the whole country
        ({"predictor_1": "dwellings", "predictor_1_from": "2016", "predictor_1_to": "2020"},
         "voor het startjaar"),

        ({"outcome": "<script>"}, "Selecteer een geldige keuze"),
    ],
)
def test_form_errors_are_named_and_nothing_is_stored(
    client, rotterdam_housing, two_organisations, overrides, message
):
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    data = form_data(organisation=str(a["org"].pk), **overrides)
    response = client.post(reverse("evaluation:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    from wijkinzicht.evaluation.models import Evaluation

    assert not Evaluation.objects.exists()


def test_form_refuses_an_organisation_of_someone_else(client, rotterdam_housing, two_organisations):
    client.force_login(two_organisations["A"]["analyst"])
    data = form_data(organisation=str(two_organisations["B"]["org"].pk))
    response = client.post(reverse("evaluation:create"), data)
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_form_creates_and_queues_a_run(client, rotterdam_housing, two_organisations):
    from django_tasks_db.models import DBTaskResult

    from wijkinzicht.core.jobs import run_pending

    a = two_organisations["A"]
    client.force_login(a["analyst"])
    response = client.post(reverse("evaluation:create"), form_data(organisation=str(a["org"].pk)))
    assert response.status_code == 302
    from wijkinzicht.evaluation.models import Evaluation

    evaluation = Evaluation.objects.get()
    run = evaluation.runs.get()
    assert run.status == "queued"
    job = DBTaskResult.objects.get()  # one job in the durable queue, pointing at this run
    assert str(job.id) == run.job_id and job.args_kwargs["kwargs"] == {"run_id": run.pk}
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and "evaluation/progress.js" in page
    assert run_pending() == 1  # a worker computes it
    run.refresh_from_db()
    assert run.status == "done" and run.result


def test_the_form_offers_only_indicators_with_enough_years(client, rotterdam_housing, two_organisations,
                                                           cbs_dir):
    """Issue 14: the form offered all 55 indicators; most have one year and can never be evaluated."""
    from wijkinzicht.areas.services import kwb_import

    kwb_import(cbs_dir / "rotterdam_kwb2017_subset.csv")  # many indicators, one year
    client.force_login(two_organisations["A"]["analyst"])
    html = client.get(reverse("evaluation:create")).content.decode()
    outcome = html[html.index('name="outcome"'):html.index("</select>", html.index('name="outcome"'))]
    assert 'value="pct_rented"' in outcome and "(2013–2025)" in outcome
    assert 'value="burglary_per_1000"' not in outcome  # 2017 only


def test_the_whole_country_is_refused_before_queueing(rotterdam_housing):
    from django.utils import translation

    from wijkinzicht.areas.models import Area
    from wijkinzicht.evaluation import selectors

    Area.objects.get_or_create(code="NL00", defaults={"level": "land", "name": "Nederland"})
    with translation.override("nl"):
        problems = selectors.evaluation_problems(treated=["NL00"], outcome_key="woz_mean", start=2020)
    assert problems and problems[0].startswith("Het hele land kan niet geëvalueerd worden")


def test_areas_are_picked_by_name_and_an_ambiguous_name_is_explained(client, rotterdam_housing,
                                                                      two_organisations, cbs_dir):
    """Issue 14: the form only took CBS codes; a fieldworker knows the buurt by its name."""
    from wijkinzicht.areas.models import Area
    from wijkinzicht.areas.services import names_import
    from wijkinzicht.evaluation.models import Evaluation

    names_import(cbs_dir / "areas" / "nl_gwb_name_lookup_2013_2025.csv")
    buurt = Area.objects.get(code="BU05990110")
    assert buurt.name
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    response = client.post(reverse("evaluation:create"), form_data(
        organisation=str(a["org"].pk), treated=buurt.name.upper(), exclude_codes=f"{buurt.name}; BU05990111"))
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation = Evaluation.objects.get()
    assert [x.code for x in evaluation.treated.all()] == ["BU05990110"]
    html = client.post(reverse("evaluation:create"), form_data(
        organisation=str(a["org"].pk), treated="Nergenshuizen")).content.decode()
    assert "Nergenshuizen" in html and "geen gebied heeft deze naam" in html
    Area.objects.create(code="BU05990199", level="buurt", name=buurt.name, search_name=buurt.search_name,
                        parent=buurt.parent, first_year=buurt.first_year, last_year=buurt.last_year)
    html = client.post(reverse("evaluation:create"), form_data(
        organisation=str(a["org"].pk), treated=buurt.name)).content.decode()
    assert "2 gebieden hebben deze naam (BU05990110, BU05990199)" in html


def test_a_staggered_design_through_the_form_shows_the_event_study(client, rotterdam_housing,
                                                                   two_organisations):
    """Issue 15, item 7: several areas with their own start years, estimated by Callaway-Sant'Anna,
    with the event-study chart and its table; the honest-DiD section says why it is missing with
    fewer than five treated areas."""
    from wijkinzicht.core.jobs import run_pending
    from wijkinzicht.evaluation.models import Evaluation

    a = two_organisations["A"]
    client.force_login(a["analyst"])
    data = form_data(organisation=str(a["org"].pk), method="did", treated="BU05990110, BU05990111",
                     treatment_year="2018", starts="BU05990111: 2020")
    response = client.post(reverse("evaluation:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation = Evaluation.objects.get()
    assert evaluation.treated_starts == {"BU05990110": 2018, "BU05990111": 2020} and evaluation.staggered
    assert run_pending() == 1
    run = evaluation.runs.get()
    assert run.status == "done", run.error
    assert run.result["details"]["estimator"] == "callaway-santanna"
    assert run.result["treatment_time"] == {"BU05990110": 2018, "BU05990111": 2020}
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert 'id="chart-event"' in page and 'aria-describedby="table-event"' in page
    assert 'id="table-event"' in page
    assert "begonnen in verschillende jaren" in page
    assert "En als de trends niet helemaal parallel waren?" in page
    assert "minder dan 5 gebieden met de aanpak te weinig" in page
    assert 'id="chart-trend"' not in page  # no single start year to draw the two paths around
    pdf = client.get(reverse("evaluation:run_pdf", args=[evaluation.pk, run.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    exported = client.get(reverse("evaluation:run_json", args=[evaluation.pk, run.pk])).json()
    assert "--treated BU05990110,BU05990111 --treatment-time 2018,2020" in exported["reproduce"]["command"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"method": "did", "starts": "BU05990111 2020"},
         "Regel 1 (&quot;BU05990111 2020&quot;): schrijf het gebied"),
        ({"method": "synth", "treated": "BU05990110, BU05990111", "starts": "BU05990111: 2020"},
         "alleen met verschil-in-verschillen"),
        ({"method": "did", "starts": "BU05990112: 2020"},
         "BU05990112: hoort niet bij de gebieden met de aanpak"),
        ({"treated": "", "treatment_year": ""}, "of kies een programma"),
        # an attack pass: superscript digits passed isdigit() and crashed int() (500)
        ({"method": "did", "starts": "BU05990111: ²"}, "Regel 1"),
        ({"method": "did", "treated": "BU05990110, BU05990111",
          "starts": "BU05990111: 2020\nBU05990111: 2021"}, "meer dan eens genoemd"),
    ],
)
def test_start_years_per_area_are_checked(client, rotterdam_housing, two_organisations, overrides, message):
    a = two_organisations["A"]
    client.force_login(a["analyst"])
    data = form_data(organisation=str(a["org"].pk), **overrides)
    response = client.post(reverse("evaluation:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_programme_is_the_treated_unit(client, rotterdam_housing, two_organisations):
    """Issue 15, item 7: choosing a programme takes its areas and the year it began."""
    import datetime as dt

    from wijkinzicht.areas.models import Area
    from wijkinzicht.evaluation.models import Evaluation
    from wijkinzicht.outcomes.services import programme_create

    a = two_organisations["A"]
    programme = programme_create(user=a["administrator"], organisation=a["org"], name="Samen in Centrum",
                                 start_date=dt.date(2019, 3, 1), end_date=dt.date(2022, 12, 31),
                                 areas=list(Area.objects.filter(code__in=["BU05990110", "BU05990112"])))
    client.force_login(a["analyst"])
    form = client.get(reverse("evaluation:create")).content.decode()
    assert "Samen in Centrum (2019)" in form
    data = form_data(organisation=str(a["org"].pk), method="did", treated="", treatment_year="",
                     programme=str(programme.pk))
    response = client.post(reverse("evaluation:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation = Evaluation.objects.get()
    assert evaluation.programme == programme and evaluation.treatment_year == 2019
    assert sorted(evaluation.treated.values_list("code", flat=True)) == ["BU05990110", "BU05990112"]
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert "Samen in Centrum" in page and reverse("outcomes:detail", args=[programme.pk]) in page
    # another organisation's programme is not offered, and cannot be posted
    client.force_login(two_organisations["B"]["analyst"])
    assert "Samen in Centrum" not in client.get(reverse("evaluation:create")).content.decode()
    data["organisation"] = str(two_organisations["B"]["org"].pk)
    response = client.post(reverse("evaluation:create"), data)
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()


def test_a_did_result_shows_the_honest_bounds_with_charts_and_tables(client, rotterdam_housing,
                                                                    two_organisations):
    a = two_organisations["A"]
    evaluation = services.evaluation_create(
        user=a["analyst"], organisation=a["org"], name="DiD Centrum", method="did",
        treated_codes=["BU05990110"], treatment_year=2019, outcome_key="pct_rented",
        donor_pool=DonorPool.MUNICIPALITY, placebos=True)
    run = services.evaluation_run_request(evaluation=evaluation, user=a["analyst"], background=False)
    run = services.evaluation_run_execute(run_id=run.pk)
    assert run.status == "done", run.error
    honest = run.result["details"]["honest"]
    assert honest["original"]["estimate"] == pytest.approx(run.result["effects"]["2019"])
    client.force_login(a["analyst"])
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    for chart, table in (("chart-honest-rm", "table-honest-rm"), ("chart-honest-sd", "table-honest-sd")):
        assert f'id="{chart}"' in page and f'aria-describedby="{table}"' in page and f'id="{table}"' in page
    assert "Robuuste 95%-verzamelingen" in page and "gewoon interval" in page
