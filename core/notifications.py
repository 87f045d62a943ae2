"""Tell people what needs them: an inbox row now, an email after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


def notify(
    *, recipients: Iterable[object], kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Write one inbox row per recipient and queue their emails for after commit.

    Call inside the transaction of the event: if it rolls back, nobody is told.
    """
    rows = [
        Notification(recipient=r, kind=kind, title=title[:200], body=body, url=url)
        for r in {getattr(r, "pk", None): r for r in recipients if getattr(r, "pk", None)}.values()
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def notify_each(items: Iterable[tuple[object, str, str, str, str]]) -> list[Notification]:
    """Like ``notify`` for many different messages at once: one bulk insert, one email task.

    ``items`` are ``(recipient, kind, title, body, url)``. Call inside the transaction of
    the events.
    """
    rows = [
        Notification(recipient=r, kind=kind, title=title[:200], body=body, url=url)
        for r, kind, title, body, url in items
        if getattr(r, "pk", None)
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from core.tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:  # noqa: BLE001 - a broker outage must not fail the request;
        # the rows stay unsent and ``notifications_resend`` picks them up later.
        logger.warning("broker unavailable; %d notification emails left for the sweep", len(ids))


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email once; return whether it is now sent."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if n is None:
            return True
        if not n.recipient.email:
            # Nobody to mail: the inbox row is the notification.
            n.emailed_at = timezone.now()
            n.save(update_fields=["emailed_at"])
            return True
        Notification.objects.filter(pk=n.pk).update(email_attempts=F("email_attempts") + 1)
        body = n.body + (f"\n\n{settings.SITE_URL}{n.url}" if n.url else "")
        send_mail(n.title, body, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at"])
        return True


def notifications_resend() -> int:
    """Send every email still pending (held back by a broker or mail outage)."""
    sent = 0
    pending = Notification.objects.filter(
        emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS
    ).values_list("pk", flat=True)[:1000]
    for pk in list(pending):
        try:
            notification_email_send(notification_id=pk)
            sent += 1
        except Exception:  # noqa: BLE001 - one failing address must not stop the others
            logger.exception("notification %s: email failed", pk)
    return sent


def notification_mark_read(*, notification: Notification, actor: object) -> None:
    if notification.recipient_id == getattr(actor, "pk", None) and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
