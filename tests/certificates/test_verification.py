"""Public verification (no login), lookup by number and name, and revocation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.enums import CertificateStatus
from certificates.services import certificate_revoke, declaration_documents_issue
from certificates.views import LOOKUP_LIMIT
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent, Notification
from tests.certificates.document_factories import confirmed_meeting_make
from tests.factories import UserFactory


@pytest.fixture
def issued(db, settings, tmp_path, seal_settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make()
    seal_settings.issue_all()
    outcome = declaration_documents_issue(declaration=cm.declarations[0], actor=cm.staff)
    cache.clear()
    return cm, outcome.certificate


def test_verify_page_valid_then_revoked(client, issued):
    cm, cert = issued
    url = reverse("verify:certificate", args=[cert.token])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "证书有效" in body and cert.number in body and cert.holder_name in body
    assert cert.holder_id_masked in body
    assert cm.declarations[0].applicant.id_number not in body

    certificate_revoke(certificate=cert, actor=cm.approval_admin, reason="发现申报材料弄虚作假")

    body = client.get(url).content.decode()
    assert "证书已撤销" in body and "证书有效" not in body
    assert "发现申报材料弄虚作假" not in body  # the reason is for the holder and staff only


def test_verify_unknown_token_404(client, db):
    assert client.get(reverse("verify:certificate", args=["no-such-token"])).status_code == 404


def test_lookup_by_number_and_name(client, issued):
    _cm, cert = issued
    url = reverse("verify:lookup")
    assert client.get(url).status_code == 200
    found = client.get(url, {"number": cert.number.lower().replace("-", ""), "name": cert.holder_name})
    assert found.status_code == 302 and found["Location"] == reverse("verify:certificate", args=[cert.token])
    wrong = client.get(url, {"number": cert.number, "name": "张三"})
    assert wrong.status_code == 404 and "未查到" in wrong.content.decode()


def test_lookup_throttled_per_address(client, issued):
    _cm, cert = issued
    url = reverse("verify:lookup")
    for _ in range(LOOKUP_LIMIT):
        client.get(url, {"number": cert.number, "name": "张三"})
    over = client.get(url, {"number": cert.number, "name": cert.holder_name})
    assert over.status_code == 429


def test_revoke_rules(issued):
    cm, cert = issued
    with pytest.raises(ServiceError) as exc:
        certificate_revoke(certificate=cert, actor=cm.approval_admin, reason="  ")
    assert exc.value.code == "reason_required"
    for actor in (cm.staff, cm.declarations[0].applicant, UserFactory()):
        with pytest.raises(PermissionRefused):
            certificate_revoke(certificate=cert, actor=actor, reason="理由")
    revoked = certificate_revoke(certificate=cert, actor=cm.approval_admin, reason="投诉查实")
    assert revoked.status == CertificateStatus.REVOKED and revoked.revoked_by == cm.approval_admin
    with pytest.raises(TransitionNotAllowed) as exc:
        certificate_revoke(certificate=cert, actor=cm.approval_admin, reason="再次")
    assert exc.value.code == "already_revoked"
    event = AuditEvent.objects.get(action="certificate_revoke")
    assert (event.reason, event.to_state) == ("投诉查实", "revoked")
    assert Notification.objects.filter(
        recipient=cm.declarations[0].applicant, kind="certificate_revoked"
    ).exists()


def test_office_superuser_may_revoke(issued):
    _cm, cert = issued
    office = UserFactory(is_superuser=True, is_staff=True)
    assert certificate_revoke(certificate=cert, actor=office, reason="职称办撤销").status == "revoked"


def test_revoke_page_for_approval_body(client, issued):
    cm, cert = issued
    client.force_login(cm.approval_admin)
    page = client.get(reverse("certificates:detail", args=[cert.pk]))
    assert page.status_code == 200 and "撤销证书" in page.content.decode()
    bad = client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": ""})
    assert bad.status_code == 400
    done = client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "材料造假"})
    assert done.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "revoked"
