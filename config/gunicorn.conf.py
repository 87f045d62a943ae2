"""gunicorn settings, read from the environment (docs/deployment.md).

    gunicorn -c config/gunicorn.conf.py config.wsgi

Every value has a default; set the GUNICORN_* variables to change them. The access log
goes to stdout: as JSON lines (core/logging.py) when DJANGO_LOG_FORMAT is "json" (the
production default), otherwise in gunicorn's plain format.
"""

import multiprocessing
import os

# config/__init__.py imports the Celery app, whose default is the local settings: be explicit.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "config.wsgi:application"
bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
# PDF rendering and sealing run in the request: allow them time before the worker is killed.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so a slow leak never grows.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Which proxies may set X-Forwarded-For / X-Forwarded-Proto (the load balancer's address).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application in the master before forking (faster start, less memory; a code
# reload then needs a restart, not a HUP).
preload_app = os.environ.get("GUNICORN_PRELOAD", "").lower() in ("1", "true", "yes")

loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = "-"  # stdout
errorlog = "-"  # stderr
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'

if os.environ.get("DJANGO_LOG_FORMAT", "json").lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.logging.JSONFormatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        },
        "root": {"level": "INFO", "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
