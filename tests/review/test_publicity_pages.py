"""Unit publicity pages, public pages, the printed form and the API (R6.3)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.enums import ComplaintOutcome, PublicityStatus
from review.models import Complaint, PublicityBatch, PublicityEntry
from review.publicity import (
    COMPLAINTS_PER_WINDOW,
    complaint_file,
    complaint_throttle_key,
    publicity_batch_publish,
)
from tests.conftest import PUBLICITY_OPENED_AT, picks_for
from tests.factories import UserFactory

API = "/api/v1/"
CLIENT_IP = "127.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.delete(complaint_throttle_key(CLIENT_IP))
    yield
    cache.delete(complaint_throttle_key(CLIENT_IP))


def at_unit(world, real_name="李明轩") -> Declaration:  # type: ignore[no-untyped-def]
    applicant = UserFactory(real_name=real_name)
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="senior_engineer",
        field="big_data",
        category="city_public",
        **picks_for(world, "city_public"),
    )
    return declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)


def running_batch(world, declarations) -> PublicityBatch:  # type: ignore[no-untyped-def]
    """A batch whose period contains the real clock, whatever today's date."""
    batch = publicity_batch_publish(
        actor=world.admin(world.unit),
        declarations=declarations,
        offline_location="办公楼一楼公告栏",
        now=PUBLICITY_OPENED_AT,
    )
    now = timezone.now()
    PublicityBatch.objects.filter(pk=batch.pk).update(
        starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=6)
    )
    return PublicityBatch.objects.get(pk=batch.pk)


def ended_batch(world, declarations) -> PublicityBatch:  # type: ignore[no-untyped-def]
    return publicity_batch_publish(
        actor=world.admin(world.unit),
        declarations=declarations,
        offline_location="办公楼一楼公告栏",
        now=PUBLICITY_OPENED_AT,
    )


# -- public pages --------------------------------------------------------------------------


def test_public_list_shows_running_batch_without_login(client, world):
    batch = running_batch(world, [at_unit(world)])
    ended = ended_batch(world, [at_unit(world, "王芳")])

    response = client.get(reverse("public:publicity_list"))

    assert response.status_code == 200
    assert [b.pk for b, _period in response.context["batches"]] == [batch.pk]
    assert ended.pk != batch.pk


def test_public_detail_shows_candidate_and_both_contacts_but_no_id_or_phone(client, world):
    declaration = at_unit(world)
    batch = running_batch(world, [declaration])
    applicant = declaration.applicant

    response = client.get(reverse("public:publicity_detail", args=[batch.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    for text in (
        "李明轩",
        world.unit.name,
        "高级工程师",
        "大数据",
        "正常申报",
        world.city_department.name,
        world.city_department.contact_phone,
        "办公楼一楼公告栏",
    ):
        assert text in html
    assert applicant.id_number not in html
    assert applicant.id_number[-4:] not in html
    assert applicant.phone not in html


def test_public_detail_unknown_batch_is_404(client, db):
    assert client.get(reverse("public:publicity_detail", args=[999999])).status_code == 404


def test_public_complaint_form_holds_candidate(client, world):
    declaration = at_unit(world)
    batch = running_batch(world, [declaration])
    entry = PublicityEntry.objects.get(declaration=declaration)

    response = client.post(
        reverse("public:publicity_detail", args=[batch.pk]),
        {"entry": entry.pk, "text": "学历证书存疑", "name": "", "contact": ""},
    )

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.text, complaint.name, complaint.client_ip) == ("学历证书存疑", "", CLIENT_IP)
    assert PublicityEntry.objects.get(pk=entry.pk).status == PublicityStatus.HELD


def test_public_complaint_after_period_refused_with_message(client, world):
    declaration = at_unit(world)
    batch = ended_batch(world, [declaration])
    entry = PublicityEntry.objects.get(declaration=declaration)

    response = client.post(
        reverse("public:publicity_detail", args=[batch.pk]), {"entry": entry.pk, "text": "投诉"}
    )

    assert response.status_code == 400
    assert "不在公示期内" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_public_complaint_without_text_shows_field_error(client, world):
    declaration = at_unit(world)
    batch = running_batch(world, [declaration])
    entry = PublicityEntry.objects.get(declaration=declaration)

    response = client.post(
        reverse("public:publicity_detail", args=[batch.pk]), {"entry": entry.pk, "text": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("text")
    assert Complaint.objects.count() == 0


def test_public_pdf_has_chinese_name_and_publicity_title(client, world, tmp_path):
    declaration = at_unit(world)
    batch = running_batch(world, [declaration])
    entry = PublicityEntry.objects.get(declaration=declaration)

    response = client.get(reverse("public:publicity_pdf", args=[batch.pk, entry.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "李明轩" in text
    assert "重庆市职称申报综合情况(公示)表" in text
    assert world.unit.name in text
    assert declaration.applicant.id_number not in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in pages


def test_public_pdf_of_entry_from_another_batch_is_404(client, world):
    first = running_batch(world, [at_unit(world)])
    other = at_unit(world, "王芳")
    running_batch(world, [other])
    entry = PublicityEntry.objects.get(declaration=other)

    assert client.get(reverse("public:publicity_pdf", args=[first.pk, entry.pk])).status_code == 404


# -- the unit's pages ------------------------------------------------------------------------


def test_unit_page_lists_candidates_waiting_for_publicity(client, world):
    declaration = at_unit(world)
    client.force_login(world.admin(world.unit))

    response = client.get(reverse("review:publicity_list"))

    assert response.status_code == 200
    assert list(response.context["candidates"]) == [declaration]


def test_unit_page_publish_with_4_days_shows_field_error(client, world):
    declaration = at_unit(world)
    client.force_login(world.admin(world.unit))

    response = client.post(
        reverse("review:publicity_publish"),
        {"declarations": [declaration.pk], "working_days": 4, "offline_location": "公告栏"},
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("working_days")
    assert Declaration.objects.get(pk=declaration.pk).state == State.IN_REVIEW


def test_unit_page_publish_then_resolve_complaint_as_groundless(client, world):
    declaration = at_unit(world)
    client.force_login(world.admin(world.unit))

    response = client.post(
        reverse("review:publicity_publish"),
        {"declarations": [declaration.pk], "working_days": 5, "offline_location": "公告栏"},
    )

    batch = PublicityBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("review:publicity_detail", args=[batch.pk])
    assert Declaration.objects.get(pk=declaration.pk).state == State.UNIT_PUBLICITY
    complaint = complaint_file(
        entry=PublicityEntry.objects.get(declaration=declaration), text="材料不实", now=batch.starts_at
    )
    detail = client.get(reverse("review:publicity_detail", args=[batch.pk]))
    assert "材料不实" in detail.content.decode()

    response = client.post(
        reverse("review:complaint_resolve", args=[complaint.pk]),
        {"outcome": "groundless", "resolution": "经核实不属实"},
    )

    assert response.status_code == 302
    assert Complaint.objects.get().outcome == ComplaintOutcome.GROUNDLESS


def test_unit_page_of_other_organisation_is_404(client, world):
    batch = running_batch(world, [at_unit(world)])
    client.force_login(world.admin(world.district_hr))

    assert client.get(reverse("review:publicity_detail", args=[batch.pk])).status_code == 404


def test_step_decision_page_pass_without_publicity_shows_message(client, world):
    declaration = at_unit(world)
    client.force_login(world.admin(world.unit))

    response = client.post(reverse("review:decide", args=[declaration.pk]), {"action": "pass"}, follow=True)

    assert "R6.3" in response.content.decode()
    assert Declaration.objects.get(pk=declaration.pk).current_organisation == world.unit


# -- API -------------------------------------------------------------------------------------


def test_api_publish_and_list_batches(api_client, world):
    declaration = at_unit(world)
    api_client.force_authenticate(world.admin(world.unit))

    created = api_client.post(
        f"{API}review/publicity/batches/",
        {"declarations": [declaration.pk], "working_days": 5, "offline_location": "公告栏"},
        format="json",
    )
    listed = api_client.get(f"{API}review/publicity/batches/")

    assert created.status_code == 201
    body = created.json()
    assert body["working_days"] == 5
    assert [e["declaration"] for e in body["entries"]] == [declaration.pk]
    assert body["entries"][0]["superior"] == world.city_department.name
    assert [b["id"] for b in listed.json()["results"]] == [body["id"]]


def test_api_publish_with_4_days_refused(api_client, world):
    declaration = at_unit(world)
    api_client.force_authenticate(world.admin(world.unit))

    response = api_client.post(
        f"{API}review/publicity/batches/",
        {"declarations": [declaration.pk], "working_days": 4, "offline_location": "公告栏"},
        format="json",
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("publicity_too_short", "working_days")


def test_api_unit_pass_without_publicity_refused(api_client, world):
    declaration = at_unit(world)
    api_client.force_authenticate(world.admin(world.unit))

    response = api_client.post(f"{API}review/declarations/{declaration.pk}/pass/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "publicity_required"


def test_api_complaint_anonymous_then_throttled(api_client, world):
    declaration = at_unit(world)
    running_batch(world, [declaration])
    entry = PublicityEntry.objects.get(declaration=declaration)
    url = f"{API}publicity/complaints/"

    codes = [
        api_client.post(url, {"entry": entry.pk, "text": f"投诉{i}"}, format="json").status_code
        for i in range(COMPLAINTS_PER_WINDOW + 1)
    ]

    assert codes == [201] * COMPLAINTS_PER_WINDOW + [429]
    last = api_client.post(url, {"entry": entry.pk, "text": "再次投诉"}, format="json")
    assert last.json()["code"] == "too_many_complaints"
    assert Complaint.objects.count() == COMPLAINTS_PER_WINDOW


def test_api_resolve_complaint_upheld_refuses(api_client, world):
    declaration = at_unit(world)
    batch = running_batch(world, [declaration])
    complaint = complaint_file(
        entry=PublicityEntry.objects.get(declaration=declaration), text="材料不实", now=batch.starts_at
    )
    api_client.force_authenticate(world.admin(world.unit))

    response = api_client.post(
        f"{API}review/publicity/complaints/{complaint.pk}/resolve/",
        {"outcome": "upheld_refused", "resolution": "经核实属实"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "upheld_refused"
    assert Declaration.objects.get(pk=declaration.pk).state == State.NOT_RECOMMENDED


def test_api_resolve_complaint_by_outsider_is_404(api_client, world):
    declaration = at_unit(world)
    batch = running_batch(world, [declaration])
    complaint = complaint_file(
        entry=PublicityEntry.objects.get(declaration=declaration), text="材料不实", now=batch.starts_at
    )
    api_client.force_authenticate(world.admin(world.district_hr))

    response = api_client.post(
        f"{API}review/publicity/complaints/{complaint.pk}/resolve/",
        {"outcome": "groundless", "resolution": "不属实"},
        format="json",
    )

    assert response.status_code == 404


def test_public_pdf_lists_the_candidates_achievements(client, world, tmp_path):
    import datetime as _dt

    from declarations.models import Achievement

    declaration = at_unit(world)
    Achievement.objects.create(
        declaration=declaration, kind="patent", title="一种数据存证方法",
        obtained_on=_dt.date(2024, 6, 18), role="第一发明人",
    )
    batch = running_batch(world, [declaration])
    entry = PublicityEntry.objects.get(declaration=declaration)

    response = client.get(reverse("public:publicity_pdf", args=[batch.pk, entry.pk]))

    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "一种数据存证方法" in text
    assert "专利" in text
