"""The home page (an introduction for visitors, a dashboard by role) and the inbox."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.enums import OrgKind
from core.notifications import notification_mark_read
from core.selectors import notification_get_for_user, notification_list_for_user
from core.workdays import uncovered_years_warning
from declarations.enums import State
from declarations.selectors import (
    campaign_list_open,
    declaration_list_for_applicant,
    declaration_queue_for_user,
    declaration_visible_for_user,
)
from reports.dashboards import dashboard_for, dashboard_groups, home_statistics, reports_visible_for

RECENT_DECLARATIONS = 5
INBOX_PAGE_SIZE = 20



def home(request: HttpRequest) -> HttpResponse:
    """Show open campaigns to everyone, and to a signed-in person what waits for them."""
    context: dict[str, Any] = {"campaigns": list(campaign_list_open())}
    user = request.user
    if user.is_authenticated:
        organisation = user.administered_organisation
        context["my_declarations"] = list(declaration_list_for_applicant(user)[:RECENT_DECLARATIONS])
        context["can_declare"] = user.has_perm("declarations.add_declaration")
        context["organisation"] = organisation
        # Each role's dashboard: what waits, what is overdue, what is due soon (reports/).
        dashboard = dashboard_for(user)
        context["dashboard"] = dashboard
        context["dashboard_groups"] = dashboard_groups(dashboard)
        context["show_reports_link"] = reports_visible_for(user)
        context["home_stats"] = home_statistics(user)
        if organisation is not None:
            context["queue_count"] = declaration_queue_for_user(user).count()
            context["is_committee_host"] = organisation.kind == OrgKind.COMMITTEE_HOST
        if user.is_staff or context.get("is_committee_host"):
            # R9.1: from 1 November the office is told when next year's calendar is missing.
            context["calendar_warning"] = uncovered_years_warning(timezone.localdate())
        if organisation is not None and context["is_committee_host"]:
            counts = (
                declaration_visible_for_user(user)
                .filter(campaign__committee_host=organisation, committee_submissions__gt=0)
                .values("state")
                .annotate(n=Count("pk"))
                .order_by("state")
            )
            context["committee_summary"] = [
                {"state": row["state"], "label": State(row["state"]).label, "count": row["n"]}
                for row in counts
            ]
    return render(request, "core/home.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, unread ones marked."""
    page = Paginator(notification_list_for_user(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/inbox.html", {"page_obj": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; with ``open`` set, go on to what it links to."""
    notification = notification_get_for_user(request.user, pk)
    notification_mark_read(notification=notification, actor=request.user)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("core:inbox")
