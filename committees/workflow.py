"""Pure rules of the committee: quorum (R7.2), the draw's permutation and conflicts (R7.1).

Nothing here touches the database; services and selectors gather the facts and call
these functions, so each rule lives in one place and cites its id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

from committees.enums import ExclusionReason


def quorum_met(attending: int, members: int) -> bool:
    """Whether enough members attend for the committee to sit (R7.2).

    R7.2: at least 2/3 of the members attend, ``attending × 3 ≥ members × 2`` in
    integers (R9.2: "at least" includes the bound). A meeting without members has none.
    """
    return members > 0 and attending * 3 >= members * 2


def seed_commitment(seed_hex: str) -> str:
    """Return the SHA-256 commitment (hex) of a draw's seed, given as hex (R7.1)."""
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def draw_key(seed_hex: str, expert_id: int) -> str:
    """Return the sort key of one expert: HMAC-SHA256(seed, decimal id), in hex."""
    return hmac.new(bytes.fromhex(seed_hex), str(expert_id).encode("ascii"), hashlib.sha256).hexdigest()


def draw_permutation(pool: Iterable[int], seed_hex: str) -> list[int]:
    """Order the eligible expert ids of a draw by the seed (R7.1, docs/committee.md).

    Each id is keyed by ``HMAC-SHA256(key=seed bytes, message=ASCII decimal id)`` and the
    ids are sorted by that key's hex digest (ties, which do not occur in practice, by id).
    The first ``drawn`` ids are the draw's result; replacements come next in this order.
    Anyone holding the pool snapshot and the revealed seed can recompute it.
    """
    return sorted(pool, key=lambda expert_id: (draw_key(seed_hex, expert_id), expert_id))


def conflict_reason(
    *,
    employer_id: int | None,
    expert_user_id: int | None,
    declared: bool,
    applicant_id: int,
    applicant_unit_id: int | None,
    route_organisation_ids: Sequence[int] | set[int],
) -> str | None:
    """Return why an expert must recuse for one candidate, or None (R7.1 回避).

    An expert recuses from a candidate when they are the applicant, when they declared a
    conflict with the declaration, when their employer is the applicant's unit, or when
    their employer is any organisation on the candidate's route (who reviewed or
    recommended it). Checked in that order; the first reason found is returned.
    """
    if expert_user_id is not None and expert_user_id == applicant_id:
        return ExclusionReason.SELF
    if declared:
        return ExclusionReason.DECLARED
    if employer_id is not None and employer_id == applicant_unit_id:
        return ExclusionReason.APPLICANT_UNIT
    if employer_id is not None and employer_id in route_organisation_ids:
        return ExclusionReason.ROUTE
    return None
