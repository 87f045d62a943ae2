"""The declaration's state machine: the transition matrix and its table (DESIGN.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django_fsm import TransitionNotAllowed as FSMTransitionNotAllowed

from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_transition
from declarations.workflow import FINAL_STATES, TRANSITIONS
from tests.factories import DeclarationFactory

S = State
OPEN_AFTER_SUBMIT = {
    S.IN_REVIEW,
    S.RETURNED,
    S.UNIT_PUBLICITY,
    S.COMMITTEE_CHECK,
    S.ACCEPTED,
    S.PASSED,
    S.RESULTS_PUBLICITY,
}

# The life of a declaration as DESIGN.md draws it: transition -> (sources, target).
# Written out by hand so that a change to the model must be made here too.
EXPECTED: dict[str, tuple[frozenset[State], State]] = {
    "submit": (frozenset({S.DRAFT}), S.IN_REVIEW),
    "forward": (frozenset({S.IN_REVIEW}), S.IN_REVIEW),
    "send_to_committee": (frozenset({S.IN_REVIEW}), S.COMMITTEE_CHECK),
    "start_unit_publicity": (frozenset({S.IN_REVIEW}), S.UNIT_PUBLICITY),
    "end_unit_publicity": (frozenset({S.UNIT_PUBLICITY}), S.IN_REVIEW),
    "return_for_correction": (frozenset({S.IN_REVIEW, S.COMMITTEE_CHECK}), S.RETURNED),
    "resubmit": (frozenset({S.RETURNED}), S.IN_REVIEW),
    "resubmit_to_committee": (frozenset({S.RETURNED}), S.COMMITTEE_CHECK),
    "refuse": (frozenset({S.IN_REVIEW, S.UNIT_PUBLICITY}), S.NOT_RECOMMENDED),
    "abandon": (frozenset({S.RETURNED}), S.ABANDONED),
    "accept": (frozenset({S.COMMITTEE_CHECK}), S.ACCEPTED),
    "not_accept": (frozenset({S.COMMITTEE_CHECK}), S.NOT_ACCEPTED),
    "pass_review": (frozenset({S.ACCEPTED}), S.PASSED),
    "fail_review": (frozenset({S.ACCEPTED}), S.FAILED),
    "start_results_publicity": (frozenset({S.PASSED}), S.RESULTS_PUBLICITY),
    "confirm": (frozenset({S.RESULTS_PUBLICITY}), S.CONFIRMED),
    "certify": (frozenset({S.CONFIRMED}), S.CERTIFIED),
    "terminate": (frozenset(OPEN_AFTER_SUBMIT), S.TERMINATED),
    "withdraw": (frozenset({S.DRAFT, S.IN_REVIEW, S.RETURNED}), S.WITHDRAWN),
}

RULE_ID = re.compile(r"^R\d+(\.\d+)?a?$")


def model_transitions() -> set[tuple[str, str, str]]:
    field = Declaration._meta.get_field("state")
    return {(t.name, str(t.source), str(t.target)) for t in field.get_all_transitions(Declaration)}


def in_state(declaration: Declaration, state: str) -> Declaration:
    """Put the row in ``state`` (the field is protected) and return a fresh copy."""
    Declaration.objects.filter(pk=declaration.pk).update(state=state)
    return Declaration.objects.get(pk=declaration.pk)


# -- the model against the design ----------------------------------------------------


def test_model_transitions_match_the_design():
    expected = {
        (name, str(source), str(target)) for name, (sources, target) in EXPECTED.items() for source in sources
    }
    assert model_transitions() == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("state", list(State), ids=[s.value for s in State])
def test_transition_from_state_legal_iff_designed(state, name):
    declaration = in_state(DeclarationFactory(), state)
    sources, target = EXPECTED[name]

    if state in sources:
        getattr(declaration, name)()
        assert declaration.state == target
    else:
        with pytest.raises(FSMTransitionNotAllowed):
            getattr(declaration, name)()
        assert declaration.state == state
    # The methods change the instance only; the row is unchanged.
    assert Declaration.objects.get(pk=declaration.pk).state == state


@pytest.mark.django_db
@pytest.mark.parametrize("source", list(State), ids=[s.value for s in State])
def test_state_pair_reachable_in_one_step_iff_a_transition_maps_it(source):
    declaration = DeclarationFactory()
    reached: set[str] = set()
    for name in EXPECTED:
        fresh = in_state(declaration, source)
        try:
            getattr(fresh, name)()
        except FSMTransitionNotAllowed:
            continue
        reached.add(fresh.state)

    designed = {target for sources, target in EXPECTED.values() if source in sources}
    assert {to.value: to in reached for to in State} == {to.value: to in designed for to in State}


def test_final_states_are_exactly_those_without_a_way_out():
    leaving = {source for sources, _ in EXPECTED.values() for source in sources}
    assert set(FINAL_STATES) == set(State) - leaving


# -- the transition table (declarations.workflow.TRANSITIONS) --------------------------


def _rules_md() -> Path | None:
    for candidate in (
        Path(settings.BASE_DIR) / "docs" / "RULES.md",
        Path(settings.BASE_DIR).parent / "shared" / "RULES.md",
    ):
        if candidate.is_file():
            return candidate
    return None


def test_transition_table_names_exactly_the_model_transitions():
    assert set(TRANSITIONS) == {name for name, _, _ in model_transitions()}
    assert all(info.name == key for key, info in TRANSITIONS.items())


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_transition_table_entry_cites_rules_and_names_an_actor(name):
    info = TRANSITIONS[name]
    assert len(info.rules) >= 1
    assert [r for r in info.rules if not RULE_ID.match(r)] == []
    assert info.actor in {"applicant", "reviewer", "committee", "approval", "system"}
    assert str(info.label) != ""


def test_transition_table_rule_ids_exist_in_rules_md():
    path = _rules_md()
    if path is None:
        pytest.skip("RULES.md is not available next to this checkout")
    text = path.read_text(encoding="utf-8")
    known = set(re.findall(r"^- (R\d+(?:\.\d+)?a?) ", text, flags=re.MULTILINE))
    known |= set(re.findall(r"^## (R\d+) ", text, flags=re.MULTILINE))
    cited = {rule for info in TRANSITIONS.values() for rule in info.rules}
    assert cited - known == set()


# -- through the service ---------------------------------------------------------------


@pytest.mark.django_db
def test_declaration_transition_illegal_refused_without_audit_row():
    declaration = DeclarationFactory()
    before = AuditEvent.objects.count()

    with pytest.raises(TransitionNotAllowed) as caught, transaction.atomic():
        declaration_transition(declaration=declaration, name="accept", actor=declaration.applicant)

    assert caught.value.code == "illegal_transition"
    assert caught.value.status_code == 409
    assert AuditEvent.objects.count() == before
    assert Declaration.objects.get(pk=declaration.pk).state == S.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_declaration_transition_from_final_state_refused(state):
    declaration = in_state(DeclarationFactory(), state)
    before = AuditEvent.objects.count()
    for name in EXPECTED:
        with pytest.raises(TransitionNotAllowed), transaction.atomic():
            declaration_transition(declaration=declaration, name=name, actor=None)
    assert AuditEvent.objects.count() == before
    assert Declaration.objects.get(pk=declaration.pk).state == state


@pytest.mark.django_db
def test_declaration_transition_legal_saves_state_and_one_audit_row():
    declaration = in_state(DeclarationFactory(), S.COMMITTEE_CHECK)
    actor = declaration.applicant

    with transaction.atomic():
        result = declaration_transition(
            declaration=declaration, name="not_accept", actor=actor, reason="不符合申报条件"
        )

    row = Declaration.objects.get(pk=declaration.pk)
    assert (result.state, row.state) == (S.NOT_ACCEPTED, S.NOT_ACCEPTED)
    assert row.state_changed_at is not None
    events = list(AuditEvent.objects.filter(object_id=str(declaration.pk)))
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.actor, event.from_state, event.to_state, event.reason) == (
        "not_accept",
        actor,
        S.COMMITTEE_CHECK,
        S.NOT_ACCEPTED,
        "不符合申报条件",
    )
    assert event.data == {"rules": ["R6.6"]}
