"""Pages after the meeting (R8.1, R8.2): the meeting's outcomes for the host and the approval
body, the confirmation notices, and the public results publicity with its complaint form.

Each view looks up through a selector of ``committees.outcomes`` (404 outside scope),
validates a form, calls one service and redirects; a refusal is shown as a message or on
its field. The public pages need no login and show no ID number or phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import outcomes as oc
from committees.enums import ConfirmationState
from committees.models import ConfirmationNotice, Meeting, ResultsPublicity
from committees.outcome_forms import (
    ConfirmationDraftForm,
    ConfirmationIssueForm,
    ResultsComplaintForm,
    ResultsComplaintResolveForm,
    ResultsPublishForm,
    ReviewReportForm,
)
from core.exceptions import ServiceError
from core.forms import PlatformForm, add_service_error
from core.workdays import OFFICE_TZ
from review.publicity_views import client_ip

LIST_LIMIT = 200


def _refusal(request: HttpRequest, form: PlatformForm, exc: ServiceError) -> None:
    if not add_service_error(form, exc):
        messages.error(request, exc.message)


def _outcomes_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    now = timezone.now()
    outcomes = oc.meeting_outcomes(meeting, now)
    committee = meeting.committee
    is_host = oc._is_host_staff(request.user, committee)
    today = now.astimezone(OFFICE_TZ).date()
    deadlines = [
        {
            "label": d.label,
            "due_on": d.due_on,
            "done_on": d.done_on,
            "late": d.late,
            "is_overdue": d.overdue(today),
        }
        for d in (outcomes.report_deadline, outcomes.publicity_deadline, outcomes.confirmation_deadline)
        if d is not None
    ]
    return {
        "meeting": meeting,
        "o": outcomes,
        "deadlines": deadlines,
        "today": today,
        "now": now,
        "is_host": is_host,
        "is_approval": oc._is_approval_staff(request.user, committee),
        "period": oc.publicity_period_label(outcomes.publicity) if outcomes.publicity else "",
        "report_form": forms.get("report_form") or ReviewReportForm(),
        "publish_form": forms.get("publish_form") or ResultsPublishForm(),
        "draft_form": forms.get("draft_form") or ConfirmationDraftForm(),
        "resolve_form": ResultsComplaintResolveForm(),
    }


@login_required
def outcome_list(request: HttpRequest) -> HttpResponse:
    """Signed meetings, results publicities (mirrored for the approval body) and notices."""
    return render(
        request,
        "committees/outcomes/list.html",
        {
            "meetings": oc.outcome_meeting_list_for_user(request.user)[:LIST_LIMIT],
            "publicities": oc.results_publicity_list_for_user(request.user)[:LIST_LIMIT],
            "notices": oc.confirmation_list_for_user(request.user)[:LIST_LIMIT],
            "now": timezone.now(),
        },
    )


@login_required
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed meeting after the vote: deadlines, report, publicity, complaints, notices."""
    meeting = oc.outcome_meeting_get_for_user(request.user, pk)
    return render(request, "committees/outcomes/meeting.html", _outcomes_context(request, meeting))


def _meeting_action(
    request: HttpRequest, pk: int, form_cls: type[PlatformForm], key: str, call: Any, success: str
) -> HttpResponse:
    meeting = oc.outcome_meeting_get_for_user(request.user, pk)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            call(meeting, form.cleaned_data)
        except ServiceError as exc:
            _refusal(request, form, exc)
        else:
            messages.success(request, success)
            return redirect("committees:outcomes", pk=meeting.pk)
    return render(
        request,
        "committees/outcomes/meeting.html",
        _outcomes_context(request, meeting, **{key: form}),
        status=400,
    )


@login_required
@require_POST
def review_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        pk,
        ReviewReportForm,
        "report_form",
        lambda m, d: oc.review_report_submit(meeting=m, actor=request.user, note=d["note"]),
        _("评审情况报告已报送核准机构。"),
    )


@login_required
def review_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = oc.outcome_meeting_get_for_user(request.user, pk)
    report = getattr(meeting, "review_report", None)
    if report is None:
        raise Http404
    return oc.review_report_file_response(report)


@login_required
@require_POST
def results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        pk,
        ResultsPublishForm,
        "publish_form",
        lambda m, d: oc.results_publicity_publish(
            meeting=m,
            actor=request.user,
            working_days=d["working_days"],
            title=d["title"],
            contact=d["contact"],
        ),
        _("评审结果公示已发布。"),
    )


@login_required
@require_POST
def confirmation_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        pk,
        ConfirmationDraftForm,
        "draft_form",
        lambda m, d: oc.confirmation_draft(
            meeting=m,
            actor=request.user,
            kind=d["kind"],
            title=d["title"],
            body=d["body"],
            entrusting_organisation=d["entrusting_organisation"],
        ),
        _("核准通知已拟定。"),
    )


@login_required
@require_POST
def results_complaint_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = oc.results_complaint_get_for_user(request.user, pk)
    form = ResultsComplaintResolveForm(request.POST)
    if form.is_valid():
        try:
            result = oc.results_complaint_resolve(
                complaint=complaint, actor=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录核查结论：%(o)s。") % {"o": result.get_outcome_display()})
    else:
        messages.error(request, _("请选择核查结论并填写核查意见。"))
    return redirect("committees:outcomes", pk=complaint.entry.publicity.meeting_id)


def _notice_context(
    request: HttpRequest, notice: ConfirmationNotice, form: PlatformForm | None = None
) -> dict[str, Any]:
    return {
        "notice": notice,
        "can_issue": notice.state == ConfirmationState.DRAFT
        and oc.confirmation_issuer_refusal(request.user, notice) is None,
        "form": form or ConfirmationIssueForm(),
        "late": notice.drafted_at.astimezone(OFFICE_TZ).date() > notice.due_on,
        "today": timezone.now().astimezone(OFFICE_TZ).date(),
    }


@login_required
def confirmation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = oc.confirmation_get_for_user(request.user, pk)
    return render(request, "committees/outcomes/confirmation.html", _notice_context(request, notice))


@login_required
@require_POST
def confirmation_issue(request: HttpRequest, pk: int) -> HttpResponse:
    notice = oc.confirmation_get_for_user(request.user, pk)
    form = ConfirmationIssueForm(request.POST)
    if form.is_valid():
        try:
            oc.confirmation_issue(
                notice=notice, actor=request.user, document_number=form.cleaned_data["document_number"]
            )
        except ServiceError as exc:
            _refusal(request, form, exc)
        else:
            messages.success(request, _("已印发，申报人的评审结果已核准。"))
            return redirect("committees:confirmation_detail", pk=notice.pk)
    return render(
        request, "committees/outcomes/confirmation.html", _notice_context(request, notice, form), status=400
    )


# -- public ---------------------------------------------------------------------------------


def results_public_list(request: HttpRequest) -> HttpResponse:
    """The notice board of results publicities running now (R8.1); no login."""
    return render(
        request,
        "committees/outcomes/public_list.html",
        {
            "items": [
                (p, oc.publicity_period_label(p)) for p in oc.results_publicity_list_public()[:LIST_LIMIT]
            ]
        },
    )


def _public_context(publicity: ResultsPublicity, form: ResultsComplaintForm) -> dict[str, Any]:
    now = timezone.now()
    return {
        "publicity": publicity,
        "committee": publicity.meeting.committee,
        "period": oc.publicity_period_label(publicity),
        "is_open": publicity.starts_at <= now < publicity.ends_at,
        "form": form,
    }


def results_public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One results publicity: candidates (no ID number, no phone), period, contacts, complaint form."""
    publicity = oc.results_publicity_get_public(pk)
    entries = list(publicity.entries.all())
    if request.method != "POST":
        return render(
            request,
            "committees/outcomes/public_detail.html",
            _public_context(publicity, ResultsComplaintForm(entries=entries)),
        )
    form = ResultsComplaintForm(request.POST, entries=entries)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        entry = next((e for e in entries if e.pk == data["entry"]), None)
        if entry is None:
            raise Http404
        try:
            oc.results_complaint_file(
                entry=entry,
                text=data["text"],
                name=data["name"],
                contact=data["contact"],
                ip_address=client_ip(request),
            )
        except ServiceError as exc:
            status = exc.status_code
            if not add_service_error(form, exc):
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("投诉已收到，评委会组建单位将予以核查。"))
            return redirect("committees:results_public_detail", pk=publicity.pk)
    return render(
        request, "committees/outcomes/public_detail.html", _public_context(publicity, form), status=status
    )
