"""The home page: an introduction for visitors, a dashboard by role for people signed in."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.enums import OrgKind
from declarations.enums import State
from declarations.selectors import (
    campaign_list_open,
    declaration_list_for_applicant,
    declaration_queue_for_user,
    declaration_visible_for_user,
)

RECENT_DECLARATIONS = 5


def home(request: HttpRequest) -> HttpResponse:
    """Show open campaigns to everyone, and to a signed-in person what waits for them."""
    context: dict[str, Any] = {"campaigns": list(campaign_list_open())}
    user = request.user
    if user.is_authenticated:
        organisation = user.administered_organisation
        context["my_declarations"] = list(declaration_list_for_applicant(user)[:RECENT_DECLARATIONS])
        context["can_declare"] = user.has_perm("declarations.add_declaration")
        context["organisation"] = organisation
        if organisation is not None:
            context["queue_count"] = declaration_queue_for_user(user).count()
            context["is_committee_host"] = organisation.kind == OrgKind.COMMITTEE_HOST
            if context["is_committee_host"]:
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
