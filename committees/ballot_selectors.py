"""Reads for the ballot, results and minutes pages, scoped by who asks (404 outside scope)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from accounts.models import User
from committees.ballots import Counts, candidate_counts
from committees.enums import MeetingState
from committees.models import (
    Meeting,
    MeetingCandidate,
    MeetingMember,
    Minutes,
    Opinion,
    Recusal,
    Termination,
    VoteReceipt,
)

# Counts leave the database only once nobody can vote any more (R7.3).
COUNTS_VISIBLE = (MeetingState.VOTING_CLOSED, MeetingState.SIGNED)


def _org_id(user: User) -> int | None:
    if not user.is_authenticated:
        return None
    org = user.administered_organisation
    return org.pk if org is not None else None


def meeting_get_for_expert(user: User, pk: int | str) -> tuple[Meeting, MeetingMember]:
    """A meeting the person sits on, with their seat; 404 otherwise."""
    try:
        seat = MeetingMember.objects.select_related(
            "meeting__committee", "meeting__campaign", "meeting__presiding", "expert"
        ).get(meeting_id=pk, expert__user_id=user.pk if user.is_authenticated else None)
    except (MeetingMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return seat.meeting, seat


def meeting_get_for_staff(user: User, pk: int | str) -> Meeting:
    """A meeting of a committee the person's organisation hosts; 404 otherwise."""
    try:
        return Meeting.objects.select_related("committee", "campaign", "presiding").get(
            pk=pk, committee__host_id=_org_id(user)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def minutes_get_for_user(user: User, meeting_pk: int | str) -> Minutes:
    """The minutes of a signed meeting, for the host's staff and the approval body (R7.5)."""
    org = _org_id(user)
    if org is None:
        raise Http404
    try:
        return Minutes.objects.select_related("meeting").get(
            Q(meeting__committee__host_id=org)
            | Q(meeting__committee__approval_body_id=org)
            | Q(meeting__campaign__approval_body_id=org),
            meeting_id=meeting_pk,
        )
    except (Minutes.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def candidate_of(meeting: Meeting, candidate_pk: int | str) -> MeetingCandidate:
    try:
        return MeetingCandidate.objects.select_related("declaration__applicant").get(
            meeting=meeting, pk=candidate_pk
        )
    except (MeetingCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class CandidateCard:
    """One candidate as a page shows it; ``counts`` only once voting is closed."""

    candidate: MeetingCandidate
    terminated: Termination | None
    recused: bool = False
    voted: bool = False
    opinion: str = ""
    counts: Counts | None = None
    receipts: int = 0


def candidate_cards(meeting: Meeting, seat: MeetingMember | None = None) -> list[CandidateCard]:
    """The meeting's candidates with the viewer's own status, and counts after the vote."""
    candidates = list(
        MeetingCandidate.objects.filter(meeting=meeting)
        .select_related("declaration__applicant", "declaration__unit")
        .order_by("position", "pk")
    )
    terminations = {t.candidate_id: t for t in Termination.objects.filter(candidate__in=candidates)}
    recused: set[int] = set()
    voted: set[int] = set()
    opinions: dict[int, str] = {}
    if seat is not None:
        recused = set(
            Recusal.objects.filter(candidate__in=candidates, expert_id=seat.expert_id).values_list(
                "candidate_id", flat=True
            )
        )
        voted = set(
            VoteReceipt.objects.filter(candidate__in=candidates, expert_id=seat.expert_id).values_list(
                "candidate_id", flat=True
            )
        )
        opinions = dict(
            Opinion.objects.filter(candidate__in=candidates, expert_id=seat.expert_id).values_list(
                "candidate_id", "text"
            )
        )
    show_counts = meeting.state in COUNTS_VISIBLE
    receipts = dict(
        VoteReceipt.objects.filter(candidate__in=candidates)
        .values("candidate_id")
        .annotate(n=Count("pk"))
        .values_list("candidate_id", "n")
    )
    return [
        CandidateCard(
            candidate=c,
            terminated=terminations.get(c.pk),
            recused=c.pk in recused,
            voted=c.pk in voted,
            opinion=opinions.get(c.pk, ""),
            counts=candidate_counts(c, meeting) if show_counts else None,
            receipts=receipts.get(c.pk, 0),
        )
        for c in candidates
    ]
