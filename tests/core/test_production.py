"""Production settings: import with the required environment, pass `check --deploy`,
whitenoise for static files, local disk or S3 for uploads, gunicorn's configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

REQUIRED = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 30 + "-production-like-secret-0123456789-abcdefgh",
    "DJANGO_ALLOWED_HOSTS": "zhicheng.example.cn",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://zhicheng:zhicheng@127.0.0.1:5432/zhicheng"),
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SEAL_P12_PASSWORD": "not-a-real-password",
}
# Variables of the calling environment that would change what production reads.
_STRIP = ("S3_", "DJANGO_", "REDIS_", "GUNICORN_", "CACHE_URL", "CELERY_")


def _env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_STRIP)}
    return {**base, **REQUIRED, **extra}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "middleware": settings.MIDDLEWARE,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "default": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "endpoint": getattr(default_storage, "endpoint_url", None),
    "static_class": type(storages["staticfiles"]).__name__,
    "formatter": settings.LOGGING["handlers"]["console"]["formatter"],
    "hijack": settings.CELERY_WORKER_HIJACK_ROOT_LOGGER,
    "db_options": settings.DATABASES["default"]["OPTIONS"],
}))
"""


def test_check_deploy_reports_nothing():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], _env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_import_with_the_required_environment():
    result = _run([sys.executable, "-c", PROBE], _env())

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["debug"] is False
    security = probe["middleware"].index("django.middleware.security.SecurityMiddleware")
    assert probe["middleware"][security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert probe["middleware"][0] == "core.logging.RequestIDMiddleware"
    assert probe["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert probe["static_class"] == "CompressedManifestStaticFilesStorage"
    assert probe["default"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert probe["formatter"] == "json"
    assert probe["hijack"] is False
    assert probe["db_options"]["connect_timeout"] == 5


def test_s3_bucket_switches_file_storage_to_the_object_store():
    env = _env(
        S3_BUCKET="zhicheng-files",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_ACCESS_KEY_ID="minio",
        S3_SECRET_ACCESS_KEY="minio-secret",
        S3_ADDRESSING_STYLE="path",
    )
    result = _run([sys.executable, "-c", PROBE], env)

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["default"] == "storages.backends.s3.S3Storage"
    assert probe["bucket"] == "zhicheng-files"
    assert probe["endpoint"] == "http://127.0.0.1:9000"


def test_production_refuses_to_start_without_a_required_variable():
    env = _env()
    del env["SEAL_P12_PASSWORD"]
    del env["DJANGO_SECRET_KEY"]
    result = _run([sys.executable, "-c", PROBE], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_gunicorn_configuration_reads_the_environment():
    env = _env(GUNICORN_BIND="127.0.0.1:8123", GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="45")
    result = _run(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--print-config", "config.wsgi"],
        env,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    config = dict(
        (part.strip() for part in line.split("=", 1)) for line in result.stdout.splitlines() if "=" in line
    )
    assert config["bind"] == "['127.0.0.1:8123']"
    assert config["workers"] == "3"
    assert config["timeout"] == "45"
    assert config["accesslog"] == "-"
    assert config["wsgi_app"] == "config.wsgi:application"
