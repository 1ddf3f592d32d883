"""Django settings for giamsat, read from environment variables.

Production-safe by default: DEBUG is off, SECRET_KEY is required, cookies are secure. The demo
(`make demo`) switches DEBUG on explicitly. See README for every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from giamsat.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("GIAMSAT_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("GIAMSAT_TESTING", default=False)
# Shown on every page when the database holds generated demo data (fictional people).
DEMO_MODE = env_bool("GIAMSAT_DEMO", default=False)

_secret = env_str("SECRET_KEY", "")
if not _secret:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    _secret = "insecure-development-key-do-not-use-in-production-0123456789"
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # giamsat, in dependency order
    "giamsat.core",
    "giamsat.audit",
    "giamsat.accounts",
    "giamsat.units",
    "giamsat.people",
    "giamsat.directives",
    "giamsat.indicators",
    "giamsat.implementation",
    "giamsat.study",
    "giamsat.imports",
    "giamsat.oversight",
    "giamsat.discipline",
    "giamsat.petitions",
    "giamsat.evaluation",
    "giamsat.delegations",
    "giamsat.reports",
    "giamsat.scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "giamsat.accounts.middleware.TwoFactorMiddleware",
    # django-axes must be last (its documentation).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "giamsat.urls"
WSGI_APPLICATION = "giamsat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "giamsat.core.context_processors.giamsat",
            ],
        },
    },
]

# Database: SQLite file under var/ by default; PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'giamsat.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db.setdefault("TEST", {})["NAME"] = env_str("GIAMSAT_TEST_SQLITE", "") or None
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication (django-otp): roles listed in accounts.roles with requires_2fa
# must verify a TOTP device. The demo may switch enforcement off; production never should.
GIAMSAT_REQUIRE_2FA = env_bool("GIAMSAT_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "giamsat"

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# Sessions and cookies
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_secure_default = not (DEBUG or TESTING)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=_secure_default)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): no inline scripts or styles, nothing from outside.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Uploads live outside static files and are served only through permission-checked views.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
GIAMSAT_MAX_UPLOAD_MB = env_int("GIAMSAT_MAX_UPLOAD_MB", 20)

# Internationalisation: Vietnamese by default, English selectable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["giamsat.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
_manifest = env_bool("GIAMSAT_STATIC_MANIFEST", default=not (DEBUG or TESTING))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if TESTING
        else "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "giamsat@localhost")

# Sealed identities of petitioners: Fernet keys (newest first) from the environment.
GIAMSAT_SEAL_KEYS = env_list("GIAMSAT_SEAL_KEYS", [])

# django-auditlog: who changed what (create/update/delete), with old and new values.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# --- Security and reliability (issue 9; owned by the security engineer) -------------------
# After AXES_FAILURE_LIMIT failed logins: a Vietnamese page (HTTP 429) saying how long to wait.
AXES_LOCKOUT_CALLABLE = "giamsat.accounts.views.locked_out"
# Uploaded files readable by the service account only (uploads may hold party records).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Where `giamsat backup` writes by default (keep it on another disk or copy it off-site).
GIAMSAT_BACKUP_DIR = Path(env_str("GIAMSAT_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
# Every paginated API list: limit 1..500, offset bounded (no server error on huge numbers).
NINJA_PAGINATION_CLASS = "giamsat.core.pagination.BoundedLimitOffsetPagination"
NINJA_PAGINATION_MAX_LIMIT = 500
# Responses to logged-in users carry Cache-Control: no-store, private.
MIDDLEWARE.insert(
    MIDDLEWARE.index("giamsat.accounts.middleware.TwoFactorMiddleware"),
    "giamsat.accounts.middleware.PrivatePagesMiddleware",
)

# --- imports (giamsat.imports) -------------------------------------------------------------------
# Largest spreadsheet accepted for import (a 200,000-member CSV roster is about 25 MB).
GIAMSAT_IMPORT_MAX_MB = env_int("GIAMSAT_IMPORT_MAX_MB", 50)
# Files up to this size are checked and imported during the request; larger ones in a background
# thread of the web process while the page shows progress.
GIAMSAT_IMPORT_INLINE_MAX_BYTES = env_int("GIAMSAT_IMPORT_INLINE_MAX_BYTES", 2 * 1024 * 1024)

# --- petitions (issue 5): hotline, receipt codes, sealed identities, hot spots, deadlines -----
# Receipt codes given to citizens are stored only as HMAC-SHA256 under this server key, so a
# stolen database cannot be searched offline for codes. Required in production; development
# and tests derive one from SECRET_KEY.
GIAMSAT_RECEIPT_KEY = env_str("GIAMSAT_RECEIPT_KEY", "")
if not GIAMSAT_RECEIPT_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("GIAMSAT_RECEIPT_KEY is required when DEBUG is off")
    GIAMSAT_RECEIPT_KEY = "dev-receipt-key:" + SECRET_KEY
# Sealed identities (GIAMSAT_SEAL_KEYS above, Fernet keys, newest first): fail loudly in
# production without a valid key; development derives a key from SECRET_KEY (see
# giamsat.petitions.sealing).
if not GIAMSAT_SEAL_KEYS and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "GIAMSAT_SEAL_KEYS is required when DEBUG is off (generate one with "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
    )
# Units whose hotline the public form offers (unit codes); empty = provincial organisations.
GIAMSAT_HOTLINE_UNITS = env_list("GIAMSAT_HOTLINE_UNITS", [])
# Rate limits of the public hotline, per client address (and globally), in a fixed window.
GIAMSAT_HOTLINE_PAGES_PER_MINUTE = env_int("GIAMSAT_HOTLINE_PAGES_PER_MINUTE", 60)
GIAMSAT_HOTLINE_SUBMITS_PER_HOUR = env_int("GIAMSAT_HOTLINE_SUBMITS_PER_HOUR", 5)
GIAMSAT_HOTLINE_LOOKUPS_PER_HOUR = env_int("GIAMSAT_HOTLINE_LOOKUPS_PER_HOUR", 20)
GIAMSAT_HOTLINE_FOLLOWUPS_PER_HOUR = env_int("GIAMSAT_HOTLINE_FOLLOWUPS_PER_HOUR", 10)
GIAMSAT_HOTLINE_GLOBAL_SUBMITS_PER_HOUR = env_int("GIAMSAT_HOTLINE_GLOBAL_SUBMITS_PER_HOUR", 500)
GIAMSAT_HOTLINE_GLOBAL_LOOKUPS_PER_HOUR = env_int("GIAMSAT_HOTLINE_GLOBAL_LOOKUPS_PER_HOUR", 3000)
# The request header holding the client address behind a reverse proxy (e.g. HTTP_X_REAL_IP);
# empty = REMOTE_ADDR. Only set it when the proxy overwrites that header.
GIAMSAT_HOTLINE_IP_HEADER = env_str("GIAMSAT_HOTLINE_IP_HEADER", "")
# Size limits of the public hotline.
GIAMSAT_HOTLINE_MAX_TEXT = env_int("GIAMSAT_HOTLINE_MAX_TEXT", 20000)
GIAMSAT_HOTLINE_MAX_FILES = env_int("GIAMSAT_HOTLINE_MAX_FILES", 5)
GIAMSAT_HOTLINE_MAX_FILE_MB = env_int("GIAMSAT_HOTLINE_MAX_FILE_MB", 10)
GIAMSAT_HOTLINE_MAX_REQUEST_MB = env_int("GIAMSAT_HOTLINE_MAX_REQUEST_MB", 30)
# Group petitions ("khiếu kiện đông người"): from this many signers (UNCONFIRMED, rules-gaps §7).
GIAMSAT_GROUP_PETITION_MIN = env_int("GIAMSAT_GROUP_PETITION_MIN", 5)
# Hot-spot alerts: this many petitions about one unit, person, place or topic within the window.
GIAMSAT_HOTSPOT_THRESHOLD = env_int("GIAMSAT_HOTSPOT_THRESHOLD", 5)
GIAMSAT_HOTSPOT_WINDOW_DAYS = env_int("GIAMSAT_HOTSPOT_WINDOW_DAYS", 90)
# Deadline states (core.deadlines.state_of): due soon within N days, long overdue after M days.
GIAMSAT_DEADLINE_DUE_SOON_DAYS = env_int("GIAMSAT_DEADLINE_DUE_SOON_DAYS", 7)
GIAMSAT_DEADLINE_LONG_OVERDUE_DAYS = env_int("GIAMSAT_DEADLINE_LONG_OVERDUE_DAYS", 30)
# Identity grants: the longest a custodian may grant access to a sealed identity.
GIAMSAT_IDENTITY_GRANT_MAX_DAYS = env_int("GIAMSAT_IDENTITY_GRANT_MAX_DAYS", 30)
# Conflict of interest: memberships and posts that ended within this many days still count.
GIAMSAT_CONFLICT_LOOKBACK_DAYS = env_int("GIAMSAT_CONFLICT_LOOKBACK_DAYS", 5 * 365)
# Absolute address of the site, for links in reminder e-mails.
GIAMSAT_BASE_URL = env_str("GIAMSAT_BASE_URL", "http://127.0.0.1:8000")
