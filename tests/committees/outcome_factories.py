"""A signed meeting with passed candidates, built with the real services (R7.3, R7.4).

Used by the tests of the review report, results publicity and confirmation (R8.1, R8.2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from accounts.models import User
from committees.ballots import ballot_cast
from committees.models import Meeting
from committees.results import results_sign, voting_close
from declarations.models import Declaration
from tests.committees.ballot_factories import VotingMeeting, voting_meeting_make
from tests.factories import admin_of

SH = ZoneInfo("Asia/Shanghai")
# Fri 2024-09-27, just before the National Day holiday (1-7 Oct; 29 Sep and 12 Oct are
# working days, R9.1): 5 working days after it end on 2024-10-10 (R9.1a).
MEETING_AT = dt.datetime(2024, 9, 27, 9, 0, tzinfo=SH)
SIGNED_AT = dt.datetime(2024, 9, 27, 16, 0, tzinfo=SH)


@dataclass
class SignedMeeting:
    vm: VotingMeeting
    approval_admin: User

    @property
    def meeting(self) -> Meeting:
        return Meeting.objects.select_related("committee", "campaign").get(pk=self.vm.meeting.pk)

    @property
    def staff(self) -> User:
        return self.vm.staff

    def declarations(self) -> list[Declaration]:
        return [Declaration.objects.get(pk=c.declaration_id) for c in self.vm.candidates]


def signed_meeting_make(
    *, passed: int = 2, failed: int = 0, when: dt.datetime = MEETING_AT, signed_at: dt.datetime = SIGNED_AT
) -> SignedMeeting:
    """A meeting held at ``when`` whose chair signed the results at ``signed_at``: the first
    ``passed`` candidates got every vote, the other ``failed`` none."""
    vm = voting_meeting_make(attending=3, candidates=passed + failed)
    Meeting.objects.filter(pk=vm.meeting.pk).update(scheduled_at=when)
    for i, c in enumerate(vm.candidates):
        for m in vm.attending:
            ballot_cast(candidate=c, actor=m.expert.user, choice="agree" if i < passed else "disagree")
    voting_close(meeting=vm.meeting, actor=vm.chair.user, now=signed_at)
    results_sign(meeting=vm.meeting, actor=vm.chair.user, now=signed_at)
    return SignedMeeting(vm, admin_of(vm.meeting.committee.approval_body))
