"""Settings of ``make bench`` (docs/benchmarks.md): production, on one machine.

Production settings unchanged (DEBUG off, Redis cache, persistent connections, whitenoise,
the full middleware stack) with three differences a local benchmark needs: plain HTTP
(no TLS redirect, cookies not marked Secure), defaults for the secrets production
refuses to guess, and ``bench.urls`` as the root URLconf, which mounts the baseline
views beside the platform's own URLs.
"""

import os
from pathlib import Path

# Set before the base settings are imported: they read these at import time.
_ROOT = Path(__file__).resolve().parent.parent.parent
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://zhicheng:zhicheng@127.0.0.1:5432/zh_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("SEAL_P12_PASSWORD", "zhicheng-dev-seal")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "False")
os.environ["SEAL_KEYS_DIR"] = os.environ.get("BENCH_SEAL_KEYS_DIR", str(_ROOT / "var" / "bench" / "seals"))
os.environ.setdefault("DJANGO_STATIC_ROOT", str(_ROOT / "var" / "bench" / "static"))

from .production import *  # noqa: E402

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CACHES["default"]["KEY_PREFIX"] = "zhicheng-bench"
# The bench has no mail server: keep the outbox in memory of the worker that sends it.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The baselines' template (bench/templates/); bench is not an installed app.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
