"""List pages and list API: a fixed number of queries whatever the number of certificates."""

from __future__ import annotations

import datetime as dt
import itertools

from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from tests.certificates.document_factories import confirmed_meeting_make

_n = itertools.count(1)


def _stored_row(cm, declaration) -> Certificate:
    """A certificate row as issuing leaves it, written directly (the PDF is not needed here)."""
    committee = cm.meeting.committee
    return Certificate.objects.create(
        declaration=declaration,
        number=f"CQSZ2024-3-{next(_n):06d}-0",
        token=f"token-{declaration.pk}",
        holder_name=declaration.applicant.real_name,
        holder_id_masked="500103********0011",
        field=declaration.field,
        level=declaration.level,
        qualification="工程师",
        committee=committee,
        review_organisation=committee.name,
        sealing_organisation=committee.approval_body,
        issuing_organisation_name=committee.approval_body.name,
        approval_document_number=cm.notice.document_number,
        obtained_on=dt.date(2024, 10, 1),
        issued_on=dt.date(2024, 11, 1),
        reserved_at=timezone.now(),
        stored_at=timezone.now(),
        sha256="0" * 64,
    )


def test_certificate_list_queries_do_not_grow(db, client, api_client, django_assert_max_num_queries):
    cm = confirmed_meeting_make(candidates=3, opinion=False)
    declarations = cm.declarations
    _stored_row(cm, declarations[0])
    client.force_login(cm.approval_admin)
    api_client.force_authenticate(cm.approval_admin)
    with django_assert_max_num_queries(12) as one:
        assert client.get(reverse("certificates:list")).status_code == 200
    with django_assert_max_num_queries(12) as one_api:
        assert api_client.get(reverse("api:certificate-list")).data["count"] == 1
    for d in declarations[1:]:
        _stored_row(cm, d)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(reverse("certificates:list")).content.decode()
    assert body.count("CQSZ2024-3-") == 3
    with django_assert_max_num_queries(len(one_api.captured_queries)):
        assert api_client.get(reverse("api:certificate-list")).data["count"] == 3
