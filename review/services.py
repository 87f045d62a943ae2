"""Decisions of the reviewing organisations and the committee host's first check (R6)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import PermissionRefused, ServiceError
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_transition
from declarations.workflow import MAX_COMMITTEE_SUBMISSIONS
from review.deadlines import correction_due_at
from review.enums import DecisionKind, NotAcceptReason
from review.models import Decision, RouteStep
from review.publicity import publicity_refusal_for_pass, publicity_release_if_due
from review.unit_conditions import unit_condition_refusal_for_pass


def _acting_organisation(actor: User, declaration: Declaration):  # type: ignore[no-untyped-def]
    """Return the organisation ``actor`` acts for on this declaration, or refuse."""
    org = actor.administered_organisation
    if org is None or declaration.current_organisation_id != org.pk:
        raise PermissionRefused(
            "not_at_your_organisation",
            _("该申报当前不在贵机构审核环节，可能已被处理。"),
        )
    return org


def _check_at_step(actor: User):  # type: ignore[no-untyped-def]
    def check(d: Declaration) -> None:
        _acting_organisation(actor, d)
        if d.state != State.IN_REVIEW:
            raise PermissionRefused("not_at_step", _("该申报当前不在审核环节。"))

    return check


def _record(d: Declaration, actor: User, kind: str, *, step: int | None,
            reason: str = "", defects: list[str] | None = None,
            at: datetime.datetime | None = None) -> None:
    Decision.objects.create(
        decided_at=at or timezone.now(),
        declaration=d,
        organisation_id=d.current_organisation_id,
        step=step,
        actor=actor,
        kind=kind,
        reason=reason,
        defects=defects or [],
    )


@transaction.atomic
def step_pass(
    *,
    declaration: Declaration,
    actor: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Declaration:
    """Pass the declaration up its chain: to the next organisation, or to the committee.

    At the ``unit`` step the unit must have publicised the candidate first and the
    period must have ended with no complaint upheld (R6.3, ``review.publicity``):
    otherwise ``publicity_required``, ``publicity_in_progress`` or ``publicity_held``.
    A candidate whose period is over and not held is released here without waiting for
    the sweep. The unit's own conditions (R6.2, ``review.unit_conditions``) must be met
    there too, else ``unit_conditions_not_met``: the unit may still return or refuse.
    The last step sends it to the committee host, only before the campaign's chain
    deadline (R8.3), and counts a submission to the committee (R6.6).
    """
    now = now or timezone.now()
    # Entry first, then declaration: the lock order of review.publicity.
    publicity_release_if_due(declaration=declaration, now=now)
    check_step = _check_at_step(actor)
    target: dict[str, object] = {}

    def check(d: Declaration) -> None:
        check_step(d)
        refusal = publicity_refusal_for_pass(d, now) or unit_condition_refusal_for_pass(d)
        if refusal is not None:
            raise refusal
        nxt = RouteStep.objects.filter(declaration=d, position=d.current_step + 1).first()
        target["next"] = nxt
        if nxt is None and now > d.campaign.chain_deadline:
            raise ServiceError(
                "chain_deadline_passed",
                _("报送评委会的截止时间%(at)s已过，不能再报送（R8.3）。")
                % {"at": timezone.localtime(d.campaign.chain_deadline).strftime("%Y-%m-%d %H:%M")},
            )

    def apply(d: Declaration) -> list[str]:
        _record(d, actor, DecisionKind.PASS, step=d.current_step, reason=reason, at=now)
        nxt = target["next"]
        if nxt is not None:
            d.current_step = nxt.position
            d.current_organisation_id = nxt.organisation_id
        else:
            d.current_step = None
            d.current_organisation_id = d.campaign.committee_host_id
            d.committee_submissions += 1
        return ["current_step", "current_organisation", "committee_submissions"]

    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if locked.state == State.UNIT_PUBLICITY:
        # Still in publicity (or held by a complaint): say so rather than "illegal".
        _acting_organisation(actor, locked)
        refusal = publicity_refusal_for_pass(locked, now)
        if refusal is not None:
            raise refusal
    is_last = not RouteStep.objects.filter(
        declaration=locked, position=(locked.current_step or 0) + 1
    ).exists()
    return declaration_transition(
        declaration=locked,
        name="send_to_committee" if is_last else "forward",
        actor=actor,
        reason=reason,
        check=check,
        apply=apply,
        now=now,
    )


def _clean_defects(defects: list[str]) -> list[str]:
    cleaned = [d.strip() for d in defects if d and d.strip()]
    if not cleaned:
        raise ServiceError(
            "defects_required",
            _("退回补正须一次性列明全部需补正的问题（R6.1、R6.6）。"),
            field="defects",
        )
    return cleaned


@transaction.atomic
def step_return(
    *,
    declaration: Declaration,
    actor: User,
    defects: list[str],
    reason: str = "",
    deadline_working_days: int | None = None,
    deadline_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Declaration:
    """Return the declaration to the applicant with every defect listed at once (R6.1).

    The applicant must resubmit before the correction deadline (``review.deadlines``:
    working days or a date, 5 working days by default), or it counts as abandoned.
    """
    cleaned = _clean_defects(defects)
    now = now or timezone.now()
    due = correction_due_at(
        opened_at=now, working_days=deadline_working_days, due_date=deadline_date
    )

    def apply(d: Declaration) -> list[str]:
        _record(d, actor, DecisionKind.RETURN, step=d.current_step, reason=reason, defects=cleaned, at=now)
        d.correction_due_at = due
        return ["correction_due_at"]

    return declaration_transition(
        declaration=declaration,
        name="return_for_correction",
        actor=actor,
        reason=reason,
        data={"defects": cleaned, "correction_due_at": due.isoformat()},
        check=_check_at_step(actor),
        apply=apply,
        now=now,
    )


@transaction.atomic
def step_refuse(*, declaration: Declaration, actor: User, reason: str) -> Declaration:
    """Refuse to recommend the declaration, with the reason shown to the applicant (R6.1)."""
    if not reason.strip():
        raise ServiceError("reason_required", _("不予推荐须说明理由（R6.1）。"), field="reason")

    def apply(d: Declaration) -> list[str]:
        _record(d, actor, DecisionKind.REFUSE, step=d.current_step, reason=reason)
        return []

    return declaration_transition(
        declaration=declaration,
        name="refuse",
        actor=actor,
        reason=reason,
        check=_check_at_step(actor),
        apply=apply,
    )


def _check_committee(actor: User):  # type: ignore[no-untyped-def]
    def check(d: Declaration) -> None:
        _acting_organisation(actor, d)
        if d.state != State.COMMITTEE_CHECK:
            raise PermissionRefused("not_at_committee", _("该申报当前不在评委会受理审核环节。"))

    return check


@transaction.atomic
def committee_accept(
    *, declaration: Declaration, actor: User, reason: str = "", now: datetime.datetime | None = None
) -> Declaration:
    """The committee host accepts the declaration for review (首次审核, R6.6)."""

    def apply(d: Declaration) -> list[str]:
        _record(d, actor, DecisionKind.ACCEPT, step=None, reason=reason, at=now)
        return []

    return declaration_transition(
        declaration=declaration, name="accept", actor=actor, reason=reason,
        check=_check_committee(actor), apply=apply, now=now,
    )


@transaction.atomic
def committee_not_accept(
    *, declaration: Declaration, actor: User, reason_code: str, reason: str = ""
) -> Declaration:
    """Refuse to accept: not eligible, outside scope, or wrong procedure (R6.6)."""
    if reason_code not in NotAcceptReason.values:
        raise ServiceError(
            "reason_code_invalid",
            _("不予受理须选择规定的理由之一（R6.6）。"),
            field="reason_code",
        )
    text = f"{NotAcceptReason(reason_code).label}" + (f"：{reason}" if reason else "")

    def apply(d: Declaration) -> list[str]:
        _record(d, actor, DecisionKind.NOT_ACCEPT, step=None, reason=text)
        return []

    return declaration_transition(
        declaration=declaration, name="not_accept", actor=actor, reason=text,
        data={"reason_code": reason_code}, check=_check_committee(actor), apply=apply,
    )


@transaction.atomic
def committee_return(
    *,
    declaration: Declaration,
    actor: User,
    defects: list[str],
    reason: str = "",
    deadline_working_days: int | None = None,
    deadline_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Declaration:
    """Return to the applicant with the full defect list, or terminate on the third try.

    R6.6: a declaration that still fails on its third submission to the committee
    fails review and is terminated. A return sets the correction deadline as
    ``step_return`` does.
    """
    cleaned = _clean_defects(defects)
    now = now or timezone.now()
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if locked.committee_submissions >= MAX_COMMITTEE_SUBMISSIONS:
        text = _("第%(n)d次报送评委会仍不符合要求，评审终止（R6.6）。") % {
            "n": locked.committee_submissions
        }

        def apply_terminate(d: Declaration) -> list[str]:
            _record(d, actor, DecisionKind.RETURN, step=None, reason=text, defects=cleaned, at=now)
            return []

        return declaration_transition(
            declaration=locked, name="terminate", actor=actor, reason=text,
            data={"defects": cleaned}, check=_check_committee(actor), apply=apply_terminate,
            now=now,
        )
    due = correction_due_at(
        opened_at=now, working_days=deadline_working_days, due_date=deadline_date
    )

    def apply(d: Declaration) -> list[str]:
        _record(d, actor, DecisionKind.RETURN, step=None, reason=reason, defects=cleaned, at=now)
        d.returned_by_committee = True
        d.correction_due_at = due
        return ["returned_by_committee", "correction_due_at"]

    return declaration_transition(
        declaration=locked, name="return_for_correction", actor=actor, reason=reason,
        data={"defects": cleaned, "correction_due_at": due.isoformat()},
        check=_check_committee(actor), apply=apply, now=now,
    )
