"""Writes of the committee: meetings, candidates, the draw and its answers, attendance,
the presiding chair and opening the vote (R7.1, R7.2).

Every service takes the acting user by keyword, runs in one transaction, locks the
meeting row, refuses with a ``ServiceError`` (nothing changed) and writes an audit row.
Part B's services (ballots, results, minutes) perform the later meeting transitions.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committees.enums import (
    AWAITING_ANSWER,
    PRESIDING_ROLES,
    CommitteeRoleKind,
    DrawEntryStatus,
    ExclusionReason,
    MeetingState,
    VotingMode,
)
from committees.models import (
    Committee,
    CommitteeRole,
    ConflictDeclaration,
    Draw,
    DrawEntry,
    Expert,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    PaperTally,
    Recusal,
    VoteReceipt,
)
from committees.selectors import conflicts_between, meeting_attendance
from committees.workflow import draw_permutation, quorum_met, seed_commitment
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.notifications import notify
from core.services import audit_record
from declarations.enums import Field, State
from declarations.models import Campaign, Declaration

# The algorithm a draw records, so that its row says how to re-run it (docs/committee.md).
DRAW_ALGORITHM = "sort pool_snapshot by HMAC-SHA256(key=seed, msg=str(expert_id)); v1"


def _check_staff(actor: User, committee: Committee) -> None:
    if not actor.has_perm("committees.manage_committee", committee):
        raise PermissionRefused("not_committee_staff", _("只有评委会组建单位的职称管理员可以办理此事项。"))


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _require_scheduled(meeting: Meeting) -> None:
    if meeting.state != MeetingState.SCHEDULED:
        raise TransitionNotAllowed(
            "meeting_not_scheduled",
            _("会议当前状态为“%(state)s”，已不能修改。") % {"state": meeting.get_state_display()},
        )


def _eligibility_reason(expert: Expert, on: datetime.date) -> str | None:
    """Why an expert of the pool cannot sit at all on ``on``, or None (R7.1)."""
    if not expert.is_active:
        return ExclusionReason.INACTIVE
    if not expert.in_term(on):
        return ExclusionReason.TERM_OVER
    return None


def _sync_recusals(meeting: Meeting) -> int:
    """Record a recusal for every member in conflict with a candidate of the meeting (R7.1).

    Draws never pick a conflicted expert; this covers officers assigned directly and
    candidates added after the draw. Existing recusals are kept. Returns how many were added.
    """
    members = [m.expert for m in MeetingMember.objects.filter(meeting=meeting).select_related("expert")]
    candidates = list(MeetingCandidate.objects.filter(meeting=meeting).select_related("declaration"))
    by_declaration = {c.declaration_id: c for c in candidates}
    found = conflicts_between(members, [c.declaration for c in candidates])
    rows = [
        Recusal(candidate=by_declaration[declaration_id], expert_id=expert_id, reason=reason)
        for (expert_id, declaration_id), reason in found.items()
    ]
    created = Recusal.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


@transaction.atomic
def meeting_schedule(
    *,
    committee: Committee,
    campaign: Campaign,
    scheduled_at: datetime.datetime,
    location: str,
    voting_mode: str = VotingMode.ELECTRONIC,
    actor: User,
) -> Meeting:
    """Schedule a meeting of the committee for a campaign the committee's host runs."""
    _check_staff(actor, committee)
    if not committee.is_active:
        raise ServiceError("committee_inactive", _("该评审委员会已停用。"))
    if campaign.committee_host_id != committee.host_id:
        raise ServiceError("campaign_not_hosted", _("该申报批次不由本评委会组建单位评审。"), field="campaign")
    if voting_mode not in VotingMode.values:
        raise ServiceError("voting_mode_invalid", _("请选择投票方式。"), field="voting_mode")
    if not location.strip():
        raise ServiceError("location_required", _("请填写会议地点。"), field="location")
    meeting = Meeting.objects.create(
        committee=committee,
        campaign=campaign,
        scheduled_at=scheduled_at,
        location=location.strip(),
        voting_mode=voting_mode,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        obj=meeting,
        action="meeting_schedule",
        to_state=meeting.state,
        data={
            "committee": committee.pk,
            "campaign": campaign.pk,
            "scheduled_at": scheduled_at.isoformat(),
            "voting_mode": voting_mode,
        },
    )
    return meeting


@transaction.atomic
def meeting_candidate_add(*, meeting: Meeting, declaration: Declaration, actor: User) -> MeetingCandidate:
    """Put an accepted declaration on the meeting's agenda (R6.6, R7).

    The declaration must be accepted, of the meeting's campaign, in the committee's scope
    and on no other meeting. Members in conflict with it are recorded as recused.
    """
    meeting = _lock_meeting(meeting)
    _check_staff(actor, meeting.committee)
    _require_scheduled(meeting)
    d = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if d.state != State.ACCEPTED:
        raise ServiceError("declaration_not_accepted", _("只有已受理的申报可以提交评审会议。"))
    if d.campaign_id != meeting.campaign_id:
        raise ServiceError("wrong_campaign", _("该申报不属于本次会议的申报批次。"))
    if not meeting.committee.reviews(level=d.level, field=d.field):
        raise ServiceError("outside_scope", _("该申报的级别或专业领域不在本评委会评审范围内。"))
    if MeetingCandidate.objects.filter(declaration=d).exists():
        raise ServiceError("already_on_meeting", _("该申报已列入评审会议。"))
    last = MeetingCandidate.objects.filter(meeting=meeting).order_by("-position").first()
    candidate = MeetingCandidate.objects.create(
        meeting=meeting, declaration=d, position=(last.position + 1) if last else 1, added_by=actor
    )
    recused = _sync_recusals(meeting)
    audit_record(
        actor=actor,
        obj=meeting,
        action="meeting_candidate_add",
        data={"declaration": d.pk, "recusals_added": recused},
        reason="R7",
    )
    return candidate


@transaction.atomic
def meeting_candidate_remove(*, candidate: MeetingCandidate, actor: User) -> None:
    """Take a declaration off a meeting that has not opened its vote."""
    meeting = _lock_meeting(candidate.meeting)
    _check_staff(actor, meeting.committee)
    _require_scheduled(meeting)
    declaration_id = candidate.declaration_id
    MeetingCandidate.objects.filter(pk=candidate.pk).delete()
    audit_record(
        actor=actor,
        obj=meeting,
        action="meeting_candidate_remove",
        data={"declaration": declaration_id},
    )


@transaction.atomic
def draw_perform(
    *,
    meeting: Meeting,
    needed: int,
    drawn: int,
    field: str = "",
    actor: User,
    now: datetime.datetime | None = None,
) -> Draw:
    """Draw the meeting's experts at random from the committee's pool (R7.1).

    1. Refuses unless ``drawn > needed`` (超员配置), the meeting has candidates and no
       draw yet (a draw is never re-run: replacements come from the same permutation).
    2. Builds the pool: experts holding a role on the committee (of ``field`` if given),
       by ascending id. Leaves out, with the reason recorded in ``excluded``: inactive or
       out-of-term experts, experts already sitting on the meeting, and every expert in
       conflict with any candidate (``committees.workflow.conflict_reason``).
    3. Generates a 32-byte seed with ``secrets`` and saves its SHA-256 commitment with
       the pool snapshot (audit ``draw_commit``) before computing anything from it.
    4. Orders the pool by ``draw_permutation`` and takes the first ``drawn``; saves the
       seed, the result and one invitation per expert (audit ``draw_perform``), and
       notifies the drawn experts who have a login.
    """
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    committee = meeting.committee
    _check_staff(actor, committee)
    _require_scheduled(meeting)
    if Draw.objects.filter(meeting=meeting).exists():
        raise TransitionNotAllowed(
            "already_drawn", _("本次会议已抽取专家，不能重新抽取；谢绝的专家将按原顺序递补。")
        )
    if needed < 1:
        raise ServiceError("needed_invalid", _("需要的专家人数至少为1人。"), field="needed")
    if drawn <= needed:
        # R7.1: 超员配置, more experts are drawn than the meeting needs.
        raise ServiceError(
            "draw_not_over_needed",
            _("抽取人数必须多于需要的专家人数（超员配置，R7.1）。"),
            field="drawn",
        )
    if field and field not in Field.values:
        raise ServiceError("field_invalid", _("专业领域无效。"), field="field")
    candidates = list(MeetingCandidate.objects.filter(meeting=meeting).select_related("declaration"))
    if not candidates:
        raise ServiceError("no_candidates", _("请先将已受理的申报列入会议，再抽取专家，以便回避。"))

    pool_qs = Expert.objects.filter(roles__committee=committee).distinct().order_by("pk")
    if field:
        pool_qs = pool_qs.filter(field=field)
    pool = list(pool_qs)
    seated = set(MeetingMember.objects.filter(meeting=meeting).values_list("expert_id", flat=True))
    conflicts = conflicts_between(pool, [c.declaration for c in candidates])
    conflict_of: dict[int, str] = {}
    for (expert_id, _declaration_id), reason in sorted(conflicts.items()):
        conflict_of.setdefault(expert_id, reason)
    meeting_day = timezone.localtime(meeting.scheduled_at).date()
    excluded: dict[str, str] = {}
    eligible: list[int] = []
    for expert in pool:
        reason = (
            _eligibility_reason(expert, meeting_day)
            or (ExclusionReason.ALREADY_MEMBER if expert.pk in seated else None)
            or conflict_of.get(expert.pk)
        )
        if reason:
            excluded[str(expert.pk)] = str(reason)
        else:
            eligible.append(expert.pk)
    if len(eligible) < drawn:
        raise ServiceError(
            "pool_too_small",
            _("符合条件的专家只有%(n)s人，少于抽取人数。") % {"n": len(eligible)},
            field="drawn",
        )

    seed = secrets.token_hex(32)
    draw = Draw.objects.create(
        meeting=meeting,
        needed=needed,
        drawn=drawn,
        field=field,
        method=committee.draw_method or DRAW_ALGORITHM,
        seed_commitment=seed_commitment(seed),
        pool_snapshot=eligible,
        excluded=excluded,
        drawn_by=actor,
    )
    audit_record(
        actor=actor,
        obj=draw,
        action="draw_commit",
        reason="R7.1",
        data={
            "seed_commitment": draw.seed_commitment,
            "pool_size": len(eligible),
            "excluded": excluded,
            "algorithm": DRAW_ALGORITHM,
        },
    )
    result = draw_permutation(eligible, seed)[:drawn]
    draw.seed = seed
    draw.result = result
    draw.drawn_at = now
    draw.save(update_fields=["seed", "result", "drawn_at"])
    DrawEntry.objects.bulk_create(
        DrawEntry(draw=draw, expert_id=expert_id, order=i) for i, expert_id in enumerate(result, 1)
    )
    audit_record(
        actor=actor,
        obj=draw,
        action="draw_perform",
        reason="R7.1",
        data={"seed": seed, "result": result, "needed": needed, "drawn": drawn},
    )
    _notify_invited(meeting, result)
    return draw


def _notify_invited(meeting: Meeting, expert_ids: list[int]) -> None:
    from django.urls import reverse

    users = [
        e.user for e in Expert.objects.filter(pk__in=expert_ids, user__isnull=False).select_related("user")
    ]
    notify(
        recipients=users,
        kind="committee_invitation",
        title=_("评审会议邀请：%(committee)s %(date)s")
        % {
            "committee": meeting.committee.name,
            "date": timezone.localtime(meeting.scheduled_at).strftime("%Y-%m-%d %H:%M"),
        },
        body=_("您已被随机抽取为评审专家，请在平台上答复是否参加。地点：%(location)s")
        % {"location": meeting.location},
        url=reverse("committees:my"),
    )


def _draw_replacement(draw: Draw, declined: DrawEntry, actor: User) -> DrawEntry | None:
    """Invite the next expert of the draw's permutation in place of one who declined (R7.1).

    Walks the permutation past every expert already drawn or skipped. An expert who can
    no longer sit (inactive, out of term, already seated, or now in conflict with a
    candidate) is recorded in ``skipped`` with the reason and passed over, so the draw
    stays verifiable. Returns None when the pool is exhausted.
    """
    meeting = draw.meeting
    permutation = draw_permutation([int(i) for i in draw.pool_snapshot], draw.seed)
    entries = list(DrawEntry.objects.filter(draw=draw))
    used = {e.expert_id for e in entries} | {int(k) for k in draw.skipped}
    candidates = [
        c.declaration for c in MeetingCandidate.objects.filter(meeting=meeting).select_related("declaration")
    ]
    seated = set(MeetingMember.objects.filter(meeting=meeting).values_list("expert_id", flat=True))
    meeting_day = timezone.localtime(meeting.scheduled_at).date()
    skipped = dict(draw.skipped)
    chosen: Expert | None = None
    for expert_id in permutation:
        if expert_id in used:
            continue
        expert = Expert.objects.get(pk=expert_id)
        conflicts = conflicts_between([expert], candidates)
        reason = (
            _eligibility_reason(expert, meeting_day)
            or (ExclusionReason.ALREADY_MEMBER if expert_id in seated else None)
            or (sorted(conflicts.values())[0] if conflicts else None)
        )
        if reason:
            skipped[str(expert_id)] = str(reason)
            continue
        chosen = expert
        break
    if skipped != draw.skipped:
        draw.skipped = skipped
        draw.save(update_fields=["skipped"])
    if chosen is None:
        audit_record(
            actor=actor,
            obj=draw,
            action="draw_replacement_exhausted",
            reason="R7.1",
            data={"declined": declined.expert_id, "skipped": skipped},
        )
        return None
    entry = DrawEntry.objects.create(
        draw=draw,
        expert=chosen,
        order=max(e.order for e in entries) + 1,
        status=DrawEntryStatus.REPLACEMENT,
        replaces=declined,
    )
    audit_record(
        actor=actor,
        obj=draw,
        action="draw_replacement",
        reason="R7.1",
        data={
            "declined": declined.expert_id,
            "replacement": chosen.pk,
            "order": entry.order,
            "skipped": skipped,
        },
    )
    _notify_invited(meeting, [chosen.pk])
    return entry


@transaction.atomic
def draw_entry_respond(
    *, entry: DrawEntry, accept: bool, actor: User, now: datetime.datetime | None = None
) -> DrawEntry:
    """Record a drawn expert's answer, given by the expert or by staff on their behalf.

    Accepting seats the expert on the meeting (with their committee role) and records
    recusals; declining invites the next expert of the same permutation (R7.1).
    """
    meeting = _lock_meeting(entry.draw.meeting)
    entry = DrawEntry.objects.select_for_update().select_related("draw", "expert").get(pk=entry.pk)
    if not actor.has_perm("committees.respond_invitation", entry):
        raise PermissionRefused("not_your_invitation", _("只能答复本人的评审邀请。"))
    _require_scheduled(meeting)
    if entry.status not in AWAITING_ANSWER:
        raise TransitionNotAllowed("already_answered", _("该邀请已答复。"))
    from_status = entry.status
    entry.status = DrawEntryStatus.ACCEPTED if accept else DrawEntryStatus.DECLINED
    entry.responded_at = now or timezone.now()
    entry.responded_by = actor
    entry.save(update_fields=["status", "responded_at", "responded_by"])
    audit_record(
        actor=actor,
        obj=entry.draw,
        action="draw_entry_respond",
        from_state=from_status,
        to_state=entry.status,
        data={"expert": entry.expert_id, "order": entry.order},
    )
    if accept:
        role = (
            CommitteeRole.objects.filter(committee=meeting.committee, expert=entry.expert)
            .values_list("role", flat=True)
            .first()
        ) or CommitteeRoleKind.MEMBER
        MeetingMember.objects.get_or_create(meeting=meeting, expert=entry.expert, defaults={"role": role})
        _sync_recusals(meeting)
    else:
        entry.draw.meeting = meeting
        _draw_replacement(entry.draw, entry, actor)
    return entry


@transaction.atomic
def meeting_officer_add(*, meeting: Meeting, expert: Expert, actor: User) -> MeetingMember:
    """Seat the committee's chair or a vice-chair on the meeting without a draw (R7.2)."""
    meeting = _lock_meeting(meeting)
    _check_staff(actor, meeting.committee)
    _require_scheduled(meeting)
    role = (
        CommitteeRole.objects.filter(committee=meeting.committee, expert=expert, role__in=PRESIDING_ROLES)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise ServiceError(
            "not_an_officer", _("只有本评委会的主任委员或副主任委员可以直接列为会议成员。"), field="expert"
        )
    if _eligibility_reason(expert, timezone.localtime(meeting.scheduled_at).date()):
        raise ServiceError("expert_not_eligible", _("该专家已停用或不在聘期内。"), field="expert")
    member, created = MeetingMember.objects.get_or_create(
        meeting=meeting, expert=expert, defaults={"role": role}
    )
    if not created:
        raise ServiceError("already_member", _("该专家已是本次会议成员。"), field="expert")
    _sync_recusals(meeting)
    audit_record(
        actor=actor, obj=meeting, action="meeting_officer_add", data={"expert": expert.pk, "role": role}
    )
    return member


@transaction.atomic
def meeting_set_presiding(*, meeting: Meeting, expert: Expert, actor: User) -> Meeting:
    """Set who presides: a chair or vice-chair sitting on the meeting (R7.2)."""
    meeting = _lock_meeting(meeting)
    _check_staff(actor, meeting.committee)
    _require_scheduled(meeting)
    if not MeetingMember.objects.filter(meeting=meeting, expert=expert, role__in=PRESIDING_ROLES).exists():
        raise ServiceError(
            "presiding_not_officer",
            _("会议须由出席会议的主任委员或副主任委员主持（R7.2）。"),
            field="expert",
        )
    meeting.presiding = expert
    meeting.save(update_fields=["presiding"])
    audit_record(
        actor=actor, obj=meeting, action="meeting_set_presiding", reason="R7.2", data={"expert": expert.pk}
    )
    return meeting


@transaction.atomic
def meeting_attendance_record(
    *, meeting: Meeting, present: list[int], actor: User, now: datetime.datetime | None = None
) -> Meeting:
    """Mark each member present (ids in ``present``) or absent, as staff take the roll (R7.2).

    Attendance is fixed once the vote opens: an absent expert cannot vote afterwards (R7.3).
    """
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    _check_staff(actor, meeting.committee)
    _require_scheduled(meeting)
    present_ids = {int(i) for i in present}
    members = list(MeetingMember.objects.select_for_update().filter(meeting=meeting))
    unknown = present_ids - {m.pk for m in members}
    if unknown:
        raise ServiceError("not_a_member", _("出席名单中有非本次会议成员。"), field="present")
    changed = []
    for m in members:
        attending = m.pk in present_ids
        if m.attending != attending:
            m.attending = attending
            m.attendance_by = actor
            if attending and m.signed_in_at is None:
                m.signed_in_at = now
            changed.append(m)
    MeetingMember.objects.bulk_update(changed, ["attending", "attendance_by", "signed_in_at"])
    attending_count = sum(1 for m in members if m.pk in present_ids)
    audit_record(
        actor=actor,
        obj=meeting,
        action="meeting_attendance",
        reason="R7.2",
        data={"attending": attending_count, "members": len(members), "present": sorted(present_ids)},
    )
    return meeting


@transaction.atomic
def member_sign_in(
    *, member: MeetingMember, actor: User, now: datetime.datetime | None = None
) -> MeetingMember:
    """An expert signs themselves in on the day of the meeting (R7.2)."""
    now = now or timezone.now()
    meeting = _lock_meeting(member.meeting)
    member = MeetingMember.objects.select_for_update().select_related("expert").get(pk=member.pk)
    if not actor.has_perm("committees.sign_in", member):
        raise PermissionRefused("not_your_seat", _("只能为本人签到。"))
    _require_scheduled(meeting)
    if timezone.localtime(now).date() != timezone.localtime(meeting.scheduled_at).date():
        raise ServiceError("not_meeting_day", _("只能在会议当天签到。"))
    if member.attending:
        return member
    member.attending = True
    member.signed_in_at = now
    member.attendance_by = actor
    member.save(update_fields=["attending", "signed_in_at", "attendance_by"])
    audit_record(
        actor=actor, obj=meeting, action="member_sign_in", reason="R7.2", data={"expert": member.expert_id}
    )
    return member


def _refuse_recusal_once_counted(meeting: Meeting, candidate: MeetingCandidate, expert: Expert) -> None:
    """A recusal changes the two-thirds base of a candidate's count (R7.3): refused once
    the count can be known or is fixed — the vote closed (its counts are shown), the
    results signed, the expert's own ballot cast, or the paper tally entered."""
    if meeting.state == MeetingState.SIGNED:
        raise TransitionNotAllowed("meeting_signed", _("评审结果已签署，不能再登记回避。"))
    if meeting.state == MeetingState.VOTING_CLOSED:
        raise TransitionNotAllowed(
            "voting_closed", _("投票已结束、票数已公布，不能再登记回避（R7.3）。")
        )
    if VoteReceipt.objects.filter(candidate=candidate, expert=expert).exists():
        raise TransitionNotAllowed("already_voted", _("该专家已对该申报投票，不能再登记回避。"))
    if PaperTally.objects.filter(candidate=candidate).exists():
        raise TransitionNotAllowed(
            "tally_entered", _("该申报的纸质计票结果已录入，不能再登记回避（R7.3）。")
        )


@transaction.atomic
def conflict_declare(
    *, expert: Expert, declaration: Declaration, reason: str, actor: User
) -> ConflictDeclaration:
    """Record a conflict an expert declared with a declaration (R7.1 回避).

    The expert themselves or the staff of a committee the expert sits on may record it.
    If the declaration is already on a meeting the expert sits on, the recusal follows.
    """
    allowed = expert.user_id == actor.pk or any(
        actor.has_perm("committees.manage_committee", r.committee)
        for r in CommitteeRole.objects.filter(expert=expert).select_related("committee")
    )
    if not allowed:
        raise PermissionRefused("not_allowed", _("无权登记该专家的回避事由。"))
    if not reason.strip():
        raise ServiceError("reason_required", _("请填写回避事由。"), field="reason")
    candidate = MeetingCandidate.objects.filter(declaration=declaration).select_related("meeting").first()
    if candidate is not None:
        # The meeting is locked as a ballot or a staff recusal locks it, so a ballot and
        # a recusal of the same expert cannot both pass at the same moment.
        _refuse_recusal_once_counted(_lock_meeting(candidate.meeting), candidate, expert)
    return _conflict_record(expert=expert, declaration=declaration, reason=reason, actor=actor,
                            candidate=candidate)


def _conflict_record(
    *,
    expert: Expert,
    declaration: Declaration,
    reason: str,
    actor: User,
    candidate: MeetingCandidate | None,
) -> ConflictDeclaration:
    row, _created = ConflictDeclaration.objects.get_or_create(
        expert=expert, declaration=declaration, defaults={"reason": reason.strip()}
    )
    if candidate is not None:
        _sync_recusals(candidate.meeting)
    audit_record(
        actor=actor,
        obj=row,
        action="conflict_declare",
        reason="R7.1",
        data={"expert": expert.pk, "declaration": declaration.pk},
    )
    return row


@transaction.atomic
def recusal_record(
    *, meeting: Meeting, candidate: MeetingCandidate, expert: Expert, reason: str, actor: User
) -> Recusal:
    """Committee staff record a one-off recusal of a member for one candidate (R7.1 回避).

    For a conflict that comes to light at the meeting (the expert says so, or staff learn
    it). Refuses unless the actor is the committee's staff, the expert sits on this meeting
    and the candidate is on it, the results are not signed and the expert has not voted on
    the candidate. The conflict is kept (``ConflictDeclaration``), so later draws leave the
    expert out too; the recusal follows at once.
    """
    locked = _lock_meeting(meeting)
    _check_staff(actor, locked.committee)
    if locked.state == MeetingState.SIGNED:
        raise TransitionNotAllowed("meeting_signed", _("评审结果已签署，不能再登记回避。"))
    if candidate.meeting_id != locked.pk:
        raise ServiceError("candidate_not_on_meeting", _("该申报不在本次会议上。"), field="candidate")
    if not MeetingMember.objects.filter(meeting=locked, expert=expert).exists():
        raise ServiceError("not_a_member", _("该专家不是本次会议的成员。"), field="expert")
    if not reason.strip():
        raise ServiceError("reason_required", _("请填写回避事由。"), field="reason")
    _refuse_recusal_once_counted(locked, candidate, expert)
    _conflict_record(
        expert=expert, declaration=candidate.declaration, reason=reason, actor=actor, candidate=candidate
    )
    return Recusal.objects.get(candidate=candidate, expert=expert)


@transaction.atomic
def meeting_open_voting(*, meeting: Meeting, actor: User, now: datetime.datetime | None = None) -> Meeting:
    """Open the secret ballot once the meeting may sit (R7.2).

    Refuses unless the meeting is scheduled, has candidates, a chair or vice-chair who
    attends presides, and the quorum holds: ``quorum_met(attending, members)``.
    """
    meeting = _lock_meeting(meeting)
    _check_staff(actor, meeting.committee)
    _require_scheduled(meeting)
    if not MeetingCandidate.objects.filter(meeting=meeting).exists():
        raise ServiceError("no_candidates", _("会议没有待评审的申报。"))
    presiding = (
        MeetingMember.objects.filter(
            meeting=meeting, expert_id=meeting.presiding_id, role__in=PRESIDING_ROLES
        ).first()
        if meeting.presiding_id
        else None
    )
    if presiding is None:
        raise ServiceError("presiding_missing", _("请先指定主持会议的主任委员或副主任委员（R7.2）。"))
    if not presiding.attending:
        raise ServiceError("presiding_absent", _("主持人未出席，不能开始投票（R7.2）。"))
    attending, members = meeting_attendance(meeting)
    if not quorum_met(attending, members):
        raise ServiceError(
            "quorum_not_met",
            _("出席%(attending)s人，会议成员%(members)s人，不足三分之二，不能开始投票（R7.2）。")
            % {"attending": attending, "members": members},
        )
    from_state = meeting.state
    meeting.open_voting()
    meeting.voting_opened_at = now or timezone.now()
    meeting.save(update_fields=["state", "voting_opened_at"])
    audit_record(
        actor=actor,
        obj=meeting,
        action="meeting_open_voting",
        from_state=from_state,
        to_state=meeting.state,
        reason="R7.2",
        data={"attending": attending, "members": members, "presiding": meeting.presiding_id},
    )
    return meeting
