"""Celery tasks of the review app: they take ids (or nothing) and call a service."""

from __future__ import annotations

from celery import shared_task

from review.sweep import sweep_due


@shared_task
def sweep() -> dict[str, int]:
    """Periodic (every 5 minutes, CELERY_BEAT_SCHEDULE): act on everything that has fallen due."""
    return sweep_due()
