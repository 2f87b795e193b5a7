"""Shared pytest fixtures: the real CBS files shipped in data/cbs, users with roles."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "cbs"


@pytest.fixture(scope="session")
def cbs_dir() -> Path:
    return DATA


@pytest.fixture
def amsterdam(db, cbs_dir):
    """Amsterdam KWB 2017 (StatLine labels, all columns)."""
    from wijkinzicht.areas.models import Area
    from wijkinzicht.areas.services import kwb_import

    kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    return Area.objects.get(code="GM0363")


@pytest.fixture
def amsterdam_boundaries(amsterdam, cbs_dir):
    """The Amsterdam buurt boundaries for the 2015-2022 codes."""
    from wijkinzicht.areas.services import boundaries_import

    boundaries_import(cbs_dir / "amsterdam_buurten_2022_wgs84.geojson",
                      code_property="BUURTCODE_CBS_2015", name_property="BUURTNAAM_2015")


@pytest.fixture
def rotterdam_housing(db, cbs_dir, tmp_path):
    """The real CBS housing series 2013-2025 for Rotterdam (all its rows of the national file),
    with the Rotterdam buurt boundaries: a long panel for evaluations."""
    from wijkinzicht.areas.services import boundaries_import, kwb_import

    lines = (cbs_dir / "nl_kwb_housing_2013_2025.csv").read_text(encoding="utf-8").splitlines()
    subset = tmp_path / "rotterdam_housing_2013_2025.csv"
    subset.write_text("\n".join([lines[0], *(ln for ln in lines[1:] if ",BU0599" in ln or ",WK0599" in ln
                                             or ",GM0599" in ln)]) + "\n", encoding="utf-8")
    kwb_import(subset)
    boundaries_import(cbs_dir / "rotterdam_buurten_wgs84.geojson", code_property="buurtcode",
                      name_property="buurtnaam")


@pytest.fixture
def two_organisations(db):
    """Organisation A and B with a user per role each: {"A": {role: user}, "B": {...}}."""
    from wijkinzicht.parties.constants import OrganisationKind, Role
    from wijkinzicht.parties.services import membership_grant, organisation_create, user_create

    out = {}
    for label, kind in (("A", OrganisationKind.WELZIJN), ("B", OrganisationKind.WIJKTEAM)):
        org = organisation_create(name=f"Organisatie {label}", kind=kind)
        users = {"org": org}
        for role in Role.values:
            user = user_create(username=f"{label.lower()}-{role}", password="geheim-wachtwoord-1")
            membership_grant(user=user, organisation=org, role=role)
            users[role] = user
        out[label] = users
    return out


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests do not need that protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test starts as a fresh server process would: an empty cache (figures cached by one test
    never reach another) and the default language, Dutch (a request made by an earlier test leaves
    the language its LocaleMiddleware chose active in the thread, e.g. English)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _signal_themes(request):
    """The signal themes are migration data, which a transactional test's flush removes: every test
    that uses the database gets them back (one query when they are there)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and "db" not in names and "transactional_db" not in names:
        return
    transactional = "transactional_db" in names or (marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from wijkinzicht.signals.defaults import ensure_themes

    ensure_themes()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """SQLite tests use a database file, not memory: background workers (a thread beside the live
    server, a `wijkinzicht worker` process) then open connections of their own, as in production;
    a shared-cache memory database would answer them "database table is locked"."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test_wijkinzicht.sqlite3")


class _VerifiedClient:
    """Mixin: force_login logs in with both factors, as a user who finished the second step would
    be (an authenticator is made for the user if needed). Tests of the second step itself use
    django.test.Client and log in through the pages."""

    def force_login(self, user, backend=None):
        from wijkinzicht.accounts.testing import verified_login

        verified_login(self, user, backend)


@pytest.fixture
def client():
    """Django's test client, logged in with two factors by force_login."""
    from django.test import Client

    return type("VerifiedClient", (_VerifiedClient, Client), {})()


@pytest.fixture
def api_key():
    """api_key(user) -> an API key of the user for the Authorization header."""
    from wijkinzicht.accounts.services import api_token_issue

    return lambda user: api_token_issue(user=user)[1]
