"""Celery tasks of the shared app: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from core.notifications import notification_email_send, notifications_resend


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_notification_emails(self, ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Email each notification; retry the batch if the mail gateway fails."""
    try:
        for pk in ids:
            notification_email_send(notification_id=pk)
    except Exception as exc:  # noqa: BLE001 - retried; the rows stay unsent until then
        raise self.retry(exc=exc) from exc


@shared_task
def resend_pending_notifications() -> int:
    """Periodic: send the emails a broker or mail outage held back."""
    return notifications_resend()
