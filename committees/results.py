"""Closing the vote, terminating a candidate, and announcing and signing the results.

R7.3 counts, R7.4 the presiding chair announces and signs, R7.6 termination. Each
declaration's outcome is one transition through ``declaration_transition`` (one audit
row each); signing also stores the minutes (R7.5, ``committees.minutes``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committees.ballots import candidate_counts, refuse_if_signed
from committees.enums import PRESIDING_ROLES, CandidateOutcome, MeetingState
from committees.models import (
    CandidateResult,
    Expert,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    MeetingSignoff,
    Minutes,
    Termination,
)
from committees.rules import is_committee_staff
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.services import audit_record
from declarations.enums import State
from declarations.services import declaration_transition

TERMINATION_REASON_MAX = 1000


def _presiding_expert(meeting: Meeting, actor: User) -> Expert:
    """The actor must be the meeting's presiding chair or vice-chair themselves (R7.2, R7.4)."""
    expert = meeting.presiding
    seat = (
        MeetingMember.objects.filter(meeting=meeting, expert=expert).first()
        if expert is not None
        else None
    )
    if (
        expert is None
        or expert.user_id is None
        or expert.user_id != getattr(actor, "pk", None)
        or seat is None
        or seat.role not in PRESIDING_ROLES
    ):
        raise PermissionRefused(
            "not_presiding", _("只有主持会议的主任委员或副主任委员本人可以执行此操作（R7.4）。")
        )
    return expert


def voting_close(*, meeting: Meeting, actor: User, now: datetime.datetime | None = None) -> Meeting:
    """The presiding chair closes the voting; no ballot is accepted afterwards (R7.3)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if_signed(locked)
        expert = _presiding_expert(locked, actor)
        if locked.state != MeetingState.VOTING_OPEN:
            raise TransitionNotAllowed("voting_not_open", _("当前不在投票时间内，无需结束投票。"))
        from_state = locked.state
        locked.close_voting()
        locked.save(update_fields=["state"])
        MeetingSignoff.objects.create(
            meeting=locked, voting_closed_by=expert, voting_closed_at=now
        )
        audit_record(
            actor=actor, obj=locked, action="voting_close", from_state=from_state,
            to_state=locked.state, data={"rules": ["R7.3"]},
        )
        return locked


def candidate_terminate(
    *, candidate: MeetingCandidate, actor: User, reason: str
) -> Termination:
    """Committee staff terminate a candidate's review before the results are signed (R7.6).

    The declaration takes the ``terminate`` transition with the reason (a complaint found
    true, fraud found during the review); the candidate is left out of the results.
    """
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            "reason_required", _("终止评审须写明理由（如投诉查实、发现弄虚作假，R7.6）。"),
            field="reason",
        )
    if len(reason) > TERMINATION_REASON_MAX:
        raise ServiceError("reason_too_long", _("终止理由过长。"), field="reason")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related(
            "committee"
        ).get(pk=candidate.meeting_id)
        locked = MeetingCandidate.objects.select_for_update().get(pk=candidate.pk)
        if not is_committee_staff.test(actor, meeting.committee):
            raise PermissionRefused("not_committee_staff", _("只有评委会工作人员可以终止评审。"))
        refuse_if_signed(meeting)
        if Termination.objects.filter(candidate=locked).exists():
            raise TransitionNotAllowed("candidate_terminated", _("该申报已终止评审（R7.6）。"))
        declaration_transition(
            declaration=locked.declaration, name="terminate", actor=actor, reason=reason,
            data={"meeting": meeting.pk, "candidate": locked.pk},
        )
        return Termination.objects.create(
            candidate=locked, reason=reason, terminated_by=actor, terminated_at=timezone.now()
        )


def results_sign(
    *, meeting: Meeting, actor: User, now: datetime.datetime | None = None
) -> Minutes:
    """The presiding chair announces and signs the results (R7.3, R7.4, R7.5).

    In order, in one transaction under the meeting lock: refuse unless the actor presides
    and the voting is closed, and (paper) every remaining candidate's tally is entered;
    for each candidate not terminated, count, store a ``CandidateResult`` and move the
    declaration by ``pass_review`` or ``fail_review`` (one audit row each); move the
    meeting to ``signed``; render and store the minutes PDF with its checksum.
    """
    now = now or timezone.now()
    stored: list[Minutes] = []
    try:
        return _results_sign(meeting=meeting, actor=actor, now=now, stored=stored)
    except BaseException:
        # The transaction rolled back: the minutes row is gone, so is its file. (Inside an
        # outer transaction that rolls back later, the file stays: callers run this at the
        # top level, as the views and the API do.)
        for minutes in stored:
            minutes.file.storage.delete(minutes.file.name)
        raise


def _results_sign(
    *, meeting: Meeting, actor: User, now: datetime.datetime, stored: list[Minutes]
) -> Minutes:
    from committees.minutes import minutes_store

    with transaction.atomic():
        locked = Meeting.objects.select_for_update(of=("self",)).select_related(
            "committee", "campaign", "presiding"
        ).get(pk=meeting.pk)
        refuse_if_signed(locked)
        expert = _presiding_expert(locked, actor)
        if locked.state != MeetingState.VOTING_CLOSED:
            raise TransitionNotAllowed(
                "voting_not_closed", _("须先结束投票，再宣布并签署评审结果（R7.4）。")
            )
        candidates = list(
            MeetingCandidate.objects.select_for_update()
            .filter(meeting=locked)
            .order_by("position", "pk")
        )
        terminated = set(
            Termination.objects.filter(candidate__in=candidates).values_list(
                "candidate_id", flat=True
            )
        )
        counted = []
        for c in candidates:
            if c.pk in terminated or c.declaration.state == State.TERMINATED:
                continue
            counts = candidate_counts(c, locked)
            if not counts.entered:
                raise ServiceError(
                    "tally_missing",
                    _("“%(name)s”的纸质投票计票结果尚未录入。")
                    % {"name": c.declaration.applicant.real_name},
                )
            counted.append((c, counts))
        for c, counts in counted:
            passed = counts.passed
            CandidateResult.objects.create(
                candidate=c,
                eligible=counts.eligible,
                agree=counts.agree,
                disagree=counts.disagree,
                abstain=counts.abstain,
                outcome=CandidateOutcome.PASSED if passed else CandidateOutcome.FAILED,
            )
            declaration_transition(
                declaration=c.declaration,
                name="pass_review" if passed else "fail_review",
                actor=actor,
                reason=_("同意 %(agree)d 票，应参加表决 %(eligible)d 人")
                % {"agree": counts.agree, "eligible": counts.eligible},
                data={
                    "meeting": locked.pk,
                    "agree": counts.agree,
                    "disagree": counts.disagree,
                    "abstain": counts.abstain,
                    "eligible": counts.eligible,
                },
                now=now,
            )
        from_state = locked.state
        locked.sign()
        locked.save(update_fields=["state"])
        MeetingSignoff.objects.filter(meeting=locked).update(signed_by=expert, signed_at=now)
        audit_record(
            actor=actor, obj=locked, action="results_sign", from_state=from_state,
            to_state=locked.state, data={"rules": ["R7.3", "R7.4"]},
        )
        minutes = minutes_store(meeting=locked, now=now, stored=stored)
    return minutes
