"""R7.1: the random draw, more than needed, without conflicted experts, reproducible."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from django.db import IntegrityError, transaction

from committees.enums import DrawEntryStatus, ExclusionReason
from committees.models import ConflictDeclaration, Draw, DrawEntry, MeetingMember, Recusal
from committees.selectors import draw_verify
from committees.services import draw_entry_respond, draw_perform, meeting_candidate_add
from committees.workflow import draw_permutation
from core.exceptions import ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from declarations.enums import Field
from tests.committees.factories import accepted_declaration, expert_add, meeting_make, setup_make
from tests.factories import OrganisationFactory, UserFactory


def _clean_pool(s, n: int, **kwargs):  # type: ignore[no-untyped-def]
    return [expert_add(s.committee, **kwargs) for _ in range(n)]


def test_draw_verify_reproducible_from_record(db) -> None:
    s = setup_make()
    _clean_pool(s, 8)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=4, drawn=5, actor=s.staff)
    draw = Draw.objects.get(pk=draw.pk)
    assert draw_verify(draw) is True
    # An independent re-implementation of the documented algorithm gives the same result.
    seed = bytes.fromhex(draw.seed)
    assert hashlib.sha256(seed).hexdigest() == draw.seed_commitment
    expected = sorted(
        draw.pool_snapshot,
        key=lambda i: (hmac.new(seed, str(i).encode(), hashlib.sha256).hexdigest(), i),
    )[:5]
    assert draw.result == expected
    assert [e.expert_id for e in DrawEntry.objects.filter(draw=draw).order_by("order")] == expected


def test_draw_verify_tampered_result_false(db) -> None:
    s = setup_make()
    _clean_pool(s, 8)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    outsider = next(i for i in draw.pool_snapshot if i not in draw.result)
    draw.result = [outsider, *draw.result[1:]]
    assert draw_verify(draw) is False


def test_draw_verify_tampered_seed_false(db) -> None:
    s = setup_make()
    _clean_pool(s, 8)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    draw.seed = "00" * 32
    assert draw_verify(draw) is False


def test_draw_verify_tampered_commitment_false(db) -> None:
    s = setup_make()
    _clean_pool(s, 8)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    draw.seed_commitment = hashlib.sha256(b"other").hexdigest()
    assert draw_verify(draw) is False


def test_draw_never_picks_conflicted_expert(db) -> None:
    s = setup_make()
    unit = OrganisationFactory()
    department = OrganisationFactory(kind="competent_department")
    other_unit = OrganisationFactory()
    applicant = UserFactory()
    first = accepted_declaration(s.campaign, unit=unit, route=[department], applicant=applicant)
    second = accepted_declaration(s.campaign, unit=other_unit)
    clean = _clean_pool(s, 5)
    at_unit = expert_add(s.committee, employer=unit)
    at_department = expert_add(s.committee, employer=department)
    at_other_unit = expert_add(s.committee, employer=other_unit)
    declared = expert_add(s.committee)
    ConflictDeclaration.objects.create(expert=declared, declaration=second, reason="师生关系")
    is_applicant = expert_add(s.committee, user=applicant)
    inactive = expert_add(s.committee, is_active=False)
    term_over = expert_add(s.committee, term_start=dt.date(2018, 1, 1), term_end=dt.date(2021, 12, 31))
    meeting = meeting_make(s, declarations=[first, second])

    # Only the five clean experts are eligible, so any conflicted one would be picked if
    # the exclusion failed: drawing five must give exactly the clean five.
    draw = draw_perform(meeting=meeting, needed=4, drawn=5, actor=s.staff)

    assert sorted(draw.result) == sorted(e.pk for e in clean)
    assert draw.excluded == {
        str(at_unit.pk): ExclusionReason.APPLICANT_UNIT,
        str(at_department.pk): ExclusionReason.ROUTE,
        str(at_other_unit.pk): ExclusionReason.APPLICANT_UNIT,
        str(declared.pk): ExclusionReason.DECLARED,
        str(is_applicant.pk): ExclusionReason.SELF,
        str(inactive.pk): ExclusionReason.INACTIVE,
        str(term_over.pk): ExclusionReason.TERM_OVER,
    }
    assert draw_verify(draw) is True


def test_draw_pool_too_small_refused(db) -> None:
    s = setup_make()
    unit = OrganisationFactory()
    _clean_pool(s, 2)
    expert_add(s.committee, employer=unit)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign, unit=unit)])
    with pytest.raises(ServiceError) as exc:
        draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    assert exc.value.code == "pool_too_small"
    assert Draw.objects.count() == 0


@pytest.mark.parametrize(("needed", "drawn"), [(5, 5), (5, 4)])
def test_draw_not_more_than_needed_refused(db, needed: int, drawn: int) -> None:
    s = setup_make()
    _clean_pool(s, 8)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    with pytest.raises(ServiceError) as exc:
        draw_perform(meeting=meeting, needed=needed, drawn=drawn, actor=s.staff)
    assert exc.value.code == "draw_not_over_needed"


def test_draw_row_more_than_needed_constraint(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(meeting=meeting, needed=3, drawn=3, seed_commitment="x", drawn_by=s.staff)


def test_draw_without_candidates_refused(db) -> None:
    s = setup_make()
    _clean_pool(s, 4)
    meeting = meeting_make(s)
    with pytest.raises(ServiceError) as exc:
        draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    assert exc.value.code == "no_candidates"


def test_draw_second_time_refused(db) -> None:
    s = setup_make()
    _clean_pool(s, 8)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    with pytest.raises(TransitionNotAllowed) as exc:
        draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    assert exc.value.code == "already_drawn"


def test_draw_field_filter(db) -> None:
    s = setup_make()
    ai = _clean_pool(s, 4, field=Field.ARTIFICIAL_INTELLIGENCE)
    _clean_pool(s, 4, field=Field.BIG_DATA)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(
        meeting=meeting, needed=2, drawn=3, field=Field.ARTIFICIAL_INTELLIGENCE, actor=s.staff
    )
    assert sorted(draw.pool_snapshot) == sorted(e.pk for e in ai)


def test_draw_audit_commit_before_result(db) -> None:
    s = setup_make()
    _clean_pool(s, 5)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    events = list(AuditEvent.objects.filter(action__startswith="draw_").order_by("pk"))
    assert [e.action for e in events] == ["draw_commit", "draw_perform"]
    assert events[0].data["seed_commitment"] == draw.seed_commitment
    assert "seed" not in events[0].data
    assert events[1].data["seed"] == draw.seed


def test_decline_draws_next_of_same_permutation(db) -> None:
    s = setup_make()
    _clean_pool(s, 6)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    permutation = draw_permutation(draw.pool_snapshot, draw.seed)
    first = DrawEntry.objects.get(draw=draw, order=1)

    draw_entry_respond(entry=first, accept=False, actor=s.staff)

    replacement = DrawEntry.objects.get(draw=draw, order=4)
    assert replacement.expert_id == permutation[3]
    assert replacement.status == DrawEntryStatus.REPLACEMENT
    assert replacement.replaces_id == first.pk
    assert DrawEntry.objects.get(pk=first.pk).status == DrawEntryStatus.DECLINED
    assert AuditEvent.objects.filter(action="draw_replacement").count() == 1
    assert draw_verify(Draw.objects.get(pk=draw.pk)) is True


def test_replacement_skips_expert_now_in_conflict(db) -> None:
    s = setup_make()
    unit = OrganisationFactory()
    experts = _clean_pool(s, 6)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    permutation = draw_permutation(draw.pool_snapshot, draw.seed)
    # The next in line now works at the unit of a candidate added after the draw.
    next_in_line = next(e for e in experts if e.pk == permutation[3])
    next_in_line.employer = unit
    next_in_line.save()
    meeting_candidate_add(
        meeting=meeting, declaration=accepted_declaration(s.campaign, unit=unit), actor=s.staff
    )

    draw_entry_respond(entry=DrawEntry.objects.get(draw=draw, order=1), accept=False, actor=s.staff)

    draw = Draw.objects.get(pk=draw.pk)
    assert DrawEntry.objects.get(draw=draw, order=4).expert_id == permutation[4]
    assert draw.skipped == {str(permutation[3]): ExclusionReason.APPLICANT_UNIT}
    assert draw_verify(draw) is True


def test_accept_seats_member_and_records_recusal(db) -> None:
    s = setup_make()
    unit = OrganisationFactory()
    experts = _clean_pool(s, 4)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    entry = DrawEntry.objects.get(draw=draw, order=1)
    expert = next(e for e in experts if e.pk == entry.expert_id)
    expert.employer = unit
    expert.save()
    late = accepted_declaration(s.campaign, unit=unit)
    candidate = meeting_candidate_add(meeting=meeting, declaration=late, actor=s.staff)
    assert Recusal.objects.filter(candidate=candidate).count() == 0

    draw_entry_respond(entry=entry, accept=True, actor=s.staff)

    assert MeetingMember.objects.filter(meeting=meeting, expert=expert).count() == 1
    recusal = Recusal.objects.get(candidate=candidate)
    assert (recusal.expert_id, recusal.reason) == (expert.pk, ExclusionReason.APPLICANT_UNIT)


def test_expert_answers_own_invitation_only(db) -> None:
    s = setup_make()
    experts = _clean_pool(s, 4, login=True)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    entry = DrawEntry.objects.get(draw=draw, order=1)
    own = next(e for e in experts if e.pk == entry.expert_id)
    other = next(e for e in experts if e.pk != entry.expert_id)
    with pytest.raises(ServiceError) as exc:
        draw_entry_respond(entry=entry, accept=True, actor=other.user)
    assert exc.value.code == "not_your_invitation"
    draw_entry_respond(entry=entry, accept=True, actor=own.user)
    assert DrawEntry.objects.get(pk=entry.pk).status == DrawEntryStatus.ACCEPTED
    with pytest.raises(TransitionNotAllowed):
        draw_entry_respond(entry=entry, accept=False, actor=own.user)
