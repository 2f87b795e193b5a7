"""The permission matrix's machinery (issue 12, item 8): every page from the URL configuration and
every API operation from the OpenAPI document, tried by every actor, each request in a savepoint
that is rolled back so that one actor's POST or DELETE does not change what the next one sees."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

ACTORS = ("anon", "fieldworker", "coordinator", "analyst", "researcher", "administrator", "partner", "other")


def _routes(patterns=None, prefix: str = "", ns: str = ""):
    """(namespaced route name, full pattern) of every route of the URL configuration."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = (ns + ":" if ns else "") + p.namespace if p.namespace else ns
            yield from _routes(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield (ns + ":" if ns else "") + (p.name or ""), prefix + str(p.pattern)


def page_routes() -> dict[str, str]:
    """{namespaced route name: pattern} of every page, the admin's own routes left out (they are
    tried as one group: staff only)."""
    return {name: route for name, route in _routes()
            if not name.startswith("admin:") and not route.startswith("api/")}


def admin_urls() -> dict[str, str]:
    """{route name: a concrete address} of every page of the admin (object ids "1")."""
    out = {}
    for name, route in _routes():
        if not route.startswith("admin/"):
            continue
        url = re.sub(r"<(?:\w+:)?\w+>", "1", route)
        url = re.sub(r"\(\?P<app_label>[^)]*\)", "auth", url)
        url = re.sub(r"\(\?P<url>[^)]*\)", "onbekend", url).replace("^", "").replace("$", "")
        out[f"{name} {route}"] = "/" + url
    return out


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation in the OpenAPI document."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted((method.upper(), path) for path, item in schema["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete"))


def world(orgs):
    """A's records of every kind, B a partner in A's programme, C an organisation that takes no part."""
    from wijkinzicht.accounts.services import api_token_issue
    from wijkinzicht.activities import importers
    from wijkinzicht.activities import services as activities
    from wijkinzicht.areas.models import Area, Indicator
    from wijkinzicht.evaluation.models import Evaluation, EvaluationRun
    from wijkinzicht.outcomes import services as outcomes
    from wijkinzicht.outcomes.models import MeasurementImport
    from wijkinzicht.outcomes.tests.conftest import djg11_answers

    a = orgs["A"]
    fw = a["fieldworker"]
    activity = activities.activity_create(user=fw, organisation=a["org"], code="KOFFIE", title="Koffie",
                                          kind="buurthuis", area_codes=["BU03630000"], is_published=True,
                                          start_date=dt.date(2024, 1, 1))
    person = activities.participant_create(user=fw, organisation=a["org"], pseudonym="m1", birth_year=1950)
    meeting = activities.meeting_register(user=fw, activity=activity, date=dt.date(2024, 3, 5),
                                          participant_ids=[person.pk])
    batch = importers.import_file(user=fw, organisation=a["org"], kind="participants", filename="p.csv",
                                  data=b"deelnemer;geboortejaar\nm2;1950\nkapot;18xx\n")
    programme = outcomes.programme_create(
        user=a["coordinator"], organisation=a["org"], name="Samen", start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31), areas=[Area.objects.get(code="GM0363")], activity_ids=[activity.pk],
        partners=[(orgs["B"]["org"], "uitvoerder")],
    )
    co = a["coordinator"]
    goal = outcomes.element_add(user=co, programme=programme, kind="goal", title="Minder eenzaam")
    result = outcomes.element_add(user=co, programme=programme, kind="outcome", title="Contact")
    link = outcomes.link_add(user=co, programme=programme, source_id=result.pk, target_id=goal.pk)
    indicator = outcomes.indicator_create(
        user=co, element=result, name="Contact", source="manual", baseline_value=40,
        baseline_date=dt.date(2024, 1, 1), target_value=60, target_date=dt.date(2026, 1, 1))
    measurement = outcomes.measurement_create(
        user=fw, organisation=a["org"], pseudonym="m1", instrument="djg11", moment="intake",
        date=dt.date(2024, 3, 1), answers=djg11_answers(5), programme=programme)
    queued = MeasurementImport.objects.create(organisation=a["org"], user=fw, instrument="djg11",
                                              filename="m.csv", sha256="0" * 64)
    evaluation = Evaluation.objects.create(organisation=a["org"], created_by=a["analyst"], name="Aanpak",
                                           method="synth", treatment_year=2019,
                                           outcome=Indicator.objects.first())
    evaluation.treated.set([Area.objects.get(code="BU03630000")])
    run = EvaluationRun.objects.create(evaluation=evaluation, requested_by=a["analyst"], status="queued")
    # the network: A serves the gemeente, B a buurt in it (partners in the area), C nothing; a tie A-B
    from wijkinzicht.network import services as network

    a["org"].areas_served.set([Area.objects.get(code="GM0363")])
    orgs["B"]["org"].areas_served.set([Area.objects.get(code="BU03630000")])
    own_b = network.party_for_organisation(orgs["B"]["org"])
    tie = network.tie_declare(user=co, organisation=a["org"], source=network.party_for_organisation(a["org"]),
                              target=own_b, kind="cooperation", since=dt.date(2024, 1, 1), note="privé")
    informal = network.party_create(user=fw, organisation=a["org"], name="Buurtvaders",
                                    kind="vrijwilligersgroep")
    # signals: one of A's fieldworker in a buurt of the gemeente A serves (B serves that buurt)
    from wijkinzicht.signals import services as signals
    from wijkinzicht.signals.models import ClassifierVersion, Theme

    signal = signals.signal_create(user=fw, organisation=a["org"], data=signals.SignalInput(
        area=Area.objects.get(code="BU03630000"), observed_on=dt.date(2024, 3, 1),
        text="Meer ouderen voelen zich eenzaam in de flat.", themes=[Theme.objects.get(key="eenzaamheid")]))
    classifier = ClassifierVersion.objects.create(version=1, status="ready")
    token = api_token_issue(user=fw)[0]
    version = programme.versions.first()
    return {
        "pk:activities:detail": activity.pk, "pk:activities:edit": activity.pk,
        "pk:activities:meeting_create": activity.pk, "pk:activities:meeting_edit": meeting.pk,
        "pk:activities:import_detail": batch.pk, "pk:activities:import_rejected": batch.pk,
        "pk:kaart:detail": activity.pk, "organisation_id:parties:members_csv": a["org"].pk,
        "evaluation": evaluation.pk, "run": run.pk, "programme": programme.pk, "element": result.pk,
        "goal": goal.pk, "link": link.pk, "indicator": indicator.pk, "measurement": measurement.pk,
        "queued": queued.pk, "token": token.pk, "version": version.number if version else 1,
        "participant": person.pk, "meeting": meeting.pk, "batch": batch.pk, "org": a["org"].pk,
        "activity": activity.pk, "party": own_b.pk, "tie": tie.pk, "pk:network:party": informal.pk,
        "pk:network:party_merge": informal.pk, "informal": informal.pk, "pk:network:tie_answer": tie.pk,
        "pk:network:tie_end": tie.pk, "pk:signals:detail": signal.pk, "pk:signals:review": signal.pk,
        "pk:signals:bundle": signal.bundle_id, "pk:signals:classifier_activate": classifier.pk,
        "signal": signal.pk, "bundle": signal.bundle_id,
    }


def page_url(name: str, route: str, w: dict) -> str:
    """A concrete address of the route, on A's records."""
    values = {
        "pk": w.get(f"pk:{name}")
        or (w["evaluation"] if name.startswith("evaluation:") else w["programme"]),
        "run_pk": w["run"], "element_pk": w["element"], "link_pk": w["link"],
        "indicator_pk": w["indicator"], "measurement_pk": w["measurement"], "instrument": "djg11",
        "number": w["version"], "code": "BU03630000", "organisation_id": w["org"], "uidb64": "MQ",
        "token": "set-password",
    }
    if name == "outcomes:measurement_import_status":
        values["pk"] = w["queued"]
    if name == "accounts:token_revoke":
        values["pk"] = w["token"]
    if name in ("outcomes:element_edit", "outcomes:element_move", "outcomes:element_delete"):
        values["element_pk"] = w["goal"]
    if name == "outcomes:model_export":
        return f"/programmas/{w['programme']}/veranderingsmodel.csv"
    url = "/" + route
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), url)
    return url


def api_url(path: str, w: dict) -> str:
    values = {"pk": None, "code": "BU03630000", "organisation_id": w["org"]}

    def fill(m):
        key = m.group(1)
        if key not in ("pk", "id"):
            return str(values[key])
        for prefix, value in (("/api/v1/parties/{id}/merge", w["informal"]),
                              ("/api/v1/activities", w["activity"]),
                              ("/api/v1/participants", w["participant"]),
                              ("/api/v1/meetings", w["meeting"]), ("/api/v1/imports", w["batch"]),
                              ("/api/v1/parties", w["party"]), ("/api/v1/ties", w["tie"]),
                              ("/api/v1/signals/", w["signal"]), ("/api/v1/signal-bundles/", w["bundle"])):
            if path.startswith(prefix):
                return str(value)
        raise KeyError(path)

    return re.sub(r"\{(\w+)\}", fill, path)


def try_each(actors: dict, request) -> dict:
    """{actor: status} of one request per actor, each in a savepoint rolled back afterwards."""
    import copy

    found = {}
    for actor, client in actors.items():
        cookies = copy.deepcopy(client.cookies)  # a logout or a new session must not carry over
        with transaction.atomic():
            found[actor] = request(client).status_code
            transaction.set_rollback(True)
        client.cookies = cookies
    return found
