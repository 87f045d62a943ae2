"""Production settings: every secret from the environment, no defaults for them."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Only needed when the site's origin differs from the Host the proxy passes on.
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_CACHE_URL", default=env("REDIS_URL")),
    }
}
CELERY_BROKER_URL = env("REDIS_URL")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep the JSON logging below in worker and beat too (Celery would replace the root logger).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Static files: whitenoise serves them from the web processes, compressed, with hashed
# names cached for ever (run `manage.py collectstatic` on every release).
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Logs: JSON lines on stdout (core/logging.py); DJANGO_LOG_FORMAT=text for plain lines.
LOGGING["handlers"]["console"]["formatter"] = env("DJANGO_LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["stream"] = "ext://sys.stdout"

# Mail: an SMTP URL, e.g. smtp+tls://user:password@smtp.example.cn:587 (else DJANGO_EMAIL_BACKEND).
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe health over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# The password of the seal keys' PKCS#12 files (docs/seals.md); no default.
SEAL_P12_PASSWORD = env("SEAL_P12_PASSWORD")
