"""Loading the demo: real CBS data from data/cbs, two demo organisations, a user per role."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from wijkinzicht.areas.importers import ImportFailed
from wijkinzicht.areas.models import Area, ImportRun
from wijkinzicht.areas.services import (
    boundaries_import,
    crosswalk_import,
    kwb_import,
    mergers_import,
    names_import,
)
from wijkinzicht.parties.constants import OrganisationKind, Role
from wijkinzicht.parties.models import Organisation
from wijkinzicht.parties.services import membership_grant, organisation_create, user_create

# Order matters only for speed; names of areas come from the newest year whatever the order.
KWB_FILES = (  # (file, year for files without a year column)
    ("nl_kwb_housing_2013_2025.csv", None),
    ("amsterdam_kwb_2017_full.csv", None),
    ("amsterdam_kwb_2020_subset.csv", None),
    ("amsterdam_kwb_2021_subset_odata.csv", None),
    ("amsterdam_kwb_2023_income_subset.csv", None),
    ("amsterdam_kwb_2024_subset.csv", None),
    ("rotterdam_kwb2017_subset.csv", None),
    ("nl_buurten_kwb2017_subset.csv", 2017),
    ("nl_buurten_kwb2024_subset_with_crime2024.csv", 2024),
    ("nl_buurten_registered_crime_2024.csv", None),
)
BOUNDARY_FILES = (
    ("nl_gemeenten_2017_generalized_wgs84.geojson", "statcode", "statnaam"),
    ("amsterdam_buurten_2022_wgs84.geojson", "BUURTCODE_CBS_2015", "BUURTNAAM_2015"),
    ("amsterdam_buurten_2022_wgs84.geojson", "BUURTCODE_CBS_2022", "BUURTNAAM_2022"),
    ("rotterdam_buurten_wgs84.geojson", "buurtcode", "buurtnaam"),
)
# names of every area the figures cover (the housing file has codes only); newer names win
NAME_FILES = ("areas/nl_gwb_name_lookup_2013_2025.csv", "areas/nl_gwb_names_2025.csv")
ORGANISATIONS = (
    ("ams", "Welzijn Amsterdam Oost (demo)", OrganisationKind.WELZIJN, ["GM0363"]),
    ("rdam", "Wijkteam Rotterdam Centrum (demo)", OrganisationKind.WIJKTEAM, ["GM0599"]),
    # the housing corporations are the partners in the demo programmes (names invented)
    ("ams-wc", "Woningcorporatie IJoever (demo)", OrganisationKind.CORPORATIE, ["GM0363"]),
    ("rdam-wc", "Woningcorporatie Maasoever (demo)", OrganisationKind.CORPORATIE, ["GM0599"]),
)
ROLE_NAMES = {
    Role.FIELDWORKER: "veldwerker",
    Role.COORDINATOR: "coordinator",
    Role.ANALYST: "analist",
    Role.RESEARCHER: "onderzoeker",
    Role.ADMINISTRATOR: "beheerder",
}


@dataclass
class Credential:
    username: str
    password: str | None  # None: the user existed, password unchanged
    organisation: str
    role: str


def _already_imported(path: Path) -> bool:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ImportRun.objects.filter(sha256=digest, kind="kwb").exists()


def load_data(data_dir: Path, *, say: Callable[[str], None] = print) -> None:
    """Import the demo's CBS files and boundaries; files imported before are skipped quickly."""
    for name, year in KWB_FILES:
        path = data_dir / name
        if _already_imported(path):
            say(f"  {name}: al geïmporteerd")
            continue
        try:
            report = kwb_import(path, year=year)
        except ImportFailed as exc:
            exc.filename = name
            raise
        say(f"  {name}: {report.observations_created} nieuwe cijfers, {report.areas_created} nieuwe gebieden")
    for name, code_prop, name_prop in BOUNDARY_FILES:
        path = data_dir / name
        report = boundaries_import(path, code_property=code_prop, name_property=name_prop)
        say(
            f"  {name} ({code_prop}): {report.boundaries_set} grenzen gezet, "
            f"{report.boundaries_unchanged} ongewijzigd"
        )
    for name in NAME_FILES:
        report = names_import(data_dir / name)
        say(f"  {name}: {report.names_set} namen gezet, {report.unchanged} ongewijzigd")
    # Amsterdam's 2023 re-coding: old and new buurt codes 1:1 (its wijken follow)
    report = crosswalk_import(data_dir / "amsterdam_buurt_crosswalk_2015_2022.csv",
                              from_column="BUURTCODE_CBS_2015", to_column="BUURTCODE_CBS_2022", year=2023)
    say(f"  amsterdam_buurt_crosswalk_2015_2022.csv: {report.links_created} koppelingen nieuw, "
        f"{report.links_unchanged} ongewijzigd")
    # gemeente mergers since 2014, decided by place names and dwellings (decision 0017)
    report = mergers_import(data_dir / "areas" / "nl_gemeenten_lifecycle_nlextract.csv")
    say(f"  nl_gemeenten_lifecycle_nlextract.csv: {len(report.linked)} opgeheven gemeenten gekoppeld aan "
        f"hun opvolger, {len(report.not_linked)} niet (zie wijkinzicht import-mergers --list)")


@transaction.atomic
def load_organisations(*, reset_passwords: bool = False) -> list[Credential]:
    """Two demo organisations with a user for every role; passwords only for new users."""
    User = get_user_model()
    creds: list[Credential] = []
    for prefix, name, kind, areas in ORGANISATIONS:
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            org = organisation_create(name=name, kind=kind, area_codes=areas)
        for role, suffix in ROLE_NAMES.items():
            username = f"{prefix}-{suffix}"
            password = None
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(9)
                user = user_create(
                    username=username,
                    password=password,
                    first_name=suffix.capitalize(),
                    last_name=f"({name})",
                )
            elif reset_passwords:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save(update_fields=["password"])
            membership_grant(user=user, organisation=org, role=role)
            creds.append(Credential(username, password, name, role))
    return creds


DEMO_EVALUATIONS = (  # (organisation, name, method, treated buurten with their start, outcome, pool)
    ("rdam", "Wijkaanpak Stadsdriehoek (demo)", "synth", {"BU05990110": 2019}, "pct_rented", "municipality"),
    ("ams", "Buurtaanpak Kop Zeedijk (demo)", "synth", {"BU03630000": 2019}, "pct_rented", "comparable"),
    # difference-in-differences with Rambachan & Roth's bounds, and areas that started in different years
    ("rdam", "Wijkaanpak Stadsdriehoek, verschil-in-verschillen (demo)", "did", {"BU05990110": 2019},
     "pct_rented", "municipality"),
    ("rdam", "Gespreide start Centrum (demo)", "did", {"BU05990110": 2018, "BU05990111": 2020}, "pct_rented",
     "municipality"),
)


def load_evaluations(*, say: Callable[[str], None] = print) -> None:
    """One computed evaluation per demo organisation, on the real CBS housing series; the
    'Wijkaanpak' itself is invented for the demo, the figures are not."""
    from wijkinzicht.evaluation.models import Evaluation
    from wijkinzicht.evaluation.services import (
        evaluation_create,
        evaluation_run_execute,
        evaluation_run_request,
    )

    for prefix, name, method, starts, outcome, pool in DEMO_EVALUATIONS:
        if Evaluation.objects.filter(name=name).exists():
            continue
        analyst = get_user_model().objects.get(username=f"{prefix}-{ROLE_NAMES[Role.ANALYST]}")
        organisation = analyst.memberships.get().organisation
        evaluation = evaluation_create(
            user=analyst,
            organisation=organisation,
            name=name,
            method=method,
            treated_codes=list(starts),
            treatment_year=min(starts.values()),
            treated_starts=starts,
            outcome_key=outcome,
            donor_pool=pool,
            placebos=True,
        )
        run = evaluation_run_request(evaluation=evaluation, user=analyst, background=False)
        run = evaluation_run_execute(run_id=run.pk)
        say(f"  {name}: {run.get_status_display()} {run.error}".rstrip())


# Generated activities, participants and attendance for the demo organisations: the activities,
# people and visits are invented (every title says "demo"), the buurten and their populations real.
DEMO_ACTIVITIES = {
    "ams": (["BU03630000", "BU03630001", "BU03630002", "BU03630003"], "Amsterdam", "1012"),
    "rdam": (["BU05990110", "BU05990111", "BU05990112", "BU05990113"], "Rotterdam", "3011"),
}
DEMO_OFFER = (  # title, kind, themes, target groups, resident-led, weekdays, start hour, free
    ("Koffieochtend", "buurthuis", "eenzaamheid|ontmoeting", "ouderen", False, "di|do", 10, True),
    ("Taalcafé", "buurthuis", "taal|participatie", "nieuwkomers|volwassenen", False, "wo", 14, True),
    ("Huiswerkklas", "jongerenwerk", "jeugd", "kinderen|jongeren", False, "ma|wo", 15, True),
    ("Jongerenavond", "jongerenwerk", "jeugd|veiligheid", "jongeren", False, "vr", 19, True),
    ("Buurtmoestuin", "bewonersinitiatief", "ontmoeting|gezondheid", "iedereen", True, "za", 10, True),
    ("Schuldhulp-spreekuur", "maatschappelijk_werk", "armoede|werk", "volwassenen", False, "di", 13, True),
    ("Samen eten", "community_building", "eenzaamheid|armoede", "iedereen", True, "do", 18, False),
    ("Wandelgroep", "vrijwilligerswerk", "bewegen|gezondheid", "ouderen", True, "ma", 10, True),
    ("Opvoedcafé", "opbouwwerk", "opvoeding", "ouders", False, "vr", 9, True),
    ("Buurtbemiddeling", "buurtbemiddeling", "veiligheid|wonen", "iedereen", False, "", 0, True),
)


def _centre(area: Area | None) -> tuple[float, float] | None:
    from wijkinzicht.analysis.geometry import polygons_of

    if area is None or not area.geometry:
        return None
    points = [p for rings in polygons_of(json.loads(area.geometry)) for ring in rings[:1] for p in ring]
    if not points:
        return None
    return sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points)


def load_activities(*, say: Callable[[str], None] = print, today: dt.date | None = None) -> None:
    """Demo activities with a year of meetings and attendance, imported through the import service
    like a registration system's export; a second run adds nothing."""
    import random

    from wijkinzicht.activities import importers
    from wijkinzicht.activities.models import Activity

    today = today or dt.date.today()
    User = get_user_model()
    for prefix, (buurten, city, postcode) in DEMO_ACTIVITIES.items():
        worker = User.objects.get(username=f"{prefix}-{ROLE_NAMES[Role.FIELDWORKER]}")
        organisation = worker.memberships.get().organisation
        if Activity.objects.filter(organisation=organisation).exists():
            continue
        rng = random.Random(f"wijkinzicht-demo-{prefix}")  # noqa: S311 - demo data, not security
        areas = {a.code: a for a in Area.objects.filter(code__in=buurten)}
        rows = [
            [
                "code",
                "titel",
                "type",
                "omschrijving",
                "themas",
                "doelgroepen",
                "bewonersinitiatief",
                "dagen",
                "begintijd",
                "eindtijd",
                "locatie",
                "adres",
                "postcode",
                "plaats",
                "lat",
                "lon",
                "gebieden",
                "gratis",
                "kosten",
                "rolstoeltoegankelijk",
                "contactpersoon",
                "telefoon",
                "gepubliceerd",
                "frequentie",
            ]
        ]
        for k, (title, kind, themes, groups, led, days, hour, free) in enumerate(DEMO_OFFER):
            buurt = buurten[k % len(buurten)]
            centre = _centre(areas.get(buurt))
            lat, lon = (
                (centre[0] + rng.uniform(-0.0008, 0.0008), centre[1] + rng.uniform(-0.0008, 0.0008))
                if centre
                else ("", "")
            )
            rows.append(
                [
                    f"DEMO-{k + 1:02d}",
                    f"{title} (demo)",
                    kind,
                    "Verzonnen activiteit voor de demo van Wijkinzicht; de buurt en haar cijfers zijn echt.",
                    themes,
                    groups,
                    "ja" if led else "nee",
                    days,
                    f"{hour}:00" if hour else "",
                    f"{hour + 2}:00" if hour else "",
                    f"Buurthuis {areas[buurt].display_name}" if buurt in areas else "",
                    f"Demostraat {k + 1}",
                    f"{postcode} A{'BCDEFGHJKL'[k]}",
                    city,
                    lat,
                    lon,
                    buurt,
                    "ja" if free else "nee",
                    "" if free else "€ 3 per keer",
                    "ja" if k % 3 else "nee",
                    "Demo Contact",
                    "020-0000000" if prefix == "ams" else "010-0000000",
                    "nee" if k == 9 else "ja",
                    "onregelmatig" if not days else "wekelijks",
                ]
            )
        _demo_import(importers, worker, organisation, "activities", rows, say)
        people = [["deelnemer", "geboortejaar", "geslacht", "buurt", "toestemming", "toestemmingsdatum"]]
        for i in range(240):
            people.append(
                [
                    f"DEMO-{i:04d}",
                    rng.randint(1935, 2014),
                    rng.choice("vmx" + "vm" * 10),
                    rng.choice(buurten) if rng.random() < 0.85 else "",
                    "ja",
                    "2025-01-06",
                ]
            )
        _demo_import(importers, worker, organisation, "participants", people, say)
        meetings = [
            [
                "activiteit",
                "datum",
                "aantal_anoniem",
                "vrijwilligers",
                "vrijwilligersuren",
                "professionele_uren",
            ]
        ]
        attendance = [["activiteit", "datum", "deelnemer"]]
        start = today - dt.timedelta(days=365)
        for k, offer in enumerate(DEMO_OFFER):
            days = [importers.DAY_WORDS[d] for d in offer[5].split("|") if d] or [2]
            regulars = rng.sample(range(240), 30)
            day = start
            while day < today:
                if day.isoweekday() in days and rng.random() < 0.9:
                    meetings.append(
                        [
                            f"DEMO-{k + 1:02d}",
                            day.isoformat(),
                            rng.randint(0, 12),
                            rng.randint(0, 3),
                            rng.choice(["0", "2", "4,5"]),
                            "0" if offer[4] else "2",
                        ]
                    )
                    walk_ins = rng.sample(range(240), rng.randint(0, 3))
                    present = [p for p in regulars if rng.random() < 0.45] + walk_ins
                    for p in sorted(set(present)):
                        attendance.append([f"DEMO-{k + 1:02d}", day.isoformat(), f"DEMO-{p:04d}"])
                day += dt.timedelta(days=1)
        _demo_import(importers, worker, organisation, "meetings", meetings, say)
        _demo_import(importers, worker, organisation, "attendance", attendance, say)


def _demo_import(importers, user, organisation, kind: str, rows: list[list], say) -> None:
    from wijkinzicht.core.exports import csv_text

    batch = importers.import_file(
        user=user,
        organisation=organisation,
        kind=kind,
        filename=f"demo-{kind}.csv",
        data=csv_text(rows).encode("utf-8"),
    )
    say(
        f"  {organisation.name}: {batch.rows_created} {batch.get_kind_display()} "
        f"({batch.rows_rejected} afgekeurd)"
    )


# One programme per demo gemeente: invented approach, change model, partners' visions and
# measurements (generated answers, every name says "demo"); area figures and buurten are real.
DEMO_PROGRAMMES = {  # owner prefix: (name, partner prefix, area indicator buurt)
    "ams": ("Samen tegen eenzaamheid Oost (demo)", "ams-wc", "BU03630000"),
    "rdam": ("Samen in de Stadsdriehoek (demo)", "rdam-wc", "BU05990110"),
}


def load_programmes(*, say: Callable[[str], None] = print, today: dt.date | None = None) -> None:
    """A programme per demo gemeente with a change model, partners, roles, visions, indicators and a
    year of intake and exit measurements; a second run adds nothing."""
    import random

    from wijkinzicht.activities.models import Activity, Participant
    from wijkinzicht.areas.models import Observation
    from wijkinzicht.outcomes import services
    from wijkinzicht.outcomes.models import Programme

    today = today or dt.date.today()
    User = get_user_model()
    for prefix, (name, partner_prefix, buurt) in DEMO_PROGRAMMES.items():
        if Programme.objects.filter(name=name).exists():
            continue
        coordinator = User.objects.get(username=f"{prefix}-{ROLE_NAMES[Role.COORDINATOR]}")
        worker = User.objects.get(username=f"{prefix}-{ROLE_NAMES[Role.FIELDWORKER]}")
        partner_coordinator = User.objects.get(username=f"{partner_prefix}-{ROLE_NAMES[Role.COORDINATOR]}")
        owner = coordinator.memberships.get().organisation
        partner = partner_coordinator.memberships.get().organisation
        activities = {a.title.split(" (")[0]: a for a in Activity.objects.filter(organisation=owner)}
        wanted = [activities[t] for t in ("Koffieochtend", "Samen eten", "Wandelgroep") if t in activities]
        buurten = list(Area.objects.filter(code__in=DEMO_ACTIVITIES[prefix][0]))
        start = dt.date(today.year - 1, 1, 1)
        programme = services.programme_create(
            user=coordinator,
            organisation=owner,
            name=name,
            description="Verzonnen programma voor de demo van Wijkinzicht; de buurten en hun cijfers zijn "
            "echt.",
            start_date=start,
            end_date=start.replace(year=start.year + 4) - dt.timedelta(days=1),
            areas=buurten,
            activity_ids=[a.pk for a in wanted],
            partners=[(partner, "woningcorporatie, medefinancier")],
        )
        add = services.element_add
        goal = add(
            user=coordinator, programme=programme, kind="goal", title="Minder eenzaamheid, meer meedoen"
        )
        contact = add(
            user=coordinator, programme=programme, kind="outcome", title="Bewoners hebben meer contact"
        )
        meedoen = add(user=coordinator, programme=programme, kind="outcome", title="Meer bewoners doen mee")
        wonen = add(
            user=coordinator, programme=programme, kind="outcome", title="Prettig wonen in een gemengde buurt"
        )
        ontmoeten = add(
            user=coordinator, programme=programme, kind="output", title="Elke week ontmoeting in de buurt"
        )
        bezoek = add(
            user=coordinator, programme=programme, kind="output", title="Huisbezoek bij alle 75-plussers"
        )
        steps = [
            (
                contact,
                goal,
                "Wie mensen kent, voelt zich minder alleen",
                "De Jong Gierveld: sociale eenzaamheid",
            ),
            (meedoen, goal, "Meedoen geeft zin en contacten", ""),
            (wonen, contact, "Buren die blijven wonen, leren elkaar kennen", ""),
            (ontmoeten, contact, "Er komen ook mensen die alleen zijn", "Ervaring uit de koffieochtenden"),
            (bezoek, meedoen, "Een bezoek verlaagt de drempel", ""),
        ]
        for a in wanted:
            element = add(
                user=coordinator, programme=programme, kind="activity", title=a.title, activity_id=a.pk
            )
            steps.append((element, ontmoeten, "", ""))
        for source, target, assumption, rationale in steps:
            services.link_add(
                user=coordinator,
                programme=programme,
                source_id=source.pk,
                target_id=target.pk,
                assumption=assumption,
                rationale=rationale,
            )
        services.outcome_role_set(user=coordinator, element=contact, organisation=owner, role="responsible")
        services.outcome_role_set(user=coordinator, element=wonen, organisation=partner, role="responsible")
        services.outcome_role_set(user=coordinator, element=wonen, organisation=owner, role="contributes")
        # visions that differ, so that the page has something to discuss
        for element, org, user, priority, own, responsible in (
            (goal, owner, coordinator, 5, "responsible", owner),
            (goal, partner, partner_coordinator, 3, "contributes", owner),
            (contact, owner, coordinator, 5, "responsible", owner),
            (contact, partner, partner_coordinator, 1, "none", owner),
            (meedoen, owner, coordinator, 4, "contributes", partner),
            (meedoen, partner, partner_coordinator, 2, "none", owner),
            (wonen, owner, coordinator, 2, "contributes", partner),
            (wonen, partner, partner_coordinator, 5, "responsible", partner),
        ):
            services.vision_set(
                user=user,
                element=element,
                organisation=org,
                priority=priority,
                own_role=own,
                responsible=responsible,
            )
        # measurements: 80 participants, intake in the first months, exit a year later
        rng = random.Random(f"wijkinzicht-programme-{prefix}")  # noqa: S311 - demo data, not security
        people = list(Participant.objects.filter(organisation=owner).order_by("pseudonym")[:80])
        intake_day = start + dt.timedelta(days=30)
        for k, person in enumerate(people):
            lonely_before = min(11, max(0, round(rng.gauss(6.5, 2.2))))
            lonely_after = min(11, max(0, lonely_before - round(rng.gauss(1.5, 1.8))))
            rung_before = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
            rung_after = min(6, rung_before + rng.choice([0, 0, 1, 1, 2]))
            first = intake_day + dt.timedelta(days=k % 60)
            last = min(first + dt.timedelta(days=365), today)
            for moment, day, lonely, rung in (
                ("intake", first, lonely_before, rung_before),
                ("exit", last, lonely_after, rung_after),
            ):
                services.measurement_create(
                    user=worker,
                    organisation=owner,
                    pseudonym=person.pseudonym,
                    instrument="djg11",
                    moment=moment,
                    date=day,
                    answers=_djg11_answers(lonely, rng),
                    programme=programme,
                )
                services.measurement_create(
                    user=worker,
                    organisation=owner,
                    pseudonym=person.pseudonym,
                    instrument="participatieladder",
                    moment=moment,
                    date=day,
                    answers={"trede": str(rung)},
                    programme=programme,
                )
        indicator = functools.partial(
            services.indicator_create,
            user=coordinator,
            baseline_date=start,
            target_date=start.replace(year=start.year + 3),
        )
        indicator(
            element=goal,
            name="Eenzaamheid (De Jong Gierveld, 11 items)",
            source="instrument",
            instrument="djg11",
            baseline_value=6.5,
            target_value=4.5,
        )
        indicator(
            element=contact,
            name="Unieke deelnemers aan ontmoeting",
            source="reach",
            reach_measure="participants",
            baseline_value=40,
            target_value=120,
        )
        indicator(
            element=meedoen,
            name="Gemiddelde trede participatieladder",
            source="instrument",
            instrument="participatieladder",
            baseline_value=2.3,
            target_value=3.0,
        )
        latest = (
            Observation.objects.filter(area__code=buurt, indicator__key="pct_rented", value__isnull=False)
            .order_by("-year")
            .values_list("year", "value")
            .first()
        )
        first_year = (
            Observation.objects.filter(
                area__code=buurt, indicator__key="pct_rented", value__isnull=False, year__gte=start.year - 3
            )
            .order_by("year")
            .values_list("year", "value")
            .first()
        )
        first_year = first_year or latest  # older data only: that year is the baseline
        if latest:
            indicator(
                element=wonen,
                name="Huurwoningen in de buurt (CBS)",
                source="area",
                area=buurt,
                area_indicator="pct_rented",
                baseline_value=first_year[1],
                baseline_date=dt.date(first_year[0], 1, 1),
                target_value=first_year[1] + 2,
            )
        say(f"  {name}: {programme.elements.count()} elementen, {programme.measurements.count()} metingen")


def _djg11_answers(lonely: int, rng) -> dict:
    """Answers to the 11 items with `lonely` lonely answers, spread over both subscales."""
    from wijkinzicht.analysis.instruments import DJG11

    social = {i.number for i in DJG11.items if i.subscale == "social"}  # positively worded
    order = [1, 2, 4, 3, 7, 5, 8, 6, 11, 9, 10]
    rng.shuffle(order)
    answers = {}
    for k, n in enumerate(order):
        positive = n in social
        if k < lonely:
            answers[f"djg_{n}"] = (
                rng.choice(["nee", "nee!", "min of meer"]) if positive else rng.choice(["ja", "ja!"])
            )
        else:
            answers[f"djg_{n}"] = rng.choice(["ja", "ja!"]) if positive else rng.choice(["nee", "nee!"])
    return answers


# The demo network (issue 16): invented parties in real buurten, a year of history. In Rotterdam
# Centrum the Buurtvaders are the only bridge between three informal parties and the formal world;
# the shopkeepers lost their one tie four months ago; the corporation disputes one tie.
DEMO_NETWORK_FORMAL = (  # (name, kind, areas): organisations of the foundation without demo users
    ("Gebiedsorganisatie Centrum, gemeente Rotterdam (demo)", OrganisationKind.GEMEENTE, ["WK059901"]),
    ("GGD Rotterdam-Rijnmond, team Centrum (demo)", OrganisationKind.ZORG, ["WK059901"]),
    ("Wijkagenten Rotterdam Centrum (demo)", OrganisationKind.POLITIE, ["WK059901"]),
    ("Huisartsenpraktijk Oude Westen (demo)", OrganisationKind.ZORG, ["BU05990111"]),
    ("Basisschool De Kleine Haven (demo)", OrganisationKind.ONDERWIJS, ["BU05990110"]),
    ("Schuldhulp Rotterdam Centrum (demo)", OrganisationKind.WELZIJN, ["WK059901"]),
    ("Buurtteam Amsterdam Centrum (demo)", OrganisationKind.WIJKTEAM, ["WK036300"]),
    ("GGD Amsterdam, team Centrum (demo)", OrganisationKind.ZORG, ["WK036300"]),
)
DEMO_NETWORK_INFORMAL = (  # (added by, name, kind, areas, public description)
    ("rdam", "Buurtvaders Oude Westen (demo)", "vrijwilligersgroep", ["BU05990111"],
     "Vaders die 's avonds in de buurt zijn en jongeren aanspreken."),
    ("rdam", "Moskeecomité Oude Westen (demo)", "zelforganisatie", ["BU05990111"],
     "Bestuur en vrijwilligers van de buurtmoskee."),
    ("rdam", "Voetbalclub Oude Westen (demo)", "sportvereniging", ["BU05990111"],
     "Jeugdvoetbal op het Pleintje."),
    ("rdam", "Vrouwengroep Kaapverdiaanse moeders (demo)", "zelforganisatie", ["BU05990111"],
     "Wekelijkse bijeenkomst in de moskee."),
    ("rdam", "Taalcafé-vrijwilligers Centrum (demo)", "vrijwilligersgroep", ["WK059901"],
     "Vrijwilligers die Nederlands oefenen met nieuwkomers."),
    ("rdam", "Voedselbank uitgiftepunt Centrum (demo)", "vrijwilligersgroep", ["WK059901"],
     "Wekelijks voedselpakketten."),
    ("rdam", "Ondernemers Nieuwe Binnenweg (demo)", "ondernemers", ["BU05990112"],
     "Winkeliers aan de Binnenweg."),
    ("rdam-wc", "Bewonersinitiatief Groene Binnenhof (demo)", "bewonersinitiatief", ["BU05990110"],
     "Bewoners die de binnentuin onderhouden."),
    ("ams", "Buurtmoeders Nieuwmarkt (demo)", "vrijwilligersgroep", ["BU03630000"],
     "Moeders die gezinnen helpen."),
    ("ams", "Ouderensoos De Waag (demo)", "bewonersinitiatief", ["BU03630001"],
     "Wekelijkse soos voor ouderen."),
    ("ams", "Sportschool Zeedijk (demo)", "sportvereniging", ["BU03630000"], "Boksen voor jongeren."),
)
WT, WC = "Wijkteam Rotterdam Centrum (demo)", "Woningcorporatie Maasoever (demo)"
BV, MC = "Buurtvaders Oude Westen (demo)", "Moskeecomité Oude Westen (demo)"
POL, SCH = "Wijkagenten Rotterdam Centrum (demo)", "Schuldhulp Rotterdam Centrum (demo)"
TC, BS = "Taalcafé-vrijwilligers Centrum (demo)", "Basisschool De Kleine Haven (demo)"
AO, AC = "Welzijn Amsterdam Oost (demo)", "Woningcorporatie IJoever (demo)"
DEMO_NETWORK_TIES = (  # (declared by, source, target, kind, strength, days ago it began, days ago it ended)
    ("rdam", "Gebiedsorganisatie Centrum, gemeente Rotterdam (demo)", WT, "funding", 3, 400, None),
    ("rdam", WT, "GGD Rotterdam-Rijnmond, team Centrum (demo)", "consultation", 2, 380, None),
    ("rdam", WT, SCH, "referral", 3, 390, None),
    ("rdam", "Huisartsenpraktijk Oude Westen (demo)", WT, "referral", 2, 350, None),
    ("rdam", WT, POL, "consultation", 2, 380, None),
    ("rdam", WT, BS, "cooperation", 2, 250, None),
    ("rdam", WT, WC, "cooperation", 3, 360, None),
    ("rdam", WT, WC, "shared_location", 1, 200, None),  # the corporation disputes this one
    ("rdam", WT, BV, "cooperation", 3, 370, None),
    ("rdam", BV, POL, "informal_contact", 2,
     300, None),
    ("rdam", BV, MC, "informal_contact", 2, 240,
     None),
    ("rdam", BV, "Voetbalclub Oude Westen (demo)", "cooperation", 2, 330, None),
    ("rdam", MC, "Vrouwengroep Kaapverdiaanse moeders (demo)", "shared_location",
     2, 200, None),
    ("rdam", WT, TC, "cooperation", 2, 365, None),
    ("rdam", TC, BS, "shared_location", 1,
     150, None),
    ("rdam", WT, "Voedselbank uitgiftepunt Centrum (demo)", "cooperation", 2, 380, None),
    ("rdam", "Voedselbank uitgiftepunt Centrum (demo)", SCH, "referral", 2, 90,
     None),
    ("rdam", "Ondernemers Nieuwe Binnenweg (demo)", POL, "informal_contact", 1,
     390, 120),
    ("rdam-wc", WC, "Bewonersinitiatief Groene Binnenhof (demo)", "funding", 2, 280, None),
    ("ams", AO, "Buurtteam Amsterdam Centrum (demo)", "cooperation", 3, 380, None),
    ("ams", AO, "GGD Amsterdam, team Centrum (demo)", "consultation", 2, 300, None),
    ("ams", AO, AC, "cooperation", 2, 330, None),
    ("ams", AO, "Buurtmoeders Nieuwmarkt (demo)", "cooperation", 3, 360, None),
    ("ams", "Buurtmoeders Nieuwmarkt (demo)", "Ouderensoos De Waag (demo)", "informal_contact", 1, 200, None),
    ("ams", AO, "Sportschool Zeedijk (demo)", "cooperation", 2, 300, 60),
)


def load_network(*, say: Callable[[str], None] = print, today: dt.date | None = None) -> None:
    """The demo network: parties, declared ties with a year of history, one confirmed and one disputed
    answer; a second run adds nothing."""
    from wijkinzicht.network import services
    from wijkinzicht.network.models import Party, Tie

    today = today or dt.date.today()
    if Party.objects.filter(name=BV).exists():
        say("  demo-netwerk bestaat al")
        return
    User = get_user_model()

    def coordinator(prefix: str):
        user = User.objects.get(username=f"{prefix}-{ROLE_NAMES[Role.COORDINATOR]}")
        return user, user.memberships.get().organisation

    with transaction.atomic():
        for name, kind, areas in DEMO_NETWORK_FORMAL:
            if not Organisation.objects.filter(name=name).exists():
                organisation_create(name=name, kind=kind, area_codes=areas)
        services.organisation_parties_sync()
        for prefix, name, kind, areas, description in DEMO_NETWORK_INFORMAL:
            user, organisation = coordinator(prefix)
            services.party_create(user=user, organisation=organisation, name=name, kind=kind,
                                  areas=list(Area.objects.filter(code__in=areas)), description=description)
        party = {p.name: p for p in Party.objects.filter(merged_into=None)}
        count = 0
        for prefix, source, target, kind, strength, began, ended in DEMO_NETWORK_TIES:
            user, organisation = coordinator(prefix)
            tie = services.tie_declare(
                user=user, organisation=organisation, source=party[source], target=party[target], kind=kind,
                strength=strength, since=today - dt.timedelta(days=began),
                areas=list(party[source].areas.all() & party[target].areas.all()),
            )
            if ended is not None:
                services.tie_end(user=user, organisation=organisation, tie=tie,
                                 until=today - dt.timedelta(days=ended), note="gestopt")
            count += 1
        corporation, corporation_org = coordinator("rdam-wc")
        ours = Tie.objects.filter(source=party[WT], target=party[WC])
        services.tie_respond(user=corporation, organisation=corporation_org, tie=ours.get(kind="cooperation"),
                             confirm=True)
        services.tie_respond(user=corporation, organisation=corporation_org,
                             tie=ours.get(kind="shared_location"),
                             confirm=False, note="Wij delen geen locatie met het wijkteam.")
    say(f"  {len(DEMO_NETWORK_FORMAL)} formele en {len(DEMO_NETWORK_INFORMAL)} informele partijen, "
        f"{count} banden")


# ---- signals (issue 17) --------------------------------------------------------------------------

SIGNAL_WIJK = "WK059901"  # Rotterdam Centrum
SIGNAL_REPORTERS = (  # (organisation, how many professionals report, months before today they began)
    ("Wijkteam Rotterdam Centrum (demo)", 4, 24),
    ("Woningcorporatie Maasoever (demo)", 2, 24),
    ("GGD Rotterdam-Rijnmond, team Centrum (demo)", 2, 24),
    # joins half a year ago: more professionals look, so more signals of every kind arrive -- which
    # the alarms, adjusted for signalling effort, must not take for more problems
    ("Schuldhulp Rotterdam Centrum (demo)", 3, 6),
)
SIGNAL_RATES = {  # signals per professional per month in the wijk, by theme (with a yearly wave)
    "eenzaamheid": 0.55,
    "armoede_schulden": 0.45,
    "jeugdoverlast": 0.5,
    "psychische_gezondheid": 0.35,
    "wonen_burenruzie": 0.45,
    "veiligheid": 0.3,
    "polarisatie": 0.12,
    "gezondheid": 0.25,
    "taal_participatie": 0.3,
    "verslaving": 0.15,
}
SIGNAL_RISE = ("armoede_schulden", "BU05990111", 6, 10.0)  # theme, buurt, last weeks, factor
SIGNAL_GEMEENTE_USER = "rdam-gemeente"
SIGNAL_ANSWER = (
    "Vanaf volgende maand een extra inloopspreekuur van Schuldhulp in het Oude Westen (dinsdag en "
    "donderdag); de voedselbank krijgt een tweede uitgiftepunt in het buurthuis. Over drie maanden "
    "bespreken we met de melders of het signaal afneemt."
)


def load_signals(
    *, data_dir: Path, say: Callable[[str], None] = print, today: dt.date | None = None
) -> Credential | None:
    """Two years of signals in Rotterdam Centrum from four organisations (texts from the synthetic
    corpus in data/signals, real buurten), a rise of poverty and debts in the Oude Westen in the last
    eight weeks, an organisation that joined half a year ago, reviewed quotes, a trained classifier
    and one answer of the municipality. A second run adds nothing."""
    import csv
    import math
    import random

    from wijkinzicht.analysis import pii
    from wijkinzicht.areas.selectors import newest_division
    from wijkinzicht.signals import services as signal_services
    from wijkinzicht.signals.models import Bundle, Signal, Theme

    today = today or dt.date.today()
    if Signal.objects.filter(organisation__name=SIGNAL_REPORTERS[0][0]).exists():
        say("  demo-signalen bestaan al")
        return None
    corpus = data_dir.parent / "signals" / "signals_demo.csv"
    texts: dict[str, list[str]] = {}
    with corpus.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if "|" not in row["theme"] and not pii.find(row["text"], names=False):
                texts.setdefault(row["theme"], []).append(row["text"])
    themes = {t.key: t for t in Theme.objects.all()}
    buurten = list(
        newest_division(Area.objects.filter(level="buurt", code__startswith="BU" + SIGNAL_WIJK[2:]))
    )
    if not buurten:
        say("  geen buurten van Rotterdam Centrum: demo-signalen overgeslagen")
        return None
    User = get_user_model()
    rng = random.Random(17)
    credential = None
    with transaction.atomic():
        reporters = []
        for name, count, months in SIGNAL_REPORTERS:
            organisation = Organisation.objects.get(name=name)
            for i in range(1, count + 1):
                username = f"melder-{organisation.pk}-{i}"
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = User.objects.create_user(
                        username=username, first_name="Melder", last_name=f"{i} ({name})"
                    )
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                membership_grant(user=user, organisation=organisation, role=Role.FIELDWORKER)
                reporters.append((user, organisation, today - dt.timedelta(days=int(months * 30.4))))
        municipality = Organisation.objects.get(name=DEMO_NETWORK_FORMAL[0][0])
        answerer = User.objects.filter(username=SIGNAL_GEMEENTE_USER).first()
        if answerer is None:
            password = secrets.token_urlsafe(9)
            answerer = user_create(
                username=SIGNAL_GEMEENTE_USER,
                password=password,
                first_name="Gebiedsadviseur",
                last_name="(gemeente Rotterdam, demo)",
            )
            credential = Credential(SIGNAL_GEMEENTE_USER, password, municipality.name, Role.COORDINATOR)
        membership_grant(user=answerer, organisation=municipality, role=Role.COORDINATOR)
        theme, rise_buurt, rise_weeks, factor = SIGNAL_RISE
        start = today - dt.timedelta(days=730)
        count = 0
        day = start
        while day <= today:
            season = 1 + 0.25 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)  # more in winter
            for user, organisation, began in reporters:
                if day < began:
                    continue
                for key, monthly in SIGNAL_RATES.items():
                    rate = monthly * 12 / 365 * season
                    area = rng.choice(buurten)
                    if (
                        key == theme
                        and (today - day).days < rise_weeks * 7
                        and organisation.name.startswith(("Wijkteam", "Schuldhulp"))
                    ):
                        rate *= factor
                        area = next((b for b in buurten if b.code == rise_buurt), area)
                    if rng.random() >= rate:
                        continue
                    data = signal_services.SignalInput(
                        area=area,
                        observed_on=day,
                        text=rng.choice(texts[key]),
                        themes=[themes[key]],
                        urgency=rng.choices(["laag", "normaal", "hoog"], [2, 6, 1])[0],
                        novelty=rng.choice(["nieuw", "aanhoudend"]),
                        target_group=rng.choice(["iedereen", "ouderen", "jongeren", "ouders", "nieuwkomers"]),
                    )
                    signal = signal_services._create(user, organisation, data, [])
                    count += 1
                    if (today - day).days < 120 and rng.random() < 0.08:
                        Signal.objects.filter(pk=signal.pk).update(quotable=True)
            day += dt.timedelta(days=1)
        bundle = (
            Bundle.objects.filter(theme=themes[theme], area__code=SIGNAL_WIJK).order_by("-last_on").first()
        )
        if bundle is not None:
            signal_services.bundle_respond(user=answerer, bundle=bundle, kind="actie", text=SIGNAL_ANSWER)
    version = signal_services.ClassifierVersion.objects.create(version=1)
    signal_services.classifier_train(version)
    say(
        f"  {count} signalen van {len(SIGNAL_REPORTERS)} organisaties in Rotterdam Centrum, "
        f"classificatiemodel versie 1 ({version.get_status_display()}), één antwoord van de gemeente"
    )
    return credential
