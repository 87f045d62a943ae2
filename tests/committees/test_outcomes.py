"""After the meeting (R8.1, R8.2): review report, results publicity, complaints, confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from committees.enums import (
    ConfirmationKind,
    ConfirmationState,
    ResultsEntryStatus,
)
from committees.models import ResultsPublicityEntry, ReviewReport
from committees.outcomes import (
    COMPLAINTS_PER_WINDOW,
    ConfirmationFacts,
    confirmation_draft,
    confirmation_due_on,
    confirmation_facts,
    confirmation_issue,
    meeting_outcomes,
    publicity_last_day,
    report_due_on,
    results_complaint_file,
    results_complaint_resolve,
    results_publicity_publish,
    results_publicity_release_due,
    review_report_submit,
)
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent, Notification
from declarations.enums import State
from review.sweep import sweep_due
from tests.committees.ballot_factories import voting_meeting_make
from tests.committees.outcome_factories import SH, SIGNED_AT, signed_meeting_make
from tests.factories import OrganisationFactory, admin_of

# Publicity opened on the meeting day, Fri 2024-09-27 18:00: 5 working days are 29 and 30
# Sept, 8, 9 and 10 Oct (1-7 Oct are holidays), so it ends at 24:00 on 10 Oct (R9.1a).
PUBLISHED_AT = dt.datetime(2024, 9, 27, 18, 0, tzinfo=SH)
PUBLICITY_ENDS = dt.datetime(2024, 10, 11, 0, 0, tzinfo=SH)
AFTER = PUBLICITY_ENDS + dt.timedelta(hours=9)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def _published(passed: int = 2, failed: int = 0, **kw):
    sm = signed_meeting_make(passed=passed, failed=failed)
    publicity = results_publicity_publish(meeting=sm.meeting, actor=sm.staff, now=PUBLISHED_AT, **kw)
    return sm, publicity


def _state(d) -> str:
    return type(d).objects.get(pk=d.pk).state


# -- deadlines across National Day (R8.1, R8.2, R9.1a) ----------------------------------------


def test_report_due_five_working_days_after_meeting_across_national_day(db):
    sm = signed_meeting_make(passed=1)
    assert report_due_on(sm.meeting) == dt.date(2024, 10, 10)


def test_publicity_of_five_working_days_across_national_day(db):
    sm, publicity = _published()
    assert publicity.ends_at == PUBLICITY_ENDS
    assert publicity_last_day(publicity) == dt.date(2024, 10, 10)
    assert publicity.due_on == dt.date(2024, 10, 10)


def test_confirmation_due_fifteen_working_days_after_publicity_counts_adjusted_saturday(db):
    # After 10 Oct: 11, 12 (Saturday, a working day in 2024), 14-18, 21-25, 28, 29, 30 Oct.
    sm, publicity = _published()
    assert confirmation_due_on(publicity) == dt.date(2024, 10, 30)
    notice = confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    assert notice.due_on == dt.date(2024, 10, 30)


def test_publicity_ending_on_adjusted_working_saturday(db):
    # Opened Mon 30 Sept: 8, 9, 10, 11 and Sat 12 Oct; confirmation due 1 Nov.
    sm = signed_meeting_make(passed=1)
    opened = dt.datetime(2024, 9, 30, 10, 0, tzinfo=SH)
    publicity = results_publicity_publish(meeting=sm.meeting, actor=sm.staff, now=opened)
    assert publicity.ends_at == dt.datetime(2024, 10, 13, 0, 0, tzinfo=SH)
    assert confirmation_due_on(publicity) == dt.date(2024, 11, 1)


def test_report_on_the_fifth_working_day_is_on_time_and_the_next_day_late(db):
    sm = signed_meeting_make(passed=1)
    other = signed_meeting_make(passed=1)
    on_time = review_report_submit(
        meeting=sm.meeting, actor=sm.staff, now=dt.datetime(2024, 10, 10, 23, 59, tzinfo=SH)
    )
    late = review_report_submit(
        meeting=other.meeting, actor=other.staff, now=dt.datetime(2024, 10, 11, 0, 0, tzinfo=SH)
    )
    assert on_time.due_on == late.due_on == dt.date(2024, 10, 10)
    assert (
        AuditEvent.objects.get(action="review_report_submit", object_id=str(on_time.pk)).data["late"] is False
    )
    assert AuditEvent.objects.get(action="review_report_submit", object_id=str(late.pk)).data["late"] is True
    assert meeting_outcomes(other.meeting).report_deadline.late


def test_missing_report_is_overdue_from_the_sixth_working_day(db):
    sm = signed_meeting_make(passed=1)
    deadline = meeting_outcomes(sm.meeting).report_deadline
    assert not deadline.overdue(dt.date(2024, 10, 10))
    assert deadline.overdue(dt.date(2024, 10, 11))


# -- review report (R8.1) -------------------------------------------------------------------


def test_review_report_counts_per_level_and_field_and_stores_pdf(db):
    sm = signed_meeting_make(passed=2, failed=1)
    report = review_report_submit(meeting=sm.meeting, actor=sm.staff, note="评审工作顺利", now=SIGNED_AT)
    assert report.summary["totals"] == {"reviewed": 3, "passed": 2, "failed": 1, "terminated": 0}
    row = report.summary["rows"][0]
    assert (row["level"], row["field"], row["passed"], row["failed"]) == ("engineer", "big_data", 2, 1)
    data = report.file.read()
    assert data.startswith(b"%PDF") and len(data) == report.size
    assert Notification.objects.filter(recipient=sm.approval_admin, kind="review_report").count() == 1


def test_review_report_twice_or_before_signing_is_409(db):
    sm = signed_meeting_make(passed=1)
    review_report_submit(meeting=sm.meeting, actor=sm.staff, now=SIGNED_AT)
    with pytest.raises(TransitionNotAllowed):
        review_report_submit(meeting=sm.meeting, actor=sm.staff, now=SIGNED_AT)
    vm = voting_meeting_make(attending=3)
    with pytest.raises(TransitionNotAllowed) as exc:
        review_report_submit(meeting=vm.meeting, actor=vm.staff)
    assert exc.value.code == "meeting_not_signed"
    assert ReviewReport.objects.count() == 1


def test_review_report_by_approval_body_refused(db):
    sm = signed_meeting_make(passed=1)
    with pytest.raises(PermissionRefused):
        review_report_submit(meeting=sm.meeting, actor=sm.approval_admin)


# -- results publicity (R8.1) ---------------------------------------------------------------


def test_publish_moves_passed_only_and_notifies_applicants_and_approval_body(db):
    sm, publicity = _published(passed=2, failed=1)
    passed, also, failed = sm.declarations()
    assert (_state(passed), _state(also), _state(failed)) == (
        State.RESULTS_PUBLICITY,
        State.RESULTS_PUBLICITY,
        State.FAILED,
    )
    assert publicity.entries.count() == 2
    assert Notification.objects.filter(kind="results_publicity_started").count() == 2
    assert Notification.objects.filter(recipient=sm.approval_admin, kind="results_publicity_mirror").exists()
    assert AuditEvent.objects.filter(action="start_results_publicity").count() == 2


@pytest.mark.parametrize(("days", "ok"), [(4, False), (5, True)])
def test_publicity_at_least_five_working_days(db, days, ok):
    sm = signed_meeting_make(passed=1)
    if ok:
        results_publicity_publish(meeting=sm.meeting, actor=sm.staff, working_days=days, now=PUBLISHED_AT)
    else:
        with pytest.raises(ServiceError) as exc:
            results_publicity_publish(meeting=sm.meeting, actor=sm.staff, working_days=days, now=PUBLISHED_AT)
        assert exc.value.code == "publicity_too_short"


def test_publish_twice_unsigned_or_by_stranger_refused(db):
    sm, _publicity = _published()
    with pytest.raises(TransitionNotAllowed):
        results_publicity_publish(meeting=sm.meeting, actor=sm.staff)
    vm = voting_meeting_make(attending=3)
    with pytest.raises(TransitionNotAllowed):
        results_publicity_publish(meeting=vm.meeting, actor=vm.staff)
    other = signed_meeting_make(passed=1)
    with pytest.raises(PermissionRefused):
        results_publicity_publish(meeting=other.meeting, actor=sm.staff)


def test_sweep_releases_at_the_exact_end_and_is_idempotent(db):
    sm, publicity = _published()
    assert results_publicity_release_due(PUBLICITY_ENDS - dt.timedelta(seconds=1)) == 0
    first = sweep_due(PUBLICITY_ENDS)
    second = sweep_due(PUBLICITY_ENDS)
    assert first["results_publicity_released"] == 2
    assert second["results_publicity_released"] == 0
    assert set(publicity.entries.values_list("status", flat=True)) == {ResultsEntryStatus.RELEASED}
    # Still awaiting confirmation: the declaration's state only changes when confirmed.
    assert {_state(d) for d in sm.declarations()} == {State.RESULTS_PUBLICITY}


def test_complaint_window_boundaries_and_hold(db):
    sm, publicity = _published()
    entry = publicity.entries.order_by("pk").first()
    results_complaint_file(entry=entry, text="业绩造假", now=PUBLICITY_ENDS - dt.timedelta(seconds=1))
    with pytest.raises(ServiceError) as exc:
        results_complaint_file(entry=entry, text="再投诉", now=PUBLICITY_ENDS)
    assert exc.value.code == "publicity_closed"
    assert results_publicity_release_due(AFTER) == 1  # the held one stays
    assert ResultsPublicityEntry.objects.get(pk=entry.pk).status == ResultsEntryStatus.HELD


def test_complaint_throttled_per_address(db):
    _sm, publicity = _published()
    entry = publicity.entries.first()
    for _ in range(COMPLAINTS_PER_WINDOW):
        results_complaint_file(entry=entry, text="异议", ip_address="10.0.0.9", now=PUBLISHED_AT)
    with pytest.raises(ServiceError) as exc:
        results_complaint_file(entry=entry, text="异议", ip_address="10.0.0.9", now=PUBLISHED_AT)
    assert exc.value.status_code == 429


def test_groundless_after_end_releases_and_upheld_terminates(db):
    sm, publicity = _published()
    a, b = publicity.entries.order_by("pk")
    ca = results_complaint_file(entry=a, text="不实举报", now=PUBLISHED_AT)
    cb = results_complaint_file(entry=b, text="论文抄袭", now=PUBLISHED_AT)
    results_complaint_resolve(
        complaint=ca, actor=sm.staff, outcome="groundless", resolution="经核实不属实", now=AFTER
    )
    assert ResultsPublicityEntry.objects.get(pk=a.pk).status == ResultsEntryStatus.RELEASED
    results_complaint_resolve(
        complaint=cb, actor=sm.approval_admin, outcome="upheld", resolution="抄袭属实", now=AFTER
    )
    assert ResultsPublicityEntry.objects.get(pk=b.pk).status == ResultsEntryStatus.TERMINATED
    assert _state(b.declaration) == State.TERMINATED
    event = AuditEvent.objects.get(action="terminate", object_id=str(b.declaration_id))
    assert "抄袭属实" in event.reason
    with pytest.raises(TransitionNotAllowed):
        results_complaint_resolve(complaint=cb, actor=sm.staff, outcome="groundless", resolution="x")
    # The terminated one is left out of the confirmation.
    notice = confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    assert [e.declaration_id for e in notice.entries.all()] == [a.declaration_id]


def test_complaint_resolve_by_stranger_refused(db):
    sm, publicity = _published()
    c = results_complaint_file(entry=publicity.entries.first(), text="异议", now=PUBLISHED_AT)
    stranger = admin_of(OrganisationFactory())
    with pytest.raises(PermissionRefused):
        results_complaint_resolve(complaint=c, actor=stranger, outcome="groundless", resolution="x")


# -- confirmation (R8.2) --------------------------------------------------------------------


def test_draft_before_publicity_ends_is_409(db):
    sm, _publicity = _published()
    with pytest.raises(TransitionNotAllowed) as exc:
        confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=PUBLICITY_ENDS - dt.timedelta(seconds=1))
    assert exc.value.code == "publicity_not_ended"


def test_draft_twice_is_409_and_held_candidate_left_out(db):
    sm, publicity = _published()
    held = publicity.entries.order_by("pk").first()
    results_complaint_file(entry=held, text="异议", now=PUBLISHED_AT)
    notice = confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=PUBLICITY_ENDS)
    assert held.declaration_id not in [e.declaration_id for e in notice.entries.all()]
    assert notice.entries.count() == 1
    with pytest.raises(TransitionNotAllowed) as exc:
        confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    assert exc.value.code == "draft_exists"


def test_approval_issue_confirms_and_gives_facts(db):
    sm, _publicity = _published()
    notice = confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    with pytest.raises(PermissionRefused):
        confirmation_issue(notice=notice, actor=sm.staff, document_number="渝人社职核〔2024〕12号")
    issued_at = dt.datetime(2024, 10, 21, 23, 30, tzinfo=dt.UTC)  # 22 Oct in Beijing
    confirmation_issue(
        notice=notice, actor=sm.approval_admin, document_number="渝人社职核〔2024〕12号", now=issued_at
    )
    notice.refresh_from_db()
    assert notice.state == ConfirmationState.ISSUED
    d = sm.declarations()[0]
    assert _state(d) == State.CONFIRMED
    facts = confirmation_facts(d)
    assert isinstance(facts, ConfirmationFacts)
    assert facts.document_number == "渝人社职核〔2024〕12号"
    assert facts.confirmed_on == dt.date(2024, 10, 22)
    assert facts.passed_on == dt.date(2024, 9, 27)
    assert facts.sealing_organisation == facts.approval_body == sm.meeting.committee.approval_body
    assert facts.committee == sm.meeting.committee and facts.meeting.pk == sm.meeting.pk
    assert facts.kind == ConfirmationKind.APPROVAL
    assert Notification.objects.filter(recipient=d.applicant, kind="confirmation_issued").count() == 1
    with pytest.raises(TransitionNotAllowed):
        confirmation_issue(notice=notice, actor=sm.approval_admin, document_number="另一个文号")


def test_entrusted_letter_issued_by_host_to_entrusting_unit(db):
    sm, _publicity = _published(passed=1)
    unit = OrganisationFactory()
    unit_admin = admin_of(unit)
    with pytest.raises(ServiceError) as exc:
        confirmation_draft(meeting=sm.meeting, actor=sm.staff, kind=ConfirmationKind.ENTRUSTED, now=AFTER)
    assert exc.value.code == "entrusting_organisation_required"
    notice = confirmation_draft(
        meeting=sm.meeting,
        actor=sm.staff,
        kind=ConfirmationKind.ENTRUSTED,
        entrusting_organisation=unit,
        now=AFTER,
    )
    with pytest.raises(PermissionRefused):
        confirmation_issue(notice=notice, actor=sm.approval_admin, document_number="函〔2024〕1号")
    confirmation_issue(notice=notice, actor=sm.staff, document_number="函〔2024〕1号", now=AFTER)
    facts = confirmation_facts(sm.declarations()[0])
    assert facts.sealing_organisation == sm.meeting.committee.host
    assert facts.kind == ConfirmationKind.ENTRUSTED
    assert Notification.objects.filter(recipient=unit_admin, kind="confirmation_letter").exists()


def test_self_filed_confirmed_by_host(db):
    sm, _publicity = _published(passed=1)
    notice = confirmation_draft(
        meeting=sm.meeting, actor=sm.staff, kind=ConfirmationKind.SELF_FILED, now=AFTER
    )
    confirmation_issue(notice=notice, actor=sm.staff, document_number="自评备〔2024〕3号", now=AFTER)
    assert confirmation_facts(sm.declarations()[0]).sealing_organisation == sm.meeting.committee.host
    assert Notification.objects.filter(recipient=sm.approval_admin, kind="confirmation_filed").count() == 1


def test_document_number_unique_and_required(db):
    sm, _p = _published(passed=1)
    other, _q = _published(passed=1)
    n1 = confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    n2 = confirmation_draft(meeting=other.meeting, actor=other.staff, now=AFTER)
    with pytest.raises(ServiceError) as exc:
        confirmation_issue(notice=n1, actor=sm.approval_admin, document_number=" ")
    assert exc.value.code == "document_number_required"
    confirmation_issue(notice=n1, actor=sm.approval_admin, document_number="渝核〔2024〕1号")
    with pytest.raises(ServiceError) as exc:
        confirmation_issue(notice=n2, actor=other.approval_admin, document_number="渝核〔2024〕1号")
    assert exc.value.code == "document_number_taken"


def test_facts_before_confirmation_raise_not_confirmed(db):
    sm, _publicity = _published(passed=1)
    confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    with pytest.raises(ServiceError) as exc:
        confirmation_facts(sm.declarations()[0])
    assert exc.value.code == "not_confirmed"


def test_confirm_transition_illegal_from_passed_is_409(db):
    # A declaration never publicised cannot be confirmed: the state machine refuses.
    from django.db import transaction

    from declarations.services import declaration_transition

    sm = signed_meeting_make(passed=1)
    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        declaration_transition(declaration=sm.declarations()[0], name="confirm", actor=sm.staff)


def test_demo_hook_confirms_a_signed_meeting_idempotently(db):
    from committees.outcomes_demo import demo_outcomes

    sm = signed_meeting_make(passed=2)
    kwargs = {
        "meeting": sm.meeting,
        "host_actor": sm.staff,
        "approval_actor": sm.approval_admin,
        "document_number": "渝人社职核〔2024〕99号",
    }
    notice = demo_outcomes(**kwargs)
    assert notice is not None and notice.state == ConfirmationState.ISSUED
    audits = AuditEvent.objects.count()
    demo_outcomes(**kwargs)
    assert AuditEvent.objects.count() == audits
    assert {d.state for d in sm.declarations()} == {State.CONFIRMED}
    assert confirmation_facts(sm.declarations()[0]).passed_on == dt.date(2024, 9, 27)
