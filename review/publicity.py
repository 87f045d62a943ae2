"""Unit publicity with complaints (单位公示, R6.3): services, the sweep step and reads.

The flow (docs/publicity.md):

1. At the unit step a unit administrator publishes a batch of candidates waiting at the
   unit (``publicity_batch_publish``): each moves ``in_review -> unit_publicity``; the
   period of at least 5 working days is counted and stored (R6.3, R9.1a, R9.2).
2. Anyone may complain about one candidate during the period (``complaint_file``,
   throttled per client address); a pending complaint holds that candidate only.
3. The sweep (``publicity_release_due``, registered in ``review.apps``) ends the periods
   that are due: every candidate not held goes back to ``in_review`` at the same unit
   step, marked released; the unit may then send it up (``review.services.step_pass``).
4. The unit or its superior department records each complaint's outcome
   (``complaint_resolve``): groundless (the candidate continues, and is released if its
   period has ended) or upheld (not recommended, R6.3; or terminated, R7.6).

Locks are always taken entry first, then declaration, so that the sweep, a complaint
and its resolution never deadlock.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import organisation_administrators
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.notifications import notify
from core.services import audit_record
from core.throttle import throttle_count
from core.workdays import OFFICE_TZ, period_end
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_transition
from review.enums import ComplaintOutcome, DecisionKind, PublicityStatus, Slot
from review.models import Complaint, Decision, PublicityBatch, PublicityEntry, RouteStep

# R6.3, R9.2: "不少于5个工作日" includes 5; a unit may choose a longer period.
MIN_WORKING_DAYS = 5
MAX_WORKING_DAYS = 30
COMPLAINT_MAX_LENGTH = 2000
# At most this many complaints per client address per window (Django's cache, shared by
# every web process: Redis in production and in the tests).
COMPLAINTS_PER_WINDOW = 5
COMPLAINT_WINDOW_SECONDS = 60 * 60

_OPEN_ENTRY_STATES = (PublicityStatus.ON_PUBLICITY, PublicityStatus.HELD)


class TooManyComplaints(ServiceError):
    """A client address filed more complaints than the window allows."""

    status_code = 429


def _local(moment: datetime.datetime) -> str:
    return moment.astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M")


# The public notice board (review.publicity_views.public_list) is cached per language.
BOARD_KEY = "publicity:board:{language}"
BOARD_VERSION_KEY = "publicity:board:version"


def public_board_changed(**_kwargs: object) -> None:
    """Invalidate every cached board: a batch or an organisation was written (review.apps)."""
    try:
        cache.incr(BOARD_VERSION_KEY)
    except ValueError:
        cache.set(BOARD_VERSION_KEY, 1, None)



def period_label(batch: PublicityBatch) -> str:
    """Say the period as people read it: from the opening day to 24:00 of the last day."""
    last_day = (batch.ends_at.astimezone(OFFICE_TZ) - datetime.timedelta(seconds=1)).date()
    return _("%(start)s 至 %(end)s 24:00（%(n)d个工作日）") % {
        "start": _local(batch.starts_at),
        "end": last_day.strftime("%Y-%m-%d"),
        "n": batch.working_days,
    }


def organisation_complaint_contact(org: Organisation) -> str:
    """The complaint contact an organisation gives: its complaint phone, else its contact."""
    phone = org.complaint_phone or org.contact_phone
    return f"{org.contact_person} {phone}".strip()




# -- reads ---------------------------------------------------------------------------------


def publicity_candidates_for_organisation(org: Organisation | None) -> QuerySet[Declaration]:
    """Declarations waiting at ``org``'s unit step that have not been publicised yet."""
    if org is None:
        return Declaration.objects.none()
    at_unit_step = RouteStep.objects.filter(
        declaration=OuterRef("pk"), position=OuterRef("current_step"), slot=Slot.UNIT
    )
    publicised = PublicityEntry.objects.filter(declaration=OuterRef("pk"))
    return (
        Declaration.objects.filter(current_organisation=org, state=State.IN_REVIEW)
        .filter(Exists(at_unit_step))
        .exclude(Exists(publicised))
        .select_related("applicant", "campaign")
        .order_by("state_changed_at", "pk")
    )


def _entries_prefetch() -> Prefetch:
    return Prefetch(
        "entries",
        queryset=PublicityEntry.objects.select_related(
            "declaration__applicant", "declaration__unit", "superior"
        ).order_by("pk"),
    )


def publicity_batch_list_public(now: datetime.datetime | None = None) -> QuerySet[PublicityBatch]:
    """Batches whose period is running now, soonest end first (the public notice board)."""
    now = now or timezone.now()
    return (
        PublicityBatch.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("unit")
        .order_by("ends_at", "pk")
    )


def publicity_batch_get_public(pk: int | str) -> PublicityBatch:
    """Return a published batch with its candidates for the public page; 404 if none."""
    try:
        return (
            PublicityBatch.objects.select_related("unit")
            .prefetch_related(_entries_prefetch())
            .get(pk=pk)
        )
    except (PublicityBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def publicity_batch_list_for_user(user: User) -> QuerySet[PublicityBatch]:
    """Batches the person's organisation published, or hears complaints on as superior."""
    org = user.administered_organisation if user.is_authenticated else None
    if org is None:
        return PublicityBatch.objects.none()
    superior_of = PublicityEntry.objects.filter(batch=OuterRef("pk"), superior=org)
    return (
        PublicityBatch.objects.filter(Q(unit=org) | Q(Exists(superior_of)))
        .select_related("unit")
        .order_by("-starts_at", "-pk")
    )


def publicity_batch_get_for_user(user: User, pk: int | str) -> PublicityBatch:
    """Return the batch with candidates and complaints if the person may see it; else 404."""
    try:
        return (
            publicity_batch_list_for_user(user)
            .prefetch_related(
                _entries_prefetch(),
                Prefetch(
                    "entries__complaints",
                    queryset=Complaint.objects.select_related("resolved_by").order_by("filed_at", "pk"),
                ),
            )
            .get(pk=pk)
        )
    except (PublicityBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def complaint_get_for_user(user: User, pk: int | str) -> Complaint:
    """Return a complaint the person's organisation may resolve (unit or superior); else 404."""
    org = user.administered_organisation if user.is_authenticated else None
    if org is None:
        raise Http404
    try:
        return Complaint.objects.select_related("entry__batch", "entry__declaration").get(
            Q(entry__batch__unit=org) | Q(entry__superior=org), pk=pk
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- publishing ----------------------------------------------------------------------------


def _superior_for(unit: Organisation, declaration: Declaration) -> Organisation:
    """The superior department whose complaint contact the notice gives (R6.3).

    The unit's recorded superior, else the next organisation on the candidate's route.
    """
    if unit.superior_id is not None:
        return unit.superior  # type: ignore[return-value]
    nxt = (
        RouteStep.objects.filter(declaration=declaration, position=(declaration.current_step or 0) + 1)
        .select_related("organisation")
        .first()
    )
    if nxt is None:
        raise ServiceError(
            "superior_missing",
            _("找不到贵单位的上级主管部门，无法在公示中列明其投诉电话（R6.3）。请联系职称办补录上级机构。"),
        )
    return nxt.organisation


@transaction.atomic
def publicity_batch_publish(
    *,
    actor: User,
    declarations: Sequence[Declaration],
    offline_location: str,
    working_days: int = MIN_WORKING_DAYS,
    unit_contact: str = "",
    title: str = "",
    now: datetime.datetime | None = None,
) -> PublicityBatch:
    """Publish candidates waiting at the actor's unit step for publicity (R6.3).

    Checks: the actor administers the unit; the period is at least 5 working days
    (R6.3, R9.2) and at most ``MAX_WORKING_DAYS``; at least one candidate; where it is
    shown offline is given. Counts the period from ``now`` (R9.1a) and stores its end.
    Each candidate, locked, must be in review at this unit's ``unit`` step and never
    publicised; it moves to ``unit_publicity``. The applicants are told.
    """
    now = now or timezone.now()
    org = actor.administered_organisation
    if org is None:
        raise PermissionRefused("not_an_administrator", _("只有单位的职称管理员可以发布公示。"))
    if working_days < MIN_WORKING_DAYS:
        raise ServiceError(
            "publicity_too_short",
            _("公示期不得少于%(n)d个工作日（R6.3）。") % {"n": MIN_WORKING_DAYS},
            field="working_days",
        )
    if working_days > MAX_WORKING_DAYS:
        raise ServiceError(
            "publicity_too_long",
            _("公示期最多%(n)d个工作日。") % {"n": MAX_WORKING_DAYS},
            field="working_days",
        )
    if not declarations:
        raise ServiceError(
            "candidates_required", _("请至少选择一名公示人选。"), field="declarations"
        )
    offline_location = offline_location.strip()
    if not offline_location:
        raise ServiceError(
            "offline_location_required",
            _("请填写线下公示地点（R6.3：在本单位内公示）。"),
            field="offline_location",
        )
    ends_at = period_end(now, working_days)
    batch = PublicityBatch.objects.create(
        unit=org,
        title=title.strip()
        or _("%(unit)s %(year)s年度数字技术职称申报人选公示")
        % {"unit": org.name, "year": now.astimezone(OFFICE_TZ).year},
        working_days=working_days,
        starts_at=now,
        ends_at=ends_at,
        unit_contact=unit_contact.strip() or organisation_complaint_contact(org),
        offline_location=offline_location,
        published_by=actor,
    )
    for declaration in sorted(declarations, key=lambda d: d.pk):

        def check(d: Declaration) -> None:
            if d.current_organisation_id != org.pk:
                raise PermissionRefused(
                    "not_at_your_organisation",
                    _("“%(name)s”的申报当前不在贵单位审核环节。") % {"name": d.applicant},
                )
            step = RouteStep.objects.filter(declaration=d, position=d.current_step).first()
            if step is None or step.slot != Slot.UNIT:
                raise ServiceError(
                    "not_unit_step",
                    _("“%(name)s”的申报当前不在所在单位审核环节，无需单位公示。") % {"name": d.applicant},
                    field="declarations",
                )
            if PublicityEntry.objects.filter(declaration=d).exists():
                raise ServiceError(
                    "already_publicised",
                    _("“%(name)s”已经公示过，不能重复公示。") % {"name": d.applicant},
                    field="declarations",
                )

        def apply(d: Declaration) -> list[str]:
            PublicityEntry.objects.create(batch=batch, declaration=d, superior=_superior_for(org, d))
            return []

        declaration_transition(
            declaration=declaration,
            name="start_unit_publicity",
            actor=actor,
            data={"batch": batch.pk, "ends_at": ends_at.isoformat()},
            check=check,
            apply=apply,
            now=now,
        )
    audit_record(
        actor=actor,
        obj=batch,
        action="publicity_publish",
        data={
            "rules": ["R6.3", "R9.1a", "R9.2"],
            "declarations": sorted(d.pk for d in declarations),
            "working_days": working_days,
            "ends_at": ends_at.isoformat(),
        },
    )
    applicants = Declaration.objects.filter(publicity_entries__batch=batch).select_related("applicant")
    notify(
        recipients=[d.applicant for d in applicants],
        kind="publicity_started",
        title=_("您的职称申报已进入单位公示，公示期：%(period)s") % {"period": period_label(batch)},
        url=reverse("public:publicity_detail", args=[batch.pk]),
    )
    return batch


# -- ending the period ---------------------------------------------------------------------


def _release(entry: PublicityEntry, *, actor: User | None, now: datetime.datetime, reason: str) -> None:
    """End one candidate's publicity: back to ``in_review`` at the unit step, released.

    Call with the entry locked, inside a transaction.
    """

    def apply(d: Declaration) -> list[str]:
        entry.status = PublicityStatus.RELEASED
        entry.released_at = now
        entry.save(update_fields=["status", "released_at"])
        return []

    declaration_transition(
        declaration=entry.declaration,
        name="end_unit_publicity",
        actor=actor,
        reason=reason,
        data={"batch": entry.batch_id},
        apply=apply,
        now=now,
    )


def _lock_entry(**filters: object) -> PublicityEntry | None:
    return (
        PublicityEntry.objects.select_for_update(of=("self",), skip_locked=False)
        .select_related("batch", "declaration")
        .filter(**filters)
        .first()
    )


def publicity_release_due(now: datetime.datetime | None = None) -> int:
    """Sweep step: end every publicity period that is due; return how many were released.

    A candidate held by a pending complaint stays in publicity until the complaint is
    resolved (R6.3). Idempotent: only candidates still ``on_publicity`` are touched, each
    rechecked under its lock; a row another sweep holds is skipped.
    """
    now = now or timezone.now()
    ids = list(
        PublicityEntry.objects.filter(
            status=PublicityStatus.ON_PUBLICITY, batch__ends_at__lte=now
        )
        .order_by("batch__ends_at", "pk")
        .values_list("pk", flat=True)[:1000]
    )
    released = 0
    for pk in ids:
        with transaction.atomic():
            entry = (
                PublicityEntry.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("batch", "declaration")
                .filter(pk=pk, status=PublicityStatus.ON_PUBLICITY, batch__ends_at__lte=now)
                .first()
            )
            if entry is None:
                continue
            _release(entry, actor=None, now=now, reason=_("公示期满，无异议（R6.3）。"))
            released += 1
    return released


def publicity_release_if_due(*, declaration: Declaration, now: datetime.datetime) -> bool:
    """End this declaration's publicity now if its period is over and nothing holds it.

    Lets the unit send a candidate up at the end of the period without waiting for the
    next sweep. Returns whether it was released. Call inside a transaction, before
    locking the declaration (entry first, then declaration).
    """
    entry = _lock_entry(
        declaration_id=declaration.pk,
        status=PublicityStatus.ON_PUBLICITY,
        batch__ends_at__lte=now,
    )
    if entry is None or entry.declaration.state != State.UNIT_PUBLICITY:
        return False
    _release(entry, actor=None, now=now, reason=_("公示期满，无异议（R6.3）。"))
    return True


def publicity_refusal_for_pass(declaration: Declaration, now: datetime.datetime) -> ServiceError | None:
    """Say why the unit may not send this declaration up yet (R6.3), or None if it may.

    Only the ``unit`` step of a route needs publicity; a freelancer's route has none
    (R4.5).
    """
    # Through the relations, so that a list that prefetched ``route`` and
    # ``publicity_entries`` asks nothing more per declaration.
    step = next((s for s in declaration.route.all() if s.position == declaration.current_step), None)
    if step is None or step.slot != Slot.UNIT:
        return None
    entry = next(iter(declaration.publicity_entries.all()), None)
    if entry is None:
        return ServiceError(
            "publicity_required",
            _(
                "所在单位须先将申报人选公示不少于5个工作日，公示期满无异议或投诉经核查不属实后"
                "方可报送上级（R6.3）。请在“单位公示”中发布公示。"
            ),
        )
    if entry.status == PublicityStatus.RELEASED:
        return None
    if entry.status == PublicityStatus.HELD:
        return TransitionNotAllowed(
            "publicity_held",
            _("该申报人选有投诉尚待核查，核查为不属实后方可报送（R6.3）。"),
        )
    return TransitionNotAllowed(
        "publicity_in_progress",
        _("该申报人选正在公示，公示期至%(end)s结束，期满无异议后方可报送（R6.3、R9.1a）。")
        % {"end": period_label(entry.batch)},
    )


# -- complaints ----------------------------------------------------------------------------


def complaint_throttle_key(ip_address: str) -> str:
    return f"publicity-complaint:{ip_address}"


def complaint_throttle(key: str | None) -> None:
    """Refuse a complaint past ``COMPLAINTS_PER_WINDOW`` per window for one client address
    (``key`` names it; None when the address is unknown: not counted). Unit and results
    publicity (R6.3, R8.1) share this."""
    if not key:
        return
    if throttle_count(key, window_seconds=COMPLAINT_WINDOW_SECONDS) > COMPLAINTS_PER_WINDOW:
        raise TooManyComplaints(
            "too_many_complaints",
            _("同一网络地址每小时最多提交%(n)d次投诉，请稍后再试，或按公示中的电话投诉。")
            % {"n": COMPLAINTS_PER_WINDOW},
        )


@transaction.atomic
def complaint_file(
    *,
    entry: PublicityEntry,
    text: str,
    name: str = "",
    contact: str = "",
    ip_address: str | None = None,
    now: datetime.datetime | None = None,
) -> Complaint:
    """File a complaint about one candidate during the period; it holds that candidate.

    Anyone may complain, without logging in; name and contact are optional. Refused
    outside the period (``publicity_closed``), and past ``COMPLAINTS_PER_WINDOW`` per
    client address per hour (``too_many_complaints``, 429). The administrators of the
    unit and of its superior department are told (R6.3).
    """
    now = now or timezone.now()
    complaint_throttle(complaint_throttle_key(ip_address) if ip_address else None)
    text = text.strip()
    if not text:
        raise ServiceError("complaint_text_required", _("请填写投诉内容。"), field="text")
    if len(text) > COMPLAINT_MAX_LENGTH:
        raise ServiceError(
            "complaint_too_long",
            _("投诉内容最多%(n)d字。") % {"n": COMPLAINT_MAX_LENGTH},
            field="text",
        )
    locked = _lock_entry(pk=entry.pk)
    if locked is None:
        raise Http404
    batch = locked.batch
    if not (batch.starts_at <= now < batch.ends_at) or locked.status not in _OPEN_ENTRY_STATES:
        raise ServiceError(
            "publicity_closed",
            _("该公示的公示期为%(period)s，不在公示期内不能在线投诉。") % {"period": period_label(batch)},
        )
    complaint = Complaint.objects.create(
        entry=locked,
        name=name.strip()[:50],
        contact=contact.strip()[:100],
        text=text,
        client_ip=ip_address or None,
        filed_at=now,
    )
    if locked.status != PublicityStatus.HELD:
        locked.status = PublicityStatus.HELD
        locked.save(update_fields=["status"])
    audit_record(
        actor=None,
        obj=complaint,
        action="complaint_file",
        data={"rules": ["R6.3"], "entry": locked.pk, "declaration": locked.declaration_id},
    )
    notify(
        recipients=organisation_administrators(batch.unit_id, locked.superior_id),
        kind="publicity_complaint",
        title=_("公示人选“%(name)s”收到一件投诉，请及时核查")
        % {"name": locked.declaration.applicant},
        body=text,
        url=reverse("review:publicity_detail", args=[batch.pk]),
    )
    return complaint


_UPHELD = {
    ComplaintOutcome.UPHELD_REFUSED: ("refuse", PublicityStatus.REFUSED, ("R6.3",)),
    ComplaintOutcome.UPHELD_TERMINATED: ("terminate", PublicityStatus.TERMINATED, ("R6.3", "R7.6")),
}


@transaction.atomic
def complaint_resolve(
    *,
    complaint: Complaint,
    actor: User,
    outcome: str,
    resolution: str,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Record what the unit or its superior department found on a complaint.

    - ``groundless``: the candidate continues; when no other complaint is pending it is
      no longer held, and if its period has ended it is released at once (R6.3).
    - ``upheld_refused``: not recommended, with the finding as the reason (R6.3).
    - ``upheld_terminated``: the review is terminated (R7.6).

    An upheld complaint closes the other pending complaints on the same candidate with
    the same finding. The applicant is told of the outcome.
    """
    now = now or timezone.now()
    if outcome not in (ComplaintOutcome.GROUNDLESS, *_UPHELD):
        raise ServiceError("outcome_invalid", _("请选择核查结论。"), field="outcome")
    resolution = resolution.strip()
    if not resolution:
        raise ServiceError("resolution_required", _("请填写核查意见。"), field="resolution")
    org = actor.administered_organisation
    entry = _lock_entry(pk=complaint.entry_id)
    if entry is None:
        raise Http404
    if org is None or org.pk not in (entry.batch.unit_id, entry.superior_id):
        raise PermissionRefused(
            "not_your_publicity",
            _("只有公示单位或其上级主管部门的职称管理员可以核查投诉。"),
        )
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.outcome != ComplaintOutcome.PENDING:
        raise TransitionNotAllowed(
            "complaint_resolved",
            _("该投诉已核查，结论为“%(outcome)s”。") % {"outcome": locked.get_outcome_display()},
        )
    locked.outcome = outcome
    locked.resolution = resolution
    locked.resolved_by = actor
    locked.resolved_at = now
    locked.save(update_fields=["outcome", "resolution", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="complaint_resolve",
        reason=resolution,
        data={"rules": ["R6.3", "R7.6"], "outcome": outcome, "entry": entry.pk},
    )
    declaration = entry.declaration
    if outcome == ComplaintOutcome.GROUNDLESS:
        pending = entry.complaints.filter(outcome=ComplaintOutcome.PENDING).exists()
        if not pending and entry.status == PublicityStatus.HELD:
            if now >= entry.batch.ends_at:
                _release(
                    entry,
                    actor=actor,
                    now=now,
                    reason=_("公示期满，投诉经核查不属实（R6.3）。"),
                )
            else:
                entry.status = PublicityStatus.ON_PUBLICITY
                entry.save(update_fields=["status"])
        notify(
            recipients=[declaration.applicant],
            kind="publicity_complaint_groundless",
            title=_("关于您的公示投诉经核查不属实，申报继续办理"),
            body=resolution,
            url=declaration.get_absolute_url(),
        )
        return locked

    transition, status, rules = _UPHELD[ComplaintOutcome(outcome)]
    reason = _("公示期间投诉经核查属实：%(finding)s") % {"finding": resolution}

    def apply(d: Declaration) -> list[str]:
        Decision.objects.create(
            declaration=d,
            organisation=org,
            step=d.current_step,
            actor=actor,
            kind=DecisionKind.REFUSE,
            reason=reason,
        )
        return []

    # The applicant hears of it from the transition (refuse and terminate notify).
    declaration_transition(
        declaration=declaration,
        name=transition,
        actor=actor,
        reason=reason,
        data={"rules": list(rules), "complaint": locked.pk},
        apply=apply,
        now=now,
    )
    entry.status = status
    entry.save(update_fields=["status"])
    entry.complaints.filter(outcome=ComplaintOutcome.PENDING).update(
        outcome=outcome, resolution=resolution, resolved_by=actor, resolved_at=now
    )
    return locked
