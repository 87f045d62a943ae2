"""The secret ballot, paper tallies and experts' opinions of a meeting (R7.3, R7.5).

A ballot is written with the voter's receipt in one transaction and never again read
one at a time: only ``candidate_counts`` aggregates them (docs/committee.md, "Secret
ballot"). Nothing here writes a ballot to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committees.enums import BallotChoice, MeetingState, VotingMode
from committees.models import (
    Ballot,
    Expert,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    Opinion,
    PaperTally,
    Recusal,
    Termination,
    VoteReceipt,
)
from committees.rules import is_committee_staff
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.services import audit_record

OPINION_MAX_LENGTH = 2000


def ballot_passes(agree: int, attending: int) -> bool:
    """Whether a candidate passes (R7.3).

    R7.3: agree votes reach 2/3 of the experts attending, ``以上`` counted inclusively:
    ``agree × 3 ≥ attending × 2`` in integers. ``attending`` is the number of attending
    experts who were not recused for this candidate (docs/committee.md). With nobody
    eligible to vote nothing was approved, so the candidate does not pass.
    """
    return attending > 0 and agree * 3 >= attending * 2


@dataclass(frozen=True)
class Counts:
    """A candidate's aggregated votes and the number of experts eligible to cast them."""

    eligible: int
    agree: int
    disagree: int
    abstain: int
    entered: bool = True  # False for a paper meeting whose tally is not entered yet

    @property
    def cast(self) -> int:
        return self.agree + self.disagree + self.abstain

    @property
    def passed(self) -> bool:
        return ballot_passes(self.agree, self.eligible)


def eligible_count(candidate: MeetingCandidate) -> int:
    """Attending members of the candidate's meeting not recused for it (R7.1, R7.3)."""
    recused = Recusal.objects.filter(candidate=candidate).values("expert_id")
    return (
        MeetingMember.objects.filter(meeting_id=candidate.meeting_id, attending=True)
        .exclude(expert_id__in=recused)
        .count()
    )


def candidate_counts(candidate: MeetingCandidate, meeting: Meeting) -> Counts:
    """Aggregate a candidate's ballots (electronic) or read its tally (paper)."""
    eligible = eligible_count(candidate)
    if meeting.voting_mode == VotingMode.PAPER:
        tally = PaperTally.objects.filter(candidate=candidate).first()
        if tally is None:
            return Counts(eligible, 0, 0, 0, entered=False)
        return Counts(eligible, tally.agree, tally.disagree, tally.abstain)
    c = Ballot.objects.filter(candidate=candidate).aggregate(
        agree=Count("pk", filter=Q(choice=BallotChoice.AGREE)),
        disagree=Count("pk", filter=Q(choice=BallotChoice.DISAGREE)),
        abstain=Count("pk", filter=Q(choice=BallotChoice.ABSTAIN)),
    )
    return Counts(eligible, c["agree"], c["disagree"], c["abstain"])


def refuse_if_signed(meeting: Meeting) -> None:
    """After the chair signed the results nothing about the meeting changes (R7.4)."""
    if meeting.state == MeetingState.SIGNED:
        raise TransitionNotAllowed(
            "meeting_signed", _("评审结果已签署，不能再作任何更改（R7.4）。")
        )


def refuse_if_terminated(candidate: MeetingCandidate) -> None:
    if Termination.objects.filter(candidate=candidate).exists():
        raise TransitionNotAllowed(
            "candidate_terminated", _("该申报已终止评审（R7.6）。")
        )


def _lock(candidate: MeetingCandidate) -> tuple[Meeting, MeetingCandidate]:
    """Lock the meeting, then the candidate: every writer takes them in this order."""
    meeting = Meeting.objects.select_for_update().get(pk=candidate.meeting_id)
    locked = MeetingCandidate.objects.select_for_update().get(pk=candidate.pk)
    return meeting, locked


def _expert_of(actor: User) -> Expert:
    expert = Expert.objects.filter(user_id=actor.pk).first() if actor.is_authenticated else None
    if expert is None:
        raise PermissionRefused("not_expert", _("只有评审专家本人可以执行此操作。"))
    return expert


def _attending_seat(meeting: Meeting, expert: Expert) -> MeetingMember:
    seat = MeetingMember.objects.filter(meeting=meeting, expert=expert).first()
    if seat is None:
        raise PermissionRefused("not_member", _("您不是本次评审会议的成员。"))
    if not seat.attending:
        # R7.3: an absent expert may not vote, by proxy or afterwards.
        raise PermissionRefused(
            "absent", _("您未出席本次会议，不能投票或发表评审意见，也不能委托他人（R7.3）。")
        )
    return seat


def _refuse_if_recused(candidate: MeetingCandidate, expert: Expert) -> None:
    if Recusal.objects.filter(candidate=candidate, expert=expert).exists():
        raise PermissionRefused("recused", _("您已回避该申报，不参加对其的评议和表决（R7.1）。"))


def ballot_cast(*, candidate: MeetingCandidate, actor: User, choice: str) -> None:
    """Cast the actor's own secret ballot on one candidate (R7.3); return nothing.

    Checks, under the meeting and candidate locks: the meeting votes electronically and
    its voting is open; the actor is the expert (no proxy), attends, and is not recused;
    the candidate is not terminated; no receipt exists for this expert and candidate.
    Then writes the receipt and the ballot in this one transaction. Nothing identifies
    the ballot to the caller (no id is returned), so no one can prove how they voted.
    """
    if choice not in BallotChoice.values:
        raise ServiceError("choice_invalid", _("请选择同意、不同意或弃权。"), field="choice")
    with transaction.atomic():
        meeting, candidate = _lock(candidate)
        refuse_if_signed(meeting)
        if meeting.voting_mode != VotingMode.ELECTRONIC:
            raise TransitionNotAllowed(
                "paper_meeting", _("本次会议采用纸质投票，由工作人员录入计票结果。")
            )
        if meeting.state != MeetingState.VOTING_OPEN:
            raise TransitionNotAllowed("voting_not_open", _("当前不在投票时间内（R7.3）。"))
        expert = _expert_of(actor)
        _attending_seat(meeting, expert)
        _refuse_if_recused(candidate, expert)
        refuse_if_terminated(candidate)
        if VoteReceipt.objects.filter(candidate=candidate, expert=expert).exists():
            raise TransitionNotAllowed("already_voted", _("您已对该申报投过票，不能重复投票。"))
        try:
            with transaction.atomic():
                VoteReceipt.objects.create(candidate=candidate, expert=expert)
        except IntegrityError:
            # The unique pair is the last guard should the locks ever be bypassed.
            raise TransitionNotAllowed(
                "already_voted", _("您已对该申报投过票，不能重复投票。")
            ) from None
        Ballot.objects.create(candidate=candidate, choice=choice)


def has_voted(candidate: MeetingCandidate, expert: Expert) -> bool:
    return VoteReceipt.objects.filter(candidate=candidate, expert=expert).exists()


def tally_enter(
    *, candidate: MeetingCandidate, actor: User, agree: int, disagree: int, abstain: int
) -> PaperTally:
    """Record the counts of a candidate's paper ballots; a new entry replaces the last (R7.3).

    Committee staff only, on a paper meeting whose voting has opened and whose results
    are not signed. Each count is ≥ 0 and together they do not exceed the experts
    eligible for this candidate (attending and not recused), so never the attendance.
    """
    if min(agree, disagree, abstain) < 0:
        raise ServiceError("tally_negative", _("票数不能为负数。"), field="agree")
    with transaction.atomic():
        meeting, candidate = _lock(candidate)
        if not is_committee_staff.test(actor, meeting.committee):
            raise PermissionRefused("not_committee_staff", _("只有评委会工作人员可以录入计票结果。"))
        refuse_if_signed(meeting)
        if meeting.voting_mode != VotingMode.PAPER:
            raise TransitionNotAllowed(
                "electronic_meeting", _("本次会议采用电子投票，不能录入纸质计票结果。")
            )
        if meeting.state not in (MeetingState.VOTING_OPEN, MeetingState.VOTING_CLOSED):
            raise TransitionNotAllowed("voting_not_open", _("会议尚未开始投票，不能录入计票结果。"))
        refuse_if_terminated(candidate)
        eligible = eligible_count(candidate)
        if agree + disagree + abstain > eligible:
            raise ServiceError(
                "tally_exceeds_eligible",
                _(
                    "同意、不同意、弃权票合计 %(total)d 张，超过该申报应参加表决的专家人数 "
                    "%(eligible)d 人（出席且未回避）。"
                )
                % {"total": agree + disagree + abstain, "eligible": eligible},
                field="agree",
            )
        tally, _created = PaperTally.objects.update_or_create(
            candidate=candidate,
            defaults={
                "agree": agree,
                "disagree": disagree,
                "abstain": abstain,
                "entered_by": actor,
                "entered_at": timezone.now(),
            },
        )
        # A tally is already an aggregate: recording it reveals no one's vote.
        audit_record(
            actor=actor,
            obj=tally,
            action="tally_enter",
            data={
                "rules": ["R7.3"],
                "meeting": meeting.pk,
                "candidate": candidate.pk,
                "agree": agree,
                "disagree": disagree,
                "abstain": abstain,
                "eligible": eligible,
            },
        )
        return tally


def opinion_save(*, candidate: MeetingCandidate, actor: User, text: str) -> Opinion:
    """Write or rewrite the actor's own signed opinion on a candidate (R7.5).

    Only an attending, non-recused expert of the meeting, before the results are signed.
    """
    text = text.strip()
    if not text:
        raise ServiceError("opinion_required", _("请填写评审意见。"), field="text")
    if len(text) > OPINION_MAX_LENGTH:
        raise ServiceError(
            "opinion_too_long",
            _("评审意见不能超过 %(n)d 字。") % {"n": OPINION_MAX_LENGTH},
            field="text",
        )
    with transaction.atomic():
        meeting, candidate = _lock(candidate)
        refuse_if_signed(meeting)
        expert = _expert_of(actor)
        _attending_seat(meeting, expert)
        _refuse_if_recused(candidate, expert)
        refuse_if_terminated(candidate)
        opinion, created = Opinion.objects.update_or_create(
            candidate=candidate, expert=expert,
            defaults={"text": text, "updated_at": timezone.now()},
        )
        audit_record(
            actor=actor,
            obj=opinion,
            action="opinion_save" if created else "opinion_update",
            data={"rules": ["R7.5"], "meeting": meeting.pk, "candidate": candidate.pk},
        )
        return opinion
