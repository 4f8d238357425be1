"""Accountable's settings: everything from the environment, with safe defaults.

With no variables set, it runs as the embedded demo: SQLite in WAL mode under
`var/`, e-mail printed to the console, a secret key generated once into `var/`.
Production sets DATABASE_URL (PostgreSQL), SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accountable.env import email_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("ACCOUNTABLE_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY (or SECRET_KEY_FILE); otherwise one generated once and kept in var/."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The public address is always a trusted origin for forms; CSRF_TRUSTED_ORIGINS adds
# others (e.g. a second name behind a proxy that rewrites the host).
_site = urlsplit(SITE_URL)
CSRF_TRUSTED_ORIGINS = list(
    dict.fromkeys([*env_list("CSRF_TRUSTED_ORIGINS"), f"{_site.scheme}://{_site.netloc}"])
)

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # In the order of their layers (see .importlinter), lowest first: apps that follow
    # announced changes (`core.changes`) hear them in this order.
    "accountable.core",
    "accountable.org",
    "accountable.audit",
    "accountable.crm",
    "accountable.targets",
    "accountable.scorecards",
    "accountable.goals",
    "accountable.commitments",
    "accountable.forecasts",
    "accountable.signals",
    "accountable.plans",
    "accountable.checkins",
    "accountable.reviews",
    "accountable.packets",
    "accountable.boards",
    "accountable.imports",
    "accountable.tokens",
    "accountable.jobs",
    "accountable.demo",
    "accountable.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accountable.core.middleware.SecurityHeadersMiddleware",
    "accountable.org.zone.OrganisationTimeZoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accountable.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accountable.urls"
WSGI_APPLICATION = "accountable.wsgi.application"

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
                "accountable.org.navigation.navigation",
            ],
        },
    }
]

# SQLite is the embedded default; WAL lets the web server and the worker read
# while the other writes, and IMMEDIATE transactions avoid upgrade deadlocks. The
# database file is read through memory mapping (up to SQLite's 2 GB ceiling): a page
# reads each team's sums from rows spread over the file, which a fresh connection's
# small page cache would otherwise copy in one system call each.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'accountable.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA mmap_size=2147418112;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in is rate-limited by django-axes: after AXES_FAILURE_LIMIT failures for
# one account from one address, that pair is locked out for the cool-off time.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_MAX_FAILURES", 10)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("LOGIN_LOCKOUT_SECONDS", 900))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The sign-in form posts the e-mail as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

vars().update(email_settings(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Accountable <accountable@localhost>")

# Production hardening: on whenever DEBUG is off and SITE_URL is https. It keys on the
# address, not on DEBUG alone, because DEBUG is off by default: the demo
# (`make demo`, plain http on 127.0.0.1:8000) and the tests (the test client speaks
# http) run with DEBUG off and an http SITE_URL, and must not be sent to https.
SECURE_HTTPS = SITE_URL.startswith("https://") and not DEBUG
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Plain http is answered with a redirect to https; SECURE_SSL_REDIRECT=0 leaves that to
# a proxy that already does it. The health check stays on http for load balancers.
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browsers remember for this long to come back only over https (a year by default);
# SECURE_HSTS_SECONDS=0 sends no HSTS header (e.g. when the proxy sends its own).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking to be on the browsers' preload list is the whole domain owner's decision and
# hard to undo, so it is off unless asked for; the deploy check's reminder is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# A TLS-terminating proxy talks plain http to us and says what the client used in
# X-Forwarded-Proto. Trust it (the default behind an https SITE_URL, the deployment
# docs/operations.md describes) only when such a proxy sets it on every request;
# TRUST_X_FORWARDED_PROTO=0 when the WSGI server itself terminates TLS.
TRUST_X_FORWARDED_PROTO = SECURE_HTTPS and env_bool("TRUST_X_FORWARDED_PROTO", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUST_X_FORWARDED_PROTO else None
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# Background work: the Django Tasks API. The queue is in the database by default (no
# broker to run); TASKS_BACKEND=django_tasks_rq.RQBackend moves it to the Redis server
# at REDIS_URL, for workers on several machines (docs/operations.md). Callers only
# use the API, so they do not change. django_tasks_db stays installed either way:
# its tables stay migrated, ready for a move back.
TASKS_BACKEND = env_str("TASKS_BACKEND") or "django_tasks_db.DatabaseBackend"  # empty: default
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
REDIS_URL = env_str("REDIS_URL")  # e.g. redis://127.0.0.1:6379/0; or REDIS_URL_FILE
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL, "
            "the Redis server holding the queue (e.g. redis://127.0.0.1:6379/0)."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # RQ stops a task after DEFAULT_TIMEOUT seconds (its own default is 3 minutes):
    # an hour, the longest an import may run before it counts as stalled.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

LOG_FORMAT = env_str("LOG_FORMAT", "text")  # "json" for structured logs
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "accountable.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The review packet's PDF: WeasyPrint tells each rendering step, and warns of every
        # screen-only rule of the stylesheet (media queries by width) — expected, not news.
        "weasyprint": {"level": "ERROR"},
    },
}
