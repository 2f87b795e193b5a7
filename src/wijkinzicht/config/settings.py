"""Django settings, read from the environment with safe defaults.

Every variable read here is documented in docs/configuration.md; a test checks that.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Where runtime files live (SQLite database, generated secret key). Not the source tree.
VAR_DIR = Path(env.str("WIJKINZICHT_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()

DEBUG = env.bool("WIJKINZICHT_DEBUG", default=False)
# "production" turns on the HTTPS-only defaults below and refuses unsafe settings at start-up.
ENVIRONMENT = env.str("WIJKINZICHT_ENV", default="development")
if ENVIRONMENT not in ("development", "production"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("WIJKINZICHT_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"


def _secret_key() -> str:
    """The secret key from the environment, else one generated once and kept in VAR_DIR."""
    key = env.str("WIJKINZICHT_SECRET_KEY", default="")
    if key:
        return key
    from django.core.management.utils import get_random_secret_key

    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # created 0600 from the first byte (a chmod afterwards would leave a window)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("WIJKINZICHT_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("WIJKINZICHT_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "wijkinzicht.core",
    "wijkinzicht.accounts",
    "wijkinzicht.areas",
    "wijkinzicht.parties",
    "wijkinzicht.activities",
    "wijkinzicht.outcomes",
    "wijkinzicht.evaluation",
    "wijkinzicht.network",
    "wijkinzicht.signals",
    "wijkinzicht.privacy",
    "wijkinzicht.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wijkinzicht.core.middleware.ProcessingTraceMiddleware",  # the trace id of the processing log
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # outermost: also on redirects, static
    "csp.middleware.CSPMiddleware",
    "wijkinzicht.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wijkinzicht.accounts.middleware.IdleTimeoutMiddleware",
    "wijkinzicht.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wijkinzicht.core.uploads.UploadLimitMiddleware",  # after auth and messages: its 413 is a full page
    "wijkinzicht.core.middleware.RejectNulMiddleware",
    "wijkinzicht.core.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "wijkinzicht.core.middleware.MethodNotAllowedPageMiddleware",
]
CSRF_FAILURE_VIEW = "wijkinzicht.core.views.csrf_failure"

ROOT_URLCONF = "wijkinzicht.config.urls"
WSGI_APPLICATION = "wijkinzicht.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wijkinzicht.accounts.oidc.context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'wijkinzicht.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work side by side (demo server + import).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # A writer waits up to this many seconds for another (web request, worker) to finish.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].setdefault("NAME", None)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("WIJKINZICHT_CONN_MAX_AGE", default=60)
# A kept connection is checked before a request uses it: after a database restart the first
# request opens a new one instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory cache. It holds only figures derived from data under a key that includes a
# stamp of that data (e.g. a programme's measurements, outcomes/selectors.py), so a stale value is
# never served; several processes each keep their own copy.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wijkinzicht"}}

# Accounts (decision 0013). Passwords: at least 12 characters, not one of 20,000 common ones, not
# like the user name, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("WIJKINZICHT_PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user before the password check
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after AXES_FAILURE_LIMIT failed logins for one user name (from any address), or from
# one client address (for any user name), on the login page or POST /api/v1/token, that user name
# or address is locked for the cool-off time; a successful login resets the count. Behind a
# reverse proxy WIJKINZICHT_PROXY_COUNT must be set, or every user shares the proxy's address.
# `wijkinzicht axes_reset_username NAME` (or axes_reset_ip ADDRESS) lifts a lockout at once.
AXES_FAILURE_LIMIT = env.int("WIJKINZICHT_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("WIJKINZICHT_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures age out after the cool-off time; a successful login does not wipe them: with two lockout
# parameters axes would then also clear the address's count, and one known password would let
# its owner guess another account's password without limit (found by an attack test).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "wijkinzicht.accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env.int("WIJKINZICHT_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False
# OpenID Connect login for municipalities (accounts/oidc.py, mozilla-django-oidc): on when a client
# id is set. Existing active accounts only, matched on the provider's e-mail; PKCE and nonce.
OIDC_RP_CLIENT_ID = env.str("WIJKINZICHT_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("WIJKINZICHT_OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("WIJKINZICHT_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("WIJKINZICHT_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("WIJKINZICHT_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("WIJKINZICHT_OIDC_JWKS_ENDPOINT", default="") or None
OIDC_RP_SIGN_ALGO = env.str("WIJKINZICHT_OIDC_SIGN_ALGO", default="RS256")
OIDC_LOGIN_LABEL = env.str("WIJKINZICHT_OIDC_LABEL", default="")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/inloggen/"  # a path: mozilla-django-oidc does not reverse it
AUTHENTICATION_BACKENDS.append("wijkinzicht.accounts.oidc.Backend")
# Two factors (django-otp, TOTP + recovery codes): required for staff and every organisation member.
OTP_TOTP_ISSUER = "Wijkinzicht"
# API keys are stored as SHA-256 digests and expire after this many days (accounts/services.py).
API_TOKEN_DAYS = env.int("WIJKINZICHT_API_TOKEN_DAYS", default=30)
# Sessions: logged out after SESSION_IDLE_SECONDS without a request, and at most after
# SESSION_COOKIE_AGE; the cookie goes when the browser closes.
SESSION_IDLE_SECONDS = 60 * env.int("WIJKINZICHT_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = 3600 * env.int("WIJKINZICHT_SESSION_MAX_HOURS", default=10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# E-mail (password reset links). The default prints them to the console (the demo);
# production sets an SMTP URL such as smtp+tls://user:password@smtp.example.nl:587.
vars().update(env.email_url("WIJKINZICHT_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("WIJKINZICHT_EMAIL_FROM", default="Wijkinzicht <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 3600 * 2

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; keeps it quiet
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("WIJKINZICHT_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS (docs/security.md): behind a TLS-terminating proxy set WIJKINZICHT_PROXY_TLS_HEADER so that
# Django knows the request came in over HTTPS.
SECURE_SSL_REDIRECT = env.bool("WIJKINZICHT_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("WIJKINZICHT_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("WIJKINZICHT_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("WIJKINZICHT_HSTS_PRELOAD", default=PRODUCTION)
if env.bool("WIJKINZICHT_PROXY_TLS_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): scripts, styles, fonts and data only from this site; no
# inline script or style anywhere; images also from data: and blob: (the change model's PNG is
# drawn in the browser); nothing may frame the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# An optional background map under the SVG maps (issue 14): an XYZ tile URL template such as
# https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png,
# https only. Off by default: then no page asks any other server for anything. When set, its host
# (and only that) is added to the images the Content-Security-Policy allows.
MAP_TILES = env.str("WIJKINZICHT_MAP_TILES", default="")
MAP_TILES_ATTRIBUTION = env.str("WIJKINZICHT_MAP_TILES_ATTRIBUTION", default="")
if MAP_TILES:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILES)
    _placeholders = all(k in MAP_TILES for k in ("{z}", "{x}", "{y}"))
    if _tiles.scheme != "https" or not _tiles.hostname or not _placeholders:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("WIJKINZICHT_MAP_TILES must be an https URL with {z}, {x} and {y}")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"https://{_tiles.netloc}")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wijkinzicht.accounts.authentication.KeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "wijkinzicht.core.api.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "wijkinzicht.core.api.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    # several serializers have a field "kind": name each choice set (else a hashed name and a warning)
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "wijkinzicht.parties.constants.OrganisationKind",
        "TieKindEnum": "wijkinzicht.network.constants.TieKind",
        "ResponseKindEnum": "wijkinzicht.signals.constants.ResponseKind",
        "PersonalDataKindEnum": "wijkinzicht.analysis.pii.KINDS",
        "TargetGroupEnum": "wijkinzicht.activities.constants.TargetGroup",
    },
    "TITLE": "Wijkinzicht API",
    "DESCRIPTION": "Buurtprofielen en organisaties (NLGov API design rules: /api/v1, "
    "geen trailing slash, fouten als application/problem+json).",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.0.3",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wijkinzicht.core.openapi.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("WIJKINZICHT_LOG_LEVEL", default="WARNING")},
}

# Background jobs (core/jobs.py, decision 0012): a durable queue in the database, run by
# `wijkinzicht worker` processes. A worker writes a heartbeat every JOB_HEARTBEAT seconds; a job
# whose worker was silent for JOB_STALE_AFTER seconds is requeued, at most JOB_MAX_ATTEMPTS
# claims in all, then failed with a plain reason.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_HEARTBEAT = env.float("WIJKINZICHT_JOB_HEARTBEAT", default=5.0)
JOB_STALE_AFTER = env.float("WIJKINZICHT_JOB_STALE_AFTER", default=60.0)
JOB_MAX_ATTEMPTS = env.int("WIJKINZICHT_JOB_MAX_ATTEMPTS", default=3)
# Uploaded files larger than this are imported by a background job (the page or API answers at once
# and shows the progress); smaller ones in the request, which is quicker for them.
IMPORT_INLINE_MAX_BYTES = env.int("WIJKINZICHT_IMPORT_INLINE_MAX_BYTES", default=1_000_000)

# Upload limits (core/uploads.py, core/tabular.py; docs/privacy.md): the size of one uploaded file,
# checked before the body is read and while it streams in; the data rows of an imported file; the
# unpacked size of an XLSX workbook (a zip: a small file can unpack to gigabytes).
UPLOAD_MAX_BYTES = env.int("WIJKINZICHT_UPLOAD_MAX_BYTES", default=20_000_000)
IMPORT_MAX_ROWS = env.int("WIJKINZICHT_IMPORT_MAX_ROWS", default=200_000)
XLSX_MAX_UNPACKED_BYTES = env.int("WIJKINZICHT_XLSX_MAX_UNPACKED_BYTES", default=100_000_000)
FILE_UPLOAD_HANDLERS = [
    "wijkinzicht.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
]
# an upload up to the limit stays in memory: Django's temporary-file handler wrote files over 2.5 MB
# (personal data) to /tmp while the request ran, where a killed worker would leave them behind
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 64 * 1024

# Retention in days per data type (privacy/services.py, `wijkinzicht retention`, docs/privacy.md).
RETENTION_DAYS = {
    "rejected_rows": env.int("WIJKINZICHT_RETENTION_REJECTED_ROWS_DAYS", default=14),
    "uploads": env.int("WIJKINZICHT_RETENTION_UPLOADS_DAYS", default=14),
    "participants": env.int("WIJKINZICHT_RETENTION_PARTICIPANTS_DAYS", default=730),
    "job_results": env.int("WIJKINZICHT_RETENTION_JOB_RESULTS_DAYS", default=30),
    "processing_log": env.int("WIJKINZICHT_RETENTION_PROCESSING_LOG_DAYS", default=1825),
}

# Small-cell suppression: counts below this are shown as "<N" in shared figures.
SUPPRESSION_THRESHOLD = env.int("WIJKINZICHT_SUPPRESSION_THRESHOLD", default=5)


# The production profile refuses to start with settings that are unsafe on the internet.
if PRODUCTION:
    from django.core.exceptions import ImproperlyConfigured

    _problems = []
    if DEBUG:
        _problems.append("WIJKINZICHT_DEBUG is on")
    _key = env.str("WIJKINZICHT_SECRET_KEY", default="")
    _weak = ("changeme", "django-insecure", "secret", "wijkinzicht")
    if len(_key) < 50 or len(set(_key)) < 5 or _key.lower().startswith(_weak):
        _problems.append("WIJKINZICHT_SECRET_KEY must be set to a random value of at least 50 characters")
    if "*" in ALLOWED_HOSTS or not ALLOWED_HOSTS:
        _problems.append("WIJKINZICHT_ALLOWED_HOSTS must name the host names, not '*'")
    if _problems:
        raise ImproperlyConfigured("production profile refused: " + "; ".join(_problems))
