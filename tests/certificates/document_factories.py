"""A meeting whose passed candidates are confirmed, built through the real services.

Ballots, signing, results publicity, the confirmation draft and its issue are each the
service the people would call (committees.results, committees.outcomes); only the
meeting ready to vote comes from part B's factory.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from committees.ballots import ballot_cast, opinion_save
from committees.enums import ConfirmationKind
from committees.models import ConfirmationNotice, Meeting
from committees.outcomes import confirmation_draft, confirmation_issue, results_publicity_publish
from committees.results import results_sign, voting_close
from declarations.models import Declaration
from tests.committees.ballot_factories import VotingMeeting, voting_meeting_make
from tests.factories import admin_of

_doc_numbers = iter(range(1, 10**6))


@dataclass
class ConfirmedMeeting:
    vm: VotingMeeting
    notice: ConfirmationNotice
    approval_admin: User

    @property
    def meeting(self) -> Meeting:
        return self.vm.meeting

    @property
    def staff(self) -> User:
        return self.vm.staff

    @property
    def declarations(self) -> list[Declaration]:
        return [Declaration.objects.get(pk=c.declaration_id) for c in self.vm.candidates]


def confirmed_meeting_make(
    *, candidates: int = 1, attending: int = 3, kind: str = ConfirmationKind.APPROVAL, opinion: bool = True
) -> ConfirmedMeeting:
    """A signed meeting whose ``candidates`` all passed, publicised and confirmed (R7 to R8.2)."""
    vm = voting_meeting_make(attending=attending, candidates=candidates)
    for c in vm.candidates:
        for m in vm.attending:
            ballot_cast(candidate=c, actor=m.expert.user, choice="agree")
        if opinion:
            opinion_save(
                candidate=c, actor=vm.attending[1].expert.user, text="业绩突出，技术能力强，同意通过"
            )
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    results_sign(meeting=vm.meeting, actor=vm.chair.user)
    publicity = results_publicity_publish(meeting=vm.meeting, actor=vm.staff)
    after = publicity.ends_at + dt.timedelta(minutes=1)
    notice = confirmation_draft(meeting=vm.meeting, actor=vm.staff, kind=kind, now=after)
    approval_admin = admin_of(vm.campaign.approval_body)
    issuer = approval_admin if kind == ConfirmationKind.APPROVAL else vm.staff
    notice = confirmation_issue(
        notice=notice,
        actor=issuer,
        document_number=f"渝人社职〔{timezone.localdate().year}〕{next(_doc_numbers)}号",
        now=after + dt.timedelta(hours=1),
    )
    return ConfirmedMeeting(vm, notice, approval_admin)


def pdf_text(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The text of a PDF as poppler's pdftotext reads it."""
    path = tmp_path / f"text-{next(_doc_numbers)}.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603 - a fixed local tool on a file the test wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_qr_codes(data: bytes, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    """Every QR code on the first page, rendered at 150 dpi as a PDF reader's user would print it."""
    import zxingcpp
    from PIL import Image

    stem = tmp_path / f"qr-{next(_doc_numbers)}"
    stem.with_suffix(".pdf").write_bytes(data)
    subprocess.run(  # noqa: S603 - a fixed local tool on a file the test wrote
        [
            "/usr/bin/pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(stem.with_suffix(".pdf")),
            str(stem),
        ],
        check=True,
    )
    return [r.text for r in zxingcpp.read_barcodes(Image.open(stem.with_suffix(".png")))]
