"""Achievements and evidence through the API and the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declarations.models import Achievement, Evidence
from declarations.services import declaration_submit
from review.services import step_return
from tests.conftest import publicise_and_release
from tests.declarations.material_helpers import PDF, draft, patent
from tests.declarations.test_api import token_client
from tests.factories import UserFactory

API = "/api/v1/declarations/"
ACHIEVEMENT = {
    "kind": "paper",
    "title": "面向工业互联网的数据治理",
    "obtained_on": "2023-04-01",
    "role": "第一作者",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_under(root) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


# --- API ----------------------------------------------------------------------------------


def test_api_achievement_create_lists_missing_evidence(world, applicant):
    d = draft(world, applicant)
    client = token_client(applicant)
    response = client.post(f"{API}{d.pk}/achievements/", ACHIEVEMENT, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["counted"], body["missing_evidence"], body["publicised"]) == (
        "paper",
        True,
        ["封面", "论文正文页", "检索证明"],
        None,
    )


def test_api_achievement_unknown_field_refused(world, applicant):
    d = draft(world, applicant)
    response = token_client(applicant).post(
        f"{API}{d.pk}/achievements/", {**ACHIEVEMENT, "counted": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"


def test_api_evidence_upload_list_download_delete(world, applicant, media):
    d = draft(world, applicant)
    client = token_client(applicant)
    achievement = client.post(f"{API}{d.pk}/achievements/", ACHIEVEMENT, format="json").json()
    response = client.post(
        f"{API}{d.pk}/evidence/",
        {"purpose": "cover", "achievement": achievement["id"], "file": SimpleUploadedFile("封面.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201
    evidence = response.json()
    assert (evidence["purpose"], evidence["original_name"], evidence["content_type"]) == (
        "cover",
        "封面.pdf",
        "application/pdf",
    )
    listed = client.get(f"{API}{d.pk}/evidence/").json()
    assert [e["id"] for e in listed] == [evidence["id"]]
    missing = client.get(f"{API}{d.pk}/achievements/").json()[0]["missing_evidence"]
    assert missing == ["论文正文页", "检索证明"]
    download = client.get(evidence["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client.delete(f"{API}{d.pk}/evidence/{evidence['id']}/").status_code == 204
    assert Evidence.objects.count() == 0


def test_api_evidence_hostile_upload_refused_nothing_stored(world, applicant, media):
    d = draft(world, applicant)
    response = token_client(applicant).post(
        f"{API}{d.pk}/evidence/",
        {"purpose": "personal_data", "file": SimpleUploadedFile("a.png", b"<html></html>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("evidence_type_refused", "file")
    assert Evidence.objects.count() == 0
    assert files_under(media) == 0


def test_api_download_by_other_applicant_404(world, applicant):
    d = draft(world, applicant)
    patent(d, applicant)
    e = Evidence.objects.get()
    response = token_client(UserFactory()).get(f"{API}{d.pk}/evidence/{e.pk}/download/")
    assert response.status_code == 404


def test_api_achievement_after_publicity_refused(world, applicant):
    d = draft(world, applicant)
    patent(d, applicant)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    d = publicise_and_release(d, world)
    step_return(declaration=d, actor=world.admin(world.unit), defects=["材料不清晰"])
    response = token_client(applicant).post(f"{API}{d.pk}/achievements/", ACHIEVEMENT, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "achievement_not_publicised"


def test_api_achievement_delete_by_reviewer_404_or_refused(world, applicant):
    d = draft(world, applicant)
    a = patent(d, applicant, with_evidence=False)
    response = token_client(world.admin(world.unit)).delete(f"{API}{d.pk}/achievements/{a.pk}/")
    assert response.status_code == 404
    assert Achievement.objects.count() == 1


# --- pages --------------------------------------------------------------------------------


def test_page_create_achievement_then_upload_evidence(client, world, applicant, media):
    d = draft(world, applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("declarations:achievement_create", args=[d.pk]),
        {
            "kind": "patent",
            "title": "一种边缘计算调度方法",
            "obtained_on": "2023-08-01",
            "role": "第一发明人",
        },
    )
    assert response.status_code == 302
    a = Achievement.objects.get()
    page = client.get(d.get_absolute_url()).content.decode()
    assert "一种边缘计算调度方法" in page
    assert "尚缺证明材料" in page
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        reverse("declarations:evidence_upload", args=[d.pk]),
        {"purpose": "patent_certificate", "achievement": a.pk, "file": SimpleUploadedFile("证书.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().achievement == a
    assert "尚缺证明材料" not in client.get(d.get_absolute_url()).content.decode()


def test_page_hostile_upload_shows_reason(client, world, applicant, media):
    d = draft(world, applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("declarations:evidence_upload", args=[d.pk]),
        {"purpose": "personal_data", "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00rest")},
        follow=True,
    )
    assert "可执行程序" in response.content.decode()
    assert Evidence.objects.count() == 0
    assert files_under(media) == 0


def test_page_achievement_create_by_other_person_404(client, world, applicant):
    d = draft(world, applicant)
    client.force_login(UserFactory())
    assert client.get(reverse("declarations:achievement_create", args=[d.pk])).status_code == 404


def test_page_after_publicity_offers_no_new_achievement(client, world, applicant):
    d = draft(world, applicant)
    patent(d, applicant)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    d = publicise_and_release(d, world)
    step_return(declaration=d, actor=world.admin(world.unit), defects=["材料不清晰"])
    client.force_login(applicant)
    page = client.get(d.get_absolute_url()).content.decode()
    assert reverse("declarations:achievement_create", args=[d.pk]) not in page
    assert "R6.6" in page
