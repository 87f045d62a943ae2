"""Demo data after the chain (issues 5 and 6), used by ``seed_demo``; safe to rerun.

Everything is made with the platform's services, back-dated with their ``now``:

* three applicants accepted by the committee, waiting for a meeting (``accepted_*``), so
  that committee staff can hold a meeting in the browser;
* a paper-ballot meeting held about six weeks ago: two candidates passed, one failed;
  results publicised, confirmed by the approval body with its document number (R8.1,
  R8.2), and the review forms and e-certificates issued and sealed (R8.4, R8.7):
  ``passed_demo`` downloads them;
* a meeting signed yesterday whose results are on public notice now (``results_demo``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, TitleAdministrator, User
from committees.enums import DrawEntryStatus, MeetingState, VotingMode
from committees.models import Committee, CommitteeRole, DrawEntry, Meeting, MeetingCandidate
from declarations.enums import State
from declarations.models import Campaign, Declaration

# The approval document number (批准文号) of the demo confirmation notice.
DEMO_DOCUMENT_NUMBER = "渝人社职审〔2026〕101号"


def _admin_of(org: Organisation | None) -> User | None:
    if org is None:
        return None
    binding = TitleAdministrator.objects.filter(organisation=org, is_active=True).select_related("user")
    first = binding.first()
    return first.user if first else None


def advance_to_accepted(
    declaration: Declaration,
    host_admin: User,
    log: Callable[[str], None],
    at: dt.datetime | None = None,
) -> Declaration:
    """Pass a declaration released from unit publicity up its chain and accept it (R4, R6.6).

    ``at``: when (default now); each step one hour after the last, acceptance a day later.
    """
    from review.services import committee_accept, step_pass

    for step in range(8):
        declaration = Declaration.objects.get(pk=declaration.pk)  # state is protected (FSM)
        if declaration.state != State.IN_REVIEW:
            break
        admin = _admin_of(declaration.current_organisation)
        if admin is None:
            log(f"no administrator at step {declaration.current_step} of {declaration.pk}")
            return declaration
        when = at + dt.timedelta(hours=step) if at else None
        declaration = step_pass(declaration=declaration, actor=admin, reason="材料齐全，同意推荐。", now=when)
    declaration = Declaration.objects.get(pk=declaration.pk)
    if declaration.state == State.COMMITTEE_CHECK:
        declaration = committee_accept(
            declaration=declaration, actor=host_admin, reason="材料齐全，予以受理。",
            now=at + dt.timedelta(days=1) if at else None,
        )
    return declaration


def hold_paper_meeting(
    *,
    committee: Committee,
    campaign: Campaign,
    declarations: list[Declaration],
    failing: set[int],
    held_at: dt.datetime,
    host_admin: User,
) -> Meeting:
    """Hold and sign a paper-ballot meeting at ``held_at`` (R7.1 to R7.5).

    The chair and vice-chairs are seated, six experts drawn and accepted, everyone
    attends; the declarations in ``failing`` get too few votes.
    """
    from committees.ballots import tally_enter
    from committees.results import results_sign, voting_close
    from committees.services import (
        draw_entry_respond,
        draw_perform,
        meeting_attendance_record,
        meeting_candidate_add,
        meeting_officer_add,
        meeting_open_voting,
        meeting_schedule,
        meeting_set_presiding,
    )

    meeting = meeting_schedule(
        committee=committee,
        campaign=campaign,
        scheduled_at=held_at,
        location="重庆市人力资源和社会保障局第三会议室",
        voting_mode=VotingMode.PAPER,
        actor=host_admin,
    )
    for d in declarations:
        meeting_candidate_add(meeting=meeting, declaration=d, actor=host_admin)
    officers = list(
        CommitteeRole.objects.filter(committee=committee, role__in=["chair", "vice_chair"])
        .select_related("expert")
        .order_by("role", "pk")
    )
    for role in officers:
        meeting_officer_add(meeting=meeting, expert=role.expert, actor=host_admin)
    draw = draw_perform(
        meeting=meeting, needed=6, drawn=8, actor=host_admin, now=held_at - dt.timedelta(days=7)
    )
    accepted = 0
    for entry in DrawEntry.objects.filter(draw=draw).order_by("order"):
        if accepted == 6:
            break
        if entry.status == DrawEntryStatus.INVITED:
            draw_entry_respond(entry=entry, accept=True, actor=host_admin, now=held_at - dt.timedelta(days=6))
            accepted += 1
    meeting = Meeting.objects.get(pk=meeting.pk)
    members = list(meeting.members.values_list("pk", flat=True))
    meeting_attendance_record(meeting=meeting, present=members, actor=host_admin, now=held_at)
    chair = next(r.expert for r in officers if r.role == "chair")
    meeting_set_presiding(meeting=meeting, expert=chair, actor=host_admin)
    meeting_open_voting(meeting=meeting, actor=host_admin, now=held_at + dt.timedelta(minutes=30))
    from committees.ballots import candidate_counts

    for candidate in MeetingCandidate.objects.filter(meeting=meeting).select_related("declaration"):
        eligible = candidate_counts(candidate, meeting).eligible
        agree = eligible // 2 if candidate.declaration_id in failing else eligible
        tally_enter(candidate=candidate, actor=host_admin, agree=agree, disagree=eligible - agree, abstain=0)
    voting_close(meeting=meeting, actor=chair.user, now=held_at + dt.timedelta(hours=2))
    results_sign(meeting=meeting, actor=chair.user, now=held_at + dt.timedelta(hours=2, minutes=10))
    return Meeting.objects.get(pk=meeting.pk)


def issue_documents(meeting: Meeting, actor: User, log: Callable[[str], None]) -> int:
    """Seal and store the review forms and certificates of a confirmed meeting (R8.4, R8.7)."""
    from certificates.services import declaration_documents_issue

    call_command("seal_dev_ca", verbosity=0)
    issued = 0
    for d in Declaration.objects.filter(meeting_candidate__meeting=meeting, state=State.CONFIRMED):
        declaration_documents_issue(declaration=d, actor=actor)
        issued += 1
    log(f"documents issued for {issued} declaration(s) of meeting {meeting.pk}")
    return issued


def meeting_exists_for(declaration: Declaration) -> bool:
    return MeetingCandidate.objects.filter(declaration=declaration).exists()


def days_ago_at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    moment = timezone.localtime(timezone.now() - dt.timedelta(days=days))
    return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)


def signed(meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.state == MeetingState.SIGNED
