"""Shared-data verification (R5.4): the import, the checks, evidence and the unit's finding."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test.utils import override_settings
from django.urls import reverse

from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from declarations.enums import SharedDataKind as K
from declarations.enums import SharedDataStatus as St
from declarations.models import CurrentTitle, Declaration, SharedDataCheck, SharedDataRecord
from declarations.services import declaration_create, declaration_submit
from declarations.shareddata.dataset import read_rows, shared_data_import, validate_rows
from declarations.shareddata.selectors import shared_data_item, shared_data_items
from declarations.shareddata.services import (
    shared_data_confirm,
    shared_data_reverify,
    shared_data_verify,
)
from declarations.shareddata.sources import (
    DatabaseSource,
    SharedDataSource,
    SharedDataUnavailable,
    SourceRecord,
    shared_data_source,
)
from tests.conftest import picks_for
from tests.factories import UserFactory, make_eligible, make_id_number


class FakeSource:
    """A stand-in for a government endpoint (outside the system), keyed by (kind, ID)."""

    name = "测试数据源"

    def __init__(self, records: dict[tuple[str, str], dict] | None = None, *, down: bool = False) -> None:
        self.records = records or {}
        self.down = down

    def lookup(self, kind: str, id_number: str) -> SourceRecord | None:
        if self.down:
            raise SharedDataUnavailable("timeout")
        data = self.records.get((kind, id_number))
        return None if data is None else SourceRecord(kind, id_number, data, self.name)


def draft(world, applicant, category="city_public", **fields) -> Declaration:  # type: ignore[no-untyped-def]
    values = {"level": "engineer", "field": "big_data", "category": category,
              **picks_for(world, category), **fields}
    return declaration_create(actor=applicant, campaign=world.campaign, **values)


def submit(declaration: Declaration) -> Declaration:
    return declaration_submit(
        declaration=declaration, actor=declaration.applicant, integrity_accepted=True
    )


def statuses(declaration: Declaration) -> dict[str, str]:
    return dict(SharedDataCheck.objects.filter(declaration=declaration).values_list("kind", "status"))


def all_records(world, applicant) -> dict[tuple[str, str], dict]:  # type: ignore[no-untyped-def]
    """Shared data that matches a city_public engineer declaration in every item."""
    idn = applicant.id_number
    return {
        (K.PERSONAL_DATA, idn): {"name": applicant.real_name},
        (K.SOCIAL_INSURANCE_EMPLOYER, idn): {"employer": world.unit.name},
        (K.ARCHIVE_AGENCY, idn): {"agency": "重庆市人才交流服务中心"},
        (K.CURRENT_QUALIFICATION, idn): {"level": "assistant_engineer", "specialty": "大数据"},
        (K.CONTINUING_EDUCATION, idn): {
            "years": {str(world.campaign.year - 1): {"hours": 32, "completed": True}}
        },
        (K.POST_VACANCY, idn): {"unit": world.unit.name, "level": "engineer", "vacant": True},
    }


def give_content(declaration: Declaration) -> None:
    from declarations.models import ApplicantStatus

    CurrentTitle.objects.create(declaration=declaration, level="assistant_engineer", specialty="大数据")
    ApplicantStatus.objects.update_or_create(
        declaration=declaration, defaults={"archive_agency": "重庆市人才交流服务中心"}
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_shared_data", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the source interface --------------------------------------------------------------------


def test_fake_source_implements_the_interface():
    assert isinstance(FakeSource(), SharedDataSource)
    assert isinstance(DatabaseSource(), SharedDataSource)


def test_shared_data_source_default_is_database():
    assert type(shared_data_source()) is DatabaseSource


@override_settings(SHARED_DATA_SOURCE="tests.declarations.test_shared_data.FakeSource")
def test_shared_data_source_setting_names_the_class():
    assert type(shared_data_source()) is FakeSource


# --- import ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_json_creates_then_rerun_changes_nothing(tmp_path):
    idn = make_id_number()
    path = write(tmp_path, "data.json", json.dumps({"source": "市政务数据共享平台", "records": [
        {"kind": "personal_data", "id_number": idn, "name": "王五"},
        {"kind": "continuing_education", "id_number": idn, "year": 2024, "hours": 30, "completed": True},
        {"kind": "continuing_education", "id_number": idn, "year": 2025, "hours": "12", "completed": "否"},
        {"kind": "current_qualification", "id_number": idn, "level": "工程师"},
    ]}, ensure_ascii=False))

    first, _ = run_import(path)
    stamps = list(SharedDataRecord.objects.order_by("pk").values_list("imported_at", flat=True))
    second, _ = run_import(path)

    assert "3 created, 0 updated, 0 unchanged, 0 rejected" in first
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in second
    assert list(SharedDataRecord.objects.order_by("pk").values_list("imported_at", flat=True)) == stamps
    education = SharedDataRecord.objects.get(kind="continuing_education")
    assert education.data == {"years": {"2024": {"hours": 30, "completed": True},
                                        "2025": {"hours": 12, "completed": False}}}
    assert SharedDataRecord.objects.get(kind="current_qualification").data == {"level": "engineer"}
    assert education.source == "市政务数据共享平台"


@pytest.mark.django_db
def test_import_csv_updates_changed_row_and_merges_years(tmp_path):
    idn = make_id_number()
    header = "kind,id_number,name,year,hours,completed,employer\n"
    run_import(write(tmp_path, "a.csv", header
                     + f"personal_data,{idn},王五,,,,\ncontinuing_education,{idn},,2024,30,true,\n"))

    out, _ = run_import(write(tmp_path, "b.csv", header
                              + f"personal_data,{idn},王 五,,,,\ncontinuing_education,{idn},,2025,31,1,\n"))

    assert "0 created, 2 updated, 0 unchanged" in out
    assert SharedDataRecord.objects.get(kind="personal_data").data == {"name": "王 五"}
    assert set(SharedDataRecord.objects.get(kind="continuing_education").data["years"]) == {"2024", "2025"}


@pytest.mark.django_db
def test_import_with_bad_rows_imports_nothing(tmp_path):
    good = make_id_number()
    bad_check_digit = good[:17] + ("0" if good[17] != "0" else "1")
    path = write(tmp_path, "bad.csv", "kind,id_number,name,employer,level\n"
                 f"personal_data,{good},王五,,\n"
                 f"personal_data,{bad_check_digit},李四,,\n"
                 f"unknown_kind,{good},,,\n"
                 f"social_insurance_employer,{good},,,\n"
                 f"personal_data,{good},王五,某公司,\n"
                 f"current_qualification,{good},,,首席科学家\n")

    with pytest.raises(CommandError) as raised:
        run_import(path)

    assert "5 invalid row(s); nothing imported" in str(raised.value)
    assert SharedDataRecord.objects.count() == 0


@pytest.mark.django_db
def test_import_with_skip_invalid_imports_good_rows_and_reports_bad(tmp_path):
    good = make_id_number()
    path = write(tmp_path, "bad.csv", "kind,id_number,name\n"
                 f"personal_data,{good},王五\n"
                 f"personal_data,{good[:17]}Z,李四\n"
                 f"personal_data,{make_id_number()},\n")

    out, err = run_import(path, "--skip-invalid")

    assert "1 created, 0 updated, 0 unchanged, 2 rejected" in out
    assert "bad.csv line 3: id_number:" in err
    assert "bad.csv line 4: name: required" in err
    assert list(SharedDataRecord.objects.values_list("id_number", flat=True)) == [good]


def test_validate_rows_reports_each_fault():
    idn = make_id_number()
    _, errors = validate_rows([
        {"kind": "post_vacancy", "id_number": idn, "unit": "某单位", "level": "engineer", "vacant": "maybe"},
        {"kind": "social_insurance_employer", "id_number": idn, "employer": "某单位", "months": "-3"},
        {"kind": "archive_agency", "id_number": idn, "agency": "某中心", "since": "2024-13-01"},
    ])

    assert errors == [
        (1, "vacant: not true/false"),
        (2, "months: negative"),
        (3, "since: not a date YYYY-MM-DD"),
    ]


@pytest.mark.django_db
def test_demo_dataset_is_valid():
    path = Path(__file__).resolve().parents[2] / "declarations" / "fixtures" / "shared_data_demo.json"
    raw, source = read_rows(path)
    rows, errors = validate_rows(raw)

    assert errors == []
    assert source
    assert shared_data_import(rows=rows, source=source).created > 0


# --- verification ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_with_matching_data_verifies_every_item(world, applicant):
    declaration = draft(world, applicant)
    give_content(declaration)

    shared_data_verify(declaration=declaration, actor=applicant,
                       source=FakeSource(all_records(world, applicant)))

    assert statuses(declaration) == dict.fromkeys(K.values, St.VERIFIED)


@pytest.mark.django_db
def test_verify_without_data_marks_not_found(world, applicant):
    declaration = draft(world, applicant)
    give_content(declaration)

    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource())

    assert statuses(declaration) == dict.fromkeys(K.values, St.NOT_FOUND)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (K.PERSONAL_DATA, {"name": "另一个人"}),
        (K.SOCIAL_INSURANCE_EMPLOYER, {"employer": "别的公司"}),
        (K.ARCHIVE_AGENCY, {"agency": "别的人才中心"}),
        (K.CURRENT_QUALIFICATION, {"level": "technician", "specialty": "大数据"}),
        (K.CONTINUING_EDUCATION, {"years": {"2000": {"hours": 40, "completed": True}}}),
        (K.POST_VACANCY, {"unit": "PLACEHOLDER", "level": "engineer", "vacant": False}),
    ],
)
def test_verify_with_differing_data_marks_only_that_item_not_verified(world, applicant, kind, data):
    declaration = draft(world, applicant)
    give_content(declaration)
    records = all_records(world, applicant)
    if data.get("unit") == "PLACEHOLDER":
        data = {**data, "unit": world.unit.name}
    records[(kind, applicant.id_number)] = data

    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource(records))

    expected = dict.fromkeys(K.values, St.VERIFIED)
    expected[kind] = St.NOT_VERIFIED
    assert statuses(declaration) == expected


@pytest.mark.django_db
def test_verify_without_content_says_what_is_missing(world, applicant):
    declaration = draft(world, applicant)

    shared_data_verify(declaration=declaration, actor=applicant,
                       source=FakeSource(all_records(world, applicant)))

    checks = {c.kind: c for c in SharedDataCheck.objects.filter(declaration=declaration)}
    assert checks[K.CURRENT_QUALIFICATION].status == St.NOT_VERIFIED
    assert checks[K.CURRENT_QUALIFICATION].detail == "申报中未填写现职称级别，无法核验。"
    assert checks[K.ARCHIVE_AGENCY].status == St.NOT_VERIFIED


@pytest.mark.django_db
def test_verify_ignores_blanks_and_bracket_width_in_names(world, applicant):
    declaration = draft(world, applicant)
    records = all_records(world, applicant)
    records[(K.SOCIAL_INSURANCE_EMPLOYER, applicant.id_number)] = {"employer": f" {world.unit.name} "}

    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource(records))

    assert statuses(declaration)[K.SOCIAL_INSURANCE_EMPLOYER] == St.VERIFIED


@pytest.mark.django_db
def test_verify_post_vacancy_only_for_public_institutions(world, applicant):
    declaration = draft(world, applicant, category="freelancer")

    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource())

    assert K.POST_VACANCY not in statuses(declaration)
    assert len(statuses(declaration)) == 5


@pytest.mark.django_db
def test_verify_with_source_down_keeps_verified_and_marks_others_not_verified(world, applicant):
    declaration = draft(world, applicant)
    records = {(K.PERSONAL_DATA, applicant.id_number): {"name": applicant.real_name}}
    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource(records))

    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource(down=True))

    result = statuses(declaration)
    assert result[K.PERSONAL_DATA] == St.VERIFIED
    assert result[K.SOCIAL_INSURANCE_EMPLOYER] == St.NOT_VERIFIED


@pytest.mark.django_db
def test_submit_verifies_against_database_source(world, applicant):
    SharedDataRecord.objects.create(
        kind=K.PERSONAL_DATA, id_number=applicant.id_number, data={"name": applicant.real_name},
        source="参考数据集", imported_at="2025-01-01T00:00:00Z",
    )
    SharedDataRecord.objects.create(
        kind=K.SOCIAL_INSURANCE_EMPLOYER, id_number=applicant.id_number,
        data={"employer": "另一家公司"}, source="参考数据集", imported_at="2025-01-01T00:00:00Z",
    )

    declaration = submit(draft(world, applicant))

    result = statuses(declaration)
    assert result[K.PERSONAL_DATA] == St.VERIFIED
    assert result[K.SOCIAL_INSURANCE_EMPLOYER] == St.NOT_VERIFIED
    assert result[K.CONTINUING_EDUCATION] == St.NOT_FOUND
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)
    assert check.source == "参考数据集"


# --- evidence --------------------------------------------------------------------------------


def _evidence(declaration: Declaration, purpose: str) -> None:
    from declarations.models import Evidence

    Evidence.objects.create(
        declaration=declaration, purpose=purpose, file="evidence/x.pdf", original_name="证明.pdf",
        size=10, sha256="0" * 64, content_type="application/pdf", uploaded_by=declaration.applicant,
    )


@pytest.mark.django_db
def test_evidence_with_the_kind_as_purpose_satisfies_a_failed_item(world, applicant):
    declaration = draft(world, applicant)
    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource())
    before = shared_data_item(declaration, K.ARCHIVE_AGENCY)

    _evidence(declaration, K.ARCHIVE_AGENCY)

    after = shared_data_item(declaration, K.ARCHIVE_AGENCY)
    assert (before.needs_evidence, before.satisfied) == (True, False)
    assert (after.needs_evidence, after.satisfied, after.has_evidence) == (False, True, True)
    assert shared_data_item(declaration, K.PERSONAL_DATA).needs_evidence is True


# --- the unit's finding ----------------------------------------------------------------------


def _submitted_with_failures(world, applicant, category="city_public") -> Declaration:  # type: ignore[no-untyped-def]
    declaration = draft(world, applicant, category=category)
    make_eligible(declaration)  # R4.7 content of floating personnel; nothing for others
    return submit(declaration)


def _audit(declaration: Declaration, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Declaration),
        object_id=str(declaration.pk), action=action,
    ))


@pytest.mark.django_db
def test_unit_confirms_failed_item_with_audit(world, applicant):
    declaration = _submitted_with_failures(world, applicant)
    admin = world.admin(world.unit)
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.ARCHIVE_AGENCY)

    confirmed = shared_data_confirm(check=check, actor=admin, accepted=True, note="已核对原件")

    assert (confirmed.status, confirmed.confirmed_by, confirmed.note) == (
        St.CONFIRMED_BY_UNIT, admin, "已核对原件"
    )
    assert shared_data_item(declaration, K.ARCHIVE_AGENCY).satisfied is True
    [row] = _audit(declaration, "shared_data_confirm")
    assert row.actor == admin
    assert row.data["kind"] == K.ARCHIVE_AGENCY
    assert (row.data["from"], row.data["to"]) == (St.NOT_VERIFIED, St.CONFIRMED_BY_UNIT)


@pytest.mark.django_db
def test_unit_rejects_failed_item_with_note_and_audit(world, applicant):
    declaration = _submitted_with_failures(world, applicant)
    admin = world.admin(world.unit)
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)

    rejected = shared_data_confirm(check=check, actor=admin, accepted=False, note="姓名与身份证不符")

    assert rejected.status == St.REJECTED_BY_UNIT
    assert shared_data_item(declaration, K.PERSONAL_DATA).satisfied is False
    assert _audit(declaration, "shared_data_reject")[0].reason == "姓名与身份证不符"


@pytest.mark.django_db
def test_unit_reject_without_note_refused(world, applicant):
    declaration = _submitted_with_failures(world, applicant)
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)

    with pytest.raises(ServiceError) as raised:
        shared_data_confirm(check=check, actor=world.admin(world.unit), accepted=False)

    assert raised.value.code == "note_required"


@pytest.mark.django_db
def test_unit_confirm_of_verified_item_refused(world, applicant):
    SharedDataRecord.objects.create(
        kind=K.PERSONAL_DATA, id_number=applicant.id_number, data={"name": applicant.real_name},
        source="参考数据集", imported_at="2025-01-01T00:00:00Z",
    )
    declaration = _submitted_with_failures(world, applicant)
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)

    with pytest.raises(TransitionNotAllowed) as raised:
        shared_data_confirm(check=check, actor=world.admin(world.unit), accepted=True)

    assert raised.value.code == "shared_data_verified"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["applicant", "next_step", "committee", "unrelated"])
def test_confirm_by_anyone_but_the_unit_holding_it_refused(world, applicant, who):
    declaration = _submitted_with_failures(world, applicant)
    actor = {
        "applicant": applicant,
        "next_step": world.admin(world.city_department),
        "committee": world.admin(world.committee_host),
        "unrelated": world.admin(world.agency),
    }[who]
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)

    with pytest.raises(PermissionRefused) as raised:
        shared_data_confirm(check=check, actor=actor, accepted=True)

    assert raised.value.code == "not_confirming_organisation"
    assert SharedDataCheck.objects.get(pk=check.pk).status == St.NOT_FOUND


@pytest.mark.django_db
def test_confirm_on_route_without_unit_is_done_by_first_step(world, applicant):
    declaration = _submitted_with_failures(world, applicant, category="freelancer")
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)

    confirmed = shared_data_confirm(check=check, actor=world.admin(world.agency), accepted=True)

    assert confirmed.status == St.CONFIRMED_BY_UNIT


@pytest.mark.django_db
def test_reverify_keeps_unit_finding_on_same_facts(world, applicant):
    declaration = _submitted_with_failures(world, applicant)
    admin = world.admin(world.unit)
    check = SharedDataCheck.objects.get(declaration=declaration, kind=K.PERSONAL_DATA)
    shared_data_confirm(check=check, actor=admin, accepted=True)

    shared_data_reverify(declaration=declaration, actor=admin)

    assert statuses(declaration)[K.PERSONAL_DATA] == St.CONFIRMED_BY_UNIT


@pytest.mark.django_db
def test_reverify_by_applicant_while_in_review_refused(world, applicant):
    declaration = _submitted_with_failures(world, applicant)

    with pytest.raises(PermissionRefused) as raised:
        shared_data_reverify(declaration=declaration, actor=applicant)

    assert raised.value.code == "shared_data_not_now"


# --- API and pages ---------------------------------------------------------------------------


def _confirm_url(declaration: Declaration, kind: str) -> str:
    return reverse("api:shared-data-confirm", args=[declaration.pk, kind])


@pytest.mark.django_db
def test_api_confirm_by_unit_answers_item(world, applicant, api_client):
    declaration = _submitted_with_failures(world, applicant)
    api_client.force_authenticate(world.admin(world.unit))

    response = api_client.post(_confirm_url(declaration, K.ARCHIVE_AGENCY), {"accepted": True},
                               format="json")

    assert response.status_code == 200
    assert response.json()["status"] == St.CONFIRMED_BY_UNIT
    assert response.json()["satisfied"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("applicant", 403), ("next_step", 403), ("outsider", 404), ("stranger", 404)],
)
def test_api_confirm_by_others_refused(world, applicant, api_client, who, status):
    declaration = _submitted_with_failures(world, applicant)
    actor = {
        "applicant": applicant,
        "next_step": world.admin(world.city_department),
        "outsider": world.admin(world.agency),
        "stranger": UserFactory(),
    }[who]
    api_client.force_authenticate(actor)

    response = api_client.post(_confirm_url(declaration, K.ARCHIVE_AGENCY), {"accepted": True},
                               format="json")

    assert response.status_code == status
    assert SharedDataCheck.objects.get(declaration=declaration, kind=K.ARCHIVE_AGENCY).status == (
        St.NOT_VERIFIED
    )


@pytest.mark.django_db
def test_api_shared_data_list_and_verify(world, applicant, api_client):
    declaration = draft(world, applicant)
    api_client.force_authenticate(applicant)

    empty = api_client.get(reverse("api:shared-data", args=[declaration.pk]))
    verified = api_client.post(reverse("api:shared-data-verify", args=[declaration.pk]))

    assert empty.json() == []
    assert verified.status_code == 200
    assert [i["kind"] for i in verified.json()] == list(K.values)
    assert verified.json()[0]["needs_evidence"] is True


@pytest.mark.django_db
def test_api_shared_data_list_query_count_constant(world, api_client, django_assert_num_queries):
    def prepared(n_items: int) -> Declaration:
        person = UserFactory()
        declaration = draft(world, person)
        give_content(declaration)
        records = all_records(world, person)
        kinds = list(K.values)[:n_items]
        shared_data_verify(declaration=declaration, actor=person,
                           source=FakeSource({k: v for k, v in records.items() if k[0] in kinds}))
        api_client.force_authenticate(person)
        return declaration

    small, large = prepared(1), prepared(6)
    url_small = reverse("api:shared-data", args=[small.pk])
    api_client.force_authenticate(small.applicant)
    api_client.get(url_small)  # warm caches (content types, sessions)
    # The declaration, its checks with who confirmed them, its evidence purposes: the
    # same for 1 item as for 6.
    with django_assert_num_queries(3):
        api_client.get(url_small)
    api_client.force_authenticate(large.applicant)
    api_client.get(reverse("api:shared-data", args=[large.pk]))
    with django_assert_num_queries(3):
        response = api_client.get(reverse("api:shared-data", args=[large.pk]))
    assert sum(i["status"] == St.VERIFIED for i in response.json()) == 6


@pytest.mark.django_db
def test_page_shows_verified_and_failed_items_apart(world, applicant, client):
    SharedDataRecord.objects.create(
        kind=K.PERSONAL_DATA, id_number=applicant.id_number, data={"name": applicant.real_name},
        source="参考数据集", imported_at="2025-01-01T00:00:00Z",
    )
    declaration = _submitted_with_failures(world, applicant)
    client.force_login(world.admin(world.unit))

    content = client.get(declaration.get_absolute_url()).content.decode()

    assert "已自动核验（无需上传证明材料）" in content
    assert "未通过自动核验" in content
    assert "需上传证明材料" in content
    assert content.count("保存核实结论") == 5


@pytest.mark.django_db
def test_page_confirm_records_finding(world, applicant, client):
    declaration = _submitted_with_failures(world, applicant)
    client.force_login(world.admin(world.unit))

    response = client.post(
        reverse("declarations:shared_data_confirm", args=[declaration.pk, K.ARCHIVE_AGENCY]),
        {f"{K.ARCHIVE_AGENCY}-decision": "accept", f"{K.ARCHIVE_AGENCY}-note": "已核对"},
    )

    assert response.status_code == 302
    assert SharedDataCheck.objects.get(declaration=declaration, kind=K.ARCHIVE_AGENCY).status == (
        St.CONFIRMED_BY_UNIT
    )


@pytest.mark.django_db
def test_page_reverify_by_applicant_on_draft(world, applicant, client):
    declaration = draft(world, applicant)
    client.force_login(applicant)

    response = client.post(reverse("declarations:shared_data_verify", args=[declaration.pk]))

    assert response.status_code == 302
    assert len(shared_data_items(declaration)) == 6


@pytest.mark.django_db
def test_verify_skips_qualification_when_applicant_holds_no_title(world, applicant):
    declaration = draft(world, applicant)
    CurrentTitle.objects.create(declaration=declaration, basis="none")

    shared_data_verify(declaration=declaration, actor=applicant, source=FakeSource())

    assert K.CURRENT_QUALIFICATION not in statuses(declaration)


@pytest.mark.django_db
def test_seed_demo_verifies_ready_applicants_with_one_item_deliberately_not():
    call_command("seed_demo", stdout=StringIO())

    def result(username: str) -> dict[str, str]:
        return statuses(Declaration.objects.get(applicant__username=username,
                                                state__in=["in_review", "unit_publicity"]))

    assert result("ready_city") == dict.fromkeys(K.values, St.VERIFIED)
    assert result("ready_remote")[K.ARCHIVE_AGENCY] == St.NOT_FOUND
    assert SharedDataRecord.objects.filter(kind=K.SOCIAL_INSURANCE_EMPLOYER).exclude(
        data__employer="重庆某信息技术服务有限公司"
    ).count() == SharedDataRecord.objects.filter(kind=K.SOCIAL_INSURANCE_EMPLOYER).count() - 1
