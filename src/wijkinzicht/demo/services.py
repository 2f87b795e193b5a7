"""Loading the demo: real CBS data from data/cbs, two demo organisations, a user per role."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from wijkinzicht.areas.importers import ImportFailed
from wijkinzicht.areas.models import ImportRun
from wijkinzicht.areas.services import boundaries_import, kwb_import
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
ORGANISATIONS = (
    ("ams", "Welzijn Amsterdam Oost (demo)", OrganisationKind.WELZIJN, ["GM0363"]),
    ("rdam", "Wijkteam Rotterdam Centrum (demo)", OrganisationKind.WIJKTEAM, ["GM0599"]),
)
ROLE_NAMES = {
    Role.FIELDWORKER: "veldwerker", Role.COORDINATOR: "coordinator", Role.ANALYST: "analist",
    Role.RESEARCHER: "onderzoeker", Role.ADMINISTRATOR: "beheerder",
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
        say(f"  {name}: {report.observations_created} nieuwe cijfers, "
            f"{report.areas_created} nieuwe gebieden")
    for name, code_prop, name_prop in BOUNDARY_FILES:
        path = data_dir / name
        report = boundaries_import(path, code_property=code_prop, name_property=name_prop)
        say(f"  {name} ({code_prop}): {report.boundaries_set} grenzen gezet, "
            f"{report.boundaries_unchanged} ongewijzigd")


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
                user = user_create(username=username, password=password,
                                   first_name=suffix.capitalize(), last_name=f"({name})")
            elif reset_passwords:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save(update_fields=["password"])
            membership_grant(user=user, organisation=org, role=role)
            creds.append(Credential(username, password, name, role))
    return creds


DEMO_EVALUATIONS = (  # (organisation, name, treated buurt, start, outcome, comparison pool)
    ("rdam", "Wijkaanpak Stadsdriehoek (demo)", "BU05990110", 2019, "pct_rented", "municipality"),
    ("ams", "Buurtaanpak Kop Zeedijk (demo)", "BU03630000", 2019, "pct_rented", "comparable"),
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

    for prefix, name, code, start, outcome, pool in DEMO_EVALUATIONS:
        if Evaluation.objects.filter(name=name).exists():
            continue
        analyst = get_user_model().objects.get(username=f"{prefix}-{ROLE_NAMES[Role.ANALYST]}")
        organisation = analyst.memberships.get().organisation
        evaluation = evaluation_create(
            user=analyst, organisation=organisation, name=name, method="synth", treated_codes=[code],
            treatment_year=start, outcome_key=outcome, donor_pool=pool, placebos=True,
        )
        run = evaluation_run_request(evaluation=evaluation, user=analyst, background=False)
        run = evaluation_run_execute(run_id=run.pk)
        say(f"  {name}: {run.get_status_display()} {run.error}".rstrip())
