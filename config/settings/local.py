"""Zero-setup settings for trying the platform on one machine: SQLite, tasks in-process."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
# No broker on a machine that only tries the platform: run every task in-process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The password of the development seal keys (`manage.py seal_dev_ca`, docs/seals.md).
SEAL_P12_PASSWORD = env("SEAL_P12_PASSWORD", default="zhicheng-dev-seal")
