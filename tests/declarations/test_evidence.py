"""Evidence files: checks by content, size limits, hostile files, storage, visibility."""

from __future__ import annotations

import hashlib
import zlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.exceptions import ServiceError
from core.models import AuditEvent
from declarations.enums import EvidencePurpose
from declarations.evidence import evidence_delete, evidence_upload, pdf_active_content
from declarations.models import Evidence
from review.services import step_pass
from tests.conftest import publicise_and_release
from tests.declarations.material_helpers import JPEG, PDF, PNG, draft, patent, submitted, upload
from tests.factories import UserFactory

P = EvidencePurpose


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def refused_upload(declaration, applicant, media, name: str, content: bytes, purpose=P.PERSONAL_DATA):
    """Upload, expect a refusal, and check nothing at all was stored.

    The file is a ``ContentFile``, which keeps the name as given (an ``UploadedFile`` would
    already refuse some hostile names itself), so the service's own checks are tested.
    """
    before = stored_files(media)
    with pytest.raises(ServiceError) as exc:
        evidence_upload(
            declaration=declaration,
            actor=applicant,
            purpose=purpose,
            uploaded_file=ContentFile(content, name=name),
        )
    assert Evidence.objects.count() == 0
    assert stored_files(media) == before
    return exc.value


# --- accepted files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(PDF, "application/pdf", ".pdf"), (JPEG, "image/jpeg", ".jpg"), (PNG, "image/png", ".png")],
)
def test_upload_detects_type_by_content(world, applicant, media, content, content_type, extension):
    d = draft(world, applicant)
    e = evidence_upload(
        declaration=d, actor=applicant, purpose=P.PERSONAL_DATA, uploaded_file=upload("scan.bin", content)
    )
    assert e.content_type == content_type
    assert e.file.name.endswith(extension)


def test_upload_stores_sha256_size_and_generated_name(world, applicant, media):
    d = draft(world, applicant)
    e = evidence_upload(
        declaration=d,
        actor=applicant,
        purpose=P.REMOTE_ARCHIVE_CHECK,
        uploaded_file=upload("查档记录.pdf", PDF),
    )
    assert e.sha256 == hashlib.sha256(PDF).hexdigest()
    assert e.size == len(PDF)
    assert e.original_name == "查档记录.pdf"
    assert "查档记录" not in e.file.name
    assert e.file.name.startswith(f"evidence/{d.pk}/")
    assert (media / e.file.name).read_bytes() == PDF
    assert AuditEvent.objects.filter(action="evidence_upload").get().data["sha256"] == e.sha256


@pytest.mark.parametrize("name", ["..\\..\\..\\etc\\委托评审函.pdf", "../../etc/passwd.pdf", "a/b.pdf"])
def test_upload_name_with_path_parts_refused(world, applicant, media, name):
    exc = refused_upload(draft(world, applicant), applicant, media, name, PDF)
    assert exc.code == "evidence_name_invalid"
    assert "路径" in str(exc.message)


# --- hostile files ------------------------------------------------------------------------


def test_upload_executable_renamed_pdf_refused(world, applicant, media):
    exc = refused_upload(
        draft(world, applicant), applicant, media, "简历.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64
    )
    assert exc.code == "evidence_type_refused"
    assert "可执行程序" in str(exc.message)


def test_upload_windows_executable_renamed_pdf_refused(world, applicant, media):
    exc = refused_upload(draft(world, applicant), applicant, media, "证书.pdf", b"MZ\x90\x00" + b"\0" * 64)
    assert exc.code == "evidence_type_refused"


def test_upload_zero_byte_file_refused(world, applicant, media):
    exc = refused_upload(draft(world, applicant), applicant, media, "空.pdf", b"")
    assert exc.code == "evidence_empty"
    assert "0字节" in str(exc.message)


def test_upload_over_file_limit_refused(world, applicant, media, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1024
    exc = refused_upload(draft(world, applicant), applicant, media, "大.pdf", PDF + b"0" * 1024)
    assert exc.code == "evidence_too_large"
    assert "1 KB" in str(exc.message)


def test_upload_exactly_at_file_limit_accepted(world, applicant, media, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = len(PDF)
    d = draft(world, applicant)
    e = evidence_upload(
        declaration=d, actor=applicant, purpose=P.POST_VACANCY, uploaded_file=upload("a.pdf", PDF)
    )
    assert e.size == len(PDF)


def test_upload_over_declaration_limit_refused(world, applicant, media, settings):
    settings.EVIDENCE_MAX_DECLARATION_BYTES = len(PDF) * 2 - 1
    d = draft(world, applicant)
    evidence_upload(
        declaration=d, actor=applicant, purpose=P.POST_VACANCY, uploaded_file=upload("a.pdf", PDF)
    )
    before = stored_files(media)
    with pytest.raises(ServiceError) as exc:
        evidence_upload(
            declaration=d, actor=applicant, purpose=P.POST_VACANCY, uploaded_file=upload("b.pdf", PDF)
        )
    assert exc.value.code == "evidence_declaration_full"
    assert Evidence.objects.count() == 1
    assert stored_files(media) == before


@pytest.mark.parametrize("name", ["../", "..", "/", "\\", "a/b/", "  "])
def test_upload_name_only_path_refused(world, applicant, media, name):
    exc = refused_upload(draft(world, applicant), applicant, media, name, PDF)
    assert exc.code == "evidence_name_invalid"


def test_upload_pdf_with_javascript_refused(world, applicant, media):
    hostile = PDF.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    exc = refused_upload(draft(world, applicant), applicant, media, "论文.pdf", hostile)
    assert exc.code == "evidence_pdf_active_content"
    assert "脚本" in str(exc.message)


def test_upload_pdf_with_launch_refused(world, applicant, media):
    hostile = PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >>")
    assert refused_upload(draft(world, applicant), applicant, media, "a.pdf", hostile).code == (
        "evidence_pdf_active_content"
    )


def test_pdf_active_content_found_with_hex_escaped_name():
    assert pdf_active_content(b"%PDF-1.7\n<< /S /J#61vaScript >>") == "JavaScript"


def test_pdf_active_content_found_inside_compressed_stream():
    inner = zlib.compress(b"<< /S /JS (app.alert(1)) >>")
    data = (
        b"%PDF-1.7\n1 0 obj\n<< /Length " + str(len(inner)).encode() + b" /Filter /FlateDecode >>\nstream\n"
    )
    assert pdf_active_content(data + inner + b"\nendstream\nendobj\n") == "JS"


def test_pdf_active_content_ignores_longer_names():
    assert pdf_active_content(b"%PDF-1.7\n<< /JSON /JBIG2Decode /Launcher >>") is None


def test_upload_html_named_png_refused(world, applicant, media):
    exc = refused_upload(
        draft(world, applicant), applicant, media, "photo.png", b"<html><script>alert(1)</script></html>"
    )
    assert exc.code == "evidence_type_refused"
    assert "与扩展名无关" in str(exc.message)


def refuse_everything(data, *, content_type, name):
    return "检测到病毒 EICAR-Test-File"


def test_upload_refused_by_configured_scanner(world, applicant, media, settings):
    settings.EVIDENCE_SCANNER = "tests.declarations.test_evidence.refuse_everything"
    exc = refused_upload(draft(world, applicant), applicant, media, "a.pdf", PDF)
    assert exc.code == "evidence_scanner_refused"
    assert "EICAR" in str(exc.message)


# --- purposes and who may upload ----------------------------------------------------------


def test_upload_achievement_purpose_without_achievement_refused(world, applicant, media):
    exc = refused_upload(draft(world, applicant), applicant, media, "a.pdf", PDF, purpose=P.COVER)
    assert exc.code == "achievement_required"


def test_upload_purpose_of_other_kind_refused(world, applicant, media):
    d = draft(world, applicant)
    a = patent(d, applicant, with_evidence=False)
    with pytest.raises(ServiceError) as exc:
        evidence_upload(
            declaration=d, actor=applicant, purpose=P.COVER, uploaded_file=upload("a.pdf", PDF), achievement=a
        )
    assert exc.value.code == "evidence_purpose_mismatch"


def test_upload_by_other_person_refused(world, applicant, media):
    d = draft(world, applicant)
    with pytest.raises(ServiceError) as exc:
        evidence_upload(
            declaration=d, actor=UserFactory(), purpose=P.PERSONAL_DATA, uploaded_file=upload("a.pdf", PDF)
        )
    assert exc.value.code == "not_applicant"
    assert stored_files(media) == []


def test_delete_removes_row_and_file(world, applicant, media, django_capture_on_commit_callbacks):
    d = draft(world, applicant)
    e = evidence_upload(
        declaration=d, actor=applicant, purpose=P.PERSONAL_DATA, uploaded_file=upload("a.pdf", PDF)
    )
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(declaration=d, evidence=e, actor=applicant)
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


# --- download visibility ------------------------------------------------------------------


def _with_file(world, applicant):
    d = draft(world, applicant)
    e = evidence_upload(
        declaration=d, actor=applicant, purpose=P.PERSONAL_DATA, uploaded_file=upload("身份证.pdf", PDF)
    )
    from declarations.services import declaration_submit

    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    return d, e


def _download(client, user, d, e):
    client.force_login(user)
    return client.get(reverse("declarations:evidence_download", args=[d.pk, e.pk]))


def test_download_by_applicant_streams_attachment(client, world, applicant):
    d, e = _with_file(world, applicant)
    response = _download(client, applicant, d, e)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"


def test_download_by_route_administrator_allowed(client, world, applicant):
    d, e = _with_file(world, applicant)
    assert _download(client, world.admin(world.unit), d, e).status_code == 200
    assert _download(client, world.admin(world.city_department), d, e).status_code == 200


def test_download_by_other_administrator_404(client, world, applicant):
    d, e = _with_file(world, applicant)
    assert _download(client, world.admin(world.agency), d, e).status_code == 404


def test_download_by_other_applicant_404(client, world, applicant):
    d, e = _with_file(world, applicant)
    assert _download(client, UserFactory(), d, e).status_code == 404


def test_download_by_committee_host_only_once_it_reached_the_committee(client, world, applicant):
    d, e = _with_file(world, applicant)
    host = world.admin(world.committee_host)
    assert _download(client, host, d, e).status_code == 404
    d = publicise_and_release(d, world)
    d = step_pass(declaration=d, actor=world.admin(world.unit))
    d = step_pass(declaration=d, actor=world.admin(world.city_department))
    assert d.state == "committee_check"
    assert _download(client, host, d, e).status_code == 200


def test_download_of_file_of_another_declaration_404(client, world, applicant):
    d, _ = _with_file(world, applicant)
    other = UserFactory()
    _, foreign = _with_file(world, other)
    assert _download(client, applicant, d, foreign).status_code == 404


def test_submitted_declaration_refuses_upload(world, applicant, media):
    d = submitted(world, applicant)
    with pytest.raises(ServiceError) as exc:
        evidence_upload(
            declaration=d, actor=applicant, purpose=P.PERSONAL_DATA, uploaded_file=upload("a.pdf", PDF)
        )
    assert exc.value.code == "not_editable"
