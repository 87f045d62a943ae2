"""Excel exports (issue 7 part 2): each opens with openpyxl, has the right rows, masks ID
numbers unless the role files the full record, and a foreign scope exports nothing (404)."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from accounts.enums import OrgKind
from accounts.validators import mask_id_number
from declarations.enums import State
from reports.exports import XLSX_CONTENT_TYPE
from tests.committees.factories import setup_make
from tests.committees.outcome_factories import signed_meeting_make
from tests.factories import CampaignFactory, UserFactory, admin_of
from tests.reports.builders import (
    certificate_make,
    city_org,
    declarations_make,
    publicity_batch_make,
    unit_make,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "filename*=utf-8''" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(b"".join(response) if response.streaming else response.content))
    ws = wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


# -- a unit's publicity list --------------------------------------------------------------------


def _publicity():  # type: ignore[no-untyped-def]
    unit = unit_make()
    admin = admin_of(unit)
    superior = city_org(OrgKind.COMPETENT_DEPARTMENT)
    ds = declarations_make(CampaignFactory(), 3, state=State.UNIT_PUBLICITY, unit=unit, current=unit)
    batch = publicity_batch_make(unit, ds, superior=superior, publisher=admin)
    return unit, admin, superior, ds, batch


def test_publicity_list_export_masks_id_numbers(client):
    unit, admin, _sup, ds, batch = _publicity()
    client.force_login(admin)
    response = client.get(f"/reports/publicity/{batch.pk}/publicity-list.xlsx")
    rows = _rows(response)
    assert [r[1] for r in rows] == [d.applicant.real_name for d in ds]
    assert [r[2] for r in rows] == [mask_id_number(d.applicant.id_number) for d in ds]
    assert all("********" in r[2] for r in rows)
    assert quote("单位公示名单") in response["Content-Disposition"]


def test_publicity_list_export_for_superior_and_404_for_foreign_unit(client):
    _unit, _admin, superior, ds, batch = _publicity()
    client.force_login(admin_of(superior))
    assert len(_rows(client.get(f"/reports/publicity/{batch.pk}/publicity-list.xlsx"))) == 3
    client.force_login(admin_of(unit_make()))
    assert client.get(f"/reports/publicity/{batch.pk}/publicity-list.xlsx").status_code == 404
    response = client.get(f"/api/v1/exports/publicity/{batch.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_publicity_list_api_answers_the_workbook(client):
    _unit, admin, _sup, _ds, batch = _publicity()
    client.force_login(admin)
    rows = _rows(client.get(f"/api/v1/exports/publicity/{batch.pk}/", HTTP_ACCEPT=XLSX_CONTENT_TYPE))
    assert len(rows) == 3


def test_exports_refuse_anonymous(client):
    _unit, _admin, _sup, _ds, batch = _publicity()
    assert client.get(f"/api/v1/exports/publicity/{batch.pk}/").status_code in (401, 403)
    assert client.get(f"/reports/publicity/{batch.pk}/publicity-list.xlsx").status_code == 302


# -- the committee's acceptance list -------------------------------------------------------------


def test_acceptance_list_lists_what_reached_the_committee(client):
    s = setup_make()
    accepted = declarations_make(s.campaign, 2, state=State.ACCEPTED)
    checking = declarations_make(s.campaign, 1, state=State.COMMITTEE_CHECK, current=s.host)
    declarations_make(s.campaign, 4, state=State.IN_REVIEW, current=unit_make())  # still on chains
    client.force_login(s.staff)
    rows = _rows(client.get(f"/reports/campaigns/{s.campaign.pk}/acceptance-list.xlsx"))
    assert sorted(r[1] for r in rows) == sorted(d.applicant.real_name for d in accepted + checking)
    assert sorted(r[8] for r in rows) == ["已受理", "已受理", "评委会受理审核中"]
    assert all("********" in r[2] for r in rows)  # the host sees masked numbers
    api = _rows(client.get(f"/api/v1/exports/campaigns/{s.campaign.pk}/acceptance/"))
    assert len(api) == 3


def test_acceptance_list_404_for_foreign_host_and_units(client):
    s = setup_make()
    declarations_make(s.campaign, 2, state=State.ACCEPTED)
    for user in (setup_make().staff, admin_of(unit_make()), admin_of(s.campaign.approval_body)):
        client.force_login(user)
        assert client.get(f"/reports/campaigns/{s.campaign.pk}/acceptance-list.xlsx").status_code == 404


def test_acceptance_list_office_sees_full_id_numbers(client):
    s = setup_make()
    (d,) = declarations_make(s.campaign, 1, state=State.ACCEPTED)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    rows = _rows(client.get(f"/reports/campaigns/{s.campaign.pk}/acceptance-list.xlsx"))
    assert [r[2] for r in rows] == [d.applicant.id_number]


# -- a meeting's results ----------------------------------------------------------------------------


def test_meeting_results_export_for_host_and_approval_body(client):
    sm = signed_meeting_make(passed=2, failed=1)
    meeting = sm.meeting
    client.force_login(sm.staff)
    rows = _rows(client.get(f"/reports/meetings/{meeting.pk}/results.xlsx"))
    assert [r[10] for r in rows] == ["通过", "通过", "未通过"]
    assert [r[7] for r in rows] == [3, 3, 0]  # agree votes of 3 attending experts (R7.3)
    assert all("********" in r[2] for r in rows)
    client.force_login(sm.approval_admin)
    rows = _rows(client.get(f"/api/v1/exports/meetings/{meeting.pk}/results/"))
    ids = {d.applicant.id_number for d in sm.declarations()}
    assert {r[2] for r in rows} == ids  # the approval body files the complete record (R8.2)


def test_meeting_results_export_404_outside_scope(client):
    sm = signed_meeting_make(passed=1)
    for user in (setup_make().staff, admin_of(unit_make()), sm.declarations()[0].applicant):
        client.force_login(user)
        assert client.get(f"/reports/meetings/{sm.meeting.pk}/results.xlsx").status_code == 404
        assert client.get(f"/api/v1/exports/meetings/{sm.meeting.pk}/results/").status_code == 404


# -- the campaign statistics -----------------------------------------------------------------------


def test_statistics_export_has_a_sheet_per_chart(client):
    s = setup_make()
    declarations_make(s.campaign, 3, state=State.PASSED)
    declarations_make(s.campaign, 1, state=State.FAILED)
    client.force_login(s.staff)
    response = client.get(f"/reports/campaigns/{s.campaign.pk}/statistics.xlsx")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    assert len(wb.sheetnames) == 7
    by_state = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert by_state == {"评审通过": 3, "评审未通过": 1}
    rates = list(wb["评审通过率"].iter_rows(min_row=3, values_only=True))
    assert rates[-1] == ("合计", 3, 1, 75.0)
    client.force_login(setup_make().staff)
    assert client.get(f"/api/v1/exports/campaigns/{s.campaign.pk}/statistics/").status_code == 404


# -- the certificate-number record (R8.2) ------------------------------------------------------------


def _certified():  # type: ignore[no-untyped-def]
    s = setup_make()
    ds = declarations_make(s.campaign, 3, state=State.CERTIFIED)
    certs = [certificate_make(d, s.committee, s.campaign.approval_body) for d in ds]
    other = setup_make()
    certificate_make(
        declarations_make(other.campaign, 1, state=State.CERTIFIED)[0],
        other.committee,
        other.campaign.approval_body,
    )
    return s, ds, certs


def test_certificate_record_for_approval_body_has_full_ids(client):
    s, ds, certs = _certified()
    client.force_login(admin_of(s.campaign.approval_body))
    rows = _rows(client.get(f"/reports/campaigns/{s.campaign.pk}/certificate-numbers.xlsx"))
    assert [r[0] for r in rows] == sorted(c.number for c in certs)
    assert {r[2] for r in rows} == {d.applicant.id_number for d in ds}


def test_certificate_record_for_host_is_masked(client):
    s, ds, certs = _certified()
    client.force_login(s.staff)
    rows = _rows(client.get(f"/api/v1/exports/campaigns/{s.campaign.pk}/certificate-numbers/"))
    assert {r[2] for r in rows} == {c.holder_id_masked for c in certs}


def test_certificate_record_404_for_foreign_scope_and_holders(client):
    s, ds, _certs = _certified()
    for user in (setup_make().staff, admin_of(unit_make()), ds[0].applicant):
        client.force_login(user)
        assert client.get(f"/reports/campaigns/{s.campaign.pk}/certificate-numbers.xlsx").status_code == 404


def test_reports_page_offers_each_roles_exports(client):
    _unit, admin, _sup, _ds, batch = _publicity()
    client.force_login(admin)
    html = client.get("/reports/").content.decode()
    assert f"/reports/publicity/{batch.pk}/publicity-list.xlsx" in html
    sm = signed_meeting_make(passed=1)
    client.force_login(sm.approval_admin)
    html = client.get("/reports/").content.decode()
    assert f"/reports/meetings/{sm.meeting.pk}/results.xlsx" in html
    assert f"/reports/campaigns/{sm.meeting.campaign_id}/certificate-numbers.xlsx" in html
