"""The audit trail is append-only: rows are written once and never changed or removed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from accounts.models import Organisation
from core.models import AuditEvent
from core.services import audit_record
from tests.factories import OrganisationFactory, UserFactory


def stored(event: AuditEvent) -> tuple:  # type: ignore[type-arg]
    row = AuditEvent.objects.get(pk=event.pk)
    return (row.action, row.actor_id, row.from_state, row.to_state, row.reason, row.data, row.at)


@pytest.mark.django_db
def test_audit_record_writes_one_row_about_the_object():
    actor = UserFactory()
    org = OrganisationFactory()

    event = audit_record(
        actor=actor,
        obj=org,
        action="organisation_register",
        from_state="a",
        to_state="b",
        reason="理由",
        data={"k": 1},
    )

    row = AuditEvent.objects.get()
    assert row.pk == event.pk
    assert (row.actor, row.content_type, row.object_id) == (
        actor,
        ContentType.objects.get_for_model(Organisation),
        str(org.pk),
    )
    assert (row.action, row.from_state, row.to_state, row.reason, row.data) == (
        "organisation_register",
        "a",
        "b",
        "理由",
        {"k": 1},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_audit_record_without_a_saved_actor_stores_none(actor):
    event = audit_record(actor=actor, obj=OrganisationFactory(), action="system_sweep")
    assert AuditEvent.objects.get(pk=event.pk).actor is None
    assert AuditEvent.objects.get(pk=event.pk).data == {}


@pytest.mark.django_db
def test_audit_event_update_via_save_refused():
    event = audit_record(actor=UserFactory(), obj=OrganisationFactory(), action="x", reason="原始理由")
    before = stored(event)

    event.reason = "篡改后的理由"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.save(update_fields=["reason"])

    assert stored(event) == before


@pytest.mark.django_db
def test_audit_event_delete_via_model_refused():
    event = audit_record(actor=UserFactory(), obj=OrganisationFactory(), action="x")
    before = stored(event)

    with pytest.raises(RuntimeError):
        event.delete()

    assert AuditEvent.objects.count() == 1
    assert stored(event) == before


@pytest.mark.django_db
def test_audit_event_refetched_row_cannot_be_saved_either():
    event = audit_record(actor=None, obj=OrganisationFactory(), action="x")
    fetched = AuditEvent.objects.get(pk=event.pk)
    fetched.action = "y"
    with pytest.raises(RuntimeError):
        fetched.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


@pytest.mark.django_db
def test_audit_queryset_refuses_bulk_update_and_delete():
    audit_record(actor=UserFactory(), obj=OrganisationFactory(), action="x")

    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().update(reason="rewritten")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().reason == ""


@pytest.mark.django_db(transaction=True)
def test_audit_database_trigger_refuses_raw_update_and_delete():
    from django.db import DatabaseError, connection, transaction

    event = audit_record(actor=UserFactory(), obj=OrganisationFactory(), action="x")

    for sql in (
        "UPDATE core_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
