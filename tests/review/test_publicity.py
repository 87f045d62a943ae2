"""Unit publicity with complaints (R6.3, R7.6, R9.1a, R9.2): the services and the sweep step."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from core.exceptions import ServiceError
from core.models import Notification
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.enums import ComplaintOutcome, DecisionKind, PublicityStatus
from review.models import Complaint, Decision, PublicityBatch, PublicityEntry
from review.publicity import (
    COMPLAINTS_PER_WINDOW,
    TooManyComplaints,
    complaint_file,
    complaint_resolve,
    complaint_throttle_key,
    publicity_batch_publish,
    publicity_release_due,
)
from review.services import step_pass
from review.sweep import sweep_due
from tests.conftest import PUBLICITY_OPENED_AT, picks_for, publicise_and_release
from tests.factories import OrganisationFactory, UserFactory, admin_of, make_eligible

SHANGHAI = ZoneInfo("Asia/Shanghai")
IPS = ["198.51.100.7", "198.51.100.8", "203.0.113.9"]
DURING = PUBLICITY_OPENED_AT + dt.timedelta(days=2)  # 2025-03-05, inside the period
AFTER = dt.datetime(2025, 3, 11, 0, 0, tzinfo=SHANGHAI)  # the period's end (R9.1a)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    for ip in IPS:
        cache.delete(complaint_throttle_key(ip))
    yield
    for ip in IPS:
        cache.delete(complaint_throttle_key(ip))


def at_unit(world, applicant=None, category="city_public") -> Declaration:  # type: ignore[no-untyped-def]
    applicant = applicant or UserFactory()
    declaration = declaration_create(
        actor=applicant, campaign=world.campaign, level="engineer", field="big_data",
        category=category, **picks_for(world, category),
    )
    make_eligible(declaration)
    return declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)


def publish(world, declarations, *, now=PUBLICITY_OPENED_AT, working_days=5) -> PublicityBatch:  # type: ignore[no-untyped-def]
    return publicity_batch_publish(
        actor=world.admin(world.unit),
        declarations=declarations,
        offline_location="办公楼一楼公告栏",
        working_days=working_days,
        now=now,
    )


def fresh(declaration: Declaration) -> Declaration:
    return Declaration.objects.get(pk=declaration.pk)


def entry_of(declaration: Declaration) -> PublicityEntry:
    return PublicityEntry.objects.get(declaration=declaration)


def complain(declaration: Declaration, *, now=DURING, ip=IPS[0], text="该申报人业绩材料不实") -> Complaint:  # type: ignore[no-untyped-def]
    return complaint_file(entry=entry_of(declaration), text=text, ip_address=ip, now=now)


def refused(call, code: str) -> ServiceError:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as info:
        call()
    assert info.value.code == code
    return info.value


# -- the period (R6.3, R9.1a, R9.2) --------------------------------------------------------------


def test_publicity_opened_friday_2024_09_27_ends_2024_10_11_midnight(world):
    declaration = at_unit(world)

    batch = publish(world, [declaration], now=dt.datetime(2024, 9, 27, 15, 30, tzinfo=SHANGHAI))

    assert batch.ends_at == dt.datetime(2024, 10, 11, 0, 0, tzinfo=SHANGHAI)
    assert batch.working_days == 5
    assert fresh(declaration).state == State.UNIT_PUBLICITY
    assert fresh(declaration).current_organisation == world.unit


def test_step_pass_one_second_before_period_end_refused_and_at_end_accepted(world):
    declaration = at_unit(world)
    publish(world, [declaration], now=dt.datetime(2024, 9, 27, 15, 30, tzinfo=SHANGHAI))
    before = dt.datetime(2024, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)
    end = dt.datetime(2024, 10, 11, 0, 0, tzinfo=SHANGHAI)
    unit_admin = world.admin(world.unit)

    assert publicity_release_due(now=before) == 0
    refused(
        lambda: step_pass(declaration=declaration, actor=unit_admin, now=before), "publicity_in_progress"
    )
    assert fresh(declaration).state == State.UNIT_PUBLICITY

    assert publicity_release_due(now=end) == 1
    assert fresh(declaration).state == State.IN_REVIEW
    passed = step_pass(declaration=declaration, actor=unit_admin, now=end)

    assert passed.current_organisation == world.city_department
    assert entry_of(declaration).status == PublicityStatus.RELEASED


def test_step_pass_at_period_end_before_the_sweep_releases_it_first(world):
    declaration = at_unit(world)
    publish(world, [declaration], now=dt.datetime(2024, 9, 27, 15, 30, tzinfo=SHANGHAI))

    passed = step_pass(
        declaration=declaration,
        actor=world.admin(world.unit),
        now=dt.datetime(2024, 10, 11, 0, 0, tzinfo=SHANGHAI),
    )

    assert passed.current_organisation == world.city_department
    assert entry_of(declaration).status == PublicityStatus.RELEASED


@pytest.mark.parametrize("days", [0, 1, 4])
def test_publicity_batch_publish_fewer_than_5_working_days_refused(world, days):
    declaration = at_unit(world)

    error = refused(lambda: publish(world, [declaration], working_days=days), "publicity_too_short")

    assert error.field == "working_days"
    assert fresh(declaration).state == State.IN_REVIEW
    assert PublicityBatch.objects.count() == 0


def test_publicity_batch_publish_more_than_5_working_days_accepted(world):
    declaration = at_unit(world)

    batch = publish(world, [declaration], working_days=7)

    # Opened Mon 2025-03-03: 4, 5, 6, 7, 10, 11, 12 March.
    assert batch.ends_at == dt.datetime(2025, 3, 13, 0, 0, tzinfo=SHANGHAI)


def test_step_pass_at_unit_without_publicity_refused(world):
    declaration = at_unit(world)

    refused(lambda: step_pass(declaration=declaration, actor=world.admin(world.unit)), "publicity_required")

    assert fresh(declaration).state == State.IN_REVIEW
    assert fresh(declaration).current_organisation == world.unit
    assert Decision.objects.filter(declaration=declaration).count() == 0


def test_step_pass_after_publicity_goes_to_next_organisation(world):
    declaration = publicise_and_release(at_unit(world), world)

    passed = step_pass(declaration=declaration, actor=world.admin(world.unit))

    assert passed.current_organisation == world.city_department
    assert passed.state == State.IN_REVIEW


def test_freelancer_route_has_no_unit_publicity(world):
    declaration = at_unit(world, category="freelancer")

    passed = step_pass(declaration=declaration, actor=world.admin(world.agency))

    assert passed.current_organisation == world.district_hr
    assert PublicityEntry.objects.count() == 0


def test_publicity_batch_publish_candidate_past_unit_step_refused(world):
    declaration = publicise_and_release(at_unit(world), world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))

    refused(
        lambda: publicity_batch_publish(
            actor=world.admin(world.city_department), declarations=[declaration],
            offline_location="公告栏", now=PUBLICITY_OPENED_AT,
        ),
        "not_unit_step",
    )


def test_publicity_batch_publish_by_other_unit_refused(world):
    declaration = at_unit(world)
    other = admin_of(OrganisationFactory(name="另一家单位"))

    refused(
        lambda: publicity_batch_publish(
            actor=other, declarations=[declaration], offline_location="公告栏", now=PUBLICITY_OPENED_AT
        ),
        "not_at_your_organisation",
    )
    assert fresh(declaration).state == State.IN_REVIEW


def test_publicity_batch_publish_twice_refused(world):
    declaration = at_unit(world)
    publish(world, [declaration])

    refused(lambda: publish(world, [declaration]), "illegal_transition")


def test_publicity_superior_is_next_route_organisation_without_recorded_superior(world):
    declaration = at_unit(world, category="district_public")

    publish(world, [declaration])

    assert entry_of(declaration).superior == world.district_department


def test_publicity_superior_is_units_recorded_superior(world):
    world.unit.superior = world.city_department
    world.unit.save(update_fields=["superior"])
    declaration = at_unit(world, category="district_public")

    publish(world, [declaration])

    assert entry_of(declaration).superior == world.city_department


def test_sweep_due_ends_publicity_once(world):
    declaration = at_unit(world)
    publish(world, [declaration])

    first = sweep_due(AFTER)
    second = sweep_due(AFTER)

    assert first["publicity_released"] == 1
    assert second["publicity_released"] == 0
    assert fresh(declaration).state == State.IN_REVIEW


# -- complaints (R6.3, R7.6) -------------------------------------------------------------------


def test_complaint_holds_exactly_one_candidate_of_a_batch_of_two(world):
    held, free = at_unit(world), at_unit(world)
    publish(world, [held, free])

    complain(held)
    released = publicity_release_due(now=AFTER)

    assert released == 1
    assert (fresh(held).state, entry_of(held).status) == (State.UNIT_PUBLICITY, PublicityStatus.HELD)
    assert (fresh(free).state, entry_of(free).status) == (State.IN_REVIEW, PublicityStatus.RELEASED)
    refused(
        lambda: step_pass(declaration=held, actor=world.admin(world.unit), now=AFTER), "publicity_held"
    )


def test_complaint_groundless_after_period_releases_candidate(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    complaint = complain(declaration)
    publicity_release_due(now=AFTER)

    complaint_resolve(
        complaint=complaint, actor=world.admin(world.unit), outcome="groundless",
        resolution="经核实，业绩材料真实。", now=AFTER + dt.timedelta(days=1),
    )

    assert fresh(declaration).state == State.IN_REVIEW
    assert entry_of(declaration).status == PublicityStatus.RELEASED
    assert Complaint.objects.get().outcome == ComplaintOutcome.GROUNDLESS
    passed = step_pass(declaration=declaration, actor=world.admin(world.unit))
    assert passed.current_organisation == world.city_department
    titles = list(
        Notification.objects.filter(recipient=declaration.applicant).values_list("title", flat=True)
    )
    assert "关于您的公示投诉经核查不属实，申报继续办理" in titles


def test_complaint_groundless_during_period_lifts_hold_until_period_end(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    complaint = complain(declaration)

    complaint_resolve(
        complaint=complaint, actor=world.admin(world.unit), outcome="groundless",
        resolution="经核实不属实。", now=DURING + dt.timedelta(hours=2),
    )

    assert entry_of(declaration).status == PublicityStatus.ON_PUBLICITY
    assert fresh(declaration).state == State.UNIT_PUBLICITY
    assert publicity_release_due(now=AFTER) == 1
    assert fresh(declaration).state == State.IN_REVIEW


def test_complaint_groundless_with_another_pending_keeps_hold(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    first = complain(declaration)
    complain(declaration, ip=IPS[1], text="另一件投诉")

    complaint_resolve(
        complaint=first, actor=world.admin(world.unit), outcome="groundless",
        resolution="不属实。", now=AFTER,
    )

    assert entry_of(declaration).status == PublicityStatus.HELD
    assert fresh(declaration).state == State.UNIT_PUBLICITY


def test_complaint_upheld_refuses_candidate_with_reason(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    complaint = complain(declaration)
    other_pending = complain(declaration, ip=IPS[1], text="同一问题")

    complaint_resolve(
        complaint=complaint, actor=world.admin(world.unit), outcome="upheld_refused",
        resolution="论文系他人代写。", now=DURING + dt.timedelta(days=1),
    )

    declaration = fresh(declaration)
    assert declaration.state == State.NOT_RECOMMENDED
    assert entry_of(declaration).status == PublicityStatus.REFUSED
    decision = Decision.objects.get(declaration=declaration)
    assert (decision.kind, decision.reason) == (
        DecisionKind.REFUSE,
        "公示期间投诉经核查属实：论文系他人代写。",
    )
    assert Complaint.objects.get(pk=other_pending.pk).outcome == ComplaintOutcome.UPHELD_REFUSED
    assert Notification.objects.filter(
        recipient=declaration.applicant, kind="declaration_refuse"
    ).count() == 1
    assert publicity_release_due(now=AFTER) == 0


def test_complaint_upheld_by_superior_department_terminates_review(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    complaint = complain(declaration)

    complaint_resolve(
        complaint=complaint, actor=world.admin(world.city_department), outcome="upheld_terminated",
        resolution="伪造学历证书。", now=DURING,
    )

    assert fresh(declaration).state == State.TERMINATED
    assert entry_of(declaration).status == PublicityStatus.TERMINATED


def test_complaint_resolve_by_unrelated_organisation_refused(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    complaint = complain(declaration)

    refused(
        lambda: complaint_resolve(
            complaint=complaint, actor=world.admin(world.district_hr), outcome="groundless",
            resolution="不属实。", now=DURING,
        ),
        "not_your_publicity",
    )
    assert Complaint.objects.get().outcome == ComplaintOutcome.PENDING


def test_complaint_resolve_twice_refused(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    complaint = complain(declaration)
    complaint_resolve(
        complaint=complaint, actor=world.admin(world.unit), outcome="groundless",
        resolution="不属实。", now=DURING,
    )

    refused(
        lambda: complaint_resolve(
            complaint=complaint, actor=world.admin(world.unit), outcome="upheld_refused",
            resolution="属实。", now=DURING,
        ),
        "complaint_resolved",
    )


def test_complaint_after_period_refused(world):
    declaration = at_unit(world)
    publish(world, [declaration])

    refused(lambda: complain(declaration, now=AFTER), "publicity_closed")

    assert Complaint.objects.count() == 0
    assert entry_of(declaration).status == PublicityStatus.ON_PUBLICITY


def test_complaint_last_second_of_period_accepted(world):
    declaration = at_unit(world)
    publish(world, [declaration])

    complain(declaration, now=AFTER - dt.timedelta(seconds=1))

    assert entry_of(declaration).status == PublicityStatus.HELD


def test_complaint_without_text_refused(world):
    declaration = at_unit(world)
    publish(world, [declaration])

    error = refused(lambda: complain(declaration, text="   "), "complaint_text_required")

    assert error.field == "text"


def test_complaint_sixth_from_same_address_within_hour_refused(world):
    declaration = at_unit(world)
    publish(world, [declaration])
    for _ in range(COMPLAINTS_PER_WINDOW):
        complain(declaration, ip=IPS[2])

    with pytest.raises(TooManyComplaints) as info:
        complain(declaration, ip=IPS[2])

    assert (info.value.code, info.value.status_code) == ("too_many_complaints", 429)
    assert Complaint.objects.count() == COMPLAINTS_PER_WINDOW
    complain(declaration, ip=IPS[1])
    assert Complaint.objects.count() == COMPLAINTS_PER_WINDOW + 1


def test_complaint_notifies_unit_and_superior_administrators(world):
    declaration = at_unit(world)
    publish(world, [declaration])

    complain(declaration)

    notified = set(
        Notification.objects.filter(kind="publicity_complaint").values_list("recipient", flat=True)
    )
    assert notified == {world.admin(world.unit).pk, world.admin(world.city_department).pk}
