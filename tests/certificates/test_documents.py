"""Issuing the sealed review form (R8.4) and electronic certificate (R8.7) of a confirmed
declaration: content, seals, QR code, numbering, state change, idempotence, refusals."""

from __future__ import annotations

import hashlib

import pytest

from accounts.enums import OrgKind
from certificates.documents import (
    CERTIFICATE_SEAL_BOX,
    REVIEW_FORM_COMMITTEE_SEAL_BOX,
    REVIEW_FORM_SEALING_SEAL_BOX,
)
from certificates.models import Certificate, ReviewForm
from certificates.numbers import number_is_well_formed
from certificates.seals import SealNotConfigured, pdf_seal_check, seal_identity_for_organisation
from certificates.services import (
    certificate_issue,
    certificate_verification_url,
    declaration_documents_issue,
    review_form_issue,
)
from committees.enums import ConfirmationKind
from core.exceptions import PermissionRefused, TransitionNotAllowed
from core.models import AuditEvent, Notification
from declarations.enums import State
from declarations.models import Declaration
from tests.certificates.document_factories import confirmed_meeting_make, pdf_qr_codes, pdf_text
from tests.committees.ballot_factories import voting_meeting_make
from tests.factories import OrganisationFactory, UserFactory, admin_of


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://zhicheng.example.cn"
    return settings.MEDIA_ROOT


def test_documents_issue_prints_seals_and_certifies(db, media, seal_settings, tmp_path):
    cm = confirmed_meeting_make()
    seal_settings.issue_all()
    d = cm.declarations[0]

    outcome = declaration_documents_issue(declaration=d, actor=cm.staff)

    assert outcome.created
    cert, form = outcome.certificate, outcome.review_form
    applicant = d.applicant
    # The certificate: Chinese name, number, masked ID, facts of the confirmation.
    cert_pdf = cert.file.read()
    text = pdf_text(cert_pdf, tmp_path)
    assert applicant.real_name in text
    assert cert.number in text
    assert cert.holder_id_masked in text
    assert applicant.id_number not in text
    assert cert.holder_id_masked == applicant.id_number[:6] + "********" + applicant.id_number[-4:]
    assert cm.notice.document_number in text
    assert cm.meeting.committee.name in text
    assert "大数据" in text and "工程师" in text
    assert number_is_well_formed(cert.number)
    assert cert.number.startswith(f"CQSZ{d.campaign.year}-3-")
    assert cert.sha256 == hashlib.sha256(cert_pdf).hexdigest() and cert.size == len(cert_pdf)
    assert cert.approval_document_number == cm.notice.document_number
    assert cert.sealing_organisation == cm.meeting.committee.approval_body
    # One seal, by the approval body, valid against the test CA.
    checks = pdf_seal_check(cert_pdf)
    assert [(c.field_name, c.signer, c.valid) for c in checks] == [
        ("issuer_seal", cm.meeting.committee.approval_body.name, True)
    ]
    # The QR code opens the absolute verification URL.
    url = certificate_verification_url(cert)
    assert url == f"https://zhicheng.example.cn/verify/{cert.token}/"
    assert pdf_qr_codes(cert_pdf, tmp_path) == [url]
    # The review form: the name, the votes, both seals valid on its result page.
    form_pdf = form.file.read()
    form_text = pdf_text(form_pdf, tmp_path)
    assert applicant.real_name in form_text and "评审结果及核准意见" in form_text
    assert cert.number in form_text and cm.notice.document_number in form_text
    assert "业绩突出，技术能力强，同意通过" in form_text
    assert form.pages >= 2
    checks = pdf_seal_check(form_pdf)
    assert [(c.field_name, c.valid) for c in checks] == [("committee_seal", True), ("approval_seal", True)]
    assert {c.signer for c in checks} == {cm.meeting.committee.name, cm.meeting.committee.approval_body.name}
    # The declaration is certified, audited once, the holder told.
    assert Declaration.objects.get(pk=d.pk).state == State.CERTIFIED
    assert AuditEvent.objects.filter(action="certify", object_id=str(d.pk)).count() == 1
    assert Notification.objects.filter(recipient=applicant, kind="certificate_issued").count() == 1
    assert Notification.objects.filter(recipient=applicant, kind="review_form_issued").count() == 1


def test_seal_boxes_are_disjoint_and_on_the_page():
    def inside(box):
        x1, y1, x2, y2 = box
        return 0 <= x1 < x2 <= 595.28 and 0 <= y1 < y2 <= 841.89

    a, b = REVIEW_FORM_COMMITTEE_SEAL_BOX, REVIEW_FORM_SEALING_SEAL_BOX
    assert inside(a) and inside(b) and inside(CERTIFICATE_SEAL_BOX)
    assert a[2] < b[0]  # side by side, not overlapping


def test_documents_issue_is_idempotent(db, media, seal_settings):
    cm = confirmed_meeting_make()
    seal_settings.issue_all()
    d = cm.declarations[0]
    first = declaration_documents_issue(declaration=d, actor=cm.staff)
    again = declaration_documents_issue(declaration=d, actor=cm.approval_admin)
    assert not again.created
    assert (
        again.certificate.pk == first.certificate.pk and again.certificate.number == first.certificate.number
    )
    assert again.review_form.pk == first.review_form.pk
    assert Certificate.objects.count() == ReviewForm.objects.count() == 1
    assert AuditEvent.objects.filter(action="certificate_issue").count() == 1


def test_self_filed_sealed_by_host(db, media, seal_settings):
    cm = confirmed_meeting_make(kind=ConfirmationKind.SELF_FILED)
    seal_settings.issue_all()
    cert, _created = certificate_issue(declaration=cm.declarations[0], actor=cm.staff)
    host = cm.meeting.committee.host
    assert cert.sealing_organisation == host and cert.issuing_organisation_name == host.name
    assert [c.signer for c in pdf_seal_check(cert.file.read())] == [host.name]


def test_issue_refused_before_confirmation(db, media):
    vm = voting_meeting_make(attending=3)
    d = Declaration.objects.get(pk=vm.candidates[0].declaration_id)
    with pytest.raises(TransitionNotAllowed) as exc:
        declaration_documents_issue(declaration=d, actor=vm.staff)
    assert exc.value.code == "not_confirmed"
    assert not Certificate.objects.exists()


def test_issue_refused_to_other_organisation(db, media, seal_settings):
    cm = confirmed_meeting_make()
    seal_settings.issue_all()
    other_host = admin_of(OrganisationFactory(kind=OrgKind.COMMITTEE_HOST))
    for actor in (UserFactory(), cm.declarations[0].applicant, other_host):
        with pytest.raises(PermissionRefused) as exc:
            review_form_issue(declaration=cm.declarations[0], actor=actor)
        assert exc.value.code == "not_issuer"
    assert not ReviewForm.objects.exists()


def test_missing_seal_key_keeps_number_and_retries(db, media, seal_settings):
    cm = confirmed_meeting_make()
    d = cm.declarations[0]
    seal_settings.issue(cm.meeting.committee)  # the approval body's key is missing
    with pytest.raises(SealNotConfigured):
        certificate_issue(declaration=d, actor=cm.staff)
    reserved = Certificate.objects.get(declaration=d)
    assert not reserved.is_stored
    assert Declaration.objects.get(pk=d.pk).state == State.CONFIRMED
    seal_settings.issue(seal_identity_for_organisation(cm.meeting.committee.approval_body))
    cert, created = certificate_issue(declaration=d, actor=cm.staff)
    assert created and cert.pk == reserved.pk and cert.number == reserved.number and cert.is_stored


def test_certificate_is_chinese_whatever_the_request_language(tmp_path):
    import datetime as dt

    from django.utils import translation

    from certificates.documents import certificate_html, certificate_pdf

    c = Certificate(
        number="CQSZ2024-3-000123-7",
        holder_name="王建国",
        holder_id_masked="500103********1234",
        field="big_data",
        level="engineer",
        qualification="工程师",
        review_organisation="重庆市数字技术职称评审委员会",
        issuing_organisation_name="重庆市人力资源和社会保障局",
        approval_document_number="渝人社职〔2024〕12号",
        obtained_on=dt.date(2024, 10, 12),
        issued_on=dt.date(2024, 11, 20),
    )
    with translation.override("en"):
        html = certificate_html(c, verification_url="http://127.0.0.1:8000/verify/t/")
        data = certificate_pdf(c, verification_url="http://127.0.0.1:8000/verify/t/")
    assert "职称证书" in html and "资格名称" in html and "大数据" in html
    text = pdf_text(data, tmp_path)
    assert "王建国" in text and "CQSZ2024-3-000123-7" in text and "2024年11月20日" in text
    assert pdf_qr_codes(data, tmp_path) == ["http://127.0.0.1:8000/verify/t/"]


def test_certificate_fonts_and_stylesheet_are_kept_between_documents():
    """A batch renders every certificate with the worker's one font configuration and
    stylesheet (parsing Fontconfig's font list and the stylesheet once, not per PDF)."""
    import threading

    from certificates import documents

    config, sheet = documents.font_config(), documents.certificate_stylesheet()
    assert documents.font_config() is config and documents.certificate_stylesheet() is sheet
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(documents.font_config()))
    thread.start()
    thread.join()
    assert other[0] is not config  # Pango font maps are not shared between threads


def test_certificate_prints_issue_date_and_footnote(tmp_path):
    """The certificate's fixed wording: the issue date and the footnote that sends the
    reader to the verification page (R8.7). Its punctuation stays natural Chinese even
    though the full-width marks cost font subsetting time (docs/benchmarks.md)."""
    import datetime as dt

    from certificates.documents import certificate_html, certificate_pdf

    c = Certificate(
        number="CQSZ2024-3-000123-7",
        holder_name="王建国",
        holder_id_masked="500103********1234",
        field="big_data",
        level="engineer",
        qualification="工程师",
        review_organisation="重庆市数字技术职称评审委员会",
        issuing_organisation_name="重庆市人力资源和社会保障局",
        approval_document_number="渝人社职〔2024〕12号",
        obtained_on=dt.date(2024, 10, 12),
        issued_on=dt.date(2024, 11, 20),
    )
    html = certificate_html(c, verification_url="http://127.0.0.1:8000/verify/t/")
    assert "证书真伪以核验页面显示为准" in html
    text = pdf_text(certificate_pdf(c, verification_url="http://127.0.0.1:8000/verify/t/"), tmp_path)
    assert "发证日期" in text and "2024年11月20日" in text and "证书真伪以核验页面显示为准" in text


def test_qr_code_is_a_grayscale_png_of_the_code():
    """WeasyPrint embeds an 8-bit grayscale PNG as it is (a 1-bit one it converts to RGB)."""
    import io

    import qrcode
    from PIL import Image
    from qrcode.constants import ERROR_CORRECT_M

    from certificates.qr import qr_png

    url = "https://zhicheng.example.cn/verify/abcdefghijklmnopqrstuvwxyzABCDEF/"
    image = Image.open(io.BytesIO(qr_png(url)))
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    expected = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    assert image.mode == "L" and image.size == expected.size
    assert image.tobytes() == expected.tobytes()
