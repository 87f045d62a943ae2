"""Reads of the committee that scope by user, and the facts the draw and recusal need."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from committees.enums import CommitteeRoleKind
from committees.models import (
    Committee,
    ConflictDeclaration,
    Draw,
    DrawEntry,
    Expert,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    Recusal,
)
from committees.workflow import conflict_reason, draw_permutation, seed_commitment
from declarations.enums import State
from declarations.models import Declaration
from review.models import RouteStep


def _host_org_id(user: User) -> int | None:
    if not user.is_authenticated:
        return None
    org = user.administered_organisation
    return org.pk if org is not None else None


def committee_list_for_user(user: User) -> QuerySet[Committee]:
    """Committees the person's organisation hosts (none for anyone else)."""
    return (
        Committee.objects.filter(host_id=_host_org_id(user))
        .select_related("host", "approval_body")
        .annotate(member_count=Count("roles", distinct=True))
    )


def committee_get_for_user(user: User, pk: int | str) -> Committee:
    """Return a committee its host's staff may manage; 404 otherwise."""
    try:
        return committee_list_for_user(user).get(pk=pk)
    except (Committee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def expert_list_for_user(
    user: User,
    *,
    committee: Committee | None = None,
    field: str = "",
    active: bool | None = None,
    query: str = "",
) -> QuerySet[Expert]:
    """The pool of the committees the person's organisation hosts, filtered."""
    qs = Expert.objects.filter(roles__committee__host_id=_host_org_id(user))
    if committee is not None:
        qs = qs.filter(roles__committee=committee)
    if field:
        qs = qs.filter(field=field)
    if active is not None:
        qs = qs.filter(is_active=active)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(employer_name__icontains=query))
    return qs.select_related("employer").distinct().order_by("field", "name", "pk")


def meeting_list_for_user(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__host_id=_host_org_id(user)).select_related(
        "committee", "campaign", "presiding"
    )


def meeting_get_for_user(user: User, pk: int | str) -> Meeting:
    """Return a meeting its committee's staff may manage; 404 otherwise."""
    try:
        return meeting_list_for_user(user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def meeting_candidates(meeting: Meeting) -> list[MeetingCandidate]:
    """The meeting's candidates with their applicant and recusals, in a fixed number of queries."""
    return list(
        MeetingCandidate.objects.filter(meeting=meeting)
        .select_related("declaration__applicant", "declaration__unit")
        .prefetch_related(
            Prefetch("recusals", queryset=Recusal.objects.select_related("expert").order_by("pk"))
        )
        .order_by("position", "pk")
    )


def meeting_members(meeting: Meeting) -> list[MeetingMember]:
    return list(
        MeetingMember.objects.filter(meeting=meeting)
        .select_related("expert")
        .order_by("role", "expert__name", "pk")
    )


def meeting_attendance(meeting: Meeting) -> tuple[int, int]:
    """Return ``(attending, members)`` of a meeting (R7.2)."""
    counts = MeetingMember.objects.filter(meeting=meeting).aggregate(
        members=Count("pk"), attending=Count("pk", filter=Q(attending=True))
    )
    return counts["attending"], counts["members"]


def candidate_counted_members(candidate: MeetingCandidate) -> list[MeetingMember]:
    """Attending members who count for one candidate: recused experts are left out (R7.1)."""
    recused = Recusal.objects.filter(candidate=candidate).values("expert_id")
    return list(
        MeetingMember.objects.filter(meeting_id=candidate.meeting_id, attending=True)
        .exclude(expert_id__in=recused)
        .select_related("expert")
    )


def meeting_available_declarations(meeting: Meeting) -> QuerySet[Declaration]:
    """Accepted declarations of the meeting's campaign not yet on any meeting (R6.6, R7)."""
    committee = meeting.committee
    qs = Declaration.objects.filter(
        campaign_id=meeting.campaign_id, state=State.ACCEPTED, meeting_candidate__isnull=True
    )
    if committee.levels:
        qs = qs.filter(level__in=committee.levels)
    if committee.fields:
        qs = qs.filter(field__in=committee.fields)
    return qs.select_related("applicant").order_by("submitted_at", "pk")


def draw_get(meeting: Meeting) -> Draw | None:
    return Draw.objects.filter(meeting=meeting).select_related("drawn_by").first()


def draw_entries(draw: Draw) -> list[DrawEntry]:
    return list(
        DrawEntry.objects.filter(draw=draw).select_related("expert", "replaces__expert").order_by("order")
    )


def draw_verify(draw: Draw, entries: list[DrawEntry] | None = None) -> bool:
    """Re-run a draw from its record and say whether it matches (R7.1, docs/committee.md).

    Checks that the revealed seed hashes to the commitment stored before the draw, that
    the result is the first ``drawn`` ids of the permutation of the pool snapshot by that
    seed, and that the entries (result, then replacements) follow that permutation, each
    replacement being the next id not drawn and not recorded as skipped.
    """
    if not draw.seed or not draw.seed_commitment:
        return False
    try:
        if seed_commitment(draw.seed) != draw.seed_commitment:
            return False
    except ValueError:
        return False
    permutation = draw_permutation([int(i) for i in draw.pool_snapshot], draw.seed)
    if list(draw.result) != permutation[: draw.drawn]:
        return False
    entries = entries if entries is not None else draw_entries(draw)
    drawn_ids = [e.expert_id for e in sorted(entries, key=lambda e: e.order)]
    if drawn_ids[: draw.drawn] != list(draw.result):
        return False
    skipped = {int(k) for k in (draw.skipped or {})}
    rest = [i for i in permutation[draw.drawn :] if i not in skipped]
    replacements = drawn_ids[draw.drawn :]
    return rest[: len(replacements)] == replacements


def conflict_facts(declarations: list[Declaration]) -> dict[int, dict[str, Any]]:
    """Per declaration: applicant, applicant's unit and every organisation on its route."""
    ids = [d.pk for d in declarations]
    route: dict[int, set[int]] = defaultdict(set)
    for declaration_id, org_id in RouteStep.objects.filter(declaration_id__in=ids).values_list(
        "declaration_id", "organisation_id"
    ):
        route[declaration_id].add(org_id)
    facts: dict[int, dict[str, Any]] = {}
    for d in declarations:
        orgs = set(route[d.pk])
        # The organisations picked at filing are on the route too, even before it is fixed.
        orgs.update(
            o
            for o in (
                d.unit_id,
                d.competent_department_id,
                d.personnel_agency_id,
                d.district_hr_id,
                d.management_body_id,
            )
            if o is not None
        )
        facts[d.pk] = {"applicant_id": d.applicant_id, "unit_id": d.unit_id, "route": orgs}
    return facts


def conflicts_between(experts: list[Expert], declarations: list[Declaration]) -> dict[tuple[int, int], str]:
    """Return ``{(expert_id, declaration_id): reason}`` for every conflicted pair (R7.1)."""
    if not experts or not declarations:
        return {}
    facts = conflict_facts(declarations)
    declared = set(
        ConflictDeclaration.objects.filter(
            expert__in=[e.pk for e in experts], declaration__in=[d.pk for d in declarations]
        ).values_list("expert_id", "declaration_id")
    )
    found: dict[tuple[int, int], str] = {}
    for e in experts:
        for declaration_id, f in facts.items():
            reason = conflict_reason(
                employer_id=e.employer_id,
                expert_user_id=e.user_id,
                declared=(e.pk, declaration_id) in declared,
                applicant_id=f["applicant_id"],
                applicant_unit_id=f["unit_id"],
                route_organisation_ids=f["route"],
            )
            if reason is not None:
                found[(e.pk, declaration_id)] = reason
    return found


def invitations_for_user(user: User) -> list[DrawEntry]:
    """The draw entries of the expert the person is, newest meeting first."""
    if not user.is_authenticated:
        return []
    return list(
        DrawEntry.objects.filter(expert__user=user)
        .select_related("draw__meeting__committee", "expert")
        .order_by("-draw__meeting__scheduled_at", "order")
    )


def seats_for_user(user: User) -> list[MeetingMember]:
    if not user.is_authenticated:
        return []
    return list(
        MeetingMember.objects.filter(expert__user=user)
        .select_related("meeting__committee", "expert")
        .order_by("-meeting__scheduled_at")
    )


def entry_get_for_user(user: User, pk: int | str) -> DrawEntry:
    """A draw entry the person may answer: their own, or one of a meeting they manage."""
    host = _host_org_id(user)
    try:
        return (
            DrawEntry.objects.filter(
                Q(expert__user_id=user.pk) | Q(draw__meeting__committee__host_id=host), pk=pk
            )
            .select_related("draw__meeting__committee", "expert")
            .distinct()
            .get()
        )
    except (DrawEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def seat_get_for_user(user: User, pk: int | str) -> MeetingMember:
    """The person's own seat at a meeting; 404 otherwise."""
    try:
        return MeetingMember.objects.select_related("meeting__committee", "expert").get(
            pk=pk, expert__user_id=user.pk if user.is_authenticated else None
        )
    except (MeetingMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def officers_for(committee: Committee) -> list[Expert]:
    """The chair and vice-chairs of a committee (R7.2)."""
    return list(
        Expert.objects.filter(
            roles__committee=committee,
            roles__role__in=[CommitteeRoleKind.CHAIR, CommitteeRoleKind.VICE_CHAIR],
        ).order_by("roles__role", "name")
    )
