"""Pages of the committee staff (the host's title administrators) and of the experts.

Each view fetches through a selector (404 outside the person's scope), validates a form,
calls one service and redirects; a refusal is shown as a message or on its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import selectors as sel
from committees.enums import PRESIDING_ROLES, ExclusionReason, MeetingState
from committees.forms import (
    AttendanceForm,
    CandidateAddForm,
    DrawForm,
    ExpertChoiceForm,
    ExpertFilterForm,
    MeetingScheduleForm,
    RecusalForm,
    RespondForm,
)
from committees.models import Expert, Meeting, MeetingCandidate
from committees.services import (
    draw_entry_respond,
    draw_perform,
    meeting_attendance_record,
    meeting_candidate_add,
    meeting_candidate_remove,
    meeting_officer_add,
    meeting_open_voting,
    meeting_schedule,
    meeting_set_presiding,
    member_sign_in,
    recusal_record,
)
from committees.workflow import quorum_met
from core.exceptions import ServiceError
from core.forms import PlatformForm

EXPERT_PAGE_SIZE = 50


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    """The committees the person's organisation hosts, and their meetings."""
    return render(
        request,
        "committees/committee_list.html",
        {
            "committees": sel.committee_list_for_user(request.user),
            "meetings": sel.meeting_list_for_user(request.user)[:50],
        },
    )


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A committee with its members and meetings; scheduling a meeting (R7)."""
    committee = sel.committee_get_for_user(request.user, pk)
    form = MeetingScheduleForm(request.POST or None, host_id=committee.host_id)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_schedule(committee=committee, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(request, form, exc)
        else:
            messages.success(request, _("已安排评审会议。"))
            return redirect(meeting)
    roles = committee.roles.select_related("expert", "expert__employer").order_by(
        "role", "expert__field", "expert__name"
    )
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "roles": roles,
            "meetings": committee.meetings.select_related("campaign").order_by("-scheduled_at"),
            "form": form,
        },
    )


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    """The expert pool of the host's committees, with filters."""
    form = ExpertFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "field": data["field"],
            "query": data["q"].strip(),
            "active": {"1": True, "0": False}.get(data["active"]),
        }
    experts = sel.expert_list_for_user(request.user, **filters)
    page = Paginator(experts, EXPERT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/expert_list.html", {"form": form, "page_obj": page})


def _form_error(request: HttpRequest, form: PlatformForm, exc: ServiceError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, str(exc.message))
    else:
        messages.error(request, exc.message)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page: candidates, draw, invitations, attendance, quorum, opening the vote."""
    meeting = sel.meeting_get_for_user(request.user, pk)
    return render(request, "committees/meeting_detail.html", _meeting_context(meeting))


def _meeting_context(meeting: Meeting, **forms: Any) -> dict[str, Any]:
    candidates = sel.meeting_candidates(meeting)
    members = sel.meeting_members(meeting)
    draw = sel.draw_get(meeting)
    entries = sel.draw_entries(draw) if draw else []
    attending = sum(1 for m in members if m.attending)
    excluded: list[tuple[str, str]] = []
    if draw and draw.excluded:
        names = dict(Expert.objects.filter(pk__in=[int(k) for k in draw.excluded]).values_list("pk", "name"))
        excluded = [(names.get(int(k), k), ExclusionReason(v).label) for k, v in draw.excluded.items()]
    presiding_choices = Expert.objects.filter(
        meeting_seats__meeting=meeting, meeting_seats__role__in=PRESIDING_ROLES
    )
    seated = {m.expert_id for m in members}
    officers = [e for e in sel.officers_for(meeting.committee) if e.pk not in seated]
    scheduled = meeting.state == MeetingState.SCHEDULED
    return {
        "meeting": meeting,
        "scheduled": scheduled,
        "candidates": candidates,
        "members": members,
        "draw": draw,
        "entries": entries,
        "draw_verified": sel.draw_verify(draw, entries) if draw else None,
        "excluded": excluded,
        "attending": attending,
        "member_count": len(members),
        "quorum_needed": (2 * len(members) + 2) // 3,
        "quorum_ok": quorum_met(attending, len(members)),
        "candidate_form": forms.get("candidate_form")
        or CandidateAddForm(queryset=sel.meeting_available_declarations(meeting)),
        "draw_form": forms.get("draw_form") or DrawForm(),
        "attendance_form": forms.get("attendance_form") or AttendanceForm(members=members),
        "presiding_form": forms.get("presiding_form")
        or ExpertChoiceForm(queryset=presiding_choices, initial={"expert": meeting.presiding_id}),
        "officer_form": ExpertChoiceForm(queryset=Expert.objects.filter(pk__in=[e.pk for e in officers]))
        if officers
        else None,
        "respond_form": RespondForm(),
        "recusal_form": forms.get("recusal_form") or RecusalForm(meeting=meeting),
        "can_record_recusal": meeting.state != MeetingState.SIGNED and bool(members) and bool(candidates),
    }


def _meeting_post(
    request: HttpRequest,
    pk: int,
    make_form: Callable[[Meeting, Any], PlatformForm],
    form_key: str,
    call: Callable[[Meeting, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    meeting = sel.meeting_get_for_user(request.user, pk)
    form = make_form(meeting, request.POST)
    if form.is_valid():
        try:
            call(meeting, form.cleaned_data)
        except ServiceError as exc:
            _form_error(request, form, exc)
        else:
            messages.success(request, success)
            return redirect(meeting)
    return render(
        request,
        "committees/meeting_detail.html",
        _meeting_context(meeting, **{form_key: form}),
        status=400,
    )


@login_required
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        lambda m, data: CandidateAddForm(data, queryset=sel.meeting_available_declarations(m)),
        "candidate_form",
        lambda m, d: meeting_candidate_add(meeting=m, declaration=d["declaration"], actor=request.user),
        _("已列入会议。"),
    )


@login_required
@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    meeting = sel.meeting_get_for_user(request.user, pk)
    candidate = MeetingCandidate.objects.filter(meeting=meeting, pk=candidate_pk).first()
    if candidate is None:
        raise Http404
    try:
        meeting_candidate_remove(candidate=candidate, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移出会议。"))
    return redirect(meeting)


@login_required
@require_POST
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw the experts at random (R7.1)."""
    return _meeting_post(
        request,
        pk,
        lambda m, data: DrawForm(data),
        "draw_form",
        lambda m, d: draw_perform(meeting=m, actor=request.user, **d),
        _("已随机抽取专家并发出邀请。"),
    )


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who attends (R7.2)."""
    return _meeting_post(
        request,
        pk,
        lambda m, data: AttendanceForm(data, members=sel.meeting_members(m)),
        "attendance_form",
        lambda m, d: meeting_attendance_record(meeting=m, present=d["present"], actor=request.user),
        _("已记录出席情况。"),
    )


@login_required
@require_POST
def presiding(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the presiding chair or vice-chair (R7.2)."""
    return _meeting_post(
        request,
        pk,
        lambda m, data: ExpertChoiceForm(data, queryset=Expert.objects.filter(meeting_seats__meeting=m)),
        "presiding_form",
        lambda m, d: meeting_set_presiding(meeting=m, expert=d["expert"], actor=request.user),
        _("已指定会议主持人。"),
    )


@login_required
@require_POST
def officer_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Seat the committee's chair or a vice-chair (R7.2)."""
    return _meeting_post(
        request,
        pk,
        lambda m, data: ExpertChoiceForm(data, queryset=Expert.objects.filter(roles__committee=m.committee)),
        "officer_form",
        lambda m, d: meeting_officer_add(meeting=m, expert=d["expert"], actor=request.user),
        _("已列为会议成员。"),
    )


@login_required
@require_POST
def recusal_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record that a member recuses from one candidate (R7.1)."""
    return _meeting_post(
        request,
        pk,
        lambda m, data: RecusalForm(data, meeting=m),
        "recusal_form",
        lambda m, d: recusal_record(
            meeting=m, candidate=d["candidate"], expert=d["expert"], reason=d["reason"], actor=request.user
        ),
        _("已登记回避，该专家不参加该申报的表决。"),
    )


@login_required
@require_POST
def open_voting(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the vote once the quorum holds and the presiding officer attends (R7.2)."""
    meeting = sel.meeting_get_for_user(request.user, pk)
    try:
        meeting_open_voting(meeting=meeting, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开始投票。"))
    return redirect(meeting)


@login_required
@require_POST
def entry_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline an invitation: the expert, or staff on their behalf (R7.1)."""
    entry = sel.entry_get_for_user(request.user, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            draw_entry_respond(entry=entry, accept=form.cleaned_data["accept"], actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录答复。"))
    else:
        messages.error(request, _("请选择接受或谢绝。"))
    if entry.expert.user_id == request.user.pk:
        return redirect("committees:my")
    return redirect(entry.draw.meeting)


@login_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    """An expert's invitations and meeting seats, with answering and signing in."""
    return render(
        request,
        "committees/my.html",
        {
            "entries": sel.invitations_for_user(request.user),
            "seats": sel.seats_for_user(request.user),
            "respond_form": RespondForm(),
        },
    )


@login_required
@require_POST
def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert signs in on the meeting day (R7.2)."""
    seat = sel.seat_get_for_user(request.user, pk)
    try:
        member_sign_in(member=seat, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("签到成功。"))
    return redirect("committees:my")
