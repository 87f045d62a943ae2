"""Decisions at each step and the committee host's first check (R3.4, R4, R6, R8.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.exceptions import PermissionRefused, ServiceError
from core.models import AuditEvent
from declarations.enums import State
from declarations.models import Campaign, Declaration
from declarations.services import declaration_create, declaration_resubmit, declaration_submit
from review.enums import DecisionKind, NotAcceptReason
from review.models import Decision, RouteStep
from review.services import (
    committee_accept,
    committee_not_accept,
    committee_return,
    step_pass,
    step_refuse,
    step_return,
)
from tests.conftest import picks_for, publicise_and_release
from tests.factories import OrganisationFactory, UserFactory, make_eligible

S = State


def draft(world, applicant, category="city_public", **picks) -> Declaration:  # type: ignore[no-untyped-def]
    chosen = {**picks_for(world, category), **picks}
    return make_eligible(declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        category=category,
        **{slot: org for slot, org in chosen.items() if org is not None},
    ))


def submitted(world, applicant, category="city_public") -> Declaration:  # type: ignore[no-untyped-def]
    declaration = draft(world, applicant, category)
    return declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)


def at_committee(world, applicant, category="city_public") -> Declaration:  # type: ignore[no-untyped-def]
    declaration = submitted(world, applicant, category)
    while declaration.state == S.IN_REVIEW:
        declaration = publicise_and_release(declaration, world)
        declaration = step_pass(declaration=declaration, actor=world.admin(declaration.current_organisation))
    assert declaration.state == S.COMMITTEE_CHECK
    return declaration


def stored(declaration: Declaration) -> dict:  # type: ignore[type-arg]
    """Everything a refused decision must leave unchanged, re-read from the database."""
    row = Declaration.objects.get(pk=declaration.pk)
    return {
        "state": row.state,
        "current_step": row.current_step,
        "current_organisation": row.current_organisation_id,
        "committee_submissions": row.committee_submissions,
        "returned_by_committee": row.returned_by_committee,
        "state_changed_at": row.state_changed_at,
        "chain": row.chain_id,
        "route": list(RouteStep.objects.filter(declaration=row).values_list("organisation", flat=True)),
        "decisions": list(Decision.objects.filter(declaration=row).values_list("kind", flat=True)),
        "audit": AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Declaration), object_id=str(row.pk)
        ).count(),
    }


def refused(call, code: str, exc_type=ServiceError) -> ServiceError:  # type: ignore[no-untyped-def]
    with pytest.raises(exc_type) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def host(world) -> object:  # type: ignore[no-untyped-def]
    return world.admin(world.committee_host)


# -- return for correction (R6.1) ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("defects", [[], ["", "   "]], ids=["none", "blank"])
def test_step_return_without_defects_refused(world, applicant, defects):
    declaration = submitted(world, applicant)
    before = stored(declaration)

    error = refused(
        lambda: step_return(declaration=declaration, actor=world.admin(world.unit), defects=defects),
        "defects_required",
    )

    assert error.field == "defects"
    assert stored(declaration) == before


@pytest.mark.django_db
def test_step_return_records_the_defect_list(world, applicant):
    declaration = submitted(world, applicant)
    actor = world.admin(world.unit)

    step_return(
        declaration=declaration,
        actor=actor,
        reason="请一次性补正",
        defects=["  缺少学历证书 ", "", "业绩材料未加盖单位公章"],
    )

    row = Declaration.objects.get(pk=declaration.pk)
    assert (row.state, row.current_step, row.current_organisation) == (S.RETURNED, 0, world.unit)
    decision = Decision.objects.get(declaration=row)
    assert (decision.kind, decision.organisation, decision.step, decision.actor, decision.reason) == (
        DecisionKind.RETURN,
        world.unit,
        0,
        actor,
        "请一次性补正",
    )
    assert decision.defects == ["缺少学历证书", "业绩材料未加盖单位公章"]
    event = AuditEvent.objects.filter(action="return_for_correction").get()
    assert event.data["defects"] == ["缺少学历证书", "业绩材料未加盖单位公章"]


@pytest.mark.django_db
def test_resubmit_after_step_return_goes_back_to_same_step_and_organisation(world, applicant):
    declaration = submitted(world, applicant, "district_public")
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    declaration = step_return(
        declaration=declaration,
        actor=world.admin(world.district_department),
        defects=["主管部门意见栏未填写"],
    )
    route_before = stored(declaration)["route"]

    declaration = declaration_resubmit(declaration=declaration, actor=applicant)

    row = Declaration.objects.get(pk=declaration.pk)
    assert (row.state, row.current_step, row.current_organisation) == (
        S.IN_REVIEW,
        1,
        world.district_department,
    )
    assert stored(row)["route"] == route_before
    assert row.committee_submissions == 0


@pytest.mark.django_db
def test_resubmit_by_other_person_refused(world, applicant):
    declaration = submitted(world, applicant)
    declaration = step_return(declaration=declaration, actor=world.admin(world.unit), defects=["缺页"])
    before = stored(declaration)

    refused(
        lambda: declaration_resubmit(declaration=declaration, actor=UserFactory()),
        "not_applicant",
        PermissionRefused,
    )

    assert stored(declaration) == before


# -- refuse to recommend (R6.1) -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_step_refuse_without_reason_refused(world, applicant, reason):
    declaration = submitted(world, applicant)
    before = stored(declaration)

    error = refused(
        lambda: step_refuse(declaration=declaration, actor=world.admin(world.unit), reason=reason),
        "reason_required",
    )

    assert error.field == "reason"
    assert stored(declaration) == before


@pytest.mark.django_db
def test_step_refuse_records_reason(world, applicant):
    declaration = submitted(world, applicant)
    actor = world.admin(world.unit)

    step_refuse(declaration=declaration, actor=actor, reason="任职年限不足")

    row = Declaration.objects.get(pk=declaration.pk)
    assert row.state == S.NOT_RECOMMENDED
    decision = Decision.objects.get(declaration=row)
    assert (decision.kind, decision.organisation, decision.reason) == (
        DecisionKind.REFUSE,
        world.unit,
        "任职年限不足",
    )


# -- the committee host's first check (R6.6) -------------------------------------------------


@pytest.mark.django_db
def test_committee_accept_records_decision(world, applicant):
    declaration = at_committee(world, applicant)

    committee_accept(declaration=declaration, actor=host(world))

    row = Declaration.objects.get(pk=declaration.pk)
    assert row.state == S.ACCEPTED
    decision = Decision.objects.filter(declaration=row).last()
    assert (decision.kind, decision.organisation, decision.step) == (
        DecisionKind.ACCEPT,
        world.committee_host,
        None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("code", NotAcceptReason.values)
def test_committee_not_accept_with_reason_code_records_it(world, applicant, code):
    declaration = at_committee(world, applicant)

    committee_not_accept(declaration=declaration, actor=host(world), reason_code=code, reason="详见说明")

    row = Declaration.objects.get(pk=declaration.pk)
    assert row.state == S.NOT_ACCEPTED
    decision = Decision.objects.filter(declaration=row).last()
    expected_text = f"{NotAcceptReason(code).label}：详见说明"
    assert (decision.kind, decision.reason) == (DecisionKind.NOT_ACCEPT, expected_text)
    event = AuditEvent.objects.filter(action="not_accept").get()
    assert (event.reason, event.data["reason_code"]) == (expected_text, code)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "too_late", "NOT_ELIGIBLE"])
def test_committee_not_accept_invalid_reason_code_refused(world, applicant, code):
    declaration = at_committee(world, applicant)
    before = stored(declaration)

    error = refused(
        lambda: committee_not_accept(declaration=declaration, actor=host(world), reason_code=code),
        "reason_code_invalid",
    )

    assert error.field == "reason_code"
    assert stored(declaration) == before


@pytest.mark.django_db
def test_committee_return_then_resubmit_goes_back_to_committee(world, applicant):
    declaration = at_committee(world, applicant)

    declaration = committee_return(
        declaration=declaration, actor=host(world), defects=["论文检索证明缺失", "继续教育学时不足"]
    )

    row = Declaration.objects.get(pk=declaration.pk)
    assert (row.state, row.returned_by_committee, row.committee_submissions) == (S.RETURNED, True, 1)
    decision = Decision.objects.filter(declaration=row).last()
    assert (decision.kind, decision.step, decision.defects) == (
        DecisionKind.RETURN,
        None,
        ["论文检索证明缺失", "继续教育学时不足"],
    )

    declaration_resubmit(declaration=row, actor=applicant)

    row = Declaration.objects.get(pk=declaration.pk)
    assert (row.state, row.current_organisation, row.current_step) == (
        S.COMMITTEE_CHECK,
        world.committee_host,
        None,
    )
    assert (row.returned_by_committee, row.committee_submissions) == (False, 2)


@pytest.mark.django_db
def test_committee_return_without_defects_refused(world, applicant):
    declaration = at_committee(world, applicant)
    before = stored(declaration)
    refused(
        lambda: committee_return(declaration=declaration, actor=host(world), defects=[" "]),
        "defects_required",
    )
    assert stored(declaration) == before


@pytest.mark.django_db
def test_committee_return_third_failing_submission_terminates(world, applicant):
    # R6.6: submissions 1 and 2 are returned; the 3rd that still fails is terminated.
    declaration = at_committee(world, applicant)
    outcomes = []
    for submission in (1, 2, 3):
        assert Declaration.objects.get(pk=declaration.pk).committee_submissions == submission
        declaration = committee_return(
            declaration=declaration, actor=host(world), defects=[f"第{submission}次：材料仍不完整"]
        )
        outcomes.append(declaration.state)
        if declaration.state == S.RETURNED:
            declaration = declaration_resubmit(declaration=declaration, actor=applicant)

    assert outcomes == [S.RETURNED, S.RETURNED, S.TERMINATED]
    row = Declaration.objects.get(pk=declaration.pk)
    assert (row.state, row.committee_submissions) == (S.TERMINATED, 3)
    event = AuditEvent.objects.filter(action="terminate").get()
    assert (event.from_state, event.to_state, event.actor) == (S.COMMITTEE_CHECK, S.TERMINATED, host(world))
    assert "R6.6" in event.reason


# -- R8.3: the deadline for sending to the committee ------------------------------------------


@pytest.mark.django_db
def test_step_pass_last_step_after_chain_deadline_refused(world, applicant):
    declaration = submitted(world, applicant)
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    Campaign.objects.filter(pk=world.campaign.pk).update(
        chain_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    before = stored(declaration)

    error = refused(
        lambda: step_pass(declaration=declaration, actor=world.admin(world.city_department)),
        "chain_deadline_passed",
    )

    assert "R8.3" in str(error.message)
    assert stored(declaration) == before
    assert before["state"] == S.IN_REVIEW


@pytest.mark.django_db
def test_step_pass_last_step_just_before_chain_deadline_accepted(world, applicant):
    declaration = submitted(world, applicant)
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    Campaign.objects.filter(pk=world.campaign.pk).update(
        chain_deadline=timezone.now() + dt.timedelta(seconds=5)
    )

    declaration = step_pass(declaration=declaration, actor=world.admin(world.city_department))

    assert declaration.state == S.COMMITTEE_CHECK


# -- only the organisation holding the declaration decides ---------------------------------------

STEP_ACTIONS = {
    "pass": lambda d, actor: step_pass(declaration=d, actor=actor),
    "return": lambda d, actor: step_return(declaration=d, actor=actor, defects=["缺页"]),
    "refuse": lambda d, actor: step_refuse(declaration=d, actor=actor, reason="不符合条件"),
}
COMMITTEE_ACTIONS = {
    "accept": lambda d, actor: committee_accept(declaration=d, actor=actor),
    "not_accept": lambda d, actor: committee_not_accept(
        declaration=d, actor=actor, reason_code="not_eligible"
    ),
    "return": lambda d, actor: committee_return(declaration=d, actor=actor, defects=["缺页"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(STEP_ACTIONS))
@pytest.mark.parametrize("who", ["next_organisation", "committee_host", "applicant", "unbound"])
def test_step_decision_by_other_than_holding_organisation_refused(world, applicant, action, who):
    declaration = submitted(world, applicant)  # held by the unit, step 0
    actor = {
        "next_organisation": world.admin(world.city_department),
        "committee_host": host(world),
        "applicant": applicant,
        "unbound": UserFactory(),
    }[who]
    before = stored(declaration)

    refused(lambda: STEP_ACTIONS[action](declaration, actor), "not_at_your_organisation", PermissionRefused)

    assert stored(declaration) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(COMMITTEE_ACTIONS))
@pytest.mark.parametrize("who", ["last_step_organisation", "unit", "applicant"])
def test_committee_decision_by_other_than_host_refused(world, applicant, action, who):
    declaration = at_committee(world, applicant)
    actor = {
        "last_step_organisation": world.admin(world.city_department),
        "unit": world.admin(world.unit),
        "applicant": applicant,
    }[who]
    before = stored(declaration)

    refused(
        lambda: COMMITTEE_ACTIONS[action](declaration, actor), "not_at_your_organisation", PermissionRefused
    )

    assert stored(declaration) == before


@pytest.mark.django_db
def test_step_pass_by_previous_organisation_after_it_passed_refused(world, applicant):
    declaration = submitted(world, applicant)
    unit_admin = world.admin(world.unit)
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=unit_admin)
    before = stored(declaration)

    refused(
        lambda: step_pass(declaration=declaration, actor=unit_admin),
        "not_at_your_organisation",
        PermissionRefused,
    )

    assert stored(declaration) == before


# -- the applicant's organisation picks (R3.4, R4) ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "slot", "attr", "code"),
    [
        ("city_public", "unit", "agency", "organisation_wrong_kind"),
        ("out_of_city_unit", "management_body", "city_department", "organisation_wrong_kind"),
        ("city_public", "competent_department", "district_department", "organisation_wrong_level"),
        ("district_public", "competent_department", "city_department", "organisation_wrong_level"),
        ("floating_cq_archive", "district_hr", "other_district_hr", "organisation_wrong_district"),
        ("freelancer", "district_hr", "other_district_hr", "organisation_wrong_district"),
        ("district_public", "district_hr", "other_district_hr", "organisation_wrong_district"),
    ],
)
def test_submit_with_wrong_pick_refused(world, applicant, category, slot, attr, code):
    declaration = draft(world, applicant, category, **{slot: getattr(world, attr)})
    before = stored(declaration)

    error = refused(
        lambda: declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True),
        code,
    )

    assert error.field == slot
    assert stored(declaration) == before
    assert before["state"] == S.DRAFT
    assert getattr(Declaration.objects.get(pk=declaration.pk), slot) == getattr(world, attr)


@pytest.mark.django_db
def test_submit_with_inactive_organisation_refused(world, applicant):
    declaration = draft(world, applicant, "city_public")
    type(world.unit).objects.filter(pk=world.unit.pk).update(is_active=False)
    before = stored(declaration)

    error = refused(
        lambda: declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True),
        "organisation_wrong_kind",
    )

    assert error.field == "unit"
    assert stored(declaration) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "slot"),
    [
        ("city_public", "competent_department"),
        ("freelancer", "personnel_agency"),
        ("out_of_city_unit", "management_body"),
        ("district_public", "district_hr"),
    ],
)
def test_submit_with_missing_pick_tells_to_ask_it_to_register(world, applicant, category, slot):
    declaration = draft(world, applicant, category, **{slot: None})
    before = stored(declaration)

    error = refused(
        lambda: declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True),
        "organisation_missing",
    )

    assert error.field == slot
    # R3.4: the applicant is told to ask the organisation to register.
    assert "注册" in str(error.message)
    assert "R3.4" in str(error.message)
    assert stored(declaration) == before


@pytest.mark.django_db
def test_submit_drops_picks_not_on_the_chain(world, applicant):
    declaration = draft(
        world, applicant, "city_public", district_hr=world.district_hr, personnel_agency=world.agency
    )

    declaration = declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)

    row = Declaration.objects.get(pk=declaration.pk)
    assert (row.unit, row.competent_department) == (world.unit, world.city_department)
    assert (row.district_hr, row.personnel_agency, row.management_body) == (None, None, None)


@pytest.mark.django_db
def test_submit_same_district_pick_of_other_kind_still_checked_by_kind(world, applicant):
    stranger = OrganisationFactory(kind="unit", district=world.district_hr.district)
    declaration = draft(world, applicant, "freelancer", district_hr=stranger)
    refused(
        lambda: declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True),
        "organisation_wrong_kind",
    )
