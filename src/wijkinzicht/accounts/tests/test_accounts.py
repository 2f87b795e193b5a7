"""Accounts under attack: lockout, two factors per role and for the admin, API keys (hashed,
expiring, void after a new password), password change and reset, idle sessions."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijkinzicht.accounts import services
from wijkinzicht.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-1"


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + later * device.step
    return f"{totp.token():06d}"


def password_login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/inloggen/", {"username": username, "password": password})


@pytest.fixture
def fieldworker(two_organisations):
    return two_organisations["A"]["fieldworker"]


@pytest.fixture
def outsider(db):
    """A user without any organisation: sees no personal data, two factors optional."""
    return get_user_model().objects.create_user("buitenstaander", password=PASSWORD)


# ------------------------------------------------------------------ lockout


def test_thirty_wrong_passwords_lock_the_login_page_then_the_right_one_is_refused(fieldworker):
    client = Client()
    for _ in range(30):
        r = password_login(client, fieldworker.username, "fout-wachtwoord-123")
    assert r.status_code == 429 and "Retry-After" in r
    r = password_login(client, fieldworker.username)
    assert r.status_code == 429  # the right password does not get in during the cool-off
    assert "_auth_user_id" not in client.session
    assert "15 minuten" in r.content.decode()


def test_the_limit_is_five_and_a_reset_lifts_it(fieldworker):
    client = Client()
    for _ in range(4):
        assert password_login(client, fieldworker.username, "fout-wachtwoord-123").status_code == 200
    assert password_login(client, fieldworker.username, "fout-wachtwoord-123").status_code == 429
    call_command("axes_reset_username", fieldworker.username, verbosity=0)
    r = password_login(client, fieldworker.username)
    assert r.status_code == 302 and "_auth_user_id" in client.session


def test_token_endpoint_locks_out_with_problem_json(fieldworker):
    client = Client()
    for _ in range(5):
        r = client.post("/api/v1/token", {"username": fieldworker.username, "password": "fout-wachtwoord"},
                        content_type="application/json")
    r = client.post("/api/v1/token", {"username": fieldworker.username, "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 429
    assert r["Content-Type"] == "application/problem+json" and int(r["Retry-After"]) == 900
    assert r.json()["status"] == 429


# ------------------------------------------------------------------ two factors


@pytest.mark.parametrize("role", ["fieldworker", "coordinator", "analyst", "researcher", "administrator"])
def test_every_role_must_set_up_two_factors_before_anything_else(two_organisations, role):
    user = two_organisations["A"][role]
    client = Client()
    r = password_login(client, user.username)
    assert r.status_code == 302
    for path in ["/", "/activiteiten/", "/organisatie/", "/programmas/", "/account/"]:
        r = client.get(path)
        assert r.status_code == 302 and r["Location"].startswith("/account/tweestapsverificatie/"), path
    r = client.get("/api/v1/participants")  # the API with only a password session: refused
    assert r.status_code == 403 and r["Content-Type"] == "application/problem+json"


def test_setting_up_the_authenticator_then_recovery_codes(fieldworker):
    client = Client()
    password_login(client, fieldworker.username)
    page = client.get("/account/tweestapsverificatie/").content.decode()
    assert "<svg" in page  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=fieldworker, confirmed=False)
    r = client.post("/account/tweestapsverificatie/", {"code": "000000"})
    assert "niet juist" in r.content.decode() and not TOTPDevice.objects.filter(confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait (test_wrong_codes_are_throttled)
    r = client.post("/account/tweestapsverificatie/", {"code": code_for(device), "next": "/activiteiten/"})
    codes = re.findall(r"<code>([0-9a-f]{10})</code>", r.content.decode())
    assert len(codes) == 10
    assert client.get("/activiteiten/").status_code == 200


def test_login_with_an_authenticator_asks_for_the_code(fieldworker):
    device = TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    client = Client()
    r = password_login(client, fieldworker.username)
    assert client.get("/activiteiten/")["Location"].startswith("/account/code/")
    r = client.post("/account/code/", {"code": "123456"})
    assert r.status_code == 200 and client.get("/activiteiten/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    r = client.post("/account/code/", {"code": code_for(device), "next": "/activiteiten/"})
    assert r.status_code == 302 and r["Location"] == "/activiteiten/"
    assert client.get("/activiteiten/").status_code == 200


def test_a_recovery_code_works_once(fieldworker):
    TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    codes = services.recovery_codes_renew(user=fieldworker)
    first = Client()
    password_login(first, fieldworker.username)
    assert first.post("/account/code/", {"code": codes[0]}).status_code == 302
    assert first.get("/activiteiten/").status_code == 200
    second = Client()
    password_login(second, fieldworker.username)
    r = second.post("/account/code/", {"code": codes[0]})
    assert r.status_code == 200 and second.get("/activiteiten/").status_code == 302


def test_an_offsite_next_is_ignored(fieldworker):
    device = TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    client = Client()
    password_login(client, fieldworker.username)
    r = client.post("/account/code/", {"code": code_for(device), "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_wrong_codes_are_throttled(fieldworker):
    device = TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    client = Client()
    password_login(client, fieldworker.username)
    for _ in range(3):
        client.post("/account/code/", {"code": "000000"})
    r = client.post("/account/code/", {"code": code_for(device)})  # right, but inside the back-off
    assert r.status_code == 200 and client.get("/activiteiten/").status_code == 302


def test_the_admin_requires_two_factors(db):
    staff = get_user_model().objects.create_superuser("beheer", "beheer@example.nl", PASSWORD)
    client = Client()
    password_login(client, staff.username)
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/account/tweestapsverificatie/")
    other = Client()  # the admin's own login form leads to the same second step
    assert other.post("/admin/login/", {"username": staff.username, "password": PASSWORD}).status_code == 302
    r = other.get("/admin/auth/user/")
    assert r.status_code == 302 and r["Location"].startswith("/account/tweestapsverificatie/")


def test_a_user_without_personal_data_may_skip_two_factors(outsider):
    client = Client()
    password_login(client, outsider.username)
    assert client.get("/").status_code == 200
    assert "Tweestapsverificatie instellen" in client.get("/account/").content.decode()


def test_reset_2fa_command_makes_the_user_set_up_again(fieldworker):
    TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    services.recovery_codes_renew(user=fieldworker)
    out = io.StringIO()
    call_command("reset-2fa", fieldworker.username, stdout=out)
    assert fieldworker.username in out.getvalue()
    assert not services.has_two_factor(fieldworker)


# ------------------------------------------------------------------ API keys


def test_keys_are_stored_as_digests_only(fieldworker):
    token, key = services.api_token_issue(user=fieldworker)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(key in str(v) for v in row.values())
    assert key.split("_")[1] == row["prefix"] and len(row["digest"]) == 64


def test_a_key_reads_the_api_until_it_expires(fieldworker, client):
    token, key = services.api_token_issue(user=fieldworker)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert Client().get("/api/v1/participants", **auth).status_code == 200
    assert Client().get("/api/v1/participants", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = Client().get("/api/v1/participants", **auth)
    assert r.status_code == 401 and r["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("tampered", ["wi_00000000_x", "wi__", "Token", "wi_" + "a" * 200, "é"])
def test_wrong_and_malformed_keys_are_401(fieldworker, tampered):
    services.api_token_issue(user=fieldworker)
    r = Client().get("/api/v1/participants", HTTP_AUTHORIZATION=f"Token {tampered}")
    assert r.status_code == 401


def test_a_new_password_voids_every_key(fieldworker):
    _token, key = services.api_token_issue(user=fieldworker)
    fieldworker.set_password("een-heel-ander-wachtwoord")
    fieldworker.save()
    assert Client().get("/api/v1/participants", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_token_endpoint_needs_the_second_factor(fieldworker):
    url = "/api/v1/token"
    body = {"username": fieldworker.username, "password": PASSWORD}
    r = Client().post(url, body, content_type="application/json")
    assert r.status_code == 403  # two factors required, none set up yet
    device = TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    assert Client().post(url, {**body, "code": "000000"}, content_type="application/json").status_code == 401
    device.refresh_from_db()
    device.throttle_reset()
    r = Client().post(url, {**body, "code": code_for(device, later=1)}, content_type="application/json")
    assert r.status_code == 201
    key = r.json()["token"]
    assert Client().get("/api/v1/participants", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_token_endpoint_without_second_factor_for_a_user_without_personal_data(outsider):
    r = Client().post("/api/v1/token", {"username": outsider.username, "password": PASSWORD},
                      content_type="application/json")
    assert r.status_code == 201 and r.json()["token"].startswith("wi_") and r.json()["expires"]


def test_account_page_makes_and_revokes_keys(client, fieldworker):
    client.force_login(fieldworker)
    r = client.post("/account/", {"name": "koppeling registratiesysteem"})
    key = re.search(r"wi_[0-9a-f]{8}_[\w-]+", r.content.decode()).group(0)
    token = ApiToken.objects.get(user=fieldworker)
    assert Client().get("/api/v1/participants", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    other = get_user_model().objects.create_user("ander", password=PASSWORD)
    mine = client.post(f"/account/sleutels/{token.pk}/intrekken/")
    assert mine.status_code == 302 and not ApiToken.objects.exists()
    foreign, _ = services.api_token_issue(user=other)
    client.post(f"/account/sleutels/{foreign.pk}/intrekken/")  # someone else's key: untouched
    assert ApiToken.objects.filter(pk=foreign.pk).exists()


# ------------------------------------------------------------------ passwords and sessions


def test_password_change_refuses_weak_passwords_and_voids_keys(client, fieldworker):
    client.force_login(fieldworker)
    _token, key = services.api_token_issue(user=fieldworker)
    url = "/account/wachtwoord/"
    for weak in ["kort-1", "1qaz2wsx3edc", "12345678901234", "a-fieldworker1"]:
        r = client.post(url, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
        assert r.status_code == 200, weak
    new = "lange-zin-over-de-wijk-7"
    r = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert r.status_code == 302
    assert not ApiToken.objects.exists()
    assert Client().get("/api/v1/participants", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_password_reset_by_e_mail(fieldworker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fieldworker.email = "veldwerker@example.nl"
    fieldworker.save()
    client = Client()
    assert client.get("/account/wachtwoord-vergeten/").status_code == 200  # no login needed
    r = client.post("/account/wachtwoord-vergeten/", {"email": "veldwerker@example.nl"})
    assert r.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/wachtwoord-vergeten/\S+/)", mail.outbox[0].body).group(1)
    r = client.get(link)
    form_url = r["Location"]
    new = "lange-zin-over-de-wijk-7"
    r = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})
    assert r.status_code == 200
    r = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert r.status_code == 302
    fieldworker.refresh_from_db()
    assert fieldworker.check_password(new)
    assert client.post("/account/wachtwoord-vergeten/", {"email": "onbekend@example.nl"}).status_code == 302
    assert len(mail.outbox) == 1  # nothing sent, and no telling that the address is unknown


def test_an_idle_session_is_logged_out(client, fieldworker, settings):
    client.force_login(fieldworker)
    assert client.get("/activiteiten/").status_code == 200
    session = client.session
    session["_wijkinzicht_seen"] -= settings.SESSION_IDLE_SECONDS + 1
    session.save()
    r = client.get("/activiteiten/")
    assert r.status_code == 302 and "verlopen=1" in r["Location"]
    assert client.get("/activiteiten/").status_code == 302


def test_session_cookie_ends_with_the_browser(client, fieldworker, settings):
    client.force_login(fieldworker)
    r = client.get("/activiteiten/")
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert r.status_code == 200


def test_the_page_asked_for_is_kept_whole_through_the_second_step(fieldworker):
    device = TOTPDevice.objects.create(user=fieldworker, name="app", confirmed=True)
    client = Client()
    password_login(client, fieldworker.username)
    r = client.get("/activiteiten/?zoek=koffie&pagina=2")
    assert r["Location"] == "/account/code/?next=%2Factiviteiten%2F%3Fzoek%3Dkoffie%26pagina%3D2"
    r = client.post(r["Location"], {"code": code_for(device)})
    assert r["Location"] == "/activiteiten/?zoek=koffie&pagina=2"


def test_another_accounts_login_does_not_wipe_the_lockout(two_organisations):
    """Found by an attack pass: with reset-on-success, 4 guesses at one account, then one login
    into an account whose password the attacker has, repeated, never locked anything."""
    victim, own = two_organisations["B"]["coordinator"], two_organisations["A"]["analyst"]
    client = Client()
    statuses = []
    for _ in range(3):
        for _ in range(4):
            statuses.append(password_login(client, victim.username, "fout-wachtwoord-123").status_code)
        Client().post("/inloggen/", {"username": own.username, "password": PASSWORD})
    assert 429 in statuses
    assert password_login(Client(), victim.username).status_code == 429


def test_the_new_key_is_not_cached(outsider):
    r = Client().post("/api/v1/token", {"username": outsider.username, "password": PASSWORD},
                      content_type="application/json")
    assert r.status_code == 201 and r["Cache-Control"] == "no-store"


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '{"x":' * 5000 + "1" + "}" * 5000])
def test_json_nested_too_deep_is_bad_input_not_a_crash(fieldworker, body):
    client = Client(raise_request_exception=False)
    r = client.post("/api/v1/token", body, content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    _token, key = services.api_token_issue(user=fieldworker)
    r = client.post("/api/v1/participants", body, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 400


def test_redirects_of_the_second_step_carry_the_frame_header(fieldworker):
    client = Client()
    password_login(client, fieldworker.username)
    r = client.get("/activiteiten/")
    assert r.status_code == 302 and r["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]
