"""Every write on a declaration. Each transition is one service taking ``actor``.

Each service runs in one transaction: it locks the declaration row, checks the
transition table and the actor's right to act, saves with ``update_fields``, and
writes an audit row. Views and the API call these and nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import Organisation, TitleAdministrator, User
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.notifications import notify
from core.services import audit_record
from declarations.enums import DeclarationType, Field, Level, State, VersionReason
from declarations.models import Campaign, Declaration
from declarations.shareddata.services import shared_data_verify
from declarations.versions import version_freeze
from declarations.workflow import FINAL_STATES, TRANSITIONS
from review.enums import ApplicantCategory, Slot

ORG_SLOTS = tuple(Slot.values)
DRAFT_FIELDS = ("level", "field", "declaration_type", "category", *ORG_SLOTS)


def declaration_transition(
    *,
    declaration: Declaration,
    name: str,
    actor: User | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    check: Callable[[Declaration], None] | None = None,
    apply: Callable[[Declaration], Iterable[str]] | None = None,
    now: datetime.datetime | None = None,
    select_related: tuple[str, ...] = (),
) -> Declaration:
    """Run transition ``name`` on a locked copy of ``declaration``; return that copy.

    ``check`` runs on the locked row before anything changes and raises to refuse;
    ``apply`` sets the other fields the transition changes and returns their names;
    ``now`` is the moment of the change (default: the current time); ``select_related``
    joins rows the transition reads to the locking query (only the declaration's row is
    locked). Must be called inside ``transaction.atomic``.
    """
    if select_related:
        locked = (
            Declaration.objects.select_for_update(of=("self",))
            .select_related(*select_related)
            .get(pk=declaration.pk)
        )
    else:
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    method = getattr(locked, name)
    if not can_proceed(method):
        raise TransitionNotAllowed(
            "illegal_transition",
            _("当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": locked.get_state_display(), "action": TRANSITIONS[name].label},
        )
    if check is not None:
        check(locked)
    from_state = locked.state
    method()
    changed = {"state", "state_changed_at", "updated_at"}
    if apply is not None:
        changed.update(apply(locked))
    locked.state_changed_at = now or timezone.now()
    locked.save(update_fields=sorted(changed))
    audit_record(
        actor=actor,
        obj=locked,
        action=name,
        from_state=from_state,
        to_state=locked.state,
        reason=reason,
        data={"rules": list(TRANSITIONS[name].rules), **(data or {})},
    )
    _notify_transition(locked, name, reason)
    return locked


# Transitions that tell the applicant of a decision about their declaration.
_APPLICANT_NEWS = frozenset(
    {
        "return_for_correction", "refuse", "accept", "not_accept", "terminate", "abandon",
        # R7.4: the result once the presiding chair has signed it.
        "pass_review", "fail_review",
    }
)


def _notify_transition(d: Declaration, name: str, reason: str) -> None:
    """Tell whoever must act now, and the applicant of any decision (R5.3)."""
    url = d.get_absolute_url()
    if d.state in (State.IN_REVIEW, State.COMMITTEE_CHECK) and d.current_organisation_id:
        admins = [
            b.user
            for b in TitleAdministrator.objects.filter(
                organisation_id=d.current_organisation_id, is_active=True
            ).select_related("user")
        ]
        notify(
            recipients=admins,
            kind="review_waiting",
            title=_("有一份职称申报待贵机构审核：%(name)s") % {"name": d.applicant},
            url=url,
        )
    if name in _APPLICANT_NEWS:
        notify(
            recipients=[d.applicant],
            kind=f"declaration_{name}",
            title=_("您的职称申报：%(action)s") % {"action": TRANSITIONS[name].label},
            body=reason,
            url=url,
        )


def _refuse_if_administrator(user: User) -> None:
    # R1.3: a bound title administrator may not declare.
    if TitleAdministrator.objects.filter(user=user, is_active=True).exists():
        raise ServiceError(
            "administrator_cannot_declare",
            _("您目前是职称管理员，绑定期间不能申报职称（R1.3）。请先解除管理员绑定。"),
        )


def _refuse_unless_applicant(declaration: Declaration, actor: User) -> None:
    if declaration.applicant_id != actor.pk:
        raise PermissionRefused("not_applicant", _("只有申报人本人可以执行此操作。"))


_CHOICES = {
    "level": Level.values,
    "field": Field.values,
    "declaration_type": DeclarationType.values,
    "category": ApplicantCategory.values,
}


def _clean_picks(data: dict[str, Any]) -> dict[str, Any]:
    """Check choice fields against their choices and picks are organisations (or None)."""
    for name, allowed in _CHOICES.items():
        if data.get(name) not in (None, "", *allowed):
            raise ServiceError("invalid_choice", _("“%s”的取值无效。") % name, field=name)
    for slot in ORG_SLOTS:
        if slot in data and data[slot] is not None and not isinstance(data[slot], Organisation):
            raise ServiceError("invalid_organisation", _("所选机构无效。"), field=slot)
    return data


@transaction.atomic
def declaration_create(
    *, actor: User, campaign: Campaign, **fields: Any
) -> Declaration:
    """Start a draft for ``actor`` in ``campaign``; it may be incomplete (R5.1)."""
    _refuse_if_administrator(actor)
    if timezone.now() >= campaign.filing_closes_at:
        raise ServiceError(
            "campaign_closed",
            _("“%(campaign)s”个人申报已于%(at)s截止（R8.3）。")
            % {
                "campaign": campaign.name,
                "at": timezone.localtime(campaign.filing_closes_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("不能填写的字段：%s") % ", ".join(sorted(unknown)))
    declaration = Declaration(campaign=campaign, applicant=actor, **_clean_picks(fields))
    declaration.save()
    audit_record(actor=actor, obj=declaration, action="create", to_state=declaration.state)
    return declaration


@transaction.atomic
def declaration_update_draft(
    *, declaration: Declaration, actor: User, **fields: Any
) -> Declaration:
    """Save a draft's fields; the chain and organisations are fixed once submitted."""
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    _refuse_unless_applicant(locked, actor)
    if locked.state != State.DRAFT:
        raise TransitionNotAllowed(
            "not_editable",
            _("当前状态为“%(state)s”，申报内容不能修改。") % {"state": locked.get_state_display()},
        )
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("不能填写的字段：%s") % ", ".join(sorted(unknown)))
    for name, value in _clean_picks(fields).items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, obj=locked, action="update_draft", data={"fields": sorted(fields)})
    return locked


def _require_complete(declaration: Declaration) -> None:
    missing = [
        str(Declaration._meta.get_field(name).verbose_name)
        for name in ("level", "field", "category")
        if not getattr(declaration, name)
    ]
    if missing:
        raise ServiceError(
            "incomplete",
            _("申报信息不完整，请填写：%s。") % "、".join(missing),
            field=None,
        )


# R2.4: a green-channel declaration that ended without a title does not count against
# the year's normal declaration (docs/eligibility.md).
GREEN_CHANNEL_FAILED_STATES = (State.FAILED, State.NOT_RECOMMENDED, State.NOT_ACCEPTED)


def _refuse_second_normal(declaration: Declaration) -> None:
    # R2.4: one normal declaration per person per year; a green-channel one counts
    # unless it failed.
    if declaration.declaration_type != DeclarationType.NORMAL:
        return
    others = (
        Declaration.objects.filter(
            applicant_id=declaration.applicant_id,
            campaign__year=declaration.campaign.year,
            declaration_type__in=[DeclarationType.NORMAL, DeclarationType.GREEN_CHANNEL],
        )
        .exclude(pk=declaration.pk)
        .exclude(state__in=[State.DRAFT, State.WITHDRAWN])
        .exclude(
            declaration_type=DeclarationType.GREEN_CHANNEL, state__in=GREEN_CHANNEL_FAILED_STATES
        )
    )
    if others.exists():
        raise ServiceError(
            "one_normal_per_year",
            _("您本年度已有一份正常申报，每人每年只能正常申报一次（R2.4）。"),
        )


def _refuse_if_not_eligible(declaration: Declaration, **facts: Any) -> None:
    # R1.2, R2.2, R2.3, R4.7: every blocking finding at once (declarations/eligibility.py).
    from declarations.eligibility import blocking, declaration_eligibility

    found = blocking(declaration_eligibility(declaration, **facts))
    if found:
        raise ServiceError(
            "not_eligible",
            _("不符合申报条件：%(findings)s") % {"findings": "".join(f.message for f in found)},
        )


@transaction.atomic
def declaration_submit(
    *,
    declaration: Declaration,
    actor: User,
    integrity_accepted: bool,
    ip_address: str | None = None,
) -> Declaration:
    """Submit a draft: sign the commitment and send it to the first step of its chain.

    Checks, in order: the actor is the applicant and not a bound administrator (R1.3);
    the integrity commitment is signed (R5.2); the filing window is open (R8.3); the
    declaration is complete; the chain can be resolved from the chosen organisations
    (R4, R3.4). Then fixes the route, signs, and moves to its first step.
    """
    from declarations.payments import payment_open
    from declarations.versions import keep_loaded, load_content
    from review.models import RouteStep
    from review.workflow import resolve_route

    route: list[Any] = []

    def check(d: Declaration) -> None:
        _refuse_unless_applicant(d, actor)
        # Lock the person so that R1.3 and R2.4 cannot be raced by a parallel
        # submission or an organisation registration.
        person = User.objects.select_for_update().get(pk=actor.pk)
        # The applicant as locked (the declaration's own, checked above): what
        # eligibility and the shared-data checks read (R1.2, R5.4).
        d.applicant = person
        # R1.3, read afresh under the lock; the answer is also what the rest of the
        # request reads as the person's binding (``User.active_binding``).
        actor.__dict__.pop("_active_binding_cache", None)
        if actor.active_binding is not None:
            raise ServiceError(
                "administrator_cannot_declare",
                _("您目前是职称管理员，绑定期间不能申报职称（R1.3）。请先解除管理员绑定。"),
            )
        if not integrity_accepted:
            raise ServiceError(
                "integrity_required",
                _("提交前须签署诚信承诺（R5.2）。"),
                field="integrity_accepted",
            )
        now = timezone.now()
        campaign = d.campaign
        if not (campaign.filing_opens_at <= now <= campaign.filing_closes_at):
            raise ServiceError(
                "outside_filing_window",
                _("不在个人申报时间内：%(start)s 至 %(end)s（R8.3）。")
                % {
                    "start": timezone.localtime(campaign.filing_opens_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "end": timezone.localtime(campaign.filing_closes_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                },
            )
        _require_complete(d)
        _refuse_second_normal(d)
        # Every content section read once, under the lock, for the evidence check,
        # eligibility, the shared-data checks and the version; with them, in the same
        # query, the rows the submission rewrites or answers with, the chain, the picks
        # and the facts of R1.2 and R2.2 (docs/benchmarks.md).
        chains, steps, organisations, sanctions, rules = load_content(
            d,
            also=("route", "shared_data_checks", "versions", "decisions", "publicity_entries"),
            more=_submission_queries(d),
        )
        _refuse_missing_evidence(d)
        if not chains:
            raise ServiceError(
                "chain_missing", _("该申报人类别尚未配置申报程序，请联系职称办。")
            )
        d.chain = chain = chains[0]
        steps.sort(key=lambda step: step.position)
        for step in steps:
            step.chain = chain
        route.extend(resolve_route(steps, _keep_picks(d, organisations)))
        # In the models' order (``Meta.ordering``), as the queries would give them.
        _refuse_if_not_eligible(
            d,
            sanctions=sorted(sanctions, key=lambda e: (-e.ends_on.toordinal(), e.pk)),
            rules=sorted(rules, key=lambda r: (r.min_education, r.pk)),
        )

    def apply(d: Declaration) -> list[str]:
        if d.route.all():  # loaded by load_content
            RouteStep.objects.filter(declaration=d).delete()
        steps = RouteStep.objects.bulk_create(
            RouteStep(declaration=d, position=i, slot=s.slot, organisation=s.organisation)
            for i, s in enumerate(route)
        )
        # Organisations not on the chain are dropped so the record says what was used.
        used = {s.slot for s in route}
        for slot in ORG_SLOTS:
            if slot not in used:
                setattr(d, slot, None)
        now = timezone.now()
        d.integrity_signed_at = now
        d.integrity_signed_ip = ip_address
        d.submitted_at = d.submitted_at or now
        d.current_step = 0
        d.current_organisation = route[0].organisation
        payment_open(declaration=d)  # R8.5: the fee of the level, pending
        shared_data_verify(declaration=d, actor=actor)  # R5.4
        version_freeze(declaration=d, reason=VersionReason.SUBMIT, actor=actor)
        # The route as written, for whoever reads the declaration next (the API's answer);
        # its decisions and publicity entries were loaded with the content.
        keep_loaded(d, "route", steps)
        keep_loaded(
            d, "decisions", sorted(d.decisions.all(), key=lambda x: (x.decided_at, x.pk))
        )
        return [
            "chain", "integrity_signed_at", "integrity_signed_ip", "submitted_at",
            "current_step", "current_organisation", *ORG_SLOTS,
        ]

    submitted = declaration_transition(
        declaration=declaration,
        name="submit",
        actor=actor,
        check=check,
        apply=apply,
        select_related=("campaign",),
    )
    # The content rows were read for the checks, as of the submission; whoever reads this
    # instance next (another service, a test) must see the rows as they are then, so
    # only what the answer shows and the submission itself wrote stays loaded.
    loaded = submitted.__dict__.get("_prefetched_objects_cache", {})
    for accessor in list(loaded):
        if accessor not in ("route", "decisions", "publicity_entries"):
            del loaded[accessor]
    return submitted


def _submission_queries(d: Declaration) -> list[Any]:
    """What a submission reads besides the declaration's own rows, for ``load_content``:
    the chain of its category and its steps, its organisation picks, the sanction
    entries of the applicant (R1.2) and the campaign's conditions for the level (R2.2)."""
    from declarations.models import EligibilityRule, SanctionEntry
    from review.models import ChainStep, RoutingChain

    ids = [getattr(d, f"{slot}_id") for slot in ORG_SLOTS if getattr(d, f"{slot}_id") is not None]
    chains = connection.ops.quote_name(RoutingChain._meta.db_table)
    return [
        (RoutingChain, "t.category = %s", [d.category]),
        (
            ChainStep,
            f"t.chain_id IN (SELECT c.id FROM {chains} c WHERE c.category = %s)",  # noqa: S608 - the model's table
            [d.category],
        ),
        (Organisation, f"t.id IN ({', '.join(['%s'] * len(ids))})" if ids else "FALSE", ids),
        (SanctionEntry, "t.id_number = %s", [d.applicant.id_number or ""]),
        (EligibilityRule, "t.campaign_id = %s AND t.level = %s", [d.campaign_id, d.level or ""]),
    ]


def _keep_picks(
    declaration: Declaration, organisations: list[Organisation]
) -> dict[str, Organisation | None]:
    """Keep the loaded organisation picks on the declaration; return them by slot."""
    found = {org.pk: org for org in organisations}
    for slot in ORG_SLOTS:
        field = Declaration._meta.get_field(slot)
        field.set_cached_value(declaration, found.get(getattr(declaration, field.attname)))
    return {slot: getattr(declaration, slot) for slot in ORG_SLOTS}


def _refuse_missing_evidence(declaration: Declaration) -> None:
    # R8.6: every counted achievement carries the evidence its kind needs.
    from declarations.achievements import achievements_refusal_for_submit

    refusal = achievements_refusal_for_submit(declaration)
    if refusal is not None:
        raise refusal


def _refuse_if_correction_overdue(declaration: Declaration, now: datetime.datetime) -> None:
    # R6.1, R6.6: past the set time the declaration counts as abandoned (视为放弃).
    due = declaration.correction_due_at
    if declaration.state == State.RETURNED and due is not None and now >= due:
        raise ServiceError(
            "correction_deadline_passed",
            _("补正期限（%(due)s）已过，按规定视为放弃（R6.1、R6.6），不能再重新提交。")
            % {"due": declaration.correction_due_label},
        )


@transaction.atomic
def declaration_resubmit(
    *, declaration: Declaration, actor: User, now: datetime.datetime | None = None
) -> Declaration:
    """Send a corrected declaration back to the organisation that returned it (R6.1, R6.6).

    A return by the committee goes back to the committee and counts as another
    submission to it (R6.6). Refused from the correction deadline on
    (``correction_deadline_passed``): the declaration then counts as abandoned.
    """
    now = now or timezone.now()
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    _refuse_unless_applicant(locked, actor)
    _refuse_if_correction_overdue(locked, now)
    _refuse_missing_evidence(locked)
    # The corrected declaration must still meet the conditions (R1.2, R2.2, R4.7).
    _refuse_if_not_eligible(locked)
    if locked.returned_by_committee:

        def apply_committee(d: Declaration) -> list[str]:
            d.committee_submissions += 1
            d.returned_by_committee = False
            d.current_organisation = d.campaign.committee_host
            d.current_step = None
            d.correction_due_at = None
            shared_data_verify(declaration=d, actor=actor)  # R5.4: the corrected facts
            version_freeze(declaration=d, reason=VersionReason.RESUBMIT, actor=actor)
            return ["committee_submissions", "returned_by_committee", "current_organisation",
                    "current_step", "correction_due_at"]

        return declaration_transition(
            declaration=locked, name="resubmit_to_committee", actor=actor, apply=apply_committee,
            now=now,
        )

    def apply(d: Declaration) -> list[str]:
        d.correction_due_at = None
        shared_data_verify(declaration=d, actor=actor)  # R5.4: the corrected facts
        version_freeze(declaration=d, reason=VersionReason.RESUBMIT, actor=actor)
        return ["correction_due_at"]

    return declaration_transition(
        declaration=locked, name="resubmit", actor=actor, apply=apply, now=now
    )


@transaction.atomic
def declaration_abandon(
    *, declaration: Declaration, now: datetime.datetime | None = None
) -> Declaration:
    """Abandon a returned declaration whose correction deadline has passed (R6.1, R6.6).

    Performed by the sweep (``review/sweep.py``), so the audit row has no actor. Refuses
    (``correction_deadline_not_passed``) while the deadline is still ahead, so that a
    late or repeated call never abandons too early. The applicant is notified.
    """
    now = now or timezone.now()

    def check(d: Declaration) -> None:
        if d.correction_due_at is None or now < d.correction_due_at:
            raise ServiceError(
                "correction_deadline_not_passed", _("补正期限未到，不能视为放弃。")
            )

    due = declaration.correction_due_at
    return declaration_transition(
        declaration=declaration,
        name="abandon",
        actor=None,
        reason=_("未在补正期限（%(due)s）前重新提交，视为放弃（R6.1、R6.6）。")
        % {"due": declaration.correction_due_label},
        data={"correction_due_at": due.isoformat() if due else None},
        check=check,
        now=now,
    )


# States in which an organisation must act and an applicant may remind it (催办).
REMINDABLE_STATES = frozenset({State.IN_REVIEW, State.COMMITTEE_CHECK})


def declaration_can_remind(declaration: Declaration, now: datetime.datetime | None = None) -> bool:
    """Tell whether a reminder would be accepted now (a hint for pages; the service decides)."""
    from core.workdays import OFFICE_TZ

    today = (now or timezone.now()).astimezone(OFFICE_TZ).date()
    return (
        declaration.state in REMINDABLE_STATES
        and declaration.current_organisation_id is not None
        and declaration.last_reminded_on != today
    )


@transaction.atomic
def declaration_remind(
    *, declaration: Declaration, actor: User, now: datetime.datetime | None = None
) -> Declaration:
    """Remind the organisation holding the declaration to review it (催办).

    At most once per declaration and calendar day in Beijing time (``reminder_too_soon``);
    the row lock makes two parallel reminders count as two. Notifies the organisation's
    active title administrators and writes an audit row; the state does not change.
    """
    from core.workdays import OFFICE_TZ

    now = now or timezone.now()
    today = now.astimezone(OFFICE_TZ).date()
    locked = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("current_organisation", "applicant", "campaign")
        .get(pk=declaration.pk)
    )
    _refuse_unless_applicant(locked, actor)
    if locked.state not in REMINDABLE_STATES or locked.current_organisation_id is None:
        raise TransitionNotAllowed(
            "nothing_to_remind",
            _("当前状态为“%(state)s”，没有需要催办的审核机构。")
            % {"state": locked.get_state_display()},
        )
    if locked.last_reminded_on == today:
        raise ServiceError(
            "reminder_too_soon",
            _("今天已经催办过，每份申报每天只能催办一次，请明天再试。"),
        )
    locked.last_reminded_on = today
    locked.save(update_fields=["last_reminded_on", "updated_at"])
    organisation = locked.current_organisation
    audit_record(
        actor=actor,
        obj=locked,
        action="remind",
        from_state=locked.state,
        to_state=locked.state,
        data={"organisation": organisation.pk},
    )
    admins = [
        b.user
        for b in TitleAdministrator.objects.filter(
            organisation_id=organisation.pk, is_active=True
        ).select_related("user")
    ]
    notify(
        recipients=admins,
        kind="declaration_reminder",
        title=_("申报人催办：请尽快审核%(name)s的职称申报") % {"name": locked.applicant},
        body=_("%(name)s提醒贵机构尽快审核其职称申报（%(campaign)s）。")
        % {"name": locked.applicant, "campaign": locked.campaign},
        url=locked.get_absolute_url(),
    )
    return locked


@transaction.atomic
def declaration_withdraw(*, declaration: Declaration, actor: User, reason: str = "") -> Declaration:
    """Withdraw a draft or a declaration still under review at the applicant's wish."""

    def check(d: Declaration) -> None:
        _refuse_unless_applicant(d, actor)

    return declaration_transition(
        declaration=declaration, name="withdraw", actor=actor, reason=reason, check=check
    )


def declaration_is_final(declaration: Declaration) -> bool:
    return declaration.state in FINAL_STATES
