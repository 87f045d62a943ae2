"""Faults: the broker down, a worker killed mid-task, the database connection cut, the
sweep killed halfway (issue 9 part 3).

Each test brings its own fault and its own private service: a ``redis-server`` on a free
loopback port, a Celery worker or a sweep in a subprocess killed by its pid. The shared
PostgreSQL server is never restarted: a connection cut in the middle of a submission is
made with ``pg_terminate_backend`` of the test's own backend; a real restart under load
runs on a private cluster (test_pg_restart.py).
"""

from __future__ import annotations

import datetime as dt
import time

import psycopg2
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from certificates.enums import BatchState
from certificates.models import Certificate, DocumentBatch
from certificates.services import document_batch_start
from config.celery_app import app as celery_app
from core.models import AuditEvent, Notification
from core.notifications import notifications_resend
from declarations.enums import State
from declarations.models import Declaration
from review.models import RouteStep
from tests.factories import CampaignFactory, DeclarationFactory
from tests.faults.helpers import PrivateRedis, kill9, python_subprocess, wait_for
from tests.review.test_services import draft

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker():
    """A private Redis the Celery app publishes to (not eager) for the test's duration."""
    redis = PrivateRedis().start()
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.broker_url = redis.url
    celery_app.conf.task_always_eager = False
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None
    try:
        yield redis
    finally:
        redis.stop()
        celery_app.conf.update(saved)
        if celery_app._pool is not None:  # type: ignore[attr-defined]
            celery_app._pool.force_close_all()  # type: ignore[attr-defined]
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None


def test_redis_down_submission_saved_and_emails_follow(world, applicant, broker):
    declaration = draft(world, applicant)
    broker.stop()
    client = APIClient()
    client.force_authenticate(applicant)
    started = time.monotonic()
    response = client.post(
        f"/api/v1/declarations/{declaration.pk}/submit/", {"integrity_accepted": True}, format="json"
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.content
    assert elapsed < 15, f"the outage held the request {elapsed:.1f}s"
    assert Declaration.objects.get(pk=declaration.pk).state == State.IN_REVIEW
    waiting = Notification.objects.filter(recipient=world.admin(world.unit), emailed_at__isnull=True)
    assert waiting.count() == 1
    assert mail.outbox == []

    # Redis is back: new events are queued again, the held-back email goes out once.
    broker.start()
    assert notifications_resend() >= 1
    assert notifications_resend() == 0
    assert [m.to for m in mail.outbox] == [[world.admin(world.unit).email]]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_redis_back_queues_the_email_task(world, applicant, broker):
    declaration = draft(world, applicant)
    client = APIClient()
    client.force_authenticate(applicant)
    response = client.post(
        f"/api/v1/declarations/{declaration.pk}/submit/", {"integrity_accepted": True}, format="json"
    )
    assert response.status_code == 200
    # Published to the private broker, not run in the request.
    assert broker.queue_length() == 1
    assert mail.outbox == []


@pytest.fixture
def confirmed_docs(settings, tmp_path, seal_settings):
    from tests.certificates.document_factories import confirmed_meeting_make

    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make(candidates=1, opinion=False)
    seal_settings.issue_all()
    return cm



def test_worker_killed_while_rendering_certificate_reruns_once(confirmed_docs, broker, tmp_path):
    cm = confirmed_docs
    marker = tmp_path / "rendering"
    log = tmp_path / "worker.log"
    batch = document_batch_start(meeting=cm.meeting, actor=cm.staff)
    assert broker.queue_length() == 1
    worker = python_subprocess(
        "tests.faults.proc", "worker", log=log, FAULT_BROKER=broker.url, FAULT_HANG_MARKER=str(marker)
    )
    try:
        wait_for(marker.exists, 90, f"the worker never started rendering:\n{log.read_text()[-3000:]}")
        reserved = Certificate.objects.get()
        assert not reserved.is_stored  # number reserved, PDF not stored yet
        kill9(worker)
        # Nothing was acknowledged: a fresh worker gets the task back and finishes it.
        worker = python_subprocess("tests.faults.proc", "worker", log=log, FAULT_BROKER=broker.url)

        def finished():  # type: ignore[no-untyped-def]
            return DocumentBatch.objects.get(pk=batch.pk).state == BatchState.FINISHED

        wait_for(finished, 120, f"the task was not re-run:\n{log.read_text()[-3000:]}", every=0.5)
    finally:
        kill9(worker)
    certificates = list(Certificate.objects.all())
    assert len(certificates) == 1
    assert certificates[0].number == reserved.number
    assert certificates[0].is_stored
    assert Declaration.objects.get(pk=cm.declarations[0].pk).state == State.CERTIFIED
    assert AuditEvent.objects.filter(action="certificate_issue").count() == 1


def _terminate_own_backend() -> None:
    """Cut this process's database connection from the server side, as a restart would."""
    pid = connection.connection.info.backend_pid
    db = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        admin.close()


@pytest.mark.parametrize("via", ["page", "api"])
def test_connection_cut_mid_submission_fails_cleanly(world, applicant, monkeypatch, via):
    declaration = draft(world, applicant)
    from declarations import services

    original = services.version_freeze
    calls = {"n": 0}

    def cut_then_freeze(**kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            _terminate_own_backend()
        return original(**kwargs)

    monkeypatch.setattr(services, "version_freeze", cut_then_freeze)
    audit_before = AuditEvent.objects.count()
    if via == "page":
        client = Client(raise_request_exception=False)
        client.force_login(applicant)
        response = client.post(f"/declarations/{declaration.pk}/submit/", {"integrity_accepted": "on"})
    else:
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(applicant)
        response = client.post(
            f"/api/v1/declarations/{declaration.pk}/submit/", {"integrity_accepted": True}, format="json"
        )
    assert response.status_code in (500, 503)
    assert b"Traceback" not in response.content
    assert b"psycopg2" not in response.content
    connection.close()
    # Nothing half-written: still a draft, no route, no audit row, no notification.
    d = Declaration.objects.get(pk=declaration.pk)
    assert d.state == State.DRAFT
    assert d.integrity_signed_at is None
    assert not RouteStep.objects.filter(declaration=d).exists()
    assert AuditEvent.objects.count() == audit_before
    assert not Notification.objects.exists()
    # The next request gets a fresh connection and succeeds.
    if via == "page":
        client.force_login(applicant)
        again = client.post(f"/declarations/{declaration.pk}/submit/", {"integrity_accepted": "on"})
        assert again.status_code == 302
    else:
        again = client.post(
            f"/api/v1/declarations/{declaration.pk}/submit/", {"integrity_accepted": True}, format="json"
        )
        assert again.status_code == 200, again.content
    assert Declaration.objects.get(pk=declaration.pk).state == State.IN_REVIEW


def test_sweep_killed_halfway_and_rerun(tmp_path):
    campaign = CampaignFactory()
    overdue = timezone.now() - dt.timedelta(days=1)
    rows = [
        DeclarationFactory(campaign=campaign, state=State.RETURNED, correction_due_at=overdue)
        for _ in range(150)
    ]
    progress = tmp_path / "progress"
    log = tmp_path / "sweep.log"
    proc = python_subprocess(
        "tests.faults.proc", "sweep", log=log,
        FAULT_SWEEP_BATCH="50", FAULT_SWEEP_PAUSE="30", FAULT_SWEEP_PROGRESS=str(progress),
    )
    try:
        # Kill it while the first batch's transaction is open...
        wait_for(progress.exists, 60, f"the sweep never reached a batch:\n{log.read_text()[-3000:]}")
    finally:
        kill9(proc)
    # ...so nothing of that batch is kept: the transaction died with the connection.
    wait_for(
        lambda: Declaration.objects.filter(state=State.RETURNED).count() == 150, 10,
        "a killed sweep's batch was left half-written",
    )
    assert not AuditEvent.objects.filter(action="abandon").exists()

    # A second sweep killed after one committed batch, while the second is open...
    progress.unlink()
    proc = python_subprocess(
        "tests.faults.proc", "sweep", log=log,
        FAULT_SWEEP_BATCH="50", FAULT_SWEEP_PAUSE="3", FAULT_SWEEP_PROGRESS=str(progress),
    )
    try:
        wait_for(lambda: progress.exists() and len(progress.read_text().split()) >= 2, 60,
                 f"the sweep never reached its second batch:\n{log.read_text()[-3000:]}")
    finally:
        kill9(proc)
    wait_for(
        lambda: Declaration.objects.filter(state=State.ABANDONED).count() == 50, 10,
        "the committed batch was not kept, or the open one was",
    )
    assert AuditEvent.objects.filter(action="abandon").count() == 50
    proc = python_subprocess("tests.faults.proc", "sweep", log=log)
    proc.wait(120)
    assert proc.returncode == 0, log.read_text()[-3000:]
    # ... and the rerun finishes it: every row abandoned exactly once.
    abandoned = Declaration.objects.filter(pk__in=[r.pk for r in rows], state=State.ABANDONED).count()
    assert abandoned == 150
    assert AuditEvent.objects.filter(action="abandon").count() == 150
    assert Notification.objects.filter(kind__contains="abandon").count() == 150
    rerun = python_subprocess("tests.faults.proc", "sweep", log=log)
    rerun.wait(120)
    assert AuditEvent.objects.filter(action="abandon").count() == 150
