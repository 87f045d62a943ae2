"""Pages of the reports app: the statistics dashboard and the Excel downloads (issue 7).

Mounted at /reports/. Every download looks its object up through ``reports.exports``,
which uses the owning app's selector: outside the person's scope the answer is 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.enums import OrgKind
from committees.outcomes import outcome_meeting_list_for_user
from declarations.models import Campaign
from reports import exports
from reports.statistics import (
    campaign_get_for_statistics,
    campaign_list_for_statistics,
    campaign_statistics,
    may_see_statistics,
)
from review.publicity import publicity_batch_list_for_user

LIST_LIMIT = 50


def _export_campaigns(user: Any) -> list[Campaign]:
    """Campaigns whose acceptance list or certificate record the person may download."""
    if user.is_superuser:
        return list(Campaign.objects.order_by("-year", "-pk")[:LIST_LIMIT])
    org = user.administered_organisation
    if org is None or org.kind not in (OrgKind.COMMITTEE_HOST, OrgKind.APPROVAL_BODY):
        return []
    return list(
        Campaign.objects.filter(Q(committee_host=org) | Q(approval_body=org)).order_by("-year", "-pk")[
            :LIST_LIMIT
        ]
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The campaign in numbers (office, committee host) and every export the person may take."""
    user = request.user
    context: dict[str, Any] = {
        "batches": list(publicity_batch_list_for_user(user)[:LIST_LIMIT]),
        "meetings": [] if user.is_superuser else list(outcome_meeting_list_for_user(user)[:LIST_LIMIT]),
        "export_campaigns": _export_campaigns(user),
    }
    org = user.administered_organisation
    context["is_host_or_office"] = may_see_statistics(user)
    context["is_approval_body"] = org is not None and org.kind == OrgKind.APPROVAL_BODY
    if user.is_superuser:
        from committees.enums import MeetingState
        from committees.models import Meeting

        context["meetings"] = list(
            Meeting.objects.filter(state=MeetingState.SIGNED)
            .select_related("committee")
            .order_by("-scheduled_at", "-pk")[:LIST_LIMIT]
        )
    if context["is_host_or_office"]:
        campaigns = list(campaign_list_for_statistics(user))
        context["campaigns"] = campaigns
        chosen = request.GET.get("campaign")
        if chosen:
            campaign = campaign_get_for_statistics(user, chosen)
        else:
            campaign = campaigns[0] if campaigns else None
        context["campaign"] = campaign
        if campaign is not None:
            stats = campaign_statistics(campaign)
            context["stats"] = stats
            context["charts"] = stats.charts()
            context["chart_data"] = stats.as_dict()
    if org is None and not user.is_superuser:
        raise Http404  # an applicant has nothing to count or export here
    return render(request, "reports/index.html", context)


def _download(export: exports.Export) -> HttpResponse:
    return exports.xlsx_response(export)


@login_required
def publicity_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(exports.export_publicity_batch(request.user, pk))


@login_required
def acceptance_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(exports.export_acceptance_list(request.user, pk))


@login_required
def meeting_results_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(exports.export_meeting_results(request.user, pk))


@login_required
def statistics_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(exports.export_campaign_statistics(request.user, pk))


@login_required
def certificate_record_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(exports.export_certificate_record(request.user, pk))
