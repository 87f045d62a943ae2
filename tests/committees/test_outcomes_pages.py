"""Pages and API after the meeting (R8.1, R8.2): scope, refusals, public notice, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.enums import ConfirmationState, ResultsEntryStatus
from committees.models import ConfirmationNotice, ResultsComplaint, ResultsPublicity
from committees.outcomes import (
    confirmation_draft,
    results_complaint_file,
    results_publicity_publish,
    review_report_submit,
)
from declarations.enums import State
from declarations.models import Declaration
from tests.committees.outcome_factories import SH, SIGNED_AT, signed_meeting_make
from tests.factories import OrganisationFactory, admin_of

PUBLISHED_AT = dt.datetime(2024, 9, 27, 18, 0, tzinfo=SH)
AFTER = dt.datetime(2024, 10, 11, 9, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def stranger(db):
    return admin_of(OrganisationFactory())


def _published(passed: int = 2, **kw):
    sm = signed_meeting_make(passed=passed)
    publicity = results_publicity_publish(meeting=sm.meeting, actor=sm.staff, now=kw.pop("now", PUBLISHED_AT))
    return sm, publicity


# -- pages ------------------------------------------------------------------------------------


def test_outcomes_page_for_host_and_approval_body_404_for_stranger(client, stranger):
    sm = signed_meeting_make(passed=1)
    url = reverse("committees:outcomes", args=[sm.meeting.pk])
    client.force_login(sm.staff)
    page = client.get(url)
    assert page.status_code == 200
    assert "2024-10-10" in page.content.decode()  # the R8.1 deadline across National Day
    client.force_login(sm.approval_admin)
    assert client.get(url).status_code == 200
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(reverse("committees:results_publish", args=[sm.meeting.pk])).status_code == 404


def test_report_and_publicity_through_pages(client, db):
    sm = signed_meeting_make(passed=2)
    client.force_login(sm.staff)
    r = client.post(reverse("committees:review_report_submit", args=[sm.meeting.pk]), {"note": "顺利"})
    assert r.status_code == 302
    r = client.post(reverse("committees:results_publish", args=[sm.meeting.pk]), {"working_days": 4})
    assert r.status_code == 400
    r = client.post(reverse("committees:results_publish", args=[sm.meeting.pk]), {"working_days": 5})
    assert r.status_code == 302
    assert {d.state for d in sm.declarations()} == {State.RESULTS_PUBLICITY}
    r = client.post(reverse("committees:results_publish", args=[sm.meeting.pk]), {"working_days": 5})
    assert r.status_code == 400  # already published: the refusal is shown on the page
    client.force_login(sm.approval_admin)
    pdf = client.get(reverse("committees:review_report_download", args=[sm.meeting.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    listing = client.get(reverse("committees:outcome_list"))
    assert sm.meeting.committee.name in listing.content.decode()


def test_public_page_shows_names_without_id_numbers_and_takes_complaints(client, db):
    sm = signed_meeting_make(passed=1)
    publicity = results_publicity_publish(meeting=sm.meeting, actor=sm.staff)  # running now
    d = sm.declarations()[0]
    page = client.get(reverse("committees:results_public_detail", args=[publicity.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert d.applicant.real_name in body
    assert d.applicant.id_number not in body
    assert publicity.title in client.get(reverse("committees:results_public_list")).content.decode()
    entry = publicity.entries.get()
    r = client.post(
        reverse("committees:results_public_detail", args=[publicity.pk]),
        {"entry": entry.pk, "text": "业绩不实"},
    )
    assert r.status_code == 302
    assert ResultsComplaint.objects.filter(entry=entry).count() == 1
    assert client.get(reverse("committees:results_public_detail", args=[999999])).status_code == 404


def test_public_complaint_after_end_refused_on_page(client, db):
    _sm, publicity = _published(passed=1)
    entry = publicity.entries.get()
    r = client.post(
        reverse("committees:results_public_detail", args=[publicity.pk]),
        {"entry": entry.pk, "text": "迟到的投诉"},
    )
    assert r.status_code == 400
    assert not ResultsComplaint.objects.exists()


def test_resolve_page_and_confirmation_pages(client, stranger):
    sm, publicity = _published(passed=2)
    a = publicity.entries.order_by("pk").first()
    c = results_complaint_file(entry=a, text="异议", now=PUBLISHED_AT)
    client.force_login(stranger)
    url = reverse("committees:results_complaint_resolve", args=[c.pk])
    assert client.post(url, {"outcome": "groundless", "resolution": "x"}).status_code == 404
    client.force_login(sm.staff)
    assert client.post(url, {"outcome": "groundless", "resolution": "不属实"}).status_code == 302
    assert publicity.entries.get(pk=a.pk).status == ResultsEntryStatus.RELEASED
    r = client.post(reverse("committees:confirmation_draft", args=[sm.meeting.pk]), {"kind": "approval"})
    assert r.status_code == 302
    notice = ConfirmationNotice.objects.get()
    detail = reverse("committees:confirmation_detail", args=[notice.pk])
    assert client.get(detail).status_code == 200
    issue = reverse("committees:confirmation_issue", args=[notice.pk])
    assert client.post(issue, {"document_number": "渝核〔2024〕9号"}).status_code == 400  # host: 403 shown
    client.force_login(stranger)
    assert client.get(detail).status_code == 404
    assert client.post(issue, {"document_number": "渝核〔2024〕9号"}).status_code == 404
    client.force_login(sm.approval_admin)
    assert client.post(issue, {"document_number": "渝核〔2024〕9号"}).status_code == 302
    assert {d.state for d in sm.declarations()} == {State.CONFIRMED}


# -- API --------------------------------------------------------------------------------------


def test_api_full_flow_and_refusals(api_client, stranger):
    sm = signed_meeting_make(passed=2)
    m = sm.meeting.pk
    api_client.force_authenticate(stranger)
    assert api_client.get(reverse("api:meeting-outcomes", args=[m])).status_code == 404
    assert api_client.post(reverse("api:meeting-review-report", args=[m]), {}).status_code == 404
    api_client.force_authenticate(sm.staff)
    r = api_client.post(reverse("api:meeting-review-report", args=[m]), {"note": "无"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["report_deadline"]["due_on"] == "2024-10-10"
    r = api_client.post(reverse("api:meeting-review-report", args=[m]), {}, format="json")
    assert (r.status_code, r.json()["code"]) == (409, "report_submitted")
    r = api_client.post(
        reverse("api:meeting-results-publicity", args=[m]), {"working_days": 4}, format="json"
    )
    assert (r.status_code, r.json()["code"]) == (400, "publicity_too_short")
    r = api_client.post(
        reverse("api:meeting-results-publicity", args=[m]), {"working_days": 5}, format="json"
    )
    assert r.status_code == 201
    publicity = ResultsPublicity.objects.get(meeting_id=m)
    r = api_client.post(reverse("api:meeting-results-publicity", args=[m]), {}, format="json")
    assert (r.status_code, r.json()["code"]) == (409, "publicity_exists")
    r = api_client.post(reverse("api:meeting-confirmation-draft", args=[m]), {}, format="json")
    assert (r.status_code, r.json()["code"]) == (409, "publicity_not_ended")
    # End the period as if it had been published before National Day.
    ResultsPublicity.objects.filter(pk=publicity.pk).update(
        starts_at=PUBLISHED_AT, ends_at=dt.datetime(2024, 10, 11, tzinfo=SH)
    )
    r = api_client.post(
        reverse("api:meeting-confirmation-draft", args=[m]), {"kind": "approval"}, format="json"
    )
    assert r.status_code == 201, r.content
    notice_id = r.json()["id"]
    assert len(r.json()["declarations"]) == 2
    issue = reverse("api:confirmation-issue", args=[notice_id])
    r = api_client.post(issue, {"document_number": "渝核〔2024〕5号"}, format="json")
    assert (r.status_code, r.json()["code"]) == (403, "not_approval_body")
    api_client.force_authenticate(stranger)
    assert api_client.post(issue, {"document_number": "x"}, format="json").status_code == 404
    assert api_client.get(reverse("api:confirmation-detail", args=[notice_id])).status_code == 404
    api_client.force_authenticate(sm.approval_admin)
    r = api_client.post(issue, {"document_number": "渝核〔2024〕5号"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == ConfirmationState.ISSUED
    r = api_client.post(issue, {"document_number": "渝核〔2024〕6号"}, format="json")
    assert (r.status_code, r.json()["code"]) == (409, "already_issued")
    assert set(
        Declaration.objects.filter(pk__in=[d.pk for d in sm.declarations()]).values_list("state", flat=True)
    ) == {State.CONFIRMED}


def test_api_public_complaint_throttle_and_resolve_scope(api_client, stranger):
    sm = signed_meeting_make(passed=1)
    publicity = results_publicity_publish(meeting=sm.meeting, actor=sm.staff)
    entry = publicity.entries.get()
    r = api_client.get(reverse("api:results-publicity-detail", args=[publicity.pk]))
    assert r.status_code == 200 and "id_number" not in r.content.decode()
    url = reverse("api:results-complaint-create")
    codes = [
        api_client.post(url, {"entry": entry.pk, "text": "异议"}, format="json").status_code for _ in range(6)
    ]
    assert codes == [201] * 5 + [429]
    r = api_client.post(url, {"entry": 999999, "text": "异议"}, format="json")
    assert r.status_code == 400
    complaint = ResultsComplaint.objects.first()
    resolve = reverse("api:results-complaint-resolve", args=[complaint.pk])
    api_client.force_authenticate(stranger)
    assert (
        api_client.post(resolve, {"outcome": "upheld", "resolution": "x"}, format="json").status_code == 404
    )
    api_client.force_authenticate(sm.approval_admin)
    r = api_client.post(resolve, {"outcome": "upheld", "resolution": "查实"}, format="json")
    assert r.status_code == 200
    assert sm.declarations()[0].state == State.TERMINATED
    r = api_client.post(resolve, {"outcome": "groundless", "resolution": "x"}, format="json")
    assert r.status_code == 409


# -- query counts do not grow with the list ----------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _meeting_with_everything(passed: int):
    """Report, publicity, a draft notice and, as data, one pending complaint per candidate."""
    sm, publicity = _published(passed=passed)
    review_report_submit(meeting=sm.meeting, actor=sm.staff, now=SIGNED_AT)
    confirmation_draft(meeting=sm.meeting, actor=sm.staff, now=AFTER)
    for e in publicity.entries.all():
        ResultsComplaint.objects.create(entry=e, text="异议", filed_at=PUBLISHED_AT)
    return sm, publicity


def test_query_counts_constant_in_list_size(client, db):
    small, p_small = _meeting_with_everything(1)
    large, p_large = _meeting_with_everything(4)
    client.force_login(small.staff)
    a = _count(client, reverse("committees:outcomes", args=[small.meeting.pk]))
    na = _count(
        client, reverse("committees:confirmation_detail", args=[small.meeting.confirmation_notices.get().pk])
    )
    client.force_login(large.staff)
    b = _count(client, reverse("committees:outcomes", args=[large.meeting.pk]))
    nb = _count(
        client, reverse("committees:confirmation_detail", args=[large.meeting.confirmation_notices.get().pk])
    )
    assert a == b
    assert na == nb
    client.logout()
    assert _count(client, reverse("committees:results_public_detail", args=[p_small.pk])) == _count(
        client, reverse("committees:results_public_detail", args=[p_large.pk])
    )
    # The list page: one host's meetings, publicities and notices.
    client.force_login(small.approval_admin)
    one = _count(client, reverse("committees:outcome_list"))
    extra = signed_meeting_make(passed=1)
    # Put the extra meeting under the same approval body and host as ``small``.
    type(extra.meeting.committee).objects.filter(pk=extra.meeting.committee_id).update(
        approval_body=small.meeting.committee.approval_body, host=small.meeting.committee.host
    )
    results_publicity_publish(meeting=extra.meeting, actor=small.staff, now=PUBLISHED_AT)
    two = _count(client, reverse("committees:outcome_list"))
    assert one == two


def test_meeting_panel_tag_shows_deadline_and_overdue(db):
    from django.template import Context, Template

    sm = signed_meeting_make(passed=1)
    html = Template("{% load committee_outcomes %}{% meeting_outcomes_panel m %}").render(
        Context({"m": sm.meeting})
    )
    assert "2024-10-10" in html
    assert "已逾期" in html  # no report yet, and today is past 10 Oct 2024
