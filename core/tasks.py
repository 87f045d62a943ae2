"""Celery tasks of the shared app: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from core.notifications import notifications_resend, notifications_send

# Retry delays grow 30 s, 60 s, 120 s ... up to this, with jitter (docs/notifications.md).
RETRY_BACKOFF_BASE = 30
RETRY_BACKOFF_MAX = 30 * 60
MAX_RETRIES = 6


def retry_countdown(retries: int) -> int:
    """Seconds to wait before retry number ``retries + 1``: exponential, capped."""
    return int(min(RETRY_BACKOFF_MAX, RETRY_BACKOFF_BASE * 2**retries))


class NotificationEmailsFailed(Exception):
    """Some emails of a batch failed; the task retries just those."""


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_notification_emails(self, ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Email each notification once; retry the ones the mail gateway refused, with backoff.

    A row already sent is skipped, so a retry or a re-queue by the sweep never sends
    twice. When the retries run out the rows stay unsent; the sweep step
    ``notifications_requeue`` tries them again until ``MAX_EMAIL_ATTEMPTS``.
    """
    failed = notifications_send(ids)
    if failed:
        raise self.retry(
            args=[failed],
            countdown=retry_countdown(self.request.retries),
            exc=NotificationEmailsFailed(f"{len(failed)} of {len(ids)} emails failed"),
        )
    return len(ids)


@shared_task
def resend_pending_notifications() -> int:
    """Send the emails a broker or mail outage held back, in the worker."""
    return notifications_resend()
