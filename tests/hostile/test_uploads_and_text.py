"""Hostile input (issue 9 part 5): an upload corpus, script in text fields, over-long fields.

Every hostile upload is refused with a clear 4xx JSON (API) or a form error (page), and
nothing is stored: no Evidence row, no file under MEDIA_ROOT. Text an applicant or an
administrator typed is rendered as text, never as markup.
"""

from __future__ import annotations

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from declarations.models import Achievement, Declaration, Evidence
from review.services import step_return
from tests.conftest import publicise_and_release
from tests.declarations.material_helpers import draft
from tests.declarations.test_api import token_client

API = "/api/v1/declarations/"
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'

_js_stream = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
CORPUS = {
    "windows_exe_as_pdf": ("申报材料.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
    "elf_as_png": ("photo.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
    "shell_script_as_jpg": ("id.jpg", b"#!/bin/sh\nrm -rf /\n"),
    "html_named_pdf": ("cert.pdf", b"<html><script>alert(1)</script></html>"),
    "polyglot_html_then_pdf": ("x.pdf", b"<html><body>hi</body></html>\n%PDF-1.4\n%%EOF"),
    "pdf_with_javascript": (
        "js.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >>\n%%EOF"
    ),
    "pdf_with_escaped_javascript": ("js2.pdf", b"%PDF-1.4\n1 0 obj << /S /Java#53cript /JS (x) >>\n%%EOF"),
    "pdf_with_launch": ("launch.pdf", b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >>\n%%EOF"),
    "pdf_with_js_in_compressed_stream": (
        "z.pdf",
        b"%PDF-1.4\n1 0 obj << /Filter /FlateDecode /Length " + str(len(_js_stream)).encode()
        + b" >>\nstream\n"
        + _js_stream + b"\nendstream\nendobj\n%%EOF",
    ),
    "zero_bytes": ("empty.pdf", b""),
    "oversized": ("big.pdf", b"%PDF-1.4\n" + b"0" * 4096),
    "svg_as_png": ("a.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_FILE_BYTES = 2048  # "oversized" is 4 KiB
    return tmp_path


def files_under(root) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", list(CORPUS))
def test_api_hostile_upload_refused_and_nothing_stored(world, applicant, media, case):
    name, data = CORPUS[case]
    d = draft(world, applicant)
    response = token_client(applicant).post(
        f"{API}{d.pk}/evidence/",
        {"purpose": "personal_data", "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )
    assert 400 <= response.status_code < 500, (case, response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] and body["detail"]
    assert Evidence.objects.count() == 0
    assert files_under(media) == 0


@pytest.mark.parametrize("case", ["windows_exe_as_pdf", "pdf_with_javascript", "zero_bytes", "oversized"])
def test_page_hostile_upload_shows_reason(client, world, applicant, media, case):
    name, data = CORPUS[case]
    d = draft(world, applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("declarations:evidence_upload", args=[d.pk]),
        {"purpose": "personal_data", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code in (200, 302, 400), response.status_code
    assert Evidence.objects.count() == 0
    assert files_under(media) == 0


def raw_multipart(name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body as a browser or a script would send it, the file name unsanitised."""
    boundary = "----zhicheng-hostile"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\npersonal_data\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "name",
    ["../../../", "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/cron.d/x.pdf", ".", "证书\x00.pdf"],
)
def test_path_traversal_names_raw_multipart(world, applicant, media, name):
    d = draft(world, applicant)
    body, content_type = raw_multipart(name, b"%PDF-1.4\n%%EOF")
    response = token_client(applicant).generic("POST", f"{API}{d.pk}/evidence/", body, content_type)
    assert response.status_code in (201, 400), (name, response.status_code, response.content[:300])
    if response.status_code == 201:
        e = Evidence.objects.get()
        assert ".." not in e.file.name and not e.file.name.startswith("/")
        assert "/" not in e.original_name and "\\" not in e.original_name
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(media.resolve()) for p in stored)


def test_traversal_name_is_kept_for_display_only(world, applicant, media):
    d = draft(world, applicant)
    response = token_client(applicant).post(
        f"{API}{d.pk}/evidence/",
        {"purpose": "personal_data",
         "file": SimpleUploadedFile("../../etc/passwd/..\\..\\证书.pdf", b"%PDF-1.4\n%%EOF")},
        format="multipart",
    )
    if response.status_code == 201:
        e = Evidence.objects.get()
        assert ".." not in e.file.name
        assert "/" not in e.original_name and "\\" not in e.original_name
        stored = [p for p in media.rglob("*") if p.is_file()]
        assert all(str(p).startswith(str(media)) for p in stored)
    else:
        assert 400 <= response.status_code < 500
        assert Evidence.objects.count() == 0


ACHIEVEMENT = {"kind": "paper", "obtained_on": "2023-04-01", "role": "第一作者"}


def test_script_in_text_fields_rendered_as_text(client, world, applicant):
    d = draft(world, applicant)
    api = token_client(applicant)
    response = api.post(f"{API}{d.pk}/achievements/", {**ACHIEVEMENT, "title": SCRIPT}, format="json")
    assert response.status_code == 201, response.content
    client.force_login(applicant)
    page = client.get(d.get_absolute_url()).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page
    assert 'onerror=alert(1)>' not in page


@override_settings(EVIDENCE_MAX_FILE_BYTES=10 * 1024 * 1024)
def test_script_in_return_defects_rendered_as_text(client, world, applicant):
    from declarations.services import declaration_submit
    from tests.factories import UserFactory  # noqa: F401

    d = draft(world, applicant)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    d = publicise_and_release(d, world)
    step_return(declaration=d, actor=world.admin(world.unit), defects=[SCRIPT], reason=SCRIPT)
    client.force_login(applicant)
    for url in (Declaration.objects.get(pk=d.pk).get_absolute_url(), reverse("core:inbox")):
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url


@pytest.mark.parametrize("field", ["title", "role"])
def test_over_long_text_refused_not_500(world, applicant, field):
    d = draft(world, applicant)
    payload = {**ACHIEVEMENT, "title": "数据治理", field: "长" * 100_000}
    response = token_client(applicant).post(f"{API}{d.pk}/achievements/", payload, format="json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["field"] == field
    assert Achievement.objects.count() == 0


def test_over_long_text_on_the_page_refused(client, world, applicant):
    d = draft(world, applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("declarations:achievement_create", args=[d.pk]),
        {**ACHIEVEMENT, "title": "长" * 100_000},
    )
    assert response.status_code in (200, 400)
    assert Achievement.objects.count() == 0


def test_over_long_and_control_characters_in_login_and_search(client, db):
    response = client.post(reverse("accounts:login"), {"username": "a" * 100_000 + "\x00", "password": "x"})
    assert response.status_code in (200, 400, 403, 429)
    response = client.get("/publicity/", {"q": "\x00" * 10 + "<script>" * 1000})
    assert response.status_code in (200, 400, 404)
