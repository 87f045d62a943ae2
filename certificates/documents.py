"""Rendering the review form (R8.4) and the electronic certificate (R8.7) as A4 PDFs.

Both are set with WeasyPrint in the Noto CJK fonts, like the minutes
(``committees.minutes``). The places where the electronic seals go are fixed boxes
(``*_SEAL_BOX``, PDF points from the bottom-left corner of the page); the templates
draw a dashed frame there so the room stays visible, and ``certificates.seals.pdf_seal``
stamps each seal into its box. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.validators import mask_id_number

MM = 72 / 25.4  # PDF points per millimetre
# The printed documents are Chinese whatever the language of the request that renders them.
DOCUMENT_LANGUAGE = "zh-hans"

# A4 portrait, and the margins both templates use (mm).
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_SIDE_MM, MARGIN_BOTTOM_MM = 18.0, 18.0, 16.0
CONTENT_H_MM = PAGE_H_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM
SEAL_MM = 40.0  # a round official seal of 40 mm (the stamp is drawn inside the box)


@dataclass(frozen=True)
class SealSlot:
    """A seal's box on a page, in mm from the bottom-left corner of the content area."""

    left_mm: float
    bottom_mm: float
    size_mm: float = SEAL_MM

    @property
    def top_mm(self) -> float:
        """Distance of the box's top edge from the top of the content area (for the template)."""
        return CONTENT_H_MM - self.bottom_mm - self.size_mm

    @property
    def caption_top_mm(self) -> float:
        return self.top_mm - 24.0

    @property
    def caption_left_mm(self) -> float:
        return self.left_mm - 15.0

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The box in PDF points from the page's bottom-left corner: (x1, y1, x2, y2)."""
        x1 = (MARGIN_SIDE_MM + self.left_mm) * MM
        y1 = (MARGIN_BOTTOM_MM + self.bottom_mm) * MM
        return (
            round(x1, 2),
            round(y1, 2),
            round(x1 + self.size_mm * MM, 2),
            round(y1 + self.size_mm * MM, 2),
        )


# Review form, last page (the result page): the committee left, the sealing organisation right.
REVIEW_FORM_COMMITTEE_SLOT = SealSlot(left_mm=22.0, bottom_mm=18.0)
REVIEW_FORM_SEALING_SLOT = SealSlot(left_mm=112.0, bottom_mm=18.0)
# Certificate (one page): the issuing (sealing) organisation, over its name at the bottom right.
CERTIFICATE_SEALING_SLOT = SealSlot(left_mm=104.0, bottom_mm=22.0)

REVIEW_FORM_COMMITTEE_SEAL_BOX = REVIEW_FORM_COMMITTEE_SLOT.box
REVIEW_FORM_SEALING_SEAL_BOX = REVIEW_FORM_SEALING_SLOT.box
CERTIFICATE_SEAL_BOX = CERTIFICATE_SEALING_SLOT.box


def _geometry() -> dict[str, Any]:
    return {
        "margin_top": MARGIN_TOP_MM,
        "margin_side": MARGIN_SIDE_MM,
        "margin_bottom": MARGIN_BOTTOM_MM,
        "content_height": CONTENT_H_MM,
        "sheet_height": CONTENT_H_MM - 2.0,  # a little short of the page, never spilling over
        "seal_size": SEAL_MM,
        "footnote_top": CONTENT_H_MM - 14.0,
    }


# One WeasyPrint font configuration (and the certificate's parsed stylesheet) per worker
# thread, kept between documents. Making one loads Fontconfig's whole font list, and its
# Pango font map keeps the CJK faces opened, shaped and measured once: a batch of
# certificates pays for that once, not per document. The templates declare no @font-face,
# so nothing document-specific is added to it.
_fonts = threading.local()


def font_config() -> Any:
    """This thread's WeasyPrint ``FontConfiguration``, made on first use."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def _write_pdf(html: str, stylesheets: list[Any] | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and pages rarely need it

    return HTML(string=html).write_pdf(font_config=font_config(), stylesheets=stylesheets)


def pdf_page_count(data: bytes) -> int:
    """Count the pages of a PDF."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Count"])


# --- the review form (评审表, R8.4) ----------------------------------------------------------


@dataclass
class ReviewFormData:
    """Everything the review form prints, gathered once (``review_form_data``)."""

    declaration: Any
    facts: Any
    candidate: Any
    result: Any
    opinions: list[Any] = field(default_factory=list)
    decisions: list[Any] = field(default_factory=list)
    education: list[Any] = field(default_factory=list)
    work: list[Any] = field(default_factory=list)
    achievements: list[Any] = field(default_factory=list)
    current_title: Any = None
    attending: int = 0
    members: int = 0
    signoff: Any = None
    certificate_number: str = ""


def review_form_data(declaration: Any, facts: Any, *, certificate_number: str = "") -> ReviewFormData:
    """Gather the review form's content in a fixed number of queries."""
    from committees.models import CandidateResult, MeetingCandidate, MeetingMember, MeetingSignoff, Opinion
    from declarations.models import Achievement, CurrentTitle, EducationRecord, WorkRecord
    from review.models import Decision

    candidate = MeetingCandidate.objects.select_related("meeting").get(declaration=declaration)
    members = list(MeetingMember.objects.filter(meeting_id=candidate.meeting_id).only("attending"))
    return ReviewFormData(
        declaration=declaration,
        facts=facts,
        candidate=candidate,
        result=CandidateResult.objects.filter(candidate=candidate).first(),
        opinions=list(Opinion.objects.filter(candidate=candidate).select_related("expert")),
        decisions=list(
            Decision.objects.filter(declaration=declaration)
            .select_related("organisation")
            .order_by("decided_at", "pk")
        ),
        education=list(EducationRecord.objects.filter(declaration=declaration)),
        work=list(WorkRecord.objects.filter(declaration=declaration)),
        achievements=list(Achievement.objects.filter(declaration=declaration)),
        current_title=CurrentTitle.objects.filter(declaration=declaration).first(),
        attending=sum(1 for m in members if m.attending),
        members=len(members),
        signoff=MeetingSignoff.objects.filter(meeting_id=candidate.meeting_id)
        .select_related("signed_by")
        .first(),
        certificate_number=certificate_number,
    )


def _kind_label(kind: str) -> str:
    from committees.enums import ConfirmationKind

    return str(ConfirmationKind(kind).label) if kind in ConfirmationKind.values else kind


def review_form_html(data: ReviewFormData, *, printed_at: datetime.datetime | None = None) -> str:
    d = data.declaration
    with translation.override(DOCUMENT_LANGUAGE):
        return _review_form_render(data, d, printed_at)


def _review_form_render(data: ReviewFormData, d: Any, printed_at: datetime.datetime | None) -> str:
    return render_to_string(
        "certificates/review_form_pdf.html",
        {
            "d": d,
            "applicant": d.applicant,
            "facts": data.facts,
            "meeting": data.candidate.meeting,
            "committee": data.facts.committee,
            "kind_label": _kind_label(data.facts.kind),
            "result": data.result,
            "opinions": data.opinions,
            "decisions": data.decisions,
            "education": data.education,
            "work": data.work,
            "achievements": data.achievements,
            "current_title": data.current_title,
            "attending": data.attending,
            "members": data.members,
            "signoff": data.signoff,
            "certificate_number": data.certificate_number,
            "printed_at": timezone.localtime(printed_at or timezone.now()),
            "g": _geometry(),
            "committee_slot": REVIEW_FORM_COMMITTEE_SLOT,
            "sealing_slot": REVIEW_FORM_SEALING_SLOT,
        },
    )


def review_form_pdf(data: ReviewFormData, *, printed_at: datetime.datetime | None = None) -> bytes:
    """Render the review form, unsealed; its last page is the result page."""
    return _write_pdf(review_form_html(data, printed_at=printed_at))


# --- the electronic certificate (电子证书, R8.7) ---------------------------------------------


def masked_id(id_number: str) -> str:
    """First 6 and last 4 characters of the ID number, the rest hidden (or less, if shorter)."""
    return mask_id_number(id_number or "")


def certificate_html(certificate: Any, *, verification_url: str) -> str:
    from certificates.qr import qr_data_uri

    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(
            "certificates/certificate_pdf.html",
            {
                "c": certificate,
                "verification_url": verification_url,
                "qr": qr_data_uri(verification_url),
                "g": _geometry(),
                "sealing_slot": CERTIFICATE_SEALING_SLOT,
            },
        )


def certificate_stylesheet() -> Any:
    """The certificate's WeasyPrint stylesheet (certificate_pdf.css), parsed once per thread.

    The same for every certificate, so a batch does not parse it again for each one.
    """
    sheet = getattr(_fonts, "certificate_css", None)
    if sheet is None:
        from weasyprint import CSS

        css = render_to_string("certificates/certificate_pdf.css", {"g": _geometry()})
        sheet = _fonts.certificate_css = CSS(string=css, font_config=font_config())
    return sheet


def certificate_pdf(certificate: Any, *, verification_url: str) -> bytes:
    """Render the certificate (one A4 page), unsealed, with the QR code of ``verification_url``."""
    return _write_pdf(
        certificate_html(certificate, verification_url=verification_url), [certificate_stylesheet()]
    )
