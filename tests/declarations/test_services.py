"""Creating, submitting and withdrawing declarations through the services (R1.3, R2.4, R5, R8.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from declarations.enums import DeclarationType, State
from declarations.models import Campaign, Declaration
from declarations.services import (
    declaration_create,
    declaration_resubmit,
    declaration_submit,
    declaration_update_draft,
    declaration_withdraw,
)
from review.models import RouteStep
from review.publicity import publicity_batch_publish, publicity_release_due
from review.services import (
    committee_accept,
    committee_not_accept,
    committee_return,
    step_pass,
    step_refuse,
    step_return,
)
from tests.conftest import PUBLICITY_OPENED_AT, picks_for, publicise_and_release
from tests.factories import CampaignFactory, OrganisationFactory, TitleAdministratorFactory, UserFactory

S = State


def draft(world, applicant, category="city_public", campaign=None, **fields) -> Declaration:  # type: ignore[no-untyped-def]
    values = {
        "level": "engineer",
        "field": "big_data",
        "category": category,
        **picks_for(world, category),
        **fields,
    }
    return declaration_create(actor=applicant, campaign=campaign or world.campaign, **values)


def submit(declaration: Declaration, **kwargs) -> Declaration:  # type: ignore[no-untyped-def]
    kwargs.setdefault("actor", declaration.applicant)
    kwargs.setdefault("integrity_accepted", True)
    return declaration_submit(declaration=declaration, **kwargs)


def audit_rows(declaration: Declaration):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Declaration), object_id=str(declaration.pk)
    ).order_by("pk")


def stored(declaration: Declaration) -> dict:  # type: ignore[type-arg]
    """What a refused action must leave exactly as it was, re-read from the database."""
    row = Declaration.objects.get(pk=declaration.pk)
    return {
        "state": row.state,
        "current_step": row.current_step,
        "current_organisation": row.current_organisation_id,
        "chain": row.chain_id,
        "integrity_signed_at": row.integrity_signed_at,
        "submitted_at": row.submitted_at,
        "state_changed_at": row.state_changed_at,
        "route": list(RouteStep.objects.filter(declaration=row).values_list("organisation", flat=True)),
        "audit": audit_rows(row).count(),
    }


def shift_window(campaign: Campaign, *, opens: dt.datetime, closes: dt.datetime) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(
        filing_opens_at=opens, filing_closes_at=closes, chain_deadline=closes
    )


def refused(call, code: str, exc_type=ServiceError) -> ServiceError:  # type: ignore[no-untyped-def]
    with pytest.raises(exc_type) as caught:
        call()
    assert caught.value.code == code
    return caught.value


# -- R1.3: a bound title administrator may not declare ----------------------------------


@pytest.mark.django_db
def test_declaration_create_by_administrator_refused(world):
    admin = world.admin(world.unit)
    before = (Declaration.objects.count(), AuditEvent.objects.count())

    refused(lambda: draft(world, admin), "administrator_cannot_declare")

    assert (Declaration.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_declaration_submit_by_administrator_refused(world, applicant):
    declaration = draft(world, applicant)
    TitleAdministratorFactory(user=applicant, organisation=OrganisationFactory())
    before = stored(declaration)

    refused(lambda: submit(declaration), "administrator_cannot_declare")

    assert stored(declaration) == before
    assert before["state"] == S.DRAFT


@pytest.mark.django_db
def test_declaration_create_after_filing_closed_refused(world, applicant):
    past = timezone.now() - dt.timedelta(days=30)
    closed = CampaignFactory(
        filing_opens_at=past,
        filing_closes_at=past + dt.timedelta(days=10),
        chain_deadline=past + dt.timedelta(days=10),
    )
    refused(lambda: draft(world, applicant, campaign=closed), "campaign_closed")
    assert Declaration.objects.filter(applicant=applicant).count() == 0


# -- R5.2: the integrity commitment ----------------------------------------------------


@pytest.mark.django_db
def test_declaration_submit_without_integrity_commitment_refused(world, applicant):
    declaration = draft(world, applicant)
    before = stored(declaration)

    error = refused(lambda: submit(declaration, integrity_accepted=False), "integrity_required")

    assert error.field == "integrity_accepted"
    assert stored(declaration) == before
    assert before["integrity_signed_at"] is None


@pytest.mark.django_db
def test_declaration_submit_records_integrity_signature(world, applicant):
    declaration = draft(world, applicant)
    start = timezone.now()

    submit(declaration, ip_address="203.0.113.7")

    row = Declaration.objects.get(pk=declaration.pk)
    assert start <= row.integrity_signed_at <= timezone.now()
    assert row.integrity_signed_ip == "203.0.113.7"
    assert row.submitted_at == row.integrity_signed_at
    assert (row.state, row.current_step, row.current_organisation) == (S.IN_REVIEW, 0, world.unit)
    assert row.chain.code == "R4.1"


# -- R8.3: the filing window -----------------------------------------------------------
# There is no clock library in the suite, so the boundaries are tested by moving the
# campaign's dates around the real clock: a bound one second in the past has been
# crossed, a bound a few seconds ahead has not (the margin absorbs a slow machine).


@pytest.mark.django_db
def test_declaration_submit_before_window_opens_refused(world, applicant):
    declaration = draft(world, applicant)
    now = timezone.now()
    shift_window(world.campaign, opens=now + dt.timedelta(seconds=5), closes=now + dt.timedelta(days=1))
    before = stored(declaration)

    refused(lambda: submit(declaration), "outside_filing_window")

    assert stored(declaration) == before


@pytest.mark.django_db
def test_declaration_submit_just_after_window_opens_accepted(world, applicant):
    declaration = draft(world, applicant)
    now = timezone.now()
    shift_window(world.campaign, opens=now - dt.timedelta(seconds=1), closes=now + dt.timedelta(days=1))

    assert submit(declaration).state == S.IN_REVIEW


@pytest.mark.django_db
def test_declaration_submit_just_before_window_closes_accepted(world, applicant):
    declaration = draft(world, applicant)
    now = timezone.now()
    shift_window(world.campaign, opens=now - dt.timedelta(days=1), closes=now + dt.timedelta(seconds=5))

    assert submit(declaration).state == S.IN_REVIEW


@pytest.mark.django_db
def test_declaration_submit_one_second_after_window_closed_refused(world, applicant):
    declaration = draft(world, applicant)
    now = timezone.now()
    shift_window(world.campaign, opens=now - dt.timedelta(days=1), closes=now - dt.timedelta(seconds=1))
    before = stored(declaration)

    error = refused(lambda: submit(declaration), "outside_filing_window")

    assert "R8.3" in str(error.message)
    assert stored(declaration) == before


# -- R2.4: one normal declaration per person per year ------------------------------------


@pytest.mark.django_db
def test_declaration_submit_second_normal_same_year_refused(world, applicant):
    submit(draft(world, applicant))
    same_year = CampaignFactory(committee_host=world.committee_host, year=world.campaign.year)
    second = draft(world, applicant, campaign=same_year)
    before = stored(second)

    refused(lambda: submit(second), "one_normal_per_year")

    assert stored(second) == before


@pytest.mark.django_db
def test_declaration_submit_after_withdrawn_normal_accepted(world, applicant):
    first = submit(draft(world, applicant))
    declaration_withdraw(declaration=first, actor=applicant, reason="换一个专业领域申报")
    same_year = CampaignFactory(committee_host=world.committee_host, year=world.campaign.year)

    second = submit(draft(world, applicant, campaign=same_year, field="cloud_computing"))

    assert second.state == S.IN_REVIEW


@pytest.mark.django_db
def test_declaration_submit_normal_besides_last_years_accepted(world, applicant):
    last_year = CampaignFactory(committee_host=world.committee_host, year=world.campaign.year - 1)
    old = draft(world, applicant, campaign=last_year)
    Declaration.objects.filter(pk=old.pk).update(state=S.IN_REVIEW)

    assert submit(draft(world, applicant)).state == S.IN_REVIEW


@pytest.mark.django_db
def test_declaration_submit_green_channel_besides_normal_accepted(world, applicant):
    submit(draft(world, applicant))
    other = draft(world, applicant, declaration_type=DeclarationType.GREEN_CHANNEL)

    assert submit(other).state == S.IN_REVIEW


# -- completeness and who may act --------------------------------------------------------


@pytest.mark.django_db
def test_declaration_submit_incomplete_refused(world, applicant):
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        category="city_public",
        **picks_for(world, "city_public"),
    )
    before = stored(declaration)

    error = refused(lambda: submit(declaration), "incomplete")

    assert "申报级别" in str(error.message)
    assert stored(declaration) == before


@pytest.mark.django_db
def test_declaration_submit_by_other_person_refused(world, applicant):
    declaration = draft(world, applicant)
    before = stored(declaration)

    error = refused(lambda: submit(declaration, actor=UserFactory()), "not_applicant", PermissionRefused)

    assert error.status_code == 403
    assert stored(declaration) == before


@pytest.mark.django_db
@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "in_review"])
def test_declaration_withdraw_by_other_person_refused(world, applicant, submitted):
    declaration = draft(world, applicant)
    if submitted:
        declaration = submit(declaration)
    before = stored(declaration)

    refused(
        lambda: declaration_withdraw(declaration=declaration, actor=UserFactory()),
        "not_applicant",
        PermissionRefused,
    )

    assert stored(declaration) == before


@pytest.mark.django_db
def test_declaration_update_draft_by_other_person_refused(world, applicant):
    declaration = draft(world, applicant)
    before = stored(declaration)
    stranger = UserFactory()
    refused(
        lambda: declaration_update_draft(declaration=declaration, actor=stranger, level="technician"),
        "not_applicant",
        PermissionRefused,
    )
    assert Declaration.objects.get(pk=declaration.pk).level == "engineer"
    assert stored(declaration) == before


@pytest.mark.django_db
def test_declaration_update_draft_after_submit_refused(world, applicant):
    declaration = submit(draft(world, applicant))
    before = stored(declaration)
    refused(
        lambda: declaration_update_draft(declaration=declaration, actor=applicant, level="technician"),
        "not_editable",
        TransitionNotAllowed,
    )
    assert Declaration.objects.get(pk=declaration.pk).level == "engineer"
    assert stored(declaration) == before


# -- withdraw ----------------------------------------------------------------------------


def _to_returned(world, declaration: Declaration) -> Declaration:  # type: ignore[no-untyped-def]
    declaration = submit(declaration)
    return step_return(declaration=declaration, actor=world.admin(world.unit), defects=["缺少学历证书"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prepare", "from_state"),
    [
        (lambda world, d: d, S.DRAFT),
        (lambda world, d: submit(d), S.IN_REVIEW),
        (_to_returned, S.RETURNED),
    ],
    ids=["draft", "in_review", "returned"],
)
def test_declaration_withdraw_from_open_state_accepted(world, applicant, prepare, from_state):
    declaration = prepare(world, draft(world, applicant))
    assert Declaration.objects.get(pk=declaration.pk).state == from_state

    declaration_withdraw(declaration=declaration, actor=applicant, reason="个人原因")

    assert Declaration.objects.get(pk=declaration.pk).state == S.WITHDRAWN
    event = audit_rows(declaration).last()
    assert (event.action, event.actor, event.from_state, event.to_state, event.reason) == (
        "withdraw",
        applicant,
        from_state,
        S.WITHDRAWN,
        "个人原因",
    )


@pytest.mark.django_db
def test_declaration_withdraw_at_committee_refused(world, applicant):
    declaration = submit(draft(world, applicant))
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    declaration = step_pass(declaration=declaration, actor=world.admin(world.city_department))
    before = stored(declaration)

    refused(
        lambda: declaration_withdraw(declaration=declaration, actor=applicant),
        "illegal_transition",
        TransitionNotAllowed,
    )

    assert stored(declaration) == before
    assert before["state"] == S.COMMITTEE_CHECK


# -- one audit row per transition ---------------------------------------------------------


class AuditTrail:
    """Asserts that each service call adds exactly one audit row, and what it says."""

    def __init__(self, declaration: Declaration) -> None:
        self.declaration = declaration
        self.seen = audit_rows(declaration).count()

    def expect(self, action: str, actor, from_state: str, to_state: str, reason: str = "") -> None:  # type: ignore[no-untyped-def]
        rows = list(audit_rows(self.declaration))
        assert len(rows) == self.seen + 1
        self.seen += 1
        row = rows[-1]
        assert (row.action, row.actor, row.from_state, row.to_state, row.reason) == (
            action,
            actor,
            from_state,
            to_state,
            reason,
        )
        assert row.data["rules"] != []


@pytest.mark.django_db
def test_every_transition_writes_one_audit_row_along_a_full_path(world, applicant):
    d = draft(world, applicant, category="district_public")
    unit, dept, hr = (world.admin(o) for o in (world.unit, world.district_department, world.district_hr))
    host = world.admin(world.committee_host)
    trail = AuditTrail(d)

    d = submit(d)
    trail.expect("submit", applicant, S.DRAFT, S.IN_REVIEW)
    batch = publicity_batch_publish(
        actor=unit, declarations=[d], offline_location="单位公告栏", now=PUBLICITY_OPENED_AT
    )
    trail.expect("start_unit_publicity", unit, S.IN_REVIEW, S.UNIT_PUBLICITY)
    publicity_release_due(now=batch.ends_at)
    trail.expect("end_unit_publicity", None, S.UNIT_PUBLICITY, S.IN_REVIEW, "公示期满，无异议（R6.3）。")
    d = step_pass(declaration=d, actor=unit, reason="材料真实完整")
    trail.expect("forward", unit, S.IN_REVIEW, S.IN_REVIEW, "材料真实完整")
    d = step_return(declaration=d, actor=dept, defects=["缺少继续教育证明"], reason="请补正")
    trail.expect("return_for_correction", dept, S.IN_REVIEW, S.RETURNED, "请补正")
    d = declaration_resubmit(declaration=d, actor=applicant)
    trail.expect("resubmit", applicant, S.RETURNED, S.IN_REVIEW)
    d = step_pass(declaration=d, actor=dept)
    trail.expect("forward", dept, S.IN_REVIEW, S.IN_REVIEW)
    d = step_pass(declaration=d, actor=hr, reason="同意报送")
    trail.expect("send_to_committee", hr, S.IN_REVIEW, S.COMMITTEE_CHECK, "同意报送")
    d = committee_return(declaration=d, actor=host, defects=["论文检索证明不清晰"], reason="一次性告知")
    trail.expect("return_for_correction", host, S.COMMITTEE_CHECK, S.RETURNED, "一次性告知")
    d = declaration_resubmit(declaration=d, actor=applicant)
    trail.expect("resubmit_to_committee", applicant, S.RETURNED, S.COMMITTEE_CHECK)
    d = committee_accept(declaration=d, actor=host, reason="符合受理条件")
    trail.expect("accept", host, S.COMMITTEE_CHECK, S.ACCEPTED, "符合受理条件")


@pytest.mark.django_db
def test_refuse_and_not_accept_write_one_audit_row_each(world, applicant):
    refused_d = submit(draft(world, applicant))
    trail = AuditTrail(refused_d)
    unit = world.admin(world.unit)
    step_refuse(declaration=refused_d, actor=unit, reason="不符合申报条件")
    trail.expect("refuse", unit, S.IN_REVIEW, S.NOT_RECOMMENDED, "不符合申报条件")

    other = UserFactory()
    d = submit(draft(world, other))
    d = publicise_and_release(d, world)
    d = step_pass(declaration=d, actor=unit)
    d = step_pass(declaration=d, actor=world.admin(world.city_department))
    trail = AuditTrail(d)
    host = world.admin(world.committee_host)
    committee_not_accept(declaration=d, actor=host, reason_code="out_of_scope")
    trail.expect("not_accept", host, S.COMMITTEE_CHECK, S.NOT_ACCEPTED, "不属于本评委会评审范围")
