"""Permission predicates on declarations (django-rules); views only name the permission."""

from __future__ import annotations

import rules

from declarations.enums import State


@rules.predicate
def is_applicant(user, declaration) -> bool:  # type: ignore[no-untyped-def]
    return declaration is not None and declaration.applicant_id == user.pk


@rules.predicate
def is_draft(user, declaration) -> bool:  # type: ignore[no-untyped-def]
    return declaration is not None and declaration.state == State.DRAFT


@rules.predicate
def is_returned(user, declaration) -> bool:  # type: ignore[no-untyped-def]
    return declaration is not None and declaration.state == State.RETURNED


@rules.predicate
def is_title_administrator(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_authenticated and user.administered_organisation is not None


@rules.predicate
def holds_it_at_step(user, declaration) -> bool:  # type: ignore[no-untyped-def]
    org = user.administered_organisation if user.is_authenticated else None
    return (
        declaration is not None
        and org is not None
        and declaration.current_organisation_id == org.pk
        and declaration.state == State.IN_REVIEW
    )


@rules.predicate
def holds_it_at_committee(user, declaration) -> bool:  # type: ignore[no-untyped-def]
    org = user.administered_organisation if user.is_authenticated else None
    return (
        declaration is not None
        and org is not None
        and declaration.current_organisation_id == org.pk
        and declaration.state == State.COMMITTEE_CHECK
    )


can_declare = rules.is_authenticated & ~is_title_administrator

rules.add_perm("declarations.add_declaration", can_declare)
rules.add_perm("declarations.change_declaration", is_applicant & is_draft)
rules.add_perm("declarations.submit_declaration", is_applicant & is_draft & can_declare)
rules.add_perm("declarations.resubmit_declaration", is_applicant & is_returned)
rules.add_perm("declarations.review_declaration", holds_it_at_step)
rules.add_perm("declarations.committee_check_declaration", holds_it_at_committee)


@rules.predicate
def material_editable(user, declaration) -> bool:  # type: ignore[no-untyped-def]
    # Achievements and evidence change only in a draft or while returned (R5.1, R6.1).
    return declaration is not None and declaration.state in (State.DRAFT, State.RETURNED)


rules.add_perm("declarations.change_material", is_applicant & material_editable)
