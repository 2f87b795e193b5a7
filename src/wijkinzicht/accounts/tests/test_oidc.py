"""OpenID Connect login against a fake provider on loopback: a real HTTP server that hands out
RS256-signed ID tokens, serves its keys as JWKS and answers userinfo, as a municipality's
provider would. Our side: PKCE, state, nonce, signature, existing accounts only."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from jwt.algorithms import RSAAlgorithm

pytestmark = pytest.mark.django_db
CLIENT_ID = "wijkinzicht-test"


class FakeProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key  # a test swaps this for another key to forge a token
        self.codes: dict[str, dict] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.startswith("/jwks"):
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
                if self.path.startswith("/userinfo"):
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    grant = next((g for g in provider.codes.values() if g.get("access") == token), None)
                    return self._json(grant["claims"] if grant else {"error": "invalid_token"},
                                      200 if grant else 401)
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                grant = provider.codes.get(form.get("code", [""])[0])
                if grant is None or form.get("client_id") != [CLIENT_ID] or not form.get("code_verifier"):
                    return self._json({"error": "invalid_grant"}, 400)
                grant["access"] = f"access-{time.time()}"
                now = int(time.time())
                id_token = jwt.encode({"iss": provider.url, "aud": CLIENT_ID, "sub": grant["claims"]["email"],
                                       "iat": now, "exp": now + 300, "nonce": grant["nonce"],
                                       "email": grant["claims"]["email"]},
                                      provider.signing_key, algorithm="RS256", headers={"kid": "k1"})
                return self._json({"access_token": grant["access"], "id_token": id_token,
                                   "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def grant(self, authorize_url: str, email: str, **claims) -> tuple[str, str]:
        """What the provider does when the person logs in there: a code bound to the nonce."""
        query = parse_qs(urlsplit(authorize_url).query)
        assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
        code = f"code-{len(self.codes)}"
        self.codes[code] = {"nonce": query["nonce"][0], "claims": {"email": email, **claims}}
        return code, query["state"][0]


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "geheim"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{fake.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{fake.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{fake.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{fake.url}/jwks"
    settings.OIDC_LOGIN_LABEL = "Inloggen met Gemeente-account"
    yield fake
    fake.server.shutdown()


def _login(client, provider, email, **claims):
    r = client.get("/account/oidc/start/")
    assert r.status_code == 302 and r["Location"].startswith(provider.url + "/authorize")
    code, state = provider.grant(r["Location"], email, **claims)
    return client.get(f"/account/oidc/callback/?code={code}&state={state}")


def test_login_page_offers_the_provider(provider):
    assert "Inloggen met Gemeente-account" in Client().get("/inloggen/").content.decode()


def test_an_existing_account_logs_in_and_still_needs_the_second_factor(provider, two_organisations):
    user = two_organisations["A"]["analyst"]
    user.email = "Analist@Gemeente.nl"
    user.save()
    client = Client()
    r = _login(client, provider, "analist@gemeente.nl", email_verified=True)
    assert r.status_code == 302 and r["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get("/activiteiten/")["Location"].startswith("/account/tweestapsverificatie/")


def test_unknown_or_unverified_addresses_get_nothing(provider, two_organisations, django_user_model):
    django_user_model.objects.filter(pk=two_organisations["A"]["analyst"].pk).update(email="a@gemeente.nl")
    for email, extra in (("onbekend@gemeente.nl", {}), ("a@gemeente.nl", {"email_verified": False})):
        client = Client()
        r = _login(client, provider, email, **extra)
        assert r.status_code == 302 and r["Location"].startswith("/inloggen/")
        assert "_auth_user_id" not in client.session


def test_a_token_signed_by_another_key_is_refused(provider, two_organisations, django_user_model):
    django_user_model.objects.filter(pk=two_organisations["A"]["analyst"].pk).update(email="a@gemeente.nl")
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = Client(raise_request_exception=False)
    r = _login(client, provider, "a@gemeente.nl")
    assert r.status_code in (302, 400, 403, 500)
    assert "_auth_user_id" not in client.session


def test_a_replayed_state_is_refused(provider, two_organisations, django_user_model):
    django_user_model.objects.filter(pk=two_organisations["A"]["analyst"].pk).update(email="a@gemeente.nl")
    client = Client()
    r = client.get("/account/oidc/start/")
    code, _state = provider.grant(r["Location"], "a@gemeente.nl")
    r = client.get(f"/account/oidc/callback/?code={code}&state=made-up")
    assert "_auth_user_id" not in client.session


def test_off_without_configuration():
    assert Client().get("/account/oidc/start/").status_code == 404
    assert "oidc" not in Client().get("/inloggen/").content.decode()
