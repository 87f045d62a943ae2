"""Permission predicates of the committee (django-rules); views only name the permission.

Committee staff are the title administrators of the committee's host (R3.3). An object
outside the person's scope is looked up through a selector and answers 404.
"""

from __future__ import annotations

import rules


def _host_id(obj) -> int | None:  # type: ignore[no-untyped-def]
    """The host organisation id of a committee, or of a meeting's committee."""
    if obj is None:
        return None
    if hasattr(obj, "host_id"):
        return obj.host_id
    committee = getattr(obj, "committee", None)
    return committee.host_id if committee is not None else None


@rules.predicate
def is_committee_staff(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """The user administers titles for the host of the committee (or meeting's committee)."""
    org = user.administered_organisation if user.is_authenticated else None
    host_id = _host_id(obj)
    return org is not None and host_id is not None and org.pk == host_id


@rules.predicate
def is_the_expert(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """The user is the expert of a draw entry or a meeting seat."""
    expert = getattr(obj, "expert", None)
    return user.is_authenticated and expert is not None and expert.user_id == user.pk


@rules.predicate
def is_staff_of_entry(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """The user is committee staff of the meeting a draw entry or seat belongs to."""
    meeting = getattr(obj, "meeting", None) or getattr(getattr(obj, "draw", None), "meeting", None)
    return is_committee_staff.test(user, meeting)


rules.add_perm("committees.manage_committee", is_committee_staff)
rules.add_perm("committees.respond_invitation", is_the_expert | is_staff_of_entry)
rules.add_perm("committees.sign_in", is_the_expert)
