"""Settings shared by every environment; values come from :mod:`motcua.conf.env`.

``base`` is also what ``make run`` uses on a laptop: SQLite, DEBUG on, the
database task queue. ``production`` tightens it; ``test`` speeds it up.
"""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from motcua.conf import env

BASE_DIR = env.BASE_DIR
PACKAGE_DIR = env.PACKAGE_DIR
VAR_DIR = env.get_path("MOTCUA_VAR_DIR", BASE_DIR / "var")

DEBUG = env.get_bool("DEBUG", True)
# A development key only; production refuses to start without SECRET_KEY.
SECRET_KEY = (
    env.get_str("SECRET_KEY") or "dev-insecure-7q0c2f9b1d8e4a6c5b3e1f0a9d8c7b6a5e4d3c2b1a0f"
)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

# Where the public data of the project lives (procedure catalog, units,
# holidays): ``shared/data`` beside the repository by default.
SHARED_DATA_DIR = env.get_path("MOTCUA_SHARED_DATA", BASE_DIR.parent / "shared" / "data")

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # motcua, in dependency order (see docs/architecture.md)
    "motcua.core",
    "motcua.accounts",
    "motcua.announcements",
    "motcua.workcalendar",
    "motcua.catalog",
    "motcua.notifications",
    "motcua.letters",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.citizens",
    "motcua.evaluation",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that lockouts apply after authentication has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.conf.urls"
WSGI_APPLICATION = "motcua.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.site",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://user@host:5432/name) in
# production; without it the embedded SQLite database under var/ is used.
DATABASE_URL = env.get_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env.get_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, reading timestamps faster (perf, core/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "motcua.core.postgresql"
    # perf: server-side binding lets psycopg prepare a statement after its
    # PREPARE_THRESHOLD-th use on a connection, so PostgreSQL plans each hot
    # query once per connection instead of per request (a dossier lookup's
    # six-way join took 3 ms to plan, 0.4 ms to run). Turn it off
    # (DB_PREPARED_STATEMENTS=false) behind a PgBouncer older than 1.21 in
    # transaction pooling mode, which cannot keep prepared statements.
    if env.get_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(env.get_path("SQLITE_PATH", VAR_DIR / "motcua.sqlite3")),
            "OPTIONS": {
                # WAL lets the worker and the web process write without
                # "database is locked" under light concurrent use.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ------------------------------------------------------------------
REDIS_URL = env.get_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts and security --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "motcua.accounts.backends.ModelBackendWithOfficer",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"
SESSION_COOKIE_AGE = env.get_int("SESSION_COOKIE_AGE", 8 * 3600)
# Database sessions, read with the signed-in user in one statement (perf, accounts/sessions.py).
SESSION_ENGINE = "motcua.accounts.sessions"
CSRF_FAILURE_VIEW = "motcua.core.views.csrf_failure"

# django-axes: lock an account+address after repeated failures.
AXES_FAILURE_LIMIT = env.get_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/lockout.html"
AXES_VERBOSE = False

# --- internationalisation ---------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.get_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.get_path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- e-mail -----------------------------------------------------------------
EMAIL_HOST = env.get_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "motcua <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)

# --- background tasks ---------------------------------------------------------
# The database queue by default (no extra service); TASKS_BACKEND=redis runs
# the same tasks through RQ on Redis (REDIS_URL) when a deployment grows.
TASKS_BACKEND = env.get_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "redis":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}
    }
    # Workers must load jobs with django-tasks-rq's Job class; setting it here
    # lets a plain ``python -m motcua rqworker default`` run them.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    INSTALLED_APPS.append("django_rq")
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND != "database":
    raise ImproperlyConfigured("TASKS_BACKEND must be database, redis or immediate.")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "API của hệ thống một cửa điện tử motcua.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, whatever field it appears under (else W001 and
    # names such as Channel243Enum that change when a field is added).
    "ENUM_NAME_OVERRIDES": {
        "SubmissionChannelEnum": "motcua.dossiers.constants.Channel",
        "MethodChannelEnum": "motcua.catalog.constants.Channel",
        "ReturnChannelEnum": "motcua.dossiers.constants.ReturnChannel",
        "DossierStatusEnum": "motcua.dossiers.constants.Status",
        "VersionStatusEnum": "motcua.catalog.constants.VersionStatus",
    },
}

# --- motcua -------------------------------------------------------------------
MOTCUA_SITE_NAME = env.get_str("MOTCUA_SITE_NAME", "Một cửa điện tử")
MOTCUA_HOTLINE = env.get_str("MOTCUA_HOTLINE", "1022")
# The public address citizens reach (https://motcua.example.gov.vn): printed forms' QR
# codes point there. Empty: the address of the request that prints the form.
MOTCUA_PUBLIC_URL = env.get_str("MOTCUA_PUBLIC_URL", "")
# The unit a single-unit deployment serves (official code), for the portal home.
MOTCUA_HOME_UNIT_CODE = env.get_str("MOTCUA_HOME_UNIT_CODE", "")
# Working days after a result is ready at which the applicant is reminded to collect it.
MOTCUA_RESULT_REMINDER_DAYS = env.get_list("MOTCUA_RESULT_REMINDER_DAYS", ["3", "10", "30"])
# Accountability for delay (issue 5): "block" (default, domain.md decision 4) or "warn";
# a dossier or step is "due soon" from the opening of the Nth working day before
# its deadline. Units may override both (dossiers.UnitAccountabilitySetting).
MOTCUA_ACCOUNTABILITY_GATE = env.get_str("MOTCUA_ACCOUNTABILITY_GATE", "block")
MOTCUA_DUE_SOON_WORKING_DAYS = env.get_int("MOTCUA_DUE_SOON_WORKING_DAYS", 1)
# Public status lookup (/tra-cuu/ and its API): lookups per client address, and wrong
# second factors per dossier code, as "N/period" (s, min, hour, day); empty or 0: no limit.
MOTCUA_LOOKUP_RATE_PER_IP = env.get_str("MOTCUA_LOOKUP_RATE_PER_IP", "60/min")
MOTCUA_LOOKUP_RATE_PER_CODE = env.get_str("MOTCUA_LOOKUP_RATE_PER_CODE", "10/hour")
# Satisfaction answers per client address (the counter QR is anonymous).
MOTCUA_SURVEY_RATE_PER_IP = env.get_str("MOTCUA_SURVEY_RATE_PER_IP", "20/hour")
# Feedback and petitions (/phan-anh/): submissions, and likes/dislikes of published answers,
# per client address; the portal home's statistics are cached this many seconds.
MOTCUA_FEEDBACK_RATE_PER_IP = env.get_str("MOTCUA_FEEDBACK_RATE_PER_IP", "10/hour")
MOTCUA_FEEDBACK_VOTE_RATE_PER_IP = env.get_str("MOTCUA_FEEDBACK_VOTE_RATE_PER_IP", "60/hour")
MOTCUA_PUBLIC_STATS_CACHE_SECONDS = env.get_int("MOTCUA_PUBLIC_STATS_CACHE_SECONDS", 300)
# Reverse proxies in front of the web processes that append to X-Forwarded-For: the
# client address for those limits is taken that many entries from the right (0: REMOTE_ADDR).
MOTCUA_NUM_PROXIES = env.get_int("MOTCUA_NUM_PROXIES", 0)

# Online submission uploads (portal): size limits per file and per dossier, in MB,
# and the formats accepted, read from the content (pdf, jpeg, png, docx).
MOTCUA_UPLOAD_MAX_FILE_MB = env.get_int("MOTCUA_UPLOAD_MAX_FILE_MB", 10)
MOTCUA_UPLOAD_MAX_TOTAL_MB = env.get_int("MOTCUA_UPLOAD_MAX_TOTAL_MB", 50)
MOTCUA_UPLOAD_TYPES = env.get_list("MOTCUA_UPLOAD_TYPES", ["pdf", "jpeg", "png"])

# --- notifications (docs/adr/0013) ----------------------------------------------
# Delivery attempts before a message is marked failed, and the backoff between
# them: base * 2**(attempt - 1) seconds, capped.
NOTIFY_MAX_ATTEMPTS = env.get_int("NOTIFY_MAX_ATTEMPTS", 12)
NOTIFY_RETRY_BASE_SECONDS = env.get_int("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_RETRY_MAX_SECONDS = env.get_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
# How long a worker owns a message it is sending; longer than any provider timeout.
NOTIFY_LEASE_SECONDS = env.get_int("NOTIFY_LEASE_SECONDS", 300)
NOTIFY_BATCH_SIZE = env.get_int("NOTIFY_BATCH_SIZE", 100)
NOTIFY_HTTP_TIMEOUT = env.get_int("NOTIFY_HTTP_TIMEOUT", 10)
# Channels used when a person has not chosen (email, sms, zalo; officers also in_app).
NOTIFY_CITIZEN_CHANNELS = env.get_list("NOTIFY_CITIZEN_CHANNELS", ["email", "sms"])
NOTIFY_OFFICER_CHANNELS = env.get_list("NOTIFY_OFFICER_CHANNELS", ["in_app", "email"])
# SMS gateway (generic JSON over HTTPS); empty URL: SMS is off.
NOTIFY_SMS_URL = env.get_str("NOTIFY_SMS_URL")
NOTIFY_SMS_API_KEY = env.get_str("NOTIFY_SMS_API_KEY")
NOTIFY_SMS_SENDER = env.get_str("NOTIFY_SMS_SENDER")
# Zalo ZNS; empty access token: Zalo is off. Templates: event=template_id pairs.
ZALO_ZNS_URL = env.get_str("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template")
ZALO_ZNS_ACCESS_TOKEN = env.get_str("ZALO_ZNS_ACCESS_TOKEN")
ZALO_ZNS_TEMPLATES = dict(
    pair.split("=", 1) for pair in env.get_list("ZALO_ZNS_TEMPLATES") if "=" in pair
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- monthly staff evaluation (evaluation app) ----------------------------------
# Day of the month the evaluation opens for every unit (the periodic job runs daily);
# each stage (self-assessment, supervisor, head) then has this many working days.
EVALUATION_OPEN_DAY = env.get_int("EVALUATION_OPEN_DAY", 25)
EVALUATION_STAGE_WORKING_DAYS = env.get_int("EVALUATION_STAGE_WORKING_DAYS", 2)
