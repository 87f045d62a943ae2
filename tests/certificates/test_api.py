"""The certificates API: issue, documents, downloads, revoke, batches, public verification."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.models import Certificate
from tests.certificates.document_factories import confirmed_meeting_make
from tests.factories import UserFactory


@pytest.fixture
def confirmed(db, settings, tmp_path, seal_settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make(opinion=False)
    seal_settings.issue_all()
    cache.clear()
    return cm


def test_issue_documents_and_download(api_client, confirmed):
    cm = confirmed
    d = cm.declarations[0]
    url = reverse("api:declaration-documents", args=[d.pk])
    api_client.force_authenticate(cm.staff)
    created = api_client.post(url, {}, format="json")
    assert created.status_code == 201, created.data
    assert created.data["state"] == "certified"
    number = created.data["certificate"]["number"]
    again = api_client.post(url, {}, format="json")
    assert again.status_code == 200 and again.data["certificate"]["number"] == number

    api_client.force_authenticate(d.applicant)
    mine = api_client.get(url)
    assert mine.status_code == 200 and mine.data["certificate"]["status"] == "valid"
    pdf = api_client.get(mine.data["certificate"]["download_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    form = api_client.get(mine.data["review_form"]["download_url"])
    assert form.status_code == 200
    listed = api_client.get(reverse("api:certificate-list"))
    assert [c["number"] for c in listed.data["results"]] == [number]


def test_issue_refused_with_error_format(api_client, confirmed):
    cm = confirmed
    d = cm.declarations[0]
    api_client.force_authenticate(d.applicant)
    refused = api_client.post(reverse("api:declaration-documents", args=[d.pk]), {}, format="json")
    assert refused.status_code == 403 and refused.data["code"] == "not_issuer"
    api_client.force_authenticate(UserFactory())
    hidden = api_client.get(reverse("api:declaration-documents", args=[d.pk]))
    assert hidden.status_code == 404 and hidden.data["code"] == "not_found"


def test_revoke_and_public_verify(api_client, confirmed):
    cm = confirmed
    api_client.force_authenticate(cm.staff)
    api_client.post(reverse("api:declaration-documents", args=[cm.declarations[0].pk]), {}, format="json")
    cert = Certificate.objects.get()
    api_client.force_authenticate(None)
    public = api_client.get(reverse("api:certificate-verify", args=[cert.token]))
    assert public.status_code == 200 and public.data["status"] == "valid"
    assert "id_number" not in public.data and public.data["holder_id_masked"] == cert.holder_id_masked
    lookup = api_client.get(
        reverse("api:certificate-verify-lookup"), {"number": cert.number, "name": cert.holder_name}
    )
    assert lookup.status_code == 200 and lookup.data["number"] == cert.number
    missing = api_client.get(
        reverse("api:certificate-verify-lookup"), {"number": cert.number, "name": "某人"}
    )
    assert missing.status_code == 404 and missing.data["code"] == "not_found"

    revoke_url = reverse("api:certificate-revoke", args=[cert.pk])
    api_client.force_authenticate(cm.staff)
    refused = api_client.post(revoke_url, {"reason": "x"}, format="json")
    assert refused.status_code == 403 and refused.data["code"] == "not_revoker"
    api_client.force_authenticate(cm.approval_admin)
    empty = api_client.post(revoke_url, {}, format="json")
    assert empty.status_code == 400 and empty.data["field"] == "reason"
    done = api_client.post(revoke_url, {"reason": "材料造假"}, format="json")
    assert done.status_code == 200 and done.data["status"] == "revoked"
    again = api_client.post(revoke_url, {"reason": "材料造假"}, format="json")
    assert again.status_code == 409 and again.data["code"] == "already_revoked"
    api_client.force_authenticate(None)
    assert api_client.get(reverse("api:certificate-verify", args=[cert.token])).data["status"] == "revoked"
    api_client.force_authenticate(cm.declarations[0].applicant)
    blocked = api_client.get(reverse("api:certificate-pdf", args=[cert.pk]))
    assert blocked.status_code == 409 and blocked.data["code"] == "revoked"


def test_batch_api(api_client, confirmed, django_capture_on_commit_callbacks):
    cm = confirmed
    api_client.force_authenticate(cm.approval_admin)
    url = reverse("api:meeting-document-batches", args=[cm.meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        started = api_client.post(url, {"kind": "documents"}, format="json")
    assert started.status_code == 202 and started.data["total"] == 1
    progress = api_client.get(reverse("api:document-batch", args=[started.data["id"]]))
    assert progress.status_code == 200
    assert (progress.data["state"], progress.data["done"], progress.data["percent"]) == ("finished", 1, 100)
    assert [b["id"] for b in api_client.get(url).data] == [started.data["id"]]
    api_client.force_authenticate(UserFactory())
    assert api_client.post(url, {}, format="json").status_code == 404
