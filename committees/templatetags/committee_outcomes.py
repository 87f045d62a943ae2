"""``{% meeting_outcomes_panel meeting %}``: the R8.1/R8.2 deadlines of a meeting, for its page.

Load with ``{% load committee_outcomes %}``; renders nothing until the results are signed.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from committees.enums import MeetingState
from committees.models import Meeting

register = template.Library()


@register.inclusion_tag("committees/outcomes/_meeting_panel.html")
def meeting_outcomes_panel(meeting: Meeting) -> dict[str, Any]:
    from committees.outcomes import meeting_outcomes
    from core.workdays import OFFICE_TZ

    if meeting.state != MeetingState.SIGNED:
        return {"show": False}
    now = timezone.now()
    today = now.astimezone(OFFICE_TZ).date()
    o = meeting_outcomes(meeting, now)
    deadlines = [
        {
            "label": d.label,
            "due_on": d.due_on,
            "done_on": d.done_on,
            "late": d.late,
            "is_overdue": d.overdue(today),
        }
        for d in (o.report_deadline, o.publicity_deadline, o.confirmation_deadline)
        if d is not None
    ]
    return {"show": True, "meeting": meeting, "deadlines": deadlines}
