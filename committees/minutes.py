"""The minutes of a signed meeting (会议纪要, R7.5): rendered with WeasyPrint, kept in storage.

They record the attending experts, the presiding chair, the candidates with their
opinions, the vote results (counts only: a ballot never appears), the reasons of any
termination, and who signed when. The text is set in the Noto CJK fonts.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone

from committees.models import (
    CandidateResult,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    MeetingSignoff,
    Minutes,
    Opinion,
    Termination,
)


@dataclass
class MinutesRow:
    candidate: MeetingCandidate
    result: CandidateResult | None
    termination: Termination | None
    opinions: list[Opinion] = field(default_factory=list)


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    """Gather what the minutes print, in a fixed number of queries."""
    members = list(
        MeetingMember.objects.filter(meeting=meeting).select_related("expert").order_by(
            "role", "expert__name", "pk"
        )
    )
    candidates = list(
        MeetingCandidate.objects.filter(meeting=meeting)
        .select_related("declaration__applicant", "declaration__unit")
        .order_by("position", "pk")
    )
    results = {r.candidate_id: r for r in CandidateResult.objects.filter(candidate__in=candidates)}
    terminations = {t.candidate_id: t for t in Termination.objects.filter(candidate__in=candidates)}
    opinions: dict[int, list[Opinion]] = {}
    for o in Opinion.objects.filter(candidate__in=candidates).select_related("expert"):
        opinions.setdefault(o.candidate_id, []).append(o)
    signoff = MeetingSignoff.objects.filter(meeting=meeting).select_related(
        "signed_by", "voting_closed_by"
    ).first()
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "campaign": meeting.campaign,
        "presiding": meeting.presiding,
        "attending": [m for m in members if m.attending],
        "absent": [m for m in members if not m.attending],
        "member_count": len(members),
        "rows": [
            MinutesRow(c, results.get(c.pk), terminations.get(c.pk), opinions.get(c.pk, []))
            for c in candidates
        ],
        "signoff": signoff,
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    """Render the minutes of a meeting as an A4 PDF."""
    from weasyprint import HTML  # imported here: loading Pango is slow and pages rarely need it

    html = render_to_string("committees/minutes_pdf.html", minutes_context(meeting))
    return HTML(string=html).write_pdf()


def minutes_store(
    *, meeting: Meeting, now: datetime.datetime | None = None, stored: list[Minutes] | None = None
) -> Minutes:
    """Render the minutes and keep them in storage with their SHA-256 (R7.5).

    Called by ``results_sign`` inside its transaction, once per meeting. The unsaved row
    is appended to ``stored`` as soon as its file is written, so that the caller can
    delete the file if the transaction rolls back.
    """
    data = minutes_pdf(meeting)
    minutes = Minutes(
        meeting=meeting,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        created_at=now or timezone.now(),
    )
    minutes.file.save("minutes.pdf", ContentFile(data), save=False)
    if stored is not None:
        stored.append(minutes)
    minutes.save()
    return minutes


def minutes_file_response(minutes: Minutes) -> FileResponse:
    """Stream the stored minutes as an attachment."""
    day = timezone.localtime(minutes.meeting.scheduled_at).strftime("%Y%m%d")
    response = FileResponse(
        minutes.file.open("rb"),
        as_attachment=True,
        filename=f"minutes-{minutes.meeting_id}-{day}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
