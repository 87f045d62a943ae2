"""Demo data hook (for ``seed_demo``; the lead wires it in): take a signed meeting through
R8.1 and R8.2 with the real services, back-dated so that every period has ended.

Idempotent: each step is skipped when already done, so seeding twice changes nothing.
"""

from __future__ import annotations

import datetime

from accounts.models import User
from committees.enums import ConfirmationKind, ConfirmationState, MeetingState
from committees.models import ConfirmationNotice, Meeting, MeetingSignoff, ResultsPublicity, ReviewReport
from committees.outcomes import (
    confirmation_draft,
    confirmation_issue,
    results_publicity_publish,
    results_publicity_release_due,
    review_report_submit,
)


def demo_outcomes(
    *,
    meeting: Meeting,
    host_actor: User,
    approval_actor: User,
    document_number: str,
    confirm: bool = True,
) -> ConfirmationNotice | None:
    """Report and publicity on the signing day; if ``confirm``, the notice drafted the day
    the period ended and issued by the approval body. Returns the issued notice, if any."""
    if meeting.state != MeetingState.SIGNED:
        return None
    signoff = MeetingSignoff.objects.filter(meeting=meeting).first()
    signed_at = signoff.signed_at if signoff and signoff.signed_at else meeting.scheduled_at
    if not ReviewReport.objects.filter(meeting=meeting).exists():
        review_report_submit(meeting=meeting, actor=host_actor, note="", now=signed_at)
    publicity = ResultsPublicity.objects.filter(meeting=meeting).first()
    if publicity is None:
        publicity = results_publicity_publish(
            meeting=meeting, actor=host_actor, now=signed_at + datetime.timedelta(hours=1)
        )
    if not confirm:
        return None
    results_publicity_release_due(publicity.ends_at)
    notice = ConfirmationNotice.objects.filter(meeting=meeting).order_by("pk").first()
    if notice is None:
        notice = confirmation_draft(
            meeting=meeting, actor=host_actor, kind=ConfirmationKind.APPROVAL, now=publicity.ends_at
        )
    if notice.state == ConfirmationState.DRAFT:
        notice = confirmation_issue(
            notice=notice,
            actor=approval_actor,
            document_number=document_number,
            now=publicity.ends_at + datetime.timedelta(days=3),
        )
    return notice
