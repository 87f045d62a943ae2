"""Settings for the test suite: a real PostgreSQL and a real Redis."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgres://zhicheng:zhicheng@127.0.0.1:5432/zhicheng"
    )
}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("TEST_CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "zhicheng-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
# Tasks run in the test process; the suite still talks to Redis for the cache.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SEAL_P12_PASSWORD = env("SEAL_P12_PASSWORD", default="zhicheng-test-seal")

# Files the tests write (evidence, minutes, sealed PDFs, seal keys) go to a scratch folder,
# never into var/ of the working tree.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

_TEST_FILES = Path(tempfile.mkdtemp(prefix="zhicheng-test-"))
MEDIA_ROOT = _TEST_FILES / "media"
SEAL_KEYS_DIR = _TEST_FILES / "seals"
SEAL_TRUST_ROOTS = [str(SEAL_KEYS_DIR / "ca.pem")]
