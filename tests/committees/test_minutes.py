"""Opinions (R7.5) and the minutes PDF of a signed meeting (R7.5)."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from committees.ballots import ballot_cast, opinion_save
from committees.models import Minutes, Opinion
from committees.results import candidate_terminate, results_sign, voting_close
from core.exceptions import PermissionRefused, ServiceError
from tests.committees.ballot_factories import recuse, voting_meeting_make


def test_opinion_save_by_attending_expert(db):
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    opinion_save(candidate=c, actor=vm.members[1].expert.user, text="业绩突出")
    opinion_save(candidate=c, actor=vm.members[1].expert.user, text="业绩突出，建议通过")
    assert list(Opinion.objects.filter(candidate=c).values_list("expert", "text")) == [
        (vm.members[1].expert.pk, "业绩突出，建议通过")
    ]


def test_opinion_save_absent_or_recused_refused(db):
    vm = voting_meeting_make(attending=3, absent=1)
    c = vm.candidates[0]
    recuse(c, vm.members[2])
    for member, code in ((vm.absent[0], "absent"), (vm.members[2], "recused")):
        with pytest.raises(PermissionRefused) as exc:
            opinion_save(candidate=c, actor=member.expert.user, text="意见")
        assert exc.value.code == code


def test_opinion_save_empty_refused(db):
    vm = voting_meeting_make(attending=3)
    with pytest.raises(ServiceError) as exc:
        opinion_save(candidate=vm.candidates[0], actor=vm.members[0].expert.user, text=" ")
    assert exc.value.code == "opinion_required"


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603 - a fixed local tool on a file the test wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_minutes_pdf_lists_experts_results_and_terminations(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    vm = voting_meeting_make(attending=3, absent=1, candidates=2)
    passing, terminated = vm.candidates
    for m in vm.attending:
        ballot_cast(candidate=passing, actor=m.expert.user, choice="agree")
    opinion_save(candidate=passing, actor=vm.members[1].expert.user, text="技术能力突出，同意推荐")
    candidate_terminate(candidate=terminated, actor=vm.staff, reason="投诉查实：论文抄袭")
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    minutes = results_sign(meeting=vm.meeting, actor=vm.chair.user)

    stored = Minutes.objects.get(meeting=vm.meeting)
    data = stored.file.read()
    assert stored.pk == minutes.pk
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    assert data[:5] == b"%PDF-"
    text = pdf_text(data, tmp_path)
    for m in vm.attending:
        assert m.expert.name in text
    assert "评审会议纪要" in text
    assert passing.declaration.applicant.real_name in text
    assert "技术能力突出，同意推荐" in text
    assert "投诉查实：论文抄袭" in text
    assert "终止评审" in text
    assert "通过" in text
    assert f"主持人签署：{vm.chair.name}" in text.replace(" ", "")
    assert "实到 3 人" in text


def test_minutes_file_removed_when_signing_rolls_back(db, settings, tmp_path):
    """A failure after the minutes file is written leaves no orphan file (R7.5)."""
    from django.db import IntegrityError
    from django.utils import timezone

    from committees.models import Meeting

    settings.MEDIA_ROOT = tmp_path / "media"
    vm = voting_meeting_make(attending=3)
    for m in vm.attending:
        ballot_cast(candidate=vm.candidates[0], actor=m.expert.user, choice="agree")
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    # A stray row for the meeting makes saving the new minutes row fail after its file
    # is in storage.
    Minutes.objects.create(meeting=vm.meeting, file="stray.pdf", sha256="0" * 64, size=0,
                           created_at=timezone.now())

    with pytest.raises(IntegrityError):
        results_sign(meeting=vm.meeting, actor=vm.chair.user)

    media = tmp_path / "media"
    written = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert written == []
    assert Meeting.objects.get(pk=vm.meeting.pk).state == "voting_closed"
