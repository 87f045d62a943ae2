"""The periodic sweep: abandons overdue returns (R6.1, R6.6), idempotent and bounded."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent, Notification
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_resubmit
from review.services import step_return
from review.sweep import SWEEP_STEPS, sweep_due
from review.tasks import sweep
from tests.factories import UserFactory
from tests.review.test_services import submitted

S = State
SHANGHAI = ZoneInfo("Asia/Shanghai")
MON = dt.datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)
DUE = dt.datetime(2025, 3, 11, 0, 0, tzinfo=SHANGHAI)  # 5 working days after MON


def returned_at(world, applicant, opened) -> Declaration:  # type: ignore[no-untyped-def]
    d = submitted(world, applicant)
    return step_return(declaration=d, actor=world.admin(world.unit), defects=["x"], now=opened)


def audit_rows() -> int:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Declaration)
    ).count()


def test_sweep_abandons_exactly_the_overdue_returns(world):
    overdue = returned_at(world, UserFactory(), MON)
    on_time = returned_at(world, UserFactory(), MON + dt.timedelta(days=1))  # due 12 Mar
    resubmitted = returned_at(world, UserFactory(), MON)
    declaration_resubmit(declaration=resubmitted, actor=resubmitted.applicant, now=MON)

    counts = sweep_due(now=DUE)

    assert counts["abandoned"] == 1
    assert Declaration.objects.get(pk=overdue.pk).state == S.ABANDONED
    assert Declaration.objects.get(pk=on_time.pk).state == S.RETURNED
    assert Declaration.objects.get(pk=resubmitted.pk).state == S.IN_REVIEW


def test_sweep_abandon_writes_audit_without_actor_and_notifies_applicant(world, applicant):
    d = returned_at(world, applicant, MON)

    sweep_due(now=DUE)

    event = AuditEvent.objects.filter(object_id=str(d.pk), action="abandon").get()
    assert event.actor_id is None
    assert (event.from_state, event.to_state) == (S.RETURNED, S.ABANDONED)
    assert event.data["rules"] == ["R6.1", "R6.6"]
    assert Notification.objects.filter(recipient=applicant, kind="declaration_abandon").count() == 1


def test_sweep_one_second_before_due_changes_nothing(world, applicant):
    d = returned_at(world, applicant, MON)

    counts = sweep_due(now=DUE - dt.timedelta(seconds=1))

    assert counts["abandoned"] == 0
    assert Declaration.objects.get(pk=d.pk).state == S.RETURNED


def test_sweep_twice_changes_nothing_more(world):
    for _ in range(3):
        returned_at(world, UserFactory(), MON)
    sweep_due(now=DUE)
    audits = audit_rows()
    notifications = Notification.objects.count()

    counts = sweep_due(now=DUE + dt.timedelta(minutes=5))

    assert set(counts.values()) == {0}
    assert audit_rows() == audits
    assert Notification.objects.count() == notifications
    assert Declaration.objects.filter(state=S.ABANDONED).count() == 3


def test_sweep_with_nothing_due_makes_a_bounded_number_of_queries(world, applicant):
    returned_at(world, applicant, MON)

    with CaptureQueriesContext(connection) as queries:
        counts = sweep_due(now=MON + dt.timedelta(days=1))

    assert set(counts.values()) == {0}
    # One candidate lookup per step, nothing else.
    assert len(queries) <= 2 * len(SWEEP_STEPS)


def test_sweep_abandoned_declaration_cannot_be_resubmitted(world, applicant):
    d = returned_at(world, applicant, MON)
    sweep_due(now=DUE)

    assert Declaration.objects.get(pk=d.pk).state == S.ABANDONED
    assert "视为放弃" in Declaration.objects.get(pk=d.pk).get_state_display()


def test_sweep_task_and_command_run_the_sweep(world, applicant):
    d = returned_at(world, applicant, MON)  # long overdue by the real clock

    result = sweep.delay().get()

    assert result["abandoned"] == 1
    assert Declaration.objects.get(pk=d.pk).state == S.ABANDONED
    call_command("sweep")  # nothing left: runs and changes nothing
    assert Declaration.objects.filter(state=S.ABANDONED).count() == 1


def test_sweep_steps_are_registered_once():
    names = [name for name, _step in SWEEP_STEPS]

    assert names[0] == "abandoned"
    assert len(names) == len(set(names))


def test_sweep_abandon_writes_what_the_service_writes(world):
    # The set-based step (review.sweep) gives each row what declaration_abandon gives one.
    from django.db import transaction

    from declarations.services import declaration_abandon

    by_service = returned_at(world, UserFactory(), MON)
    by_sweep = returned_at(world, UserFactory(), MON)
    with transaction.atomic():
        declaration_abandon(declaration=by_service, now=DUE)

    assert sweep_due(now=DUE)["abandoned"] == 1

    service, swept = (Declaration.objects.get(pk=d.pk) for d in (by_service, by_sweep))
    assert (swept.state, swept.state_changed_at) == (service.state, service.state_changed_at)

    def event(d):  # type: ignore[no-untyped-def]
        e = AuditEvent.objects.get(object_id=str(d.pk), action="abandon")
        # The same moment, whichever offset it was written with.
        due = dt.datetime.fromisoformat(e.data.pop("correction_due_at"))
        return (e.actor_id, e.content_type_id, e.from_state, e.to_state, e.reason, e.data, due)

    assert event(swept) == event(service)
    assert "2025-03-10 24:00" in event(swept)[4]

    def news(d):  # type: ignore[no-untyped-def]
        n = Notification.objects.get(recipient=d.applicant, kind="declaration_abandon")
        return (n.title, n.body, n.url.replace(str(d.pk), "<pk>"))

    assert news(swept) == news(service)
    told = Notification.objects.get(recipient=by_sweep.applicant, kind="declaration_abandon")
    assert told.url == by_sweep.get_absolute_url()


def test_sweep_takes_every_batch_once_and_queues_emails_per_batch(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from review import sweep as sweep_module

    monkeypatch.setattr(sweep_module, "BATCH_SIZE", 2)
    rows = [returned_at(world, UserFactory(), MON) for _ in range(5)]

    with django_capture_on_commit_callbacks() as callbacks:
        counts = sweep_due(now=DUE)

    assert counts["abandoned"] == 5
    assert Declaration.objects.filter(pk__in=[d.pk for d in rows], state=S.ABANDONED).count() == 5
    assert AuditEvent.objects.filter(action="abandon").count() == 5
    told = Notification.objects.filter(kind="declaration_abandon").values_list("recipient", flat=True)
    assert sorted(told) == sorted(d.applicant_id for d in rows)
    assert len(callbacks) == 3  # one email task per batch of 2, 2 and 1
    assert sweep_due(now=DUE)["abandoned"] == 0


def test_sweep_notifications_follow_the_office_template(world, applicant):
    from core.models import NotificationTemplate

    NotificationTemplate.objects.create(
        kind="declaration_abandon", subject="{{ recipient_name }}：申报视为放弃", body="{{ body }}"
    )
    d = returned_at(world, applicant, MON)

    sweep_due(now=DUE)

    n = Notification.objects.get(recipient=applicant, kind="declaration_abandon")
    assert n.title == f"{applicant}：申报视为放弃"
    assert "视为放弃" in n.body and n.url == d.get_absolute_url()


def test_sweep_without_postgresql_abandons_the_same(world, monkeypatch):
    """``make run``'s embedded SQLite has no ``FOR UPDATE SKIP LOCKED``/``ANY(ARRAY())``:
    the batch is taken through the ORM, with the same result."""
    from review import sweep as sweep_module

    monkeypatch.setattr(sweep_module, "_postgresql", lambda: False)
    overdue = returned_at(world, UserFactory(), MON)
    on_time = returned_at(world, UserFactory(), MON + dt.timedelta(days=1))
    before = audit_rows()

    counts = sweep_due(now=DUE)

    assert counts["abandoned"] == 1
    assert Declaration.objects.get(pk=overdue.pk).state == S.ABANDONED
    assert Declaration.objects.get(pk=on_time.pk).state == S.RETURNED
    assert audit_rows() == before + 1
    assert sweep_due(now=DUE)["abandoned"] == 0
