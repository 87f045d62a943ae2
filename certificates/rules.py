"""Who may issue, revoke and see the documents of a confirmed declaration.

Issuing: the title administrators of the committee's host, of its approval body, or of
the sealing organisation. Revoking: those of the sealing organisation or of the
committee's approval body, and the title office (a superuser). Others who may not see a
document get 404 from the selectors, never 403.
"""

from __future__ import annotations

from typing import Any


def _org_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    org = user.administered_organisation
    return org.pk if org is not None else None


def may_issue(user: Any, committee: Any, sealing_organisation: Any) -> bool:
    """Whether ``user`` may render and issue the documents of ``committee``'s candidates."""
    org_id = _org_id(user)
    return org_id is not None and org_id in {
        committee.host_id,
        committee.approval_body_id,
        getattr(sealing_organisation, "pk", None),
    }


def may_revoke(user: Any, certificate: Any) -> bool:
    """Whether ``user`` may revoke ``certificate`` (R8.7: the approval body or the office)."""
    if user is not None and getattr(user, "is_superuser", False):
        return True
    org_id = _org_id(user)
    return org_id is not None and org_id in {
        certificate.sealing_organisation_id,
        certificate.committee.approval_body_id,
    }
