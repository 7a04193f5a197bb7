"""Settings, all from environment variables (PHOIHOP_*). See README "Configuration" and
docs/operations.md (production) and docs/security.md (why each security setting is what it is).

Layout: base settings first (apps, middleware, database, i18n, files), then authentication and
sessions, then the production block (`PHOIHOP_ENV=production` / `PHOIHOP_HTTPS=1`). To add an
app, a middleware or a cache, extend the lists/dicts below in place; nothing later rebuilds them.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from phoihop.core import secretkey

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PHOIHOP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} phải là một số nguyên (đang là “{value}”).") from None


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if os.environ.get("PHOIHOP_SECRET_KEY"):
        return os.environ["PHOIHOP_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# "production" switches on the HTTPS and proxy defaults below; anything else is development.
PHOIHOP_ENV = os.environ.get("PHOIHOP_ENV", "development").strip().lower()
PRODUCTION = PHOIHOP_ENV == "production"

SECRET_KEY = _secret_key()
if PRODUCTION and secretkey.refusal(SECRET_KEY):
    # A placeholder (deploy/phoihop.env.example's "change-me") or weak key: refuse to start.
    raise ImproperlyConfigured(secretkey.refusal(SECRET_KEY))
DEBUG = _env_bool("PHOIHOP_DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PHOIHOP_DEBUG phải tắt khi PHOIHOP_ENV=production.")
ALLOWED_HOSTS = _env_list("PHOIHOP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves /api/docs from its own static files (no CDN, no inline script: CSP-clean)
    "axes",
    "phoihop.core",
    "phoihop.audit",
    "phoihop.accounts",
    "phoihop.organizations",
    "phoihop.programs",
    "phoihop.reporting",
    "phoihop.almanac",
    "phoihop.reviews",
    "phoihop.news",
    "phoihop.dashboards",
    "phoihop.api",
    "phoihop.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "phoihop.operations.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "phoihop.core.middleware.VietnameseFirstLocaleMiddleware",
    "phoihop.core.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "phoihop.audit.middleware.AuditActorMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "phoihop.urls"
WSGI_APPLICATION = "phoihop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "phoihop.accounts.context_processors.memberships",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("PHOIHOP_DATABASE_URL", f"sqlite:///{VAR_DIR / 'phoihop.sqlite3'}"),
        conn_max_age=int(os.environ.get("PHOIHOP_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL mode and a busy timeout: readers never block the writer, writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PHOIHOP_TEST_SQLITE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: none configured (Django's per-process local memory). Add a CACHES dict here when
# needed; django-axes keeps its counters in the database, not in the cache.

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["phoihop.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Development and tests: files straight from the finders (no collectstatic needed).
    # Production replaces this below with whitenoise's compressed, hashed storage.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

EMAIL_BACKEND = os.environ.get(
    "PHOIHOP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("PHOIHOP_FROM_EMAIL", "phoihop@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Used by the SMTP backend (PHOIHOP_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("PHOIHOP_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("PHOIHOP_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("PHOIHOP_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PHOIHOP_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("PHOIHOP_EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_bool("PHOIHOP_EMAIL_USE_SSL")

# The bulk API takes up to 50 000 values in one JSON body.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

# ---------------------------------------------------------------- authentication and sessions

AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses a locked-out username+address before the password is checked.
    "phoihop.operations.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": _env_int("PHOIHOP_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A session lasts one working day from login (not sliding), and ends when the browser closes.
SESSION_COOKIE_AGE = _env_int("PHOIHOP_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("PHOIHOP_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = _env_list("PHOIHOP_CSRF_TRUSTED_ORIGINS")

# Login throttling (django-axes): 5 failures for one username from one address lock that pair
# for 15 minutes; a success resets the count. The lockout page is templates/operations/lockout.html.
AXES_FAILURE_LIMIT = _env_int("PHOIHOP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("PHOIHOP_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "operations/lockout.html"
AXES_LOCKOUT_CALLABLE = "phoihop.operations.views.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "phoihop.operations.net.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # logins are recorded by phoihop.operations (address truncated)
AXES_VERBOSE = False

# Login log (phoihop.operations.LoginEvent): kept this many days (`phoihop prune-logins`).
PHOIHOP_LOGIN_LOG_DAYS = _env_int("PHOIHOP_LOGIN_LOG_DAYS", 365)

# Reporting: values are entered (and reports sent) only for periods starting at most this many
# days after today (issue 12: a period of 2100 is a typo or an attack, not a report).
PHOIHOP_ENTRY_HORIZON_DAYS = _env_int("PHOIHOP_ENTRY_HORIZON_DAYS", 62)

# ---------------------------------------------------------------- security headers

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy, sent by phoihop.operations.middleware on every response. Strict: no
# inline scripts, inline styles or event-handler attributes (see docs/security.md).
PHOIHOP_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}
# Report-only sends the same policy as Content-Security-Policy-Report-Only (violations are only
# reported in the browser console): on by default with PHOIHOP_DEBUG so that Django's debug pages,
# which use inline styles, stay readable.
PHOIHOP_CSP_REPORT_ONLY = _env_bool("PHOIHOP_CSP_REPORT_ONLY", DEBUG)
PHOIHOP_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# ---------------------------------------------------------------- production (behind a proxy, HTTPS)

# Number of reverse proxies in front of gunicorn that set X-Forwarded-For / X-Forwarded-Proto
# (nginx: 1). 0 = clients connect directly; then those headers are never trusted.
PHOIHOP_PROXY_COUNT = _env_int("PHOIHOP_PROXY_COUNT", 1 if PRODUCTION else 0)
PHOIHOP_HTTPS = _env_bool("PHOIHOP_HTTPS", PRODUCTION)
SILENCED_SYSTEM_CHECKS: list[str] = []

if PHOIHOP_HTTPS:
    if PHOIHOP_PROXY_COUNT > 0:
        # The proxy terminates TLS and says so; it must overwrite this header (deploy/nginx.conf.example).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("PHOIHOP_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-": the browser keeps the cookie only if Secure, for this host, path / (no subdomain).
    SESSION_COOKIE_NAME = "__Host-phoihop_session"
    SECURE_HSTS_SECONDS = _env_int("PHOIHOP_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("PHOIHOP_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("PHOIHOP_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole registrable domain (often a province's gov.vn domain) in
        # browsers; its owner decides, not this application (docs/security.md): the deploy check
        # that asks for it is silenced while PHOIHOP_HSTS_PRELOAD is off.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

if PRODUCTION:
    # collectstatic writes hashed, compressed files into STATIC_ROOT; whitenoise serves them
    # with far-future caching. Run `phoihop collectstatic --noinput` on every deployment.
    STORAGES["staticfiles"] = {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    WHITENOISE_USE_FINDERS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PHOIHOP_LOG_LEVEL", "WARNING")},
}
