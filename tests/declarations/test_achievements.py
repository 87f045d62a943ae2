"""Achievements: what counts (R2.5), their evidence (R8.6), who changes them, and R6.6."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from declarations.achievements import (
    achievement_create,
    achievement_delete,
    achievement_update,
    achievement_views,
    counts_after_title,
    missing_evidence,
)
from declarations.enums import ACHIEVEMENT_EVIDENCE, AchievementKind, EvidencePurpose
from declarations.evidence import evidence_upload
from declarations.models import Achievement, CurrentTitle, Evidence
from declarations.services import declaration_resubmit, declaration_submit
from review.services import step_return
from tests.conftest import publicise_and_release
from tests.declarations.material_helpers import PDF, draft, patent, upload
from tests.factories import UserFactory

TITLE_ON = dt.date(2020, 7, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- R2.5 ---------------------------------------------------------------------------------


def test_counts_after_title_day_after_counts():
    assert counts_after_title(TITLE_ON + dt.timedelta(days=1), TITLE_ON) == (True, "")


def test_counts_after_title_same_day_does_not_count():
    counted, reason = counts_after_title(TITLE_ON, TITLE_ON)
    assert counted is False
    assert "R2.5" in reason


def test_counts_after_title_day_before_does_not_count():
    assert counts_after_title(TITLE_ON - dt.timedelta(days=1), TITLE_ON)[0] is False


def test_counts_after_title_without_current_title_counts():
    assert counts_after_title(TITLE_ON, None) == (True, "")


def test_achievement_views_mark_boundary_against_current_title(world, applicant):
    d = draft(world, applicant)
    CurrentTitle.objects.create(declaration=d, obtained_on=TITLE_ON)
    before = patent(d, applicant, obtained_on=TITLE_ON - dt.timedelta(days=1), with_evidence=False)
    same = patent(d, applicant, obtained_on=TITLE_ON, with_evidence=False)
    after = patent(d, applicant, obtained_on=TITLE_ON + dt.timedelta(days=1), with_evidence=False)
    counted = {v.achievement.pk: v.counted for v in achievement_views(d)}
    assert counted == {before.pk: False, same.pk: False, after.pk: True}
    reasons = {v.achievement.pk: v.not_counted_reason for v in achievement_views(d)}
    assert "2020-07-01" in reasons[same.pk]
    assert reasons[after.pk] == ""


# --- R8.6 ---------------------------------------------------------------------------------


def test_every_kind_declares_its_evidence():
    assert set(ACHIEVEMENT_EVIDENCE) == set(AchievementKind.values)


def test_missing_evidence_of_paper_lists_three_items():
    assert missing_evidence(AchievementKind.PAPER, set()) == ["封面", "论文正文页", "检索证明"]


def test_missing_evidence_of_work_result_accepts_agreement_for_contract():
    missing = missing_evidence(
        AchievementKind.WORK_RESULT, {EvidencePurpose.AGREEMENT, EvidencePurpose.PROJECT_REPORT_EXCERPT}
    )
    assert missing == []


def test_submit_refused_while_counted_achievement_lacks_evidence(world, applicant):
    d = draft(world, applicant)
    patent(d, applicant, with_evidence=False)
    with pytest.raises(ServiceError) as exc:
        declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    assert exc.value.code == "achievement_evidence_missing"
    assert "专利证书" in str(exc.value.message)


def test_submit_allowed_when_uncounted_achievement_lacks_evidence(world, applicant):
    d = draft(world, applicant)
    CurrentTitle.objects.create(declaration=d, obtained_on=TITLE_ON)
    patent(d, applicant, obtained_on=TITLE_ON, with_evidence=False)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    assert d.state == "in_review"


def test_submit_allowed_with_complete_evidence(world, applicant):
    d = draft(world, applicant)
    patent(d, applicant)
    assert declaration_submit(declaration=d, actor=applicant, integrity_accepted=True).state == "in_review"


# --- who and when -------------------------------------------------------------------------


def test_create_writes_audit_row(world, applicant):
    d = draft(world, applicant)
    a = patent(d, applicant, with_evidence=False)
    event = AuditEvent.objects.filter(action="achievement_create").get()
    assert event.data["achievement"] == a.pk
    assert event.actor == applicant


def test_create_by_other_person_refused(world, applicant):
    d = draft(world, applicant)
    with pytest.raises(PermissionRefused):
        patent(d, UserFactory(), with_evidence=False)
    assert Achievement.objects.count() == 0


def test_create_refused_while_in_review(world, applicant):
    d = draft(world, applicant)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    with pytest.raises(TransitionNotAllowed) as exc:
        patent(d, applicant, with_evidence=False)
    assert exc.value.code == "not_editable"


def test_create_refuses_future_date(world, applicant):
    d = draft(world, applicant)
    with pytest.raises(ServiceError) as exc:
        patent(d, applicant, obtained_on=dt.date.today() + dt.timedelta(days=2), with_evidence=False)
    assert exc.value.code == "date_in_future"


def test_update_keeps_before_and_after_in_audit(world, applicant):
    d = draft(world, applicant)
    a = patent(d, applicant, with_evidence=False)
    achievement_update(declaration=d, achievement=a, actor=applicant, title="改进的数据清洗方法")
    event = AuditEvent.objects.filter(action="achievement_update").get()
    assert event.data["changes"] == {"title": ["一种数据清洗方法", "改进的数据清洗方法"]}


def test_update_kind_refused_when_files_do_not_fit(world, applicant):
    d = draft(world, applicant)
    a = patent(d, applicant)
    with pytest.raises(ServiceError) as exc:
        achievement_update(declaration=d, achievement=a, actor=applicant, kind=AchievementKind.PAPER)
    assert exc.value.code == "evidence_purpose_mismatch"


def test_delete_removes_evidence_rows_and_files(
    world, applicant, settings, tmp_path, django_capture_on_commit_callbacks
):
    d = draft(world, applicant)
    a = patent(d, applicant)
    path = tmp_path / Evidence.objects.get().file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        achievement_delete(declaration=d, achievement=a, actor=applicant)
    assert Achievement.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert path.exists() is False


# --- R6.6 ---------------------------------------------------------------------------------


def _returned_after_publicity(world, applicant):
    d = draft(world, applicant)
    publicised = patent(d, applicant)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    d = publicise_and_release(d, world)
    d = step_return(declaration=d, actor=world.admin(world.unit), defects=["请补充专利证书原件扫描件"])
    assert d.state == "returned"
    return d, publicised


def test_add_after_publicity_refused(world, applicant):
    d, _ = _returned_after_publicity(world, applicant)
    with pytest.raises(ServiceError) as exc:
        patent(d, applicant, with_evidence=False)
    assert exc.value.code == "achievement_not_publicised"
    assert Achievement.objects.filter(declaration=d).count() == 1


def test_publicised_achievement_may_be_corrected_and_completed_after_publicity(world, applicant):
    d, publicised = _returned_after_publicity(world, applicant)
    achievement_update(declaration=d, achievement=publicised, actor=applicant, role="第一发明人（共3人）")
    evidence_upload(
        declaration=d,
        actor=applicant,
        purpose=EvidencePurpose.PATENT_CERTIFICATE,
        uploaded_file=upload("专利证书-原件.pdf", PDF),
        achievement=publicised,
    )
    views = achievement_views(d)
    assert [v.publicised for v in views] == [True]
    assert declaration_resubmit(declaration=d, actor=applicant).state == "in_review"


def test_add_when_returned_before_publicity_allowed(world, applicant):
    d = draft(world, applicant)
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    d = step_return(declaration=d, actor=world.admin(world.unit), defects=["请补充业绩成果"])
    a = achievement_create(
        declaration=d,
        actor=applicant,
        kind=AchievementKind.ACADEMIC_REPORT,
        title="大数据治理报告",
        obtained_on=dt.date(2024, 3, 1),
        role="报告人",
    )
    assert a.declaration_id == d.pk
    assert achievement_views(d)[0].publicised is None
