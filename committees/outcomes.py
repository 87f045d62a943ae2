"""After the meeting (R8.1, R8.2): review report, results publicity with complaints, confirmation.

The flow (docs/results.md):

1. Within 5 working days after the meeting the committee host sends the review report
   (评审情况报告) to the approval body (``review_report_submit``) and publishes the
   passed candidates for at least 5 working days (``results_publicity_publish``): each
   declaration moves ``passed -> results_publicity``. The public page is mirrored for the
   approval body (R8.1, R9.1a, R9.2).
2. Anyone may complain about a candidate during the period (``results_complaint_file``,
   throttled per client address); a pending complaint holds that candidate. The host or
   the approval body records the outcome (``results_complaint_resolve``): groundless, or
   upheld, which terminates the review (R7.6).
3. The sweep (``results_publicity_release_due``, registered in ``committees.apps``) ends
   the periods that are due: every candidate not held is released for confirmation.
4. Within 15 working days after the period ends the host drafts the confirmation notice
   (``confirmation_draft``) for those released; it is issued (``confirmation_issue``) by
   the approval body with its 批准文号, or by the host for an entrusted review (result
   letter to the entrusting unit) or a self-authorised unit (confirm and file). Each
   declaration moves ``results_publicity -> confirmed`` and its applicant is told (R8.2).

``confirmation_facts`` gives the certificate and review form (``certificates``) what
they print. Locks are taken entry first, then declaration, as in ``review.publicity``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import organisation_administrators
from committees.enums import (
    CandidateOutcome,
    ConfirmationKind,
    ConfirmationState,
    MeetingState,
    ResultsComplaintOutcome,
    ResultsEntryStatus,
)
from committees.models import (
    Committee,
    ConfirmationEntry,
    ConfirmationNotice,
    Meeting,
    MeetingCandidate,
    MeetingSignoff,
    ResultsComplaint,
    ResultsPublicity,
    ResultsPublicityEntry,
    ReviewReport,
)
from committees.rules import is_committee_staff
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.notifications import notify
from core.services import audit_record
from core.workdays import OFFICE_TZ, add_working_days, period_end
from declarations.enums import Field as DeclField
from declarations.enums import Level, State
from declarations.models import Declaration
from declarations.services import declaration_transition
from review.publicity import (  # noqa: F401  TooManyComplaints: raised here too
    COMPLAINTS_PER_WINDOW,
    TooManyComplaints,
    complaint_throttle,
)

# R8.1: the report and the publicity within 5 working days after the review.
REPORT_WORKING_DAYS = 5
# R8.1, R9.2: the publicity lasts "不少于5个工作日", 5 included.
MIN_PUBLICITY_DAYS = 5
MAX_PUBLICITY_DAYS = 30
# R8.2: the confirmation notice within 15 working days after the publicity ends.
CONFIRMATION_WORKING_DAYS = 15
COMPLAINT_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 4000
DOCUMENT_NUMBER_MAX_LENGTH = 100

_OPEN = (ResultsEntryStatus.ON_PUBLICITY, ResultsEntryStatus.HELD)

logger = logging.getLogger(__name__)



# -- dates -----------------------------------------------------------------------------------


def meeting_day(meeting: Meeting) -> datetime.date:
    """The date of the meeting in Beijing time."""
    return meeting.scheduled_at.astimezone(OFFICE_TZ).date()


def report_due_on(meeting: Meeting) -> datetime.date:
    """The last day for the review report and the results publicity: 5 working days after
    the meeting (R8.1, R9.1a). A meeting on Fri 2024-09-27 gives 2024-10-10."""
    return add_working_days(meeting_day(meeting), REPORT_WORKING_DAYS)


def publicity_last_day(publicity: ResultsPublicity) -> datetime.date:
    """The last day of the period (it ends at 24:00 of this day)."""
    return (publicity.ends_at.astimezone(OFFICE_TZ) - datetime.timedelta(seconds=1)).date()


def confirmation_due_on(publicity: ResultsPublicity) -> datetime.date:
    """The last day for the confirmation notice: 15 working days after the publicity ends (R8.2)."""
    return add_working_days(publicity_last_day(publicity), CONFIRMATION_WORKING_DAYS)


def publicity_period_label(publicity: ResultsPublicity) -> str:
    return _("%(start)s 至 %(end)s 24:00（%(n)d个工作日）") % {
        "start": publicity.starts_at.astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M"),
        "end": publicity_last_day(publicity).strftime("%Y-%m-%d"),
        "n": publicity.working_days,
    }


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(OFFICE_TZ).date()


# -- who -------------------------------------------------------------------------------------


def _org_id(user: User | None) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    org = user.administered_organisation
    return org.pk if org is not None else None


def _is_host_staff(user: User, committee: Committee) -> bool:
    return bool(is_committee_staff.test(user, committee))


def _is_approval_staff(user: User, committee: Committee) -> bool:
    org_id = _org_id(user)
    return org_id is not None and org_id == committee.approval_body_id




def _refuse_unless_host(actor: User, meeting: Meeting) -> None:
    if not _is_host_staff(actor, meeting.committee):
        raise PermissionRefused("not_committee_staff", _("只有评委会组建单位的职称管理员可以执行此操作。"))


def host_complaint_contact(org: Organisation) -> str:
    phone = org.complaint_phone or org.contact_phone
    return f"{org.name} {org.contact_person} {phone}".strip()


# -- reads -----------------------------------------------------------------------------------


def _meeting_scope(user: User) -> Q:
    org_id = _org_id(user)
    if org_id is None:
        return Q(pk__in=[])
    return Q(committee__host_id=org_id) | Q(committee__approval_body_id=org_id)


def outcome_meeting_list_for_user(user: User) -> QuerySet[Meeting]:
    """Signed meetings the person's organisation hosts or confirms as approval body."""
    return (
        Meeting.objects.filter(_meeting_scope(user), state=MeetingState.SIGNED)
        .select_related("committee__host", "committee__approval_body", "campaign")
        .order_by("-scheduled_at", "-pk")
    )


def outcome_meeting_get_for_user(user: User, pk: int | str) -> Meeting:
    """A meeting its host's staff or its approval body may see; 404 otherwise."""
    try:
        return (
            Meeting.objects.filter(_meeting_scope(user))
            .select_related("committee__host", "committee__approval_body", "campaign")
            .get(pk=pk)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _entries_prefetch() -> Prefetch:
    return Prefetch(
        "entries",
        queryset=ResultsPublicityEntry.objects.select_related(
            "declaration__applicant", "declaration__unit", "declaration__meeting_candidate__result"
        ).order_by("pk"),
    )


def results_publicity_list_public(now: datetime.datetime | None = None) -> QuerySet[ResultsPublicity]:
    """Results publicities running now, soonest end first (the public notice board)."""
    now = now or timezone.now()
    return (
        ResultsPublicity.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("meeting__committee__host", "meeting__committee__approval_body")
        .order_by("ends_at", "pk")
    )


def results_publicity_get_public(pk: int | str) -> ResultsPublicity:
    """One results publicity with its candidates, for the public page; 404 if none."""
    try:
        return (
            ResultsPublicity.objects.select_related(
                "meeting__committee__host", "meeting__committee__approval_body", "meeting__campaign"
            )
            .prefetch_related(_entries_prefetch())
            .get(pk=pk)
        )
    except (ResultsPublicity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def results_publicity_list_for_user(user: User) -> QuerySet[ResultsPublicity]:
    """Publicities of the host's meetings, or mirrored for the approval body (R8.1)."""
    org_id = _org_id(user)
    if org_id is None:
        return ResultsPublicity.objects.none()
    return (
        ResultsPublicity.objects.filter(
            Q(meeting__committee__host_id=org_id) | Q(meeting__committee__approval_body_id=org_id)
        )
        .select_related("meeting__committee__host", "meeting__committee__approval_body")
        .order_by("-starts_at", "-pk")
    )


def results_complaint_get_for_user(user: User, pk: int | str) -> ResultsComplaint:
    """A complaint the host or the approval body may resolve; 404 otherwise."""
    org_id = _org_id(user)
    if org_id is None:
        raise Http404
    try:
        return ResultsComplaint.objects.select_related(
            "entry__publicity__meeting__committee", "entry__declaration"
        ).get(
            Q(entry__publicity__meeting__committee__host_id=org_id)
            | Q(entry__publicity__meeting__committee__approval_body_id=org_id),
            pk=pk,
        )
    except (ResultsComplaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def confirmation_list_for_user(user: User) -> QuerySet[ConfirmationNotice]:
    """Notices the host drafted, the approval body confirms, or an entrusting unit receives."""
    org_id = _org_id(user)
    if org_id is None:
        return ConfirmationNotice.objects.none()
    return (
        ConfirmationNotice.objects.filter(
            Q(meeting__committee__host_id=org_id)
            # The approval body confirms approval notices and receives self-authorised filings.
            | Q(
                meeting__committee__approval_body_id=org_id,
                kind__in=(ConfirmationKind.APPROVAL, ConfirmationKind.SELF_FILED),
            )
            | Q(entrusting_organisation_id=org_id)
        )
        .select_related(
            "meeting__committee__host",
            "meeting__committee__approval_body",
            "entrusting_organisation",
            "drafted_by",
            "confirmed_by",
        )
        .order_by("-drafted_at", "-pk")
    )


def confirmation_get_for_user(user: User, pk: int | str) -> ConfirmationNotice:
    """One notice with its declarations, if the person may see it; 404 otherwise."""
    try:
        return (
            confirmation_list_for_user(user)
            .prefetch_related(
                Prefetch(
                    "entries",
                    queryset=ConfirmationEntry.objects.select_related(
                        "declaration__applicant", "declaration__unit"
                    ).order_by("pk"),
                )
            )
            .get(pk=pk)
        )
    except (ConfirmationNotice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class Deadline:
    """A deadline of R8.1/R8.2 as the pages show it."""

    label: str
    due_on: datetime.date | None
    done_on: datetime.date | None

    @property
    def late(self) -> bool:
        return self.due_on is not None and self.done_on is not None and self.done_on > self.due_on

    def overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.done_on is None and today > self.due_on


@dataclass(frozen=True)
class MeetingOutcomes:
    """Everything after the meeting, for its page and API."""

    meeting: Meeting
    report: ReviewReport | None
    publicity: ResultsPublicity | None
    entries: list[ResultsPublicityEntry]
    notices: list[ConfirmationNotice]
    passed_waiting: int
    report_deadline: Deadline
    publicity_deadline: Deadline
    confirmation_deadline: Deadline | None
    confirmable: list[ResultsPublicityEntry]
    draft: ConfirmationNotice | None


def meeting_outcomes(meeting: Meeting, now: datetime.datetime | None = None) -> MeetingOutcomes:
    """Gather the report, publicity, complaints and notices of a meeting in a fixed number of queries."""
    now = now or timezone.now()
    report = ReviewReport.objects.filter(meeting=meeting).select_related("submitted_by").first()
    publicity = ResultsPublicity.objects.filter(meeting=meeting).first()
    entries: list[ResultsPublicityEntry] = []
    if publicity is not None:
        entries = list(
            ResultsPublicityEntry.objects.filter(publicity=publicity)
            .select_related("declaration__applicant", "declaration__unit", "declaration__confirmation_entry")
            .prefetch_related(
                Prefetch(
                    "complaints",
                    queryset=ResultsComplaint.objects.select_related("resolved_by").order_by(
                        "filed_at", "pk"
                    ),
                )
            )
            .order_by("pk")
        )
    notices = list(
        ConfirmationNotice.objects.filter(meeting=meeting)
        .select_related("entrusting_organisation", "confirmed_by", "drafted_by")
        .prefetch_related("entries")
        .order_by("drafted_at", "pk")
    )
    passed_waiting = MeetingCandidate.objects.filter(meeting=meeting, declaration__state=State.PASSED).count()
    due = report_due_on(meeting) if meeting.state == MeetingState.SIGNED else None
    confirmation_deadline = None
    if publicity is not None:
        confirmation_deadline = Deadline(
            _("拟定核准通知（R8.2）"),
            confirmation_due_on(publicity),
            _local_day(notices[0].drafted_at) if notices else None,
        )
    confirmable = [
        e
        for e in entries
        if e.status == ResultsEntryStatus.RELEASED
        and not hasattr(e.declaration, "confirmation_entry")
        and e.declaration.state == State.RESULTS_PUBLICITY
    ]
    return MeetingOutcomes(
        meeting=meeting,
        report=report,
        publicity=publicity,
        entries=entries,
        notices=notices,
        passed_waiting=passed_waiting,
        report_deadline=Deadline(
            _("报送评审情况报告（R8.1）"), due, _local_day(report.submitted_at) if report else None
        ),
        publicity_deadline=Deadline(
            _("发布评审结果公示（R8.1）"), due, _local_day(publicity.starts_at) if publicity else None
        ),
        confirmation_deadline=confirmation_deadline,
        confirmable=confirmable,
        draft=next((n for n in notices if n.state == ConfirmationState.DRAFT), None),
    )


# -- the review report (R8.1) --------------------------------------------------------------


def review_report_summary(meeting: Meeting) -> dict[str, Any]:
    """Counts of the meeting per level and field: reviewed, passed, failed, terminated."""
    rows: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"reviewed": 0, "passed": 0, "failed": 0, "terminated": 0}
    )
    candidates = MeetingCandidate.objects.filter(meeting=meeting).select_related(
        "declaration", "result", "termination"
    )
    for c in candidates:
        d = c.declaration
        row = rows[(d.level, d.field)]
        row["reviewed"] += 1
        result = getattr(c, "result", None)
        if result is not None and result.outcome == CandidateOutcome.PASSED:
            row["passed"] += 1
        elif result is not None and result.outcome == CandidateOutcome.FAILED:
            row["failed"] += 1
        else:
            row["terminated"] += 1
    level_order = list(Level.values)
    field_order = list(DeclField.values)
    ordered = sorted(
        rows.items(),
        key=lambda kv: (
            -level_order.index(kv[0][0]) if kv[0][0] in level_order else 0,
            field_order.index(kv[0][1]) if kv[0][1] in field_order else 99,
        ),
    )
    out = [
        {
            "level": level,
            "level_label": str(Level(level).label) if level in level_order else level,
            "field": field,
            "field_label": str(DeclField(field).label) if field in field_order else field,
            **counts,
        }
        for (level, field), counts in ordered
    ]
    totals = {k: sum(r[k] for r in out) for k in ("reviewed", "passed", "failed", "terminated")}
    return {"rows": out, "totals": totals}


def review_report_pdf(
    meeting: Meeting,
    *,
    summary: dict[str, Any],
    note: str,
    due_on: datetime.date,
    submitted_at: datetime.datetime,
) -> bytes:
    """Render the review report as an A4 PDF (WeasyPrint, Noto CJK)."""
    from weasyprint import HTML  # loading Pango is slow; only this needs it

    signoff = MeetingSignoff.objects.filter(meeting=meeting).select_related("signed_by").first()
    html = render_to_string(
        "committees/outcomes/report_pdf.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "campaign": meeting.campaign,
            "summary": summary,
            "note": note,
            "due_on": due_on,
            "submitted_on": _local_day(submitted_at),
            "signoff": signoff,
        },
    )
    return HTML(string=html).write_pdf()


def review_report_submit(
    *, meeting: Meeting, actor: User, note: str = "", now: datetime.datetime | None = None
) -> ReviewReport:
    """The host sends the review report of a signed meeting to the approval body (R8.1).

    Once per meeting; due 5 working days after the meeting (a later report is accepted
    and shown as late). Rendered as a PDF and stored with its checksum.
    """
    now = now or timezone.now()
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ServiceError("note_too_long", _("情况说明过长。"), field="note")
    with transaction.atomic():
        locked = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("committee", "campaign")
            .get(pk=meeting.pk)
        )
        _refuse_unless_host(actor, locked)
        if locked.state != MeetingState.SIGNED:
            raise TransitionNotAllowed(
                "meeting_not_signed", _("评审结果签署后才能报送评审情况报告（R8.1）。")
            )
        if ReviewReport.objects.filter(meeting=locked).exists():
            raise TransitionNotAllowed("report_submitted", _("该会议的评审情况报告已报送。"))
        due_on = report_due_on(locked)
        summary = review_report_summary(locked)
        data = review_report_pdf(locked, summary=summary, note=note, due_on=due_on, submitted_at=now)
        report = ReviewReport(
            meeting=locked,
            due_on=due_on,
            note=note,
            summary=summary,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            submitted_by=actor,
            submitted_at=now,
        )
        report.file.save("report.pdf", ContentFile(data), save=False)
        report.save()
        late = _local_day(now) > due_on
        audit_record(
            actor=actor,
            obj=report,
            action="review_report_submit",
            data={"rules": ["R8.1"], "meeting": locked.pk, "due_on": due_on.isoformat(), "late": late},
        )
        notify(
            recipients=organisation_administrators(locked.committee.approval_body_id),
            kind="review_report",
            title=_("%(committee)s报送了评审情况报告") % {"committee": locked.committee.name},
            url=reverse("committees:outcomes", args=[locked.pk]),
        )
        return report


def review_report_file_response(report: ReviewReport) -> FileResponse:
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"review-report-{report.meeting_id}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- results publicity (R8.1) --------------------------------------------------------------


def results_publicity_publish(
    *,
    meeting: Meeting,
    actor: User,
    working_days: int = MIN_PUBLICITY_DAYS,
    title: str = "",
    contact: str = "",
    now: datetime.datetime | None = None,
) -> ResultsPublicity:
    """Publish every passed candidate of a signed meeting for at least 5 working days (R8.1).

    Each declaration moves ``passed -> results_publicity``; the applicants and the
    approval body (which mirrors the notice) are told. Once per meeting.
    """
    now = now or timezone.now()
    if working_days < MIN_PUBLICITY_DAYS:
        raise ServiceError(
            "publicity_too_short",
            _("公示期不得少于%(n)d个工作日（R8.1）。") % {"n": MIN_PUBLICITY_DAYS},
            field="working_days",
        )
    if working_days > MAX_PUBLICITY_DAYS:
        raise ServiceError(
            "publicity_too_long",
            _("公示期最多%(n)d个工作日。") % {"n": MAX_PUBLICITY_DAYS},
            field="working_days",
        )
    with transaction.atomic():
        locked = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("committee__host", "campaign")
            .get(pk=meeting.pk)
        )
        _refuse_unless_host(actor, locked)
        if locked.state != MeetingState.SIGNED:
            raise TransitionNotAllowed("meeting_not_signed", _("评审结果签署后才能公示（R7.4、R8.1）。"))
        if ResultsPublicity.objects.filter(meeting=locked).exists():
            raise TransitionNotAllowed("publicity_exists", _("该会议的评审结果已经公示。"))
        passed = list(
            Declaration.objects.filter(
                meeting_candidate__meeting=locked,
                meeting_candidate__result__outcome=CandidateOutcome.PASSED,
                state=State.PASSED,
            ).order_by("meeting_candidate__position", "pk")
        )
        if not passed:
            raise TransitionNotAllowed("nothing_to_publish", _("该会议没有待公示的评审通过人选。"))
        ends_at = period_end(now, working_days)
        host = locked.committee.host
        publicity = ResultsPublicity.objects.create(
            meeting=locked,
            title=title.strip()
            or _("%(committee)s %(year)s年度评审结果公示")
            % {"committee": locked.committee.name, "year": locked.campaign.year},
            working_days=working_days,
            starts_at=now,
            ends_at=ends_at,
            due_on=report_due_on(locked),
            contact=contact.strip() or host_complaint_contact(host),
            published_by=actor,
        )
        for d in passed:

            def apply(row: Declaration) -> list[str]:
                ResultsPublicityEntry.objects.create(publicity=publicity, declaration=row)
                return []

            declaration_transition(
                declaration=d,
                name="start_results_publicity",
                actor=actor,
                data={"publicity": publicity.pk, "ends_at": ends_at.isoformat()},
                apply=apply,
                now=now,
            )
        audit_record(
            actor=actor,
            obj=publicity,
            action="results_publicity_publish",
            data={
                "rules": ["R8.1", "R9.1a", "R9.2"],
                "meeting": locked.pk,
                "declarations": [d.pk for d in passed],
                "working_days": working_days,
                "ends_at": ends_at.isoformat(),
                "late": _local_day(now) > publicity.due_on,
            },
        )
        period = publicity_period_label(publicity)
        url = reverse("committees:results_public_detail", args=[publicity.pk])
        notify(
            recipients=[
                d.applicant
                for d in Declaration.objects.filter(pk__in=[d.pk for d in passed]).select_related("applicant")
            ],
            kind="results_publicity_started",
            title=_("您的职称评审结果已进入公示，公示期：%(period)s") % {"period": period},
            url=url,
        )
        notify(
            recipients=organisation_administrators(locked.committee.approval_body_id),
            kind="results_publicity_mirror",
            title=_("%(committee)s评审结果公示（同步公示），公示期：%(period)s")
            % {"committee": locked.committee.name, "period": period},
            url=url,
        )
        return publicity


def _release(
    entry: ResultsPublicityEntry, *, actor: User | None, now: datetime.datetime, reason: str
) -> None:
    entry.status = ResultsEntryStatus.RELEASED
    entry.released_at = now
    entry.save(update_fields=["status", "released_at"])
    audit_record(
        actor=actor,
        obj=entry,
        action="results_publicity_release",
        reason=reason,
        data={"rules": ["R8.1"], "declaration": entry.declaration_id},
    )


def results_publicity_release_due(now: datetime.datetime | None = None) -> int:
    """Sweep step: release every candidate whose results publicity ended unheld (R8.1).

    Idempotent: only entries still ``on_publicity`` after the end are touched, each
    rechecked under its lock; a row another sweep holds is skipped.
    """
    now = now or timezone.now()
    ids = list(
        ResultsPublicityEntry.objects.filter(
            status=ResultsEntryStatus.ON_PUBLICITY, publicity__ends_at__lte=now
        )
        .order_by("publicity__ends_at", "pk")
        .values_list("pk", flat=True)[:1000]
    )
    released = 0
    for pk in ids:
        with transaction.atomic():
            entry = (
                ResultsPublicityEntry.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, status=ResultsEntryStatus.ON_PUBLICITY, publicity__ends_at__lte=now)
                .first()
            )
            if entry is None:
                continue
            _release(entry, actor=None, now=now, reason=_("公示期满，无异议（R8.1）。"))
            released += 1
    return released


def complaint_throttle_key(ip_address: str) -> str:
    return f"results-complaint:{ip_address}"


def _lock_entry(pk: int) -> ResultsPublicityEntry | None:
    return (
        ResultsPublicityEntry.objects.select_for_update(of=("self",))
        .select_related("publicity__meeting__committee", "declaration__applicant")
        .filter(pk=pk)
        .first()
    )


def results_complaint_file(
    *,
    entry: ResultsPublicityEntry,
    text: str,
    name: str = "",
    contact: str = "",
    ip_address: str | None = None,
    now: datetime.datetime | None = None,
) -> ResultsComplaint:
    """Anyone complains about a passed candidate during the period; it holds that candidate (R8.1).

    Refused outside the period (``publicity_closed``) and past ``COMPLAINTS_PER_WINDOW``
    per client address per hour (``too_many_complaints``, 429). The host and the approval
    body are told.
    """
    now = now or timezone.now()
    complaint_throttle(complaint_throttle_key(ip_address) if ip_address else None)
    text = text.strip()
    if not text:
        raise ServiceError("complaint_text_required", _("请填写投诉内容。"), field="text")
    if len(text) > COMPLAINT_MAX_LENGTH:
        raise ServiceError(
            "complaint_too_long", _("投诉内容最多%(n)d字。") % {"n": COMPLAINT_MAX_LENGTH}, field="text"
        )
    with transaction.atomic():
        locked = _lock_entry(entry.pk)
        if locked is None:
            raise Http404
        publicity = locked.publicity
        if not (publicity.starts_at <= now < publicity.ends_at) or locked.status not in _OPEN:
            raise ServiceError(
                "publicity_closed",
                _("该公示的公示期为%(period)s，不在公示期内不能在线投诉。")
                % {"period": publicity_period_label(publicity)},
            )
        complaint = ResultsComplaint.objects.create(
            entry=locked,
            name=name.strip()[:50],
            contact=contact.strip()[:100],
            text=text,
            client_ip=ip_address or None,
            filed_at=now,
        )
        if locked.status != ResultsEntryStatus.HELD:
            locked.status = ResultsEntryStatus.HELD
            locked.save(update_fields=["status"])
        audit_record(
            actor=None,
            obj=complaint,
            action="results_complaint_file",
            data={"rules": ["R8.1"], "entry": locked.pk, "declaration": locked.declaration_id},
        )
        committee = publicity.meeting.committee
        notify(
            recipients=organisation_administrators(committee.host_id, committee.approval_body_id),
            kind="results_complaint",
            title=_("评审结果公示人选“%(name)s”收到一件投诉，请及时核查")
            % {"name": locked.declaration.applicant},
            body=text,
            url=reverse("committees:outcomes", args=[publicity.meeting_id]),
        )
        return complaint


def results_complaint_resolve(
    *,
    complaint: ResultsComplaint,
    actor: User,
    outcome: str,
    resolution: str,
    now: datetime.datetime | None = None,
) -> ResultsComplaint:
    """The host or the approval body records what it found on a complaint (R8.1, R7.6).

    ``groundless``: when no other complaint is pending the candidate is no longer held,
    and is released at once if the period has ended. ``upheld``: the review is
    terminated (``terminate``, R7.6) with the finding as the reason, and the other
    pending complaints on the candidate are closed with it.
    """
    now = now or timezone.now()
    if outcome not in (ResultsComplaintOutcome.GROUNDLESS, ResultsComplaintOutcome.UPHELD):
        raise ServiceError("outcome_invalid", _("请选择核查结论。"), field="outcome")
    resolution = resolution.strip()
    if not resolution:
        raise ServiceError("resolution_required", _("请填写核查意见。"), field="resolution")
    with transaction.atomic():
        entry = _lock_entry(complaint.entry_id)
        if entry is None:
            raise Http404
        committee = entry.publicity.meeting.committee
        if not (_is_host_staff(actor, committee) or _is_approval_staff(actor, committee)):
            raise PermissionRefused(
                "not_your_publicity", _("只有评委会组建单位或核准机构的职称管理员可以核查投诉。")
            )
        locked = ResultsComplaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.outcome != ResultsComplaintOutcome.PENDING:
            raise TransitionNotAllowed(
                "complaint_resolved",
                _("该投诉已核查，结论为“%(outcome)s”。") % {"outcome": locked.get_outcome_display()},
            )
        locked.outcome = outcome
        locked.resolution = resolution
        locked.resolved_by = actor
        locked.resolved_at = now
        locked.save(update_fields=["outcome", "resolution", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            obj=locked,
            action="results_complaint_resolve",
            reason=resolution,
            data={"rules": ["R8.1", "R7.6"], "outcome": outcome, "entry": entry.pk},
        )
        declaration = entry.declaration
        if outcome == ResultsComplaintOutcome.GROUNDLESS:
            pending = entry.complaints.filter(outcome=ResultsComplaintOutcome.PENDING).exists()
            if not pending and entry.status == ResultsEntryStatus.HELD:
                if now >= entry.publicity.ends_at:
                    _release(entry, actor=actor, now=now, reason=_("公示期满，投诉经核查不属实（R8.1）。"))
                else:
                    entry.status = ResultsEntryStatus.ON_PUBLICITY
                    entry.save(update_fields=["status"])
            notify(
                recipients=[declaration.applicant],
                kind="results_complaint_groundless",
                title=_("关于您的评审结果公示投诉经核查不属实"),
                body=resolution,
                url=declaration.get_absolute_url(),
            )
            return locked
        reason = _("评审结果公示期间投诉经核查属实：%(finding)s") % {"finding": resolution}
        declaration_transition(
            declaration=declaration,
            name="terminate",
            actor=actor,
            reason=reason,
            data={"rules": ["R8.1", "R7.6"], "complaint": locked.pk},
            now=now,
        )
        entry.status = ResultsEntryStatus.TERMINATED
        entry.save(update_fields=["status"])
        entry.complaints.filter(outcome=ResultsComplaintOutcome.PENDING).update(
            outcome=outcome, resolution=resolution, resolved_by=actor, resolved_at=now
        )
        return locked


# -- confirmation (R8.2) ----------------------------------------------------------------------


def confirmation_draft(
    *,
    meeting: Meeting,
    actor: User,
    kind: str = ConfirmationKind.APPROVAL,
    title: str = "",
    body: str = "",
    entrusting_organisation: Organisation | None = None,
    now: datetime.datetime | None = None,
) -> ConfirmationNotice:
    """The host drafts the confirmation notice of those passed without objection (R8.2).

    Lists every candidate whose publicity has ended unheld (or whose complaints were
    found groundless) and who is on no notice yet; due 15 working days after the
    publicity ends. An entrusted review names the entrusting unit. One draft at a time.
    """
    now = now or timezone.now()
    if kind not in ConfirmationKind.values:
        raise ServiceError("kind_invalid", _("请选择核准方式。"), field="kind")
    if kind == ConfirmationKind.ENTRUSTED and entrusting_organisation is None:
        raise ServiceError(
            "entrusting_organisation_required",
            _("委托评审须选择委托单位（R8.2）。"),
            field="entrusting_organisation",
        )
    if kind != ConfirmationKind.ENTRUSTED:
        entrusting_organisation = None
    if len(body) > 10000:
        raise ServiceError("body_too_long", _("正文过长。"), field="body")
    with transaction.atomic():
        locked = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("committee__approval_body", "campaign")
            .get(pk=meeting.pk)
        )
        _refuse_unless_host(actor, locked)
        if kind == ConfirmationKind.APPROVAL and locked.committee.approval_body_id is None:
            raise ServiceError(
                "approval_body_missing", _("该评委会未设置核准机构，无法报请核准。"), field="kind"
            )
        publicity = ResultsPublicity.objects.filter(meeting=locked).first()
        if publicity is None:
            raise TransitionNotAllowed(
                "publicity_missing", _("评审结果须先公示，公示期满后方可拟定核准通知（R8.2）。")
            )
        if now < publicity.ends_at:
            raise TransitionNotAllowed(
                "publicity_not_ended",
                _("评审结果公示期为%(period)s，期满后方可拟定核准通知（R8.2）。")
                % {"period": publicity_period_label(publicity)},
            )
        if ConfirmationNotice.objects.filter(meeting=locked, state=ConfirmationState.DRAFT).exists():
            raise TransitionNotAllowed("draft_exists", _("该会议已有待印发的核准通知草稿。"))
        # The sweep may not have run yet: end what is due now, under the same locks.
        ids = list(
            ResultsPublicityEntry.objects.filter(
                publicity=publicity, status__in=(ResultsEntryStatus.ON_PUBLICITY, ResultsEntryStatus.RELEASED)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen: list[ResultsPublicityEntry] = []
        for pk in ids:
            entry = _lock_entry(pk)
            if entry is None:
                continue
            if entry.status == ResultsEntryStatus.ON_PUBLICITY:
                _release(entry, actor=None, now=now, reason=_("公示期满，无异议（R8.1）。"))
            if entry.status != ResultsEntryStatus.RELEASED:
                continue
            if entry.declaration.state != State.RESULTS_PUBLICITY:
                continue
            if ConfirmationEntry.objects.filter(declaration_id=entry.declaration_id).exists():
                continue
            chosen.append(entry)
        if not chosen:
            raise TransitionNotAllowed("nothing_to_confirm", _("没有公示期满无异议、待核准的人选。"))
        default_title = {
            ConfirmationKind.APPROVAL: _("关于核准%(committee)s%(year)s年度评审结果的通知"),
            ConfirmationKind.ENTRUSTED: _("关于%(committee)s%(year)s年度受委托评审结果的函"),
            ConfirmationKind.SELF_FILED: _("关于%(committee)s%(year)s年度自主评审结果的确认备案"),
        }[ConfirmationKind(kind)] % {"committee": locked.committee.name, "year": locked.campaign.year}
        notice = ConfirmationNotice.objects.create(
            meeting=locked,
            kind=kind,
            title=title.strip()[:200] or default_title,
            body=body.strip(),
            entrusting_organisation=entrusting_organisation,
            drafted_by=actor,
            drafted_at=now,
            due_on=confirmation_due_on(publicity),
            state=ConfirmationState.DRAFT,
        )
        ConfirmationEntry.objects.bulk_create(
            [ConfirmationEntry(notice=notice, declaration_id=e.declaration_id) for e in chosen]
        )
        audit_record(
            actor=actor,
            obj=notice,
            action="confirmation_draft",
            data={
                "rules": ["R8.2"],
                "meeting": locked.pk,
                "kind": kind,
                "declarations": [e.declaration_id for e in chosen],
                "due_on": notice.due_on.isoformat(),
                "late": _local_day(now) > notice.due_on,
            },
        )
        if kind == ConfirmationKind.APPROVAL:
            notify(
                recipients=organisation_administrators(locked.committee.approval_body_id),
                kind="confirmation_drafted",
                title=_("%(committee)s报请核准评审结果：%(title)s")
                % {"committee": locked.committee.name, "title": notice.title},
                url=reverse("committees:confirmation_detail", args=[notice.pk]),
            )
        return notice


def confirmation_issuer_refusal(actor: User, notice: ConfirmationNotice) -> PermissionRefused | None:
    """Say why the actor may not issue the notice, or None if they may (R8.2)."""
    committee = notice.meeting.committee
    if notice.kind == ConfirmationKind.APPROVAL:
        if not _is_approval_staff(actor, committee):
            return PermissionRefused(
                "not_approval_body", _("核准通知须由评委会的核准机构职称管理员核准印发（R8.2）。")
            )
    elif not _is_host_staff(actor, committee):
        return PermissionRefused(
            "not_committee_staff",
            _("受委托评审结果函、自主评审确认备案由评委会组建单位的职称管理员印发（R8.2）。"),
        )
    return None


def confirmation_issue(
    *,
    notice: ConfirmationNotice,
    actor: User,
    document_number: str,
    now: datetime.datetime | None = None,
) -> ConfirmationNotice:
    """Issue the notice with its 批准文号 (R8.2); each declaration is confirmed.

    ``approval``: an administrator of the committee's approval body; ``entrusted`` and
    ``self_filed``: the host's staff. Each declaration moves ``results_publicity ->
    confirmed`` (one audit row each); the applicants (and an entrusting unit) are told.
    """
    now = now or timezone.now()
    document_number = document_number.strip()
    if not document_number:
        raise ServiceError("document_number_required", _("请填写批准文号。"), field="document_number")
    if len(document_number) > DOCUMENT_NUMBER_MAX_LENGTH:
        raise ServiceError("document_number_too_long", _("批准文号过长。"), field="document_number")
    with transaction.atomic():
        locked = (
            ConfirmationNotice.objects.select_for_update(of=("self",))
            .select_related("meeting__committee", "entrusting_organisation")
            .get(pk=notice.pk)
        )
        refusal = confirmation_issuer_refusal(actor, locked)
        if refusal is not None:
            raise refusal
        if locked.state != ConfirmationState.DRAFT:
            raise TransitionNotAllowed(
                "already_issued",
                _("该通知已印发，批准文号：%(number)s。") % {"number": locked.document_number},
            )
        if ConfirmationNotice.objects.filter(document_number=document_number).exists():
            raise ServiceError(
                "document_number_taken",
                _("批准文号“%(n)s”已被使用。") % {"n": document_number},
                field="document_number",
            )
        declarations = list(
            Declaration.objects.filter(confirmation_entry__notice=locked)
            .select_related("applicant")
            .order_by("pk")
        )
        for d in declarations:
            declaration_transition(
                declaration=d,
                name="confirm",
                actor=actor,
                reason=_("%(kind)s %(number)s")
                % {"kind": locked.get_kind_display(), "number": document_number},
                data={"notice": locked.pk, "document_number": document_number, "kind": locked.kind},
                now=now,
            )
        from_state = locked.state
        locked.state = ConfirmationState.ISSUED
        locked.document_number = document_number
        locked.confirmed_by = actor
        locked.confirmed_at = now
        locked.save(update_fields=["state", "document_number", "confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            obj=locked,
            action="confirmation_issue",
            from_state=from_state,
            to_state=locked.state,
            data={
                "rules": ["R8.2"],
                "kind": locked.kind,
                "document_number": document_number,
                "declarations": [d.pk for d in declarations],
            },
        )
        for d in declarations:
            notify(
                recipients=[d.applicant],
                kind="confirmation_issued",
                title=_("您的职称评审结果已核准（%(kind)s %(number)s）")
                % {"kind": locked.get_kind_display(), "number": document_number},
                url=d.get_absolute_url(),
            )
        if locked.kind == ConfirmationKind.SELF_FILED:
            notify(
                recipients=organisation_administrators(locked.meeting.committee.approval_body_id),
                kind="confirmation_filed",
                title=_("自主评审结果确认备案：%(title)s（%(number)s）")
                % {"title": locked.title, "number": document_number},
                url=reverse("committees:confirmation_detail", args=[locked.pk]),
            )
        if locked.kind == ConfirmationKind.ENTRUSTED:
            notify(
                recipients=organisation_administrators(locked.entrusting_organisation_id),
                kind="confirmation_letter",
                title=_("评审结果函：%(title)s（%(number)s）")
                % {"title": locked.title, "number": document_number},
                url=reverse("committees:confirmation_detail", args=[locked.pk]),
            )
        transaction.on_commit(partial(_documents_after_confirmation, locked.meeting_id, actor.pk))
        return locked


def _documents_after_confirmation(meeting_id: int, actor_id: int) -> None:
    """Once confirmed, start sealing the review forms and certificates (R8.4, R8.7).

    The certificates app renders them in Celery tasks (``document_batch_start``); staff can
    also start or resume the batch from its page. A refusal is logged, never raised: the
    confirmation has been committed.
    """
    from certificates.services import document_batch_start

    try:
        document_batch_start(
            meeting=Meeting.objects.get(pk=meeting_id), actor=User.objects.get(pk=actor_id)
        )
    except ServiceError as exc:
        logger.warning("documents not started for meeting %s: %s", meeting_id, exc.code)


# -- what the certificate prints (C depends on this) ------------------------------------------


@dataclass(frozen=True)
class ConfirmationFacts:
    """The confirmation of one declaration, as the certificate and review form print it."""

    committee: Committee
    approval_body: Organisation | None
    sealing_organisation: Organisation
    document_number: str
    confirmed_on: datetime.date
    passed_on: datetime.date
    meeting: Meeting
    kind: str


def confirmation_facts(declaration: Declaration) -> ConfirmationFacts:
    """Return who confirmed ``declaration``, when and under which 批准文号 (R8.2).

    ``sealing_organisation`` is the approval body for an approval notice, else the host
    (entrusted review, self-authorised unit). ``passed_on`` is the day the presiding chair
    signed the results, ``confirmed_on`` the day the notice was issued (Asia/Shanghai).
    Raises ``ServiceError("not_confirmed")`` without an issued notice.
    """
    entry = (
        ConfirmationEntry.objects.filter(
            declaration_id=declaration.pk, notice__state=ConfirmationState.ISSUED
        )
        .select_related(
            "notice__meeting__committee__host",
            "notice__meeting__committee__approval_body",
            "notice__meeting__signoff",
        )
        .first()
    )
    if entry is None:
        raise ServiceError("not_confirmed", _("该申报的评审结果尚未核准（R8.2）。"))
    notice = entry.notice
    meeting = notice.meeting
    committee = meeting.committee
    signoff = getattr(meeting, "signoff", None)
    signed_at = signoff.signed_at if signoff is not None and signoff.signed_at else meeting.scheduled_at
    sealing = (
        committee.approval_body
        if notice.kind == ConfirmationKind.APPROVAL and committee.approval_body is not None
        else committee.host
    )
    assert notice.confirmed_at is not None
    return ConfirmationFacts(
        committee=committee,
        approval_body=committee.approval_body,
        sealing_organisation=sealing,
        document_number=notice.document_number,
        confirmed_on=_local_day(notice.confirmed_at),
        passed_on=_local_day(signed_at),
        meeting=meeting,
        kind=notice.kind,
    )
