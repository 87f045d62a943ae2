"""Shared helpers of the achievement, evidence and fee tests."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from declarations.achievements import achievement_create
from declarations.enums import AchievementKind, EvidencePurpose
from declarations.evidence import evidence_upload
from declarations.models import Achievement, Declaration
from declarations.services import declaration_create, declaration_submit
from tests.conftest import picks_for

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def draft(world, applicant, category: str = "city_public", level: str = "engineer") -> Declaration:
    return declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level=level,
        field="big_data",
        category=category,
        declaration_type="normal",
        **picks_for(world, category),
    )


def patent(
    declaration: Declaration, applicant, *, obtained_on: dt.date = dt.date(2023, 6, 1), with_evidence=True
) -> Achievement:
    """A patent achievement, with its one required piece of evidence (R8.6) unless told not."""
    achievement = achievement_create(
        declaration=declaration,
        actor=applicant,
        kind=AchievementKind.PATENT,
        title="一种数据清洗方法",
        obtained_on=obtained_on,
        role="第一发明人",
    )
    if with_evidence:
        evidence_upload(
            declaration=declaration,
            actor=applicant,
            purpose=EvidencePurpose.PATENT_CERTIFICATE,
            uploaded_file=upload("专利证书.pdf", PDF),
            achievement=achievement,
        )
    return achievement


def submitted(world, applicant, category: str = "city_public", level: str = "engineer") -> Declaration:
    d = draft(world, applicant, category, level)
    return declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
