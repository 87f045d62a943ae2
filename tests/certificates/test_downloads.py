"""Holders download their documents; staff of the review see them; strangers get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import OrgKind
from certificates.services import certificate_revoke, declaration_documents_issue
from tests.certificates.document_factories import confirmed_meeting_make
from tests.factories import OrganisationFactory, UserFactory, admin_of


@pytest.fixture
def issued(db, settings, tmp_path, seal_settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make()
    seal_settings.issue_all()
    outcome = declaration_documents_issue(declaration=cm.declarations[0], actor=cm.staff)
    return cm, outcome


def _urls(outcome, declaration_pk):
    return [
        reverse("certificates:download", args=[outcome.certificate.pk]),
        reverse("certificates:review_form_download", args=[outcome.review_form.pk]),
        reverse("certificates:declaration", args=[declaration_pk]),
        reverse("certificates:detail", args=[outcome.certificate.pk]),
    ]


def test_holder_downloads_both(client, issued):
    cm, outcome = issued
    d = cm.declarations[0]
    client.force_login(d.applicant)
    page = client.get(reverse("certificates:declaration", args=[d.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and outcome.certificate.number in body
    assert reverse("certificates:download", args=[outcome.certificate.pk]) in body
    cert = client.get(reverse("certificates:download", args=[outcome.certificate.pk]))
    assert cert.status_code == 200 and cert["Content-Type"] == "application/pdf"
    assert b"".join(cert.streaming_content) == outcome.certificate.file.open("rb").read()
    form = client.get(reverse("certificates:review_form_download", args=[outcome.review_form.pk]))
    assert form.status_code == 200 and b"".join(form.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["anonymous", "other_person", "other_host", "other_unit"])
def test_strangers_get_404(client, issued, who):
    cm, outcome = issued
    if who == "anonymous":
        for url in _urls(outcome, cm.declarations[0].pk):
            assert client.get(url).status_code == 302  # to the login page
        return
    user = {
        "other_person": UserFactory,
        "other_host": lambda: admin_of(OrganisationFactory(kind=OrgKind.COMMITTEE_HOST)),
        "other_unit": lambda: admin_of(OrganisationFactory(kind=OrgKind.UNIT)),
    }[who]()
    client.force_login(user)
    for url in _urls(outcome, cm.declarations[0].pk):
        assert client.get(url).status_code == 404, url


def test_staff_of_the_review_see_documents(client, issued):
    cm, outcome = issued
    for user in (cm.staff, cm.approval_admin):
        client.force_login(user)
        for url in _urls(outcome, cm.declarations[0].pk):
            assert client.get(url).status_code == 200, url


def test_revoked_certificate_not_handed_to_holder(client, issued):
    cm, outcome = issued
    certificate_revoke(certificate=outcome.certificate, actor=cm.approval_admin, reason="材料造假")
    client.force_login(cm.declarations[0].applicant)
    response = client.get(reverse("certificates:download", args=[outcome.certificate.pk]))
    assert response.status_code == 302
    client.force_login(cm.approval_admin)
    assert client.get(reverse("certificates:download", args=[outcome.certificate.pk])).status_code == 200


def test_downloads_box_template_tag(rf, issued):
    from django.template import Context, Template

    cm, outcome = issued
    request = rf.get("/")
    request.user = cm.declarations[0].applicant
    html = Template("{% load certificates_tags %}{% declaration_documents d %}").render(
        Context({"request": request, "d": cm.declarations[0]})
    )
    assert outcome.certificate.number in html and "下载评审表" in html
