"""Each role's dashboard: what waits for the person, what is overdue, what is due soon.

``dashboard_for(user)`` gathers the tasks of every role the person holds (an applicant
may also be an expert; an administrator acts for one organisation, R3.2) in a fixed
number of queries however many declarations wait: lists are grouped per campaign or
per meeting, never one row per declaration. Due dates are the stored due moments
(correction deadline, chain deadline, publicity end, confirmation notice) or are
computed from the working-day service (the review report, R8.1; the confirmation
notice before it is drafted, R8.2). "Due soon" means within ``DUE_SOON_WORKING_DAYS``
working days (core.workdays); past its day a task is overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import OrgKind
from accounts.models import Organisation, User
from committees.enums import ConfirmationState, DrawEntryStatus, MeetingState
from committees.models import ConfirmationNotice, DrawEntry, Meeting, MeetingMember, ResultsPublicity
from committees.outcomes import (
    CONFIRMATION_WORKING_DAYS,
    REPORT_WORKING_DAYS,
    meeting_day,
    publicity_last_day,
)
from core.workdays import CalendarNotCovered, add_working_days
from declarations.enums import State
from declarations.models import Declaration
from declarations.selectors import declaration_list_for_applicant, declaration_queue_for_organisation
from reports.workdays import add_working_days_many
from review.enums import ComplaintOutcome
from review.models import Complaint, PublicityBatch

DUE_SOON_WORKING_DAYS = 3
# Fallback when next year's calendar is not published yet (R9.1): calendar days.
DUE_SOON_CALENDAR_DAYS = 5


@dataclass(frozen=True)
class Task:
    """One line of a dashboard: something to do, how many, by when, and where."""

    label: str
    url: str
    due_on: datetime.date | None = None
    count: int = 1
    detail: str = ""

    def as_dict(self, status: str) -> dict[str, object]:
        return {
            "label": self.label,
            "detail": self.detail,
            "url": self.url,
            "count": self.count,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "status": status,
        }


@dataclass
class Dashboard:
    """The tasks of one person, split into overdue, due soon, and the rest."""

    today: datetime.date
    soon_until: datetime.date
    roles: list[str] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    waiting: list[Task] = field(default_factory=list)

    def add(self, task: Task) -> None:
        if task.due_on is not None and task.due_on < self.today:
            self.overdue.append(task)
        elif task.due_on is not None and task.due_on <= self.soon_until:
            self.due_soon.append(task)
        else:
            self.waiting.append(task)

    def sort(self) -> None:
        far = datetime.date.max
        for tasks in (self.overdue, self.due_soon, self.waiting):
            tasks.sort(key=lambda t: (t.due_on or far, t.label))

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.waiting)

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "due_soon_until": self.soon_until.isoformat(),
            "roles": self.roles,
            "overdue": [t.as_dict("overdue") for t in self.overdue],
            "due_soon": [t.as_dict("due_soon") for t in self.due_soon],
            "waiting": [t.as_dict("waiting") for t in self.waiting],
        }


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last day counted as "due soon": the 3rd working day after today (R9.1a)."""
    try:
        return add_working_days(today, DUE_SOON_WORKING_DAYS)
    except CalendarNotCovered:
        return today + datetime.timedelta(days=DUE_SOON_CALENDAR_DAYS)


# -- applicants ----------------------------------------------------------------------------


def _applicant_tasks(user: User, board: Dashboard) -> None:
    rows = list(declaration_list_for_applicant(user).filter(state__in=[State.DRAFT, State.RETURNED]))
    if rows:
        board.roles.append("applicant")
    for d in rows:
        if d.state == State.DRAFT:
            if d.campaign.filing_closes_at < timezone.now():
                continue  # the window closed: nothing left to do with this draft
            board.add(
                Task(
                    _("提交申报：%(name)s") % {"name": d.campaign.name},
                    d.get_absolute_url(),
                    _local_day(d.campaign.filing_closes_at),
                    detail=_("个人申报截止"),
                )
            )
        else:
            board.add(
                Task(
                    _("补正后重新提交：%(name)s") % {"name": d.campaign.name},
                    d.get_absolute_url(),
                    _local_day(d.correction_due_at),
                    detail=_("补正截止"),
                )
            )


# -- organisations of the routing chains and the committee host ------------------------------


def _queue_tasks(org: Organisation, board: Dashboard) -> None:
    """What waits at the organisation's step, per campaign; due by the chain deadline (R6.4)."""
    url = reverse("review:queue")
    rows = (
        declaration_queue_for_organisation(org)
        .order_by()
        .values("campaign__name", "campaign__chain_deadline", "state")
        .annotate(n=Count("pk"))
        .order_by("campaign__chain_deadline", "campaign__name", "state")
    )
    for row in rows:
        if row["state"] == State.COMMITTEE_CHECK:
            label = _("受理审核：%(name)s") % {"name": row["campaign__name"]}
            due = None  # the committee's check has no period of its own
        elif row["state"] == State.UNIT_PUBLICITY:
            label = _("公示中，期满后报送：%(name)s") % {"name": row["campaign__name"]}
            due = _local_day(row["campaign__chain_deadline"])
        else:
            label = _("审核推荐：%(name)s") % {"name": row["campaign__name"]}
            due = _local_day(row["campaign__chain_deadline"])
        board.add(Task(label, url, due, count=row["n"], detail=_("报送评委会截止")))


def _publicity_tasks(org: Organisation, board: Dashboard) -> None:
    """Running unit publicities and complaints waiting for the unit or its superior (R6.3)."""
    url = reverse("review:publicity_list")
    now = timezone.now()
    for batch in PublicityBatch.objects.filter(unit=org, ends_at__gt=now).order_by("ends_at", "pk")[:10]:
        board.add(
            Task(
                _("公示期满：%(title)s") % {"title": batch.title},
                url,
                _local_day(batch.ends_at),
                detail=_("公示截止"),
            )
        )
    pending = Complaint.objects.filter(
        Q(entry__batch__unit=org) | Q(entry__superior=org), outcome=ComplaintOutcome.PENDING
    ).count()
    if pending:
        board.add(Task(_("待核查的公示投诉"), url, None, count=pending))


def _host_tasks(org: Organisation | None, board: Dashboard, today: datetime.date) -> None:
    """Meetings, reports, results publicities and notices of the host's committees (R7, R8).

    ``org`` None is the title office: every committee.
    """
    scope = Q() if org is None else Q(committee__host=org)
    outcomes_url = reverse("committees:outcome_list")
    if org is not None:
        # R7.2: accepted declarations wait for the host to put them on a meeting.
        unscheduled = Declaration.objects.filter(
            campaign__committee_host=org, state=State.ACCEPTED, meeting_candidate__isnull=True
        ).count()
        if unscheduled:
            board.add(
                Task(_("已受理、待安排评审会议的申报"), reverse("committees:list"), None, count=unscheduled)
            )
    from committees.models import ReviewReport

    has_report = ReviewReport.objects.filter(meeting=OuterRef("pk"))
    unreported = list(
        Meeting.objects.filter(scope, state=MeetingState.SIGNED)
        .exclude(Exists(has_report))
        .select_related("committee")
        .order_by("scheduled_at", "pk")[:20]
    )
    # R8.1: 5 working days after the meeting.
    report_due = add_working_days_many([meeting_day(m) for m in unreported], REPORT_WORKING_DAYS)
    for m, due in zip(unreported, report_due, strict=True):
        board.add(
            Task(
                _("报送评审情况报告：%(meeting)s") % {"meeting": m},
                reverse("committees:outcomes", args=[m.pk]),
                due,
                detail=_("会后5个工作日内（R8.1）"),
            )
        )
    pub_scope = Q() if org is None else Q(meeting__committee__host=org)
    notice_drafted = ConfirmationNotice.objects.filter(meeting=OuterRef("meeting_id"))
    ended = list(
        ResultsPublicity.objects.filter(pub_scope, ends_at__lte=timezone.now())
        .exclude(Exists(notice_drafted))
        .select_related("meeting__committee")
        .order_by("ends_at", "pk")[:20]
    )
    # R8.2: 15 working days after the publicity's last day.
    notice_due = add_working_days_many([publicity_last_day(p) for p in ended], CONFIRMATION_WORKING_DAYS)
    for p, due in zip(ended, notice_due, strict=True):
        board.add(
            Task(
                _("拟定核准通知：%(title)s") % {"title": p.title},
                reverse("committees:outcomes", args=[p.meeting_id]),
                due,
                detail=_("公示期满后15个工作日内（R8.2）"),
            )
        )
    running = ResultsPublicity.objects.filter(pub_scope, ends_at__gt=timezone.now()).order_by(
        "ends_at", "pk"
    )[:10]
    for p in running:
        board.add(
            Task(
                _("评审结果公示期满：%(title)s") % {"title": p.title},
                outcomes_url,
                _local_day(p.ends_at),
                detail=_("公示截止"),
            )
        )
    upcoming = (
        Meeting.objects.filter(scope, state__in=[MeetingState.SCHEDULED, MeetingState.VOTING_OPEN])
        .select_related("committee")
        .order_by("scheduled_at", "pk")[:10]
    )
    for m in upcoming:
        board.add(
            Task(
                _("召开评审会议：%(meeting)s") % {"meeting": m},
                reverse("committees:meeting", args=[m.pk]),
                _local_day(m.scheduled_at),
                detail=_("会议时间"),
            )
        )


def _approval_tasks(org: Organisation | None, board: Dashboard) -> None:
    """Confirmation notices drafted for the approval body to issue (R8.2)."""
    scope = Q() if org is None else Q(meeting__committee__approval_body=org)
    notices = ConfirmationNotice.objects.filter(scope, state=ConfirmationState.DRAFT).order_by(
        "due_on", "pk"
    )[:20]
    for n in notices:
        board.add(
            Task(
                _("核准并印发：%(title)s") % {"title": n.title},
                reverse("committees:confirmation_detail", args=[n.pk]),
                n.due_on,
                detail=_("核准期限（R8.2）"),
            )
        )


# -- experts ---------------------------------------------------------------------------------


def _expert_tasks(user: User, board: Dashboard, today: datetime.date) -> None:
    url = reverse("committees:my")
    invitations = (
        DrawEntry.objects.filter(
            expert__user=user,
            status__in=[DrawEntryStatus.INVITED, DrawEntryStatus.REPLACEMENT],
            draw__meeting__state=MeetingState.SCHEDULED,
        )
        .select_related("draw__meeting__committee")
        .order_by("draw__meeting__scheduled_at")
    )
    seats = (
        MeetingMember.objects.filter(
            expert__user=user,
            meeting__state__in=[MeetingState.SCHEDULED, MeetingState.VOTING_OPEN],
        )
        .select_related("meeting__committee")
        .order_by("meeting__scheduled_at")
    )
    invitations, seats = list(invitations[:20]), list(seats[:20])
    if invitations or seats:
        board.roles.append("expert")
    for e in invitations:
        board.add(
            Task(
                _("答复评审邀请：%(meeting)s") % {"meeting": e.draw.meeting},
                url,
                _local_day(e.draw.meeting.scheduled_at),
                detail=_("会议时间"),
            )
        )
    for s in seats:
        board.add(
            Task(
                _("出席评审会议：%(meeting)s") % {"meeting": s.meeting},
                url,
                _local_day(s.meeting.scheduled_at),
                detail=_("会议时间"),
            )
        )


# -- the title office ------------------------------------------------------------------------


def _office_tasks(board: Dashboard) -> None:
    """Everything overdue anywhere: the sweep has not run, or a body is late (R6.1, R8)."""
    now = timezone.now()
    stale = Declaration.objects.filter(state=State.RETURNED, correction_due_at__lte=now).aggregate(
        n=Count("pk"), first=Min("correction_due_at")
    )
    if stale["n"]:
        board.add(
            Task(
                _("补正期限已过、尚未视为放弃的申报（请检查定时清理任务）"),
                "/admin/",
                _local_day(stale["first"]),
                count=stale["n"],
            )
        )
    late_chain = Declaration.objects.filter(
        state__in=[State.IN_REVIEW, State.UNIT_PUBLICITY], campaign__chain_deadline__lte=now
    ).aggregate(n=Count("pk"), first=Min("campaign__chain_deadline"))
    if late_chain["n"]:
        board.add(
            Task(
                _("超过报送评委会截止时间仍在逐级审核的申报"),
                reverse("reports:index"),
                _local_day(late_chain["first"]),
                count=late_chain["n"],
            )
        )


def dashboard_for(user: User, today: datetime.date | None = None) -> Dashboard:
    """Gather every task of every role ``user`` holds, in a fixed number of queries."""
    today = today or timezone.localdate()
    board = Dashboard(today=today, soon_until=due_soon_until(today))
    if not user.is_authenticated:
        return board
    _applicant_tasks(user, board)
    org = user.administered_organisation
    if org is not None:
        if org.kind == OrgKind.APPROVAL_BODY:
            board.roles.append("approval_body")
            _approval_tasks(org, board)
        elif org.kind == OrgKind.COMMITTEE_HOST:
            board.roles.append("committee_host")
            _queue_tasks(org, board)
            _host_tasks(org, board, today)
        else:
            board.roles.append("chain_admin")
            _queue_tasks(org, board)
            _publicity_tasks(org, board)
    _expert_tasks(user, board, today)
    if user.is_superuser:
        board.roles.append("office")
        _office_tasks(board)
        _host_tasks(None, board, today)
        _approval_tasks(None, board)
    board.sort()
    return board


def dashboard_groups(board: Dashboard) -> list[dict[str, object]]:
    """The three lists with their headings, in the order the page shows them."""
    return [
        {"key": "overdue", "title": _("已逾期"), "tasks": board.overdue},
        {"key": "due_soon", "title": _("即将到期"), "tasks": board.due_soon},
        {"key": "waiting", "title": _("待办"), "tasks": board.waiting},
    ]


def reports_visible_for(user: User) -> bool:
    """Whether the person has anything on /reports/ (statistics or an export)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.administered_organisation is not None


def home_statistics(user: User):  # type: ignore[no-untyped-def]
    """The latest campaign in numbers for the office and the committee host, else None."""
    from reports.statistics import campaign_list_for_statistics, campaign_statistics, may_see_statistics

    if not may_see_statistics(user):
        return None
    campaign = campaign_list_for_statistics(user).first()
    return campaign_statistics(campaign) if campaign is not None else None
