"""A meeting's document batch: one Celery task per declaration, progress, idempotence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.enums import BatchKind, BatchState
from certificates.models import Certificate, DocumentBatch, ReviewForm
from certificates.services import document_batch_item_run, document_batch_start
from core.exceptions import PermissionRefused, TransitionNotAllowed
from declarations.enums import State
from declarations.models import Declaration
from tests.certificates.document_factories import confirmed_meeting_make
from tests.committees.ballot_factories import voting_meeting_make
from tests.factories import UserFactory


@pytest.fixture
def confirmed(db, settings, tmp_path, seal_settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make(candidates=2, opinion=False)
    seal_settings.issue_all()
    return cm


def test_batch_issues_every_confirmed_declaration(confirmed, django_capture_on_commit_callbacks):
    cm = confirmed
    with django_capture_on_commit_callbacks(execute=True):
        batch = document_batch_start(meeting=cm.meeting, actor=cm.staff)
    batch.refresh_from_db()
    assert (batch.state, batch.total, batch.done, batch.skipped, batch.failed) == (
        BatchState.FINISHED,
        2,
        2,
        0,
        0,
    )
    assert batch.finished_at is not None
    assert Certificate.objects.filter(stored_at__isnull=False).count() == 2
    assert ReviewForm.objects.count() == 2
    assert set(Declaration.objects.filter(pk__in=batch.declaration_ids).values_list("state", flat=True)) == {
        State.CERTIFIED
    }
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert [n.split("-")[2] for n in numbers] == ["000001", "000002"]


def test_batch_rerun_skips_what_is_stored(confirmed, django_capture_on_commit_callbacks):
    cm = confirmed
    with django_capture_on_commit_callbacks(execute=True):
        first = document_batch_start(meeting=cm.meeting, actor=cm.staff)
    numbers = dict(Certificate.objects.values_list("declaration_id", "number"))
    with django_capture_on_commit_callbacks(execute=True):
        second = document_batch_start(meeting=cm.meeting, actor=cm.approval_admin)
    second.refresh_from_db()
    assert second.pk != first.pk
    assert (second.state, second.done, second.skipped, second.failed) == (BatchState.FINISHED, 0, 2, 0)
    assert dict(Certificate.objects.values_list("declaration_id", "number")) == numbers
    # Running one item of a batch again changes nothing.
    pk = second.declaration_ids[0]
    assert document_batch_item_run(batch_id=second.pk, declaration_id=pk) == "skipped"
    second.refresh_from_db()
    assert (second.done, second.skipped) == (0, 2)


def test_batch_running_is_returned_not_duplicated(confirmed, django_capture_on_commit_callbacks):
    cm = confirmed
    batch = document_batch_start(meeting=cm.meeting, actor=cm.staff)  # tasks not run: no commit
    again = document_batch_start(meeting=cm.meeting, actor=cm.staff)
    assert again.pk == batch.pk and DocumentBatch.objects.count() == 1
    # Resuming queues what is left; the batch then finishes.
    with django_capture_on_commit_callbacks(execute=True):
        document_batch_start(meeting=cm.meeting, actor=cm.staff)
    batch.refresh_from_db()
    assert batch.state == BatchState.FINISHED and batch.done == 2


def test_batch_records_failures(db, settings, tmp_path, seal_settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make(candidates=1, opinion=False)  # no seal keys issued
    with django_capture_on_commit_callbacks(execute=True):
        batch = document_batch_start(meeting=cm.meeting, actor=cm.staff, kind=BatchKind.REVIEW_FORMS)
    batch.refresh_from_db()
    assert (batch.state, batch.failed, batch.done) == (BatchState.FINISHED, 1, 0)
    assert "电子印章" in batch.errors[str(batch.declaration_ids[0])]


def test_batch_refusals(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    vm = voting_meeting_make(attending=3)
    with pytest.raises(TransitionNotAllowed) as exc:
        document_batch_start(meeting=vm.meeting, actor=vm.staff)
    assert exc.value.code == "nothing_to_issue"
    with pytest.raises(PermissionRefused):
        document_batch_start(meeting=vm.meeting, actor=UserFactory())


def test_batch_pages_and_progress_fragment(client, confirmed, django_capture_on_commit_callbacks):
    cm = confirmed
    client.force_login(cm.staff)
    page = client.get(reverse("certificates:meeting", args=[cm.meeting.pk]))
    assert page.status_code == 200 and "开始生成" in page.content.decode()
    response = client.post(reverse("certificates:batch_start", args=[cm.meeting.pk]), {"kind": "documents"})
    batch = DocumentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    running = client.get(reverse("certificates:batch_progress", args=[batch.pk])).content.decode()
    assert "hx-trigger" in running and "0 / 2" in running
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "js/htmx.min.js" in page and 'id="batch-progress"' in page
    for pk in batch.declaration_ids:
        document_batch_item_run(batch_id=batch.pk, declaration_id=pk)
    finished = client.get(reverse("certificates:batch_progress", args=[batch.pk])).content.decode()
    assert "hx-trigger" not in finished and "2 / 2" in finished
    client.force_login(UserFactory())
    assert client.get(reverse("certificates:batch_progress", args=[batch.pk])).status_code == 404
