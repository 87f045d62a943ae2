"""Writes of shared-data verification (R5.4): run the checks, and the unit's manual finding.

``shared_data_verify`` is called by ``declaration_submit`` inside its transaction (and
by ``declaration_resubmit``); ``shared_data_reverify`` is the "重新核验" action of the
applicant or the unit; ``shared_data_confirm`` records the unit's finding on an item
that failed. Each writes one audit row on the declaration.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.services import audit_record
from declarations.enums import SharedDataKind, SharedDataStatus, State
from declarations.models import Declaration, SharedDataCheck
from declarations.shareddata.checks import COMPARERS, Outcome, kinds_for
from declarations.shareddata.sources import (
    SharedDataSource,
    SharedDataUnavailable,
    shared_data_source,
)

St = SharedDataStatus
# Statuses the unit may set by hand, and those an automatic run may not overturn.
UNIT_STATUSES = frozenset({St.CONFIRMED_BY_UNIT, St.REJECTED_BY_UNIT})
FAILED_STATUSES = frozenset({St.NOT_VERIFIED, St.NOT_FOUND})
# The applicant may re-run the checks while the material is theirs to change.
APPLICANT_REVERIFY_STATES = frozenset({State.DRAFT, State.RETURNED})
# The unit holds the declaration in these states at its step.
UNIT_HOLD_STATES = frozenset({State.IN_REVIEW, State.UNIT_PUBLICITY})


def _unavailable(previous: SharedDataCheck | None) -> Outcome:
    return Outcome(
        St.NOT_VERIFIED,
        _("共享数据暂时无法查询，请稍后重新核验，或上传证明材料由单位人工核实。"),
        previous.declared if previous else {},
        previous.found if previous else {},
    )


def shared_data_verify(
    *,
    declaration: Declaration,
    actor: User | None,
    source: SharedDataSource | None = None,
    now: datetime.datetime | None = None,
) -> list[SharedDataCheck]:
    """Check every item of R5.4 that applies to the declaration and store the results.

    Runs under the caller's lock of the declaration (inside ``declaration_submit``, whose
    audit row covers it) or takes none (the "重新核验" action, ``shared_data_reverify``,
    locks and writes its own audit row). A unit's finding
    on an item is kept when the item still fails on the same facts; otherwise the new
    result replaces it. A source that cannot answer (``SharedDataUnavailable``) never
    stops a submission: the item keeps a verified result it had, or is not verified.
    Items that no longer apply (a changed category) are removed.
    """
    source = source or shared_data_source()
    now = now or timezone.now()
    d = declaration
    # ``declaration.shared_data_checks`` as the submission loaded them under its lock
    # (``versions.load_content``), or one query.
    existing = {c.kind: c for c in d.shared_data_checks.all()}
    kinds = kinds_for(d)
    results: list[SharedDataCheck] = []
    new_checks: list[SharedDataCheck] = []
    # One round trip for every item when the source can (docs/benchmarks.md).
    batch: dict[str, object] | None = None
    lookup_many = getattr(source, "lookup_many", None)
    if lookup_many is not None and kinds:
        try:
            batch = lookup_many(list(kinds), d.applicant.id_number)
        except SharedDataUnavailable:
            batch = dict.fromkeys(kinds, SharedDataUnavailable)
    for kind in kinds:
        previous = existing.get(kind)
        try:
            if batch is None:
                record = source.lookup(kind, d.applicant.id_number)
            elif batch[kind] is SharedDataUnavailable:
                raise SharedDataUnavailable
            else:
                record = batch[kind]
        except SharedDataUnavailable:
            if previous is not None and previous.status == St.VERIFIED:
                results.append(previous)
                continue
            outcome: Outcome | None = _unavailable(previous)
            origin = source.name
        else:
            outcome = COMPARERS[kind](d, record)
            origin = record.source if record is not None else source.name
        assert outcome is not None  # kinds_for() lists only the items that apply
        check = previous or SharedDataCheck(declaration=d, kind=kind)
        keeps_finding = (
            previous is not None
            and previous.status in UNIT_STATUSES
            and outcome.status in FAILED_STATUSES
            and previous.declared == outcome.declared
            and previous.found == outcome.found
        )
        if not keeps_finding:
            check.status = outcome.status
            check.confirmed_by = None
            check.confirmed_at = None
            check.note = ""
        check.detail = outcome.detail[:500]
        check.declared = outcome.declared
        check.found = outcome.found
        check.source = origin[:100]
        check.checked_at = now
        if check.pk is None:
            new_checks.append(check)
        else:
            check.save()
        results.append(check)
    SharedDataCheck.objects.bulk_create(new_checks)
    stale = [kind for kind in existing if kind not in kinds]
    if stale:
        SharedDataCheck.objects.filter(declaration=d, kind__in=stale).delete()
    return results


def confirm_step_position(declaration: Declaration) -> int | None:
    """The route position at which the unit checks shared data by hand (R5.4, R6.1).

    The route's ``unit`` step; a route without one (R4.5 freelancers) uses its first step.
    """
    from review.enums import Slot
    from review.models import RouteStep

    positions = dict(
        RouteStep.objects.filter(declaration=declaration).values_list("slot", "position")
    )
    if not positions:
        return None
    return positions.get(Slot.UNIT, min(positions.values()))


def shared_data_holds_for_confirmation(declaration: Declaration, user: User) -> bool:
    """Whether ``user`` administers the organisation that confirms items by hand now."""
    org = user.administered_organisation if user.is_authenticated else None
    return (
        org is not None
        and declaration.state in UNIT_HOLD_STATES
        and declaration.current_organisation_id == org.pk
        and declaration.current_step is not None
        and declaration.current_step == confirm_step_position(declaration)
    )


def shared_data_can_reverify(declaration: Declaration, user: User) -> bool:
    """Whether ``user`` may re-run the checks now (a hint for pages; the service decides)."""
    if declaration.applicant_id == user.pk:
        return declaration.state in APPLICANT_REVERIFY_STATES
    return shared_data_holds_for_confirmation(declaration, user)


@transaction.atomic
def shared_data_reverify(
    *,
    declaration: Declaration,
    actor: User,
    source: SharedDataSource | None = None,
    now: datetime.datetime | None = None,
) -> list[SharedDataCheck]:
    """Re-run the checks ("重新核验"): the applicant while the material is theirs, or the unit.

    Refused (``shared_data_not_now``, 403) to anyone else or at another time.
    """
    locked = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("applicant", "campaign", "unit", "personnel_agency")
        .get(pk=declaration.pk)
    )
    if not shared_data_can_reverify(locked, actor):
        raise PermissionRefused(
            "shared_data_not_now",
            _("只有申报人（草稿或退回补正时）或正在审核的所在单位可以重新核验共享数据。"),
        )
    results = shared_data_verify(declaration=locked, actor=actor, source=source, now=now)
    audit_record(
        actor=actor,
        obj=locked,
        action="shared_data_verify",
        from_state=locked.state,
        to_state=locked.state,
        data={"rules": ["R5.4"], "results": {c.kind: c.status for c in results}},
    )
    return results


@transaction.atomic
def shared_data_confirm(
    *,
    check: SharedDataCheck,
    actor: User,
    accepted: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SharedDataCheck:
    """Record the unit's finding on an item that failed automatic verification (R5.4, R6.1).

    Only an administrator of the organisation holding the declaration at its unit step
    (the first step of a route without one) may do so (``not_confirming_organisation``,
    403). An automatically verified item needs no finding (``shared_data_verified``,
    409). A rejection needs a note (``note_required``). The finding may be changed while
    the unit still holds the declaration.
    """
    locked = Declaration.objects.select_for_update().get(pk=check.declaration_id)
    if not shared_data_holds_for_confirmation(locked, actor):
        raise PermissionRefused(
            "not_confirming_organisation",
            _("只有正在审核该申报的所在单位（无所在单位环节时为第一个审核机构）可以人工确认共享数据。"),
        )
    item = SharedDataCheck.objects.select_for_update().get(pk=check.pk)
    if item.status == St.VERIFIED:
        raise TransitionNotAllowed(
            "shared_data_verified", _("该项已通过自动核验，无需人工确认。")
        )
    note = (note or "").strip()
    if not accepted and not note:
        raise ServiceError(
            "note_required", _("核实不符时须填写意见，告知申报人。"), field="note"
        )
    before = item.status
    item.status = St.CONFIRMED_BY_UNIT if accepted else St.REJECTED_BY_UNIT
    item.confirmed_by = actor
    item.confirmed_at = now or timezone.now()
    item.note = note[:500]
    item.save(update_fields=["status", "confirmed_by", "confirmed_at", "note"])
    audit_record(
        actor=actor,
        obj=locked,
        action="shared_data_confirm" if accepted else "shared_data_reject",
        from_state=locked.state,
        to_state=locked.state,
        reason=item.note,
        data={"rules": ["R5.4", "R6.1"], "kind": item.kind, "from": before, "to": item.status},
    )
    return item


def shared_data_kind_or_404(kind: str) -> str:
    """Return ``kind`` if it is an item of R5.4; 404 otherwise."""
    from django.http import Http404

    if kind not in SharedDataKind.values:
        raise Http404
    return kind
