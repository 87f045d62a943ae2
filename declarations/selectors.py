"""Reads of declarations, always scoped by who is asking."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from declarations.enums import State
from declarations.models import Campaign, Declaration
from declarations.workflow import FINAL_STATES

OPEN_STATES = [s for s in State if s not in FINAL_STATES]


def declaration_has_open_for_applicant(user: User) -> bool:
    """Whether the person has a declaration that is submitted and not yet ended."""
    return (
        Declaration.objects.filter(applicant=user)
        .exclude(state__in=[*FINAL_STATES, State.DRAFT])
        .exists()
    )


def declaration_list_for_applicant(user: User) -> QuerySet[Declaration]:
    """The applicant's own declarations ("my applications", R5.3)."""
    return (
        Declaration.objects.filter(applicant=user)
        .select_related("campaign", "current_organisation", "chain")
        .order_by("-created_at", "-pk")
    )


def declaration_queue_for_organisation(organisation: Organisation) -> QuerySet[Declaration]:
    """What waits for an organisation to act: its chain step, or the committee's check."""
    return (
        Declaration.objects.filter(
            current_organisation=organisation,
            state__in=[State.IN_REVIEW, State.UNIT_PUBLICITY, State.COMMITTEE_CHECK],
        )
        .select_related("applicant", "campaign", "chain")
        .order_by("state_changed_at", "pk")
    )


def declaration_queue_for_user(user: User) -> QuerySet[Declaration]:
    org = user.administered_organisation if user.is_authenticated else None
    if org is None:
        return Declaration.objects.none()
    return declaration_queue_for_organisation(org)


# What a queue entry shows (the page's line, the API's QueueItemOutputSerializer): only
# these columns are read, a third of the rows' width (docs/benchmarks.md). A reader that
# needs another field would load it row by row: tests/perf/test_query_counts.py catches it.
QUEUE_ENTRY_FIELDS = (
    "id", "state", "level", "field", "declaration_type", "category", "current_step",
    "committee_submissions", "submitted_at", "state_changed_at",
    "applicant__id", "applicant__real_name",
    "campaign__id", "campaign__name", "campaign__year", "campaign__chain_deadline",
    "chain__id", "chain__code", "chain__name",
)


def declaration_queue_entries_for_user(user: User) -> QuerySet[Declaration]:
    """The person's queue with only the columns its entries show."""
    return declaration_queue_for_user(user).only(*QUEUE_ENTRY_FIELDS)


def declaration_visible_for_user(user: User) -> QuerySet[Declaration]:
    """Everything a person may open: their own, and what their organisation reviews.

    An organisation sees a declaration once it is on that declaration's route; the
    committee host sees it once it has been sent to the committee.
    """
    if not user.is_authenticated:
        return Declaration.objects.none()
    condition = Q(applicant=user)
    org = user.administered_organisation
    if org is not None:
        from review.models import RouteStep

        on_route = RouteStep.objects.filter(declaration=OuterRef("pk"), organisation=org)
        condition |= Q(Exists(on_route)) & ~Q(state=State.DRAFT)
        condition |= Q(campaign__committee_host=org, committee_submissions__gt=0)
    return Declaration.objects.filter(condition)


def declaration_get_for_user(user: User, pk: int | str) -> Declaration:
    """Return the declaration if the person may see it; 404 otherwise, never 403."""
    try:
        # The chosen organisations (unit, competent_department, ...) are not joined: planning
        # a ten-table join cost PostgreSQL far more than running it (docs/benchmarks.md);
        # a reader that needs one loads it (one small query each).
        return (
            declaration_visible_for_user(user)
            .select_related("campaign", "applicant", "chain", "current_organisation")
            .get(pk=pk)
        )
    except (Declaration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def declaration_ref_for_user(user: User, pk: int | str) -> Declaration:
    """Like ``declaration_get_for_user`` for a service that locks and reads the row again.

    Only the id and applicant are loaded; the person's own declaration is found without
    looking up the organisation they administer. 404 outside what the person may see.
    """
    try:
        found = None
        if user.is_authenticated:
            found = Declaration.objects.only("pk", "applicant_id").filter(pk=pk, applicant=user).first()
        if found is None:
            found = declaration_visible_for_user(user).only("pk", "applicant_id").get(pk=pk)
        return found
    except (Declaration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def campaign_list_open(now=None) -> QuerySet[Campaign]:  # type: ignore[no-untyped-def]
    """Campaigns whose filing window has not closed yet."""
    from django.utils import timezone

    now = now or timezone.now()
    return Campaign.objects.filter(filing_closes_at__gt=now).select_related("committee_host")
