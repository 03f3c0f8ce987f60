"""Django settings for Satisfy.

Every deploy-specific value comes from the environment (see ``.env.example``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets typed generics such as admin.ModelAdmin[Survey] work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}"
        ) from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


# Data directory: the SQLite database, the outbox, exports and job storage live here.
DATA_DIR = Path(envstr("SATISFY_DATA_DIR", str(Path.cwd() / "satisfy-data"))).resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once per data directory."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


# Core
SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "satisfy.accounts",
    "satisfy.org",
    "satisfy.customers",
    "satisfy.interactions",
    "satisfy.surveys",
    "satisfy.distribution",
    "satisfy.responses",
    "satisfy.reports",
    "satisfy.demo",
]

MIDDLEWARE = [
    "satisfy.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "satisfy.urls"
WSGI_APPLICATION = "satisfy.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'satisfy.sqlite3'}")
_database = dj_database_url.parse(
    DATABASE_URL, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60)
)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Auth
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_TZ = True

# Static files
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# whitenoise serves from the finders; an empty STATIC_ROOT keeps it quiet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Largest request body accepted; bigger ones get 413 before any parsing.
SATISFY_MAX_REQUEST_BYTES = envint("SATISFY_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SATISFY_MAX_REQUEST_BYTES

# Email: a file outbox under the data directory unless an SMTP host is set.
EMAIL_HOST = envstr("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "outbox" / "email")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Satisfy <surveys@localhost>")

# Background jobs: huey on SQLite by default, Redis when SATISFY_REDIS_URL is set.
SATISFY_REDIS_URL = envstr("SATISFY_REDIS_URL", "")
HUEY: dict[str, Any]
if SATISFY_REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "satisfy",
        "url": SATISFY_REDIS_URL,
        "immediate": envbool("SATISFY_JOBS_IMMEDIATE", False),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "satisfy",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": envbool("SATISFY_JOBS_IMMEDIATE", False),
    }

# Channels (SMS gateway, webhooks, sending). Empty means the default documented in
# docs/distribution.md (satisfy/distribution/config.py applies it).
SATISFY_SMS_PROVIDER = envstr("SATISFY_SMS_PROVIDER", "")
SATISFY_SMS_URL = envstr("SATISFY_SMS_URL", "")
SATISFY_SMS_TOKEN = envstr("SATISFY_SMS_TOKEN", "")
SATISFY_SMS_USERNAME = envstr("SATISFY_SMS_USERNAME", "")
SATISFY_SMS_PASSWORD = envstr("SATISFY_SMS_PASSWORD", "")
SATISFY_SMS_FROM = envstr("SATISFY_SMS_FROM", "")
SATISFY_SMS_TIMEOUT_SECONDS = envstr("SATISFY_SMS_TIMEOUT_SECONDS", "")
SATISFY_SMS_WEBHOOK_SECRET = envstr("SATISFY_SMS_WEBHOOK_SECRET", "")
SATISFY_IVR_WEBHOOK_SECRET = envstr("SATISFY_IVR_WEBHOOK_SECRET", "")
SATISFY_SEND_RATE_EMAIL = envstr("SATISFY_SEND_RATE_EMAIL", "")
SATISFY_SEND_RATE_SMS = envstr("SATISFY_SEND_RATE_SMS", "")
SATISFY_SEND_MAX_ATTEMPTS = envstr("SATISFY_SEND_MAX_ATTEMPTS", "")
SATISFY_SEND_LEASE_SECONDS = envstr("SATISFY_SEND_LEASE_SECONDS", "")
SATISFY_SENDER_NAME = envstr("SATISFY_SENDER_NAME", "")
SATISFY_MESSAGE_ID_DOMAIN = envstr("SATISFY_MESSAGE_ID_DOMAIN", "")
SATISFY_SMS_OUTBOX_DIR = envstr("SATISFY_SMS_OUTBOX_DIR", "")

# Surveys
SATISFY_INVITATION_TTL_DAYS = envint("SATISFY_INVITATION_TTL_DAYS", 30)
SATISFY_MIN_N = envint("SATISFY_MIN_N", 5)
# Wrong short codes one client may type at /c per window before it must wait.
SATISFY_CODE_ATTEMPTS = envint("SATISFY_CODE_ATTEMPTS", 10)
SATISFY_CODE_WINDOW_SECONDS = envint("SATISFY_CODE_WINDOW_SECONDS", 900)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # A handler of our own keeps `run_huey` from installing its chatty INFO logger.
    "loggers": {
        "huey": {
            "handlers": ["console"],
            "level": envstr("LOG_LEVEL", "WARNING"),
            "propagate": False,
        }
    },
}
