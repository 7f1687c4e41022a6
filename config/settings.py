"""Reelproof settings: one file, every value read from the environment with a local default.

With no environment at all the app runs on SQLite with Celery tasks executed in-process,
which is what `make run` and `make test` use.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("REELPROOF_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The key in this repository is public: with DEBUG off, `check`, the WSGI app and the worker refuse it
# (config.checks). `make run` serves with DEBUG on and the test suite needs no secret.
REPOSITORY_SECRET_KEY = "insecure-local-only-key-set-SECRET_KEY-in-production"
SECRET_KEY = env("SECRET_KEY", REPOSITORY_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's JS and CSS served from our static files, no CDN
    "django_filters",
    "simple_history",
    "django_countries",
    "multiselectfield",
    "axes",  # sign-in throttling
    "csp",  # Content-Security-Policy header
    "config",  # deployment checks (config.checks)
    "productions",
    "disclosure",
    "seeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.request_size_cap",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.head_and_options",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Writes made through the admin are attributed to the signed-in user in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
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
                "productions.notifications.context_processors.inbox",  # the unread count in the header
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: SQLite in var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'reelproof.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# The ledger's order indexes carry a few columns beside their keys on PostgreSQL (INCLUDE), so that a page is read
# from the index alone; SQLite, which has no such columns, gets the same indexes on their keys: nothing to warn of.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Signed consent documents: outside MEDIA_ROOT, never served by URL (productions.storage).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
CONSENT_DOCUMENT_MAX_BYTES = env_int("CONSENT_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
# Spreadsheet imports of the ledger (productions.imports): larger files are refused with a clear message, so that
# a file cannot exhaust a worker's memory. A long series has 50,000+ shots: 100,000 rows leaves it room. A row of our
# template's 38 columns takes about 350 bytes with a short description (bench/imports.py: 17 MB for 50,000 rows);
# 1 KB a row leaves some 650 characters more for long descriptions, hence 100 MB for 100,000 rows.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "productions.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

AUTHENTICATION_BACKENDS = [
    "config.auth.SignInThrottle",  # first: refuses a locked-out sign-in before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "productions:home"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "reelproof@localhost")

# Celery: with no broker configured, tasks run in-process (eagerly) so one machine needs nothing else.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "reelproof")
# A task is acknowledged when it is done, and given back to the broker when its worker process dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50)
CELERY_TASK_IGNORE_RESULT = True
# Redis redelivers a message not acknowledged within the visibility timeout: longer than any task may run,
# or a task still running would be delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", max(3600, 2 * CELERY_TASK_TIME_LIMIT))
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_BROKER_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")
# `celery -A config beat` runs the sweeper: it sends render jobs the broker did not take and recovers
# jobs whose worker was lost (disclosure.documents.outbox). Without beat, run `manage.py sweep_documents`.
CELERY_BEAT_SCHEDULE = {
    "sweep-disclosure-documents": {
        "task": "disclosure.tasks.sweep_documents",
        "schedule": env_int("DISCLOSURE_SWEEP_EVERY", 60),
        "options": {"expires": env_int("DISCLOSURE_SWEEP_EVERY", 60)},  # a sweep no worker took is skipped
    },
    # Consent documents uploaded while the broker was down: fingerprinted late, never forgotten
    # (productions.tasks; without beat, `manage.py fingerprint_documents`).
    "fingerprint-consent-documents": {
        "task": "productions.tasks.fingerprint_pending_documents",
        "schedule": env_int("FINGERPRINT_SWEEP_EVERY", 300),
        "options": {"expires": env_int("FINGERPRINT_SWEEP_EVERY", 300)},
    },
    # Notifications (productions.notifications): expiries and overdue reviews told once, uses an expiry blocks,
    # daily digests; idempotent, so hourly is safe (without beat, `manage.py send_reminders` from cron). The
    # e-mail sweep sends what the broker did not take when the events happened.
    "send-reminders": {
        "task": "productions.tasks.send_reminders",
        "schedule": env_int("REMINDERS_EVERY", 3600),
        "options": {"expires": env_int("REMINDERS_EVERY", 3600)},
    },
    # The kept consent statuses (productions.kept_statuses) recomputed and compared with the records, daily.
    "check-consent-statuses": {
        "task": "productions.tasks.check_consent_statuses",
        "schedule": env_int("CONSENT_STATUS_CHECK_EVERY", 86400),
        "options": {"expires": env_int("CONSENT_STATUS_CHECK_EVERY", 86400)},
    },
    "send-notification-emails": {
        "task": "productions.tasks.send_notification_emails",
        "schedule": env_int("NOTIFICATION_EMAIL_SWEEP_EVERY", 300),
        "options": {"expires": env_int("NOTIFICATION_EMAIL_SWEEP_EVERY", 300)},
    },
}

# One cache for rate limits and similar counters: shared Redis when configured, else this process's memory.
CACHE_URL = env("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    # The token class comes first: its WWW-Authenticate header makes a missing credential a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "productions.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "productions.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "productions.api.filters.FilterBackend",
        "productions.api.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", "30/minute"),
        "user": env("API_USER_RATE", "1200/minute"),
    },
    # Clients are told apart by address; X-Forwarded-For counts only behind this many trusted proxies.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "EXCEPTION_HANDLER": "productions.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "productions.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Reelproof API",
    "DESCRIPTION": (
        "Record AI uses, consents and literacy measures of film and TV productions, and request their "
        "disclosure documents. Authenticate with `Authorization: Bearer <token>` (create a token under "
        "Account > API tokens). Reelproof is an aid to compliance, not legal advice."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProductionKindEnum": "productions.vocabularies.ProductionKind",
        "DeterminationEnum": "productions.vocabularies.Determination",
        "CompanySizeEnum": "productions.vocabularies.CompanySize",
        "RoleEnum": "productions.vocabularies.Role",
        "OrganisationRoleEnum": "productions.vocabularies.OrganisationRole",
        "ProductionCreationEnum": "productions.vocabularies.ProductionCreation",
        "PhaseEnum": "productions.vocabularies.Phase",
        "DepartmentEnum": "productions.vocabularies.Department",
        "DigitalSourceTypeEnum": "productions.vocabularies.DigitalSourceType",
        "OutputTypeEnum": "productions.vocabularies.OutputType",
        "DeepFakeEnum": "productions.vocabularies.DeepFake",
        "DisclosureMethodEnum": "productions.vocabularies.DisclosureMethod",
        "PublishedInEnum": "productions.vocabularies.PublishedIn",
        "EmotionRecognitionEnum": "productions.vocabularies.EmotionRecognition",
        "UsePurposeEnum": "productions.vocabularies.UsePurpose",
        "InputRightsEnum": "productions.vocabularies.InputRights",
        "UnionEnum": "productions.vocabularies.Union",
        "ConsentKindEnum": "productions.vocabularies.ConsentKind",
        "PerformerUseEnum": "productions.vocabularies.PerformerUse",
        "ReviewStateEnum": "productions.vocabularies.ReviewState",
        "ToolKindEnum": "productions.vocabularies.ToolKind",
        "OperatorRoleEnum": "productions.vocabularies.OperatorRole",
        "TriStateEnum": "productions.vocabularies.TriState",
        "TrainingDataProvenanceEnum": "productions.vocabularies.TrainingDataProvenance",
        "OutputMarkingEnum": "productions.vocabularies.OutputMarking",
        "LiteracyMeasureKindEnum": "productions.vocabularies.LiteracyMeasureKind",
        "ConsentStatusEnum": "productions.consent_status.ConsentStatus",
        "PermissionEnum": "productions.vocabularies.Permission",
        "ConsentMediumEnum": "productions.vocabularies.ConsentMedium",
        "CoverageDecisionKindEnum": "productions.vocabularies.CoverageDecisionKind",
        "DocumentKindEnum": "disclosure.models.DocumentKind",
        "DocumentStatusEnum": "disclosure.models.DocumentStatus",
        "ItemStatusEnum": "disclosure.models.ItemStatus",
        "LanguageEnum": "config.settings.LANGUAGES",
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Disclosure documents
# The public address of this instance: QR codes in PDFs point to its verification page. With DEBUG off,
# `runserver`, `gunicorn` and the worker refuse a loopback address (disclosure.checks) unless
# REELPROOF_ALLOW_LOOPBACK=1, which `make run` sets: a local run serves on loopback.
REELPROOF_PUBLIC_URL = env("REELPROOF_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
REELPROOF_ALLOW_LOOPBACK = env_bool("REELPROOF_ALLOW_LOOPBACK", False)
# A render job whose worker was lost is queued again by the sweeper; after this many attempts it fails.
DISCLOSURE_RENDER_MAX_ATTEMPTS = env_int("DISCLOSURE_RENDER_MAX_ATTEMPTS", 3)
# PAdES signing of issued PDFs (disclosure/signing.py): a studio's key and certificate from files (PEM or DER;
# the chain as a comma-separated list of files); unset, the instance creates its own key and a self-signed
# certificate named REELPROOF_SIGNER_NAME on first use, in PRIVATE_MEDIA_ROOT/signing/.
REELPROOF_SIGNING_KEY_FILE = env("REELPROOF_SIGNING_KEY_FILE", "")
REELPROOF_SIGNING_CERT_FILE = env("REELPROOF_SIGNING_CERT_FILE", "")
REELPROOF_SIGNING_CHAIN_FILES = env_list("REELPROOF_SIGNING_CHAIN_FILES", "")
REELPROOF_SIGNING_KEY_PASSPHRASE = env("REELPROOF_SIGNING_KEY_PASSPHRASE", "")
REELPROOF_SIGNER_NAME = env("REELPROOF_SIGNER_NAME", "Reelproof disclosure signing (this instance)")
# PDF/A-3u archives the document with its machine-readable data embedded; empty for plain PDF.
DISCLOSURE_PDF_VARIANT = env("DISCLOSURE_PDF_VARIANT", "pdf/a-3u")
# A PDF listing more entries (uses, performers' works, tools) is laid out this many at a time, so that a
# render's memory does not grow with the document (disclosure/pdf_parts.py).
DISCLOSURE_PDF_PART_ITEMS = env_int("DISCLOSURE_PDF_PART_ITEMS", 400)
# The public verification page, per client IP (django-ratelimit, counted in CACHES["default"]).
DISCLOSURE_VERIFY_RATE_VIEW = env("DISCLOSURE_VERIFY_RATE_VIEW", "30/m")
DISCLOSURE_VERIFY_RATE_UPLOAD = env("DISCLOSURE_VERIFY_RATE_UPLOAD", "10/m")
DISCLOSURE_VERIFY_MAX_BYTES = env_int("DISCLOSURE_VERIFY_MAX_BYTES", 50 * 1024 * 1024)
# WeasyPrint logs every layout step at INFO: keep its progress out of the worker's log.
LOGGING.setdefault("loggers", {})["weasyprint.progress"] = {"level": "WARNING"}

# Security
# Served over HTTPS when DEBUG is off and the public address is https: then HSTS, the redirect to HTTPS and
# secure cookies are on unless turned off here. Behind a proxy that ends TLS, set
# DJANGO_SECURE_PROXY_SSL_HEADER to the header it sets (HTTP_X_FORWARDED_PROTO), or every request looks
# like plain HTTP and is redirected forever.
_HTTPS = not DEBUG and REELPROOF_PUBLIC_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", _HTTPS)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", _HTTPS)
_PROXY_SSL_HEADER = env("DJANGO_SECURE_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
# The public address is a trusted origin: a proxy may present the request under another host name.
CSRF_TRUSTED_ORIGINS = list(dict.fromkeys([*env_list("CSRF_TRUSTED_ORIGINS", ""), REELPROOF_PUBLIC_URL]))
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): our own scripts and styles only, nothing inline, no eval. htmx is
# told not to insert its indicator style (base.html); the Swagger UI relaxes styles on its page only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that account is refused from that address for AXES_COOLOFF_MINUTES, even with the right password.
# API tokens are not passwords and are not throttled here (REST_FRAMEWORK throttles the API).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
# Its start-up banner on every command and worker says nothing an operator needs.
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)

# Request size caps. Files are streamed to disk past FILE_UPLOAD_MAX_MEMORY_SIZE and checked against their
# own limits (consent documents, imports, verification); the rest of a request body stays small.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 5)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
# A whole request larger than this is refused with 413 before it is read (config.middleware): the largest
# legitimate upload plus room for the form around it.
REQUEST_MAX_BYTES = env_int(
    "REQUEST_MAX_BYTES",
    max(CONSENT_DOCUMENT_MAX_BYTES, IMPORT_MAX_BYTES, DISCLOSURE_VERIFY_MAX_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE,
)
# Signed scans are decoded in full to check them: larger images are refused (an A4 page at 600 dpi is 35 MP).
CONSENT_DOCUMENT_MAX_PIXELS = env_int("CONSENT_DOCUMENT_MAX_PIXELS", 60_000_000)
