"""Notification emails: the office's templates, retries, the sweep's re-queue, at most once.

Only the mail gateway is replaced (locmem, or the failing backends below); the database
and Celery (eager, as in every test) are real.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from pathlib import Path
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from core.models import Notification, NotificationTemplate
from core.notifications import (
    MAX_EMAIL_ATTEMPTS,
    NOTIFICATION_KINDS,
    notification_email_send,
    notifications_requeue,
    notify,
    notify_each,
)
from core.tasks import RETRY_BACKOFF_MAX, retry_countdown, send_notification_emails
from review.sweep import SWEEP_STEPS, sweep_due
from tests.factories import UserFactory


class FlakyBackend(LocmemBackend):
    """Refuses the first ``failures`` sends, then delivers to ``mail.outbox``."""

    failures = 0
    calls = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SMTPException("gateway down")
        return super().send_messages(messages)


class SlowBackend(LocmemBackend):
    """Takes its time, so that two senders overlap."""

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        time.sleep(0.5)
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.calls = 0
    FlakyBackend.failures = 0
    return FlakyBackend


def _old(n: Notification) -> Notification:
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    return n


# --- templates ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_template_words_inbox_row_and_email(settings):
    settings.SITE_URL = "https://zc.example.cn"
    user = UserFactory(real_name="张三")
    NotificationTemplate.objects.create(
        kind="certificate_issued",
        subject="【职称平台】{{ title }}",
        body="{{ recipient_name }}同志：\n{{ body }}\n请访问 {{ link }}",
    )

    notify(recipients=[user], kind="certificate_issued", title="证书已颁发", body="可下载。", url="/d/1/")

    n = Notification.objects.get(recipient=user)
    assert n.title == "【职称平台】证书已颁发"
    assert n.body == "张三同志：\n可下载。\n请访问 https://zc.example.cn/d/1/"
    assert n.emailed_at is not None
    [message] = mail.outbox
    assert message.subject == "【职称平台】证书已颁发"
    assert "张三同志：" in message.body
    assert "https://zc.example.cn/d/1/" in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://zc.example.cn/d/1/">' in html


@pytest.mark.django_db
def test_code_text_used_without_template_or_when_inactive():
    user = UserFactory()
    NotificationTemplate.objects.create(kind="review_waiting", subject="X {{ title }}", is_active=False)

    [n] = notify(recipients=[user], kind="review_waiting", title="待审核", body="正文")

    assert (n.title, n.body) == ("待审核", "正文")


@pytest.mark.django_db
def test_template_sees_only_strings_and_caller_context():
    user = UserFactory()
    NotificationTemplate.objects.create(
        kind="committee_invitation",
        subject="{{ recipient_name.password }}{{ title }}",
        body="{{ meeting }}|{{ recipient.password }}|{% load static %}",
    )

    # {% load static %} is not available in the sandbox: the code's text is used instead.
    invite = {"kind": "committee_invitation", "title": "邀请", "body": "b", "context": {"meeting": "M1"}}
    [n] = notify(recipients=[user], **invite)
    assert (n.title, n.body) == ("邀请", "b")

    NotificationTemplate.objects.filter(kind="committee_invitation").update(
        body="{{ meeting }}|{{ recipient.password }}|"
    )
    [n] = notify(recipients=[user], **invite)
    assert (n.title, n.body) == ("邀请", "M1||")


@pytest.mark.django_db
def test_notify_each_uses_templates_with_one_query_for_them(django_assert_num_queries):
    users = UserFactory.create_batch(3)
    NotificationTemplate.objects.create(kind="declaration_abandon", subject="放弃：{{ recipient_name }}")
    items = [(u, "declaration_abandon", "t", "b", "/x/") for u in users]

    with django_assert_num_queries(2):  # the templates, the bulk insert
        rows = notify_each(items)

    assert [r.title for r in rows] == [f"放弃：{u}" for u in users]


def test_every_kind_the_code_sends_is_registered():
    root = Path(__file__).resolve().parents[2]
    sent: set[str] = set()
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "tests", "bench"} or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"notify\((.*?)\n\s*\)", text, re.S):
            sent.update(re.findall(r'kind="(\w+)"', call.group(1)))
        sent.update(re.findall(r'\(\s*\w+(?:\.\w+)?,\s*"(declaration_\w+)"', text))
    from declarations.services import _APPLICANT_NEWS

    sent.update(f"declaration_{name}" for name in _APPLICANT_NEWS)

    assert sent, "no notify() call found"
    assert sent - set(NOTIFICATION_KINDS) == set()


# --- delivery -------------------------------------------------------------------------------


@pytest.fixture
def celery_retries():
    """Let eager tasks retry as a worker would (the test settings propagate errors instead)."""
    conf = send_notification_emails.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.mark.django_db(transaction=True)
def test_failed_send_is_retried_and_sent_once(flaky, celery_retries):
    flaky.failures = 2
    user = UserFactory()

    notify(recipients=[user], kind="review_waiting", title="待审核")

    n = Notification.objects.get()
    assert n.emailed_at is not None
    assert n.email_attempts == 3
    assert flaky.calls == 3
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_gateway_down_keeps_row_and_sweep_sends_it_later(flaky):
    flaky.failures = 10**6
    user = UserFactory()

    notify(recipients=[user], kind="review_waiting", title="待审核")

    n = Notification.objects.get()
    assert n.emailed_at is None
    assert 1 <= n.email_attempts <= MAX_EMAIL_ATTEMPTS
    Notification.objects.filter(pk=n.pk).update(email_attempts=1)  # an earlier outage
    flaky.failures = 0
    flaky.calls = 0
    _old(n)

    counts = sweep_due(timezone.now())

    assert counts["notifications_requeued"] == 1
    n.refresh_from_db()
    assert n.emailed_at is not None
    assert len(mail.outbox) == 1
    assert sweep_due(timezone.now())["notifications_requeued"] == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_leaves_recent_and_exhausted_rows():
    user = UserFactory()
    recent = Notification.objects.create(recipient=user, kind="x", title="刚写入")
    exhausted = _old(
        Notification.objects.create(recipient=user, kind="x", title="放弃", email_attempts=MAX_EMAIL_ATTEMPTS)
    )

    assert notifications_requeue(timezone.now()) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(pk__in=[recent.pk, exhausted.pk], emailed_at__isnull=True).count() == 2


def test_sweep_step_is_registered():
    assert "notifications_requeued" in dict(SWEEP_STEPS)


@pytest.mark.django_db
def test_recipient_without_address_is_done_without_mail():
    user = UserFactory(email="")
    n = Notification.objects.create(recipient=user, kind="x", title="t")

    assert notification_email_send(notification_id=n.pk) is True

    n.refresh_from_db()
    assert n.emailed_at is not None
    assert mail.outbox == []


@pytest.mark.django_db
def test_task_resending_a_sent_row_sends_nothing():
    user = UserFactory()
    n = Notification.objects.create(recipient=user, kind="x", title="t")

    send_notification_emails.delay([n.pk])
    send_notification_emails.delay([n.pk])

    assert len(mail.outbox) == 1


def test_retry_backoff_grows_and_is_capped():
    delays = [retry_countdown(i) for i in range(10)]
    assert delays[:3] == [30, 60, 120]
    assert delays == sorted(delays)
    assert max(delays) == RETRY_BACKOFF_MAX


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_email(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    user = UserFactory()
    n = Notification.objects.create(recipient=user, kind="x", title="同时发送")
    results: list[bool] = []

    def send() -> None:
        try:
            results.append(notification_email_send(notification_id=n.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results == [True, True, True]
    assert len(mail.outbox) == 1
    n.refresh_from_db()
    assert n.email_attempts == 1
