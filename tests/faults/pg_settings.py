"""Settings of the app server in the PostgreSQL-restart fault test (tests/faults/test_pg_restart.py).

The production settings as a deployment runs them: DEBUG off, persistent database
connections (``CONN_MAX_AGE``) with ``CONN_HEALTH_CHECKS``, the 5 s connect timeout, the
Redis cache and broker, the full middleware stack. The test passes ``DATABASE_URL`` (the
private PostgreSQL cluster) and ``REDIS_URL`` (a private redis-server). Differences, none
touching the database: plain HTTP (no TLS redirect), defaults for the secrets production
refuses to guess, static files without the collectstatic manifest (``collectstatic`` is
not run), e-mail kept in memory.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "fault-test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SEAL_P12_PASSWORD", "zhicheng-test-seal")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "False")

from config.settings.production import *  # noqa: E402, F403

STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("FAULT_MEDIA_ROOT"):
    from pathlib import Path

    MEDIA_ROOT = Path(os.environ["FAULT_MEDIA_ROOT"])
