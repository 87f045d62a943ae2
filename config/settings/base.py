"""Settings shared by every environment; values come from the environment."""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():  # (read_env logs a line on every start when it is missing)
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",  # login throttling (docs/reliability.md, Hardening)
    "csp",  # Content-Security-Policy header (docs/reliability.md, Hardening)
    "core",
    "accounts",
    "declarations",
    "review",
    "committees",
    "certificates",
    "reports",
]

MIDDLEWARE = [
    "core.logging.RequestIDMiddleware",  # X-Request-ID on every response and log line
    "core.proxy.ForwardedForMiddleware",  # REMOTE_ADDR from DJANGO_TRUSTED_PROXIES' X-Forwarded-For
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.security.SessionIdleTimeoutMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Load balancers / reverse proxies whose X-Forwarded-For names the client (core/proxy.py).
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])

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
                "core.context_processors.roles",
            ],
        },
    },
]

# SECRET_KEY and DATABASES are set by each environment's settings module.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for new and changed passwords; older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Uploaded and generated files: local disk under MEDIA_ROOT, or an S3-compatible object
# store when S3_BUCKET is set (docs/deployment.md). Either way files stay private: the
# platform serves them through its own permission-checked views.
_s3_bucket = env("S3_BUCKET", default="")
if _s3_bucket:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            # Empty means boto3's own lookup (AWS_* variables, instance role, AWS itself).
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,  # path / virtual
            "location": env("S3_PREFIX", default=""),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's default: keep the bucket private
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with WWW-Authenticate.
        "core.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("数字技术职称申报评审平台 API"),
    "DESCRIPTION": "REST API of the digital-technology title declaration and review platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # "kind" and "level" name two choice sets each; give every set one stable name.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.enums.OrgKind",
        "OrganisationLevelEnum": "accounts.enums.AdminLevel",
        "DeclarationLevelEnum": "declarations.enums.Level",
        "DeclarationStateEnum": "declarations.enums.State",
        "DecisionKindEnum": "review.enums.DecisionKind",
        "AchievementKindEnum": "declarations.enums.AchievementKind",
        "EducationLevelEnum": "declarations.enums.EducationLevel",
    },
}

CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery beat: the sweep acts on what has fallen due (review/sweep.py); without Redis,
# `manage.py sweep --loop 60` does the same (`make run` starts it).
CELERY_BEAT_SCHEDULE = {
    "sweep-due": {"task": "review.tasks.sweep", "schedule": 5 * 60.0},
    "resend-pending-notifications": {
        "task": "core.tasks.resend_pending_notifications",
        "schedule": 10 * 60.0,
    },
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="zhicheng@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Plain text here; production writes JSON lines to stdout (core/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIDFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("DJANGO_LOG_FORMAT", default="text"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step and fontTools every subset at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# /healthz: seconds each dependency check may take (core/health.py).
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=2.0)

# Evidence files (declarations/evidence.py, docs/achievements-and-evidence.md).
EVIDENCE_MAX_FILE_BYTES = env.int("EVIDENCE_MAX_FILE_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_DECLARATION_BYTES = env.int("EVIDENCE_MAX_DECLARATION_BYTES", default=100 * 1024 * 1024)
# A callable (data, *, content_type, name) -> None to accept or a reason to refuse.
EVIDENCE_SCANNER = env("EVIDENCE_SCANNER", default="declarations.evidence.accept_all")
# Fees (R8.5, declarations/payments.py, docs/fees.md): the class that confirms payments.
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="declarations.payments.CommitteeStaffGateway")

# R5.4: the class that answers shared-data lookups (declarations/shareddata/sources.py);
# by default the reference dataset imported with `manage.py import_shared_data`.
SHARED_DATA_SOURCE = env(
    "SHARED_DATA_SOURCE", default="declarations.shareddata.sources.DatabaseSource"
)

# Electronic seals (certificates/seals.py, docs/seals.md): one PKCS#12 per sealing identity
# in SEAL_KEYS_DIR; PDFs are checked against the CA certificates (PEM files) in SEAL_TRUST_ROOTS.
SEAL_KEYS_DIR = Path(env("SEAL_KEYS_DIR", default=str(BASE_DIR / "var" / "seals")))
SEAL_TRUST_ROOTS = env.list("SEAL_TRUST_ROOTS", default=[str(SEAL_KEYS_DIR / "ca.pem")])

# The platform's public address: printed into each e-certificate's QR code (R8.7), so it
# must be the address people will reach for years. Set it before issuing in production.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# --- Hardening (docs/reliability.md, "Hardening") ---
# Sessions: at most 8 hours from login (absolute), and 30 minutes without a request for a
# title administrator or the office (core/security.py); applicants get the 8 hours.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # the age counts from login, so the 8 hours are absolute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# API tokens expire like sessions (core/authentication.py); a new one is obtained with
# the password.
API_TOKEN_AGE = env.int("DJANGO_API_TOKEN_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT_STAFF = env.int("DJANGO_SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): 5 failed logins for one username from one address lock
# that pair for 15 minutes; the page answers 429 with a message. Counted in the database,
# so every web process shares the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The client's address as core.proxy.ForwardedForMiddleware set it.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts and styles only from our own static files;
# no inline <script>, no eval. style-src-attr allows style="" attributes (widths of bars
# and seal positions), never <style> elements. The API docs pages relax styles only
# (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
