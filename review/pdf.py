"""The printed 《重庆市职称申报综合情况(公示)表》 of one candidate (R6.3), with WeasyPrint.

The text is set in the Noto CJK fonts the platform installs (``fonts-noto-cjk``), so
every Chinese character has a glyph. The certificates app will take over every printed
document (DESIGN.md); this one lives here until it does.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from review.models import PublicityEntry
from review.publicity import organisation_complaint_contact, period_label


def publicity_form_pdf(entry: PublicityEntry) -> bytes:
    """Render one candidate's publicity form as an A4 PDF."""
    from weasyprint import HTML  # imported here: loading Pango is slow and pages rarely need it

    from declarations.achievements import achievement_views

    batch = entry.batch
    html = render_to_string(
        "public/publicity_form_pdf.html",
        {
            "entry": entry,
            "batch": batch,
            "declaration": entry.declaration,
            "period": period_label(batch),
            "superior_contact": organisation_complaint_contact(entry.superior),
            "printed_at": timezone.localtime(),
            # R6.3/R6.6: what is publicised is what may be counted later.
            "achievements": achievement_views(entry.declaration),
        },
    )
    return HTML(string=html).write_pdf()
