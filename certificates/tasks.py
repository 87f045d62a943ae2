"""Celery tasks of the certificates app: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from certificates.services import document_batch_item_run


@shared_task(acks_late=True)
def document_batch_item(batch_id: int, declaration_id: int) -> str:
    """Render and store one declaration's documents for a batch; idempotent."""
    return document_batch_item_run(batch_id=batch_id, declaration_id=declaration_id)
