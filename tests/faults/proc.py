"""Entry point of the fault tests' subprocesses: ``python -m tests.faults.proc worker|sweep``.

Reads the test's settings from ``FAULT_*`` variables (the test database, media and seal
folders of the parent test), then either

- ``worker``: runs a real Celery worker (solo pool) on ``FAULT_BROKER``; with
  ``FAULT_HANG_MARKER`` set, the first certificate render writes that file and then hangs,
  so the parent can kill -9 the worker mid-task;
- ``sweep``: runs ``manage.py sweep`` once with small batches; with ``FAULT_SWEEP_PAUSE``
  set, each batch pauses inside its transaction (after writing) and writes a progress
  line to ``FAULT_SWEEP_PROGRESS``, so the parent can kill -9 it halfway.
"""

from __future__ import annotations

import os
import sys
import time


def _settings() -> None:
    import django
    from django.conf import settings

    django.setup()
    from pathlib import Path

    if os.environ.get("FAULT_MEDIA_ROOT"):
        settings.MEDIA_ROOT = Path(os.environ["FAULT_MEDIA_ROOT"])
    if os.environ.get("FAULT_SEAL_KEYS_DIR"):
        settings.SEAL_KEYS_DIR = Path(os.environ["FAULT_SEAL_KEYS_DIR"])
    if os.environ.get("FAULT_SEAL_TRUST_ROOTS"):
        settings.SEAL_TRUST_ROOTS = os.environ["FAULT_SEAL_TRUST_ROOTS"].split(os.pathsep)
    if os.environ.get("FAULT_SEAL_P12_PASSWORD"):
        settings.SEAL_P12_PASSWORD = os.environ["FAULT_SEAL_P12_PASSWORD"]


def worker() -> None:
    _settings()
    from pathlib import Path

    from certificates import services
    from config.celery_app import app

    marker = os.environ.get("FAULT_HANG_MARKER")
    if marker:
        original = services.certificate_render

        def hanging_render(certificate):  # type: ignore[no-untyped-def]
            path = Path(marker)
            if not path.exists():
                path.write_text(str(certificate.pk))
                time.sleep(600)  # the parent kills us here
            return original(certificate)

        services.certificate_render = hanging_render
    app.conf.broker_url = os.environ["FAULT_BROKER"]
    app.conf.task_always_eager = False
    # A task whose worker died un-acked goes back to the queue after this many seconds.
    app.conf.broker_transport_options = {"visibility_timeout": 2}
    app.worker_main(
        ["worker", "--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=INFO"]
    )


def sweep() -> None:
    _settings()
    from django.core.management import call_command

    from review import sweep as sweep_module

    sweep_module.BATCH_SIZE = int(os.environ.get("FAULT_SWEEP_BATCH", "50"))
    pause = float(os.environ.get("FAULT_SWEEP_PAUSE", "0"))
    progress = os.environ.get("FAULT_SWEEP_PROGRESS")
    if pause:
        original = sweep_module._abandon_locked

        def slow(rows, now):  # type: ignore[no-untyped-def]
            original(rows, now)
            if progress:
                with open(progress, "a") as f:
                    f.write(f"{len(rows)}\n")
            time.sleep(pause)  # inside the batch's transaction: a kill here rolls it back

        sweep_module._abandon_locked = slow
    call_command("sweep")


if __name__ == "__main__":
    {"worker": worker, "sweep": sweep}[sys.argv[1]]()
