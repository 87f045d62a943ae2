"""Pure helpers for routing chains: resolve the organisations a declaration passes (R4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.enums import OrgKind
from accounts.models import Organisation
from core.exceptions import ServiceError
from review.enums import Slot
from review.models import ChainStep


@dataclass(frozen=True)
class ResolvedStep:
    position: int
    slot: str
    organisation: Organisation


def resolve_route(
    steps: Iterable[ChainStep], picks: Mapping[str, Organisation | None]
) -> list[ResolvedStep]:
    """Return the ordered organisations for a chain given the applicant's picks.

    Raises ``ServiceError`` naming the first step that cannot be filled: a missing
    organisation tells the applicant to ask it to register (R3.4); a wrong one says
    what kind, level or district the step needs (R4.1 to R4.6).
    """
    resolved: list[ResolvedStep] = []
    for step in steps:
        org = picks.get(step.slot)
        slot_label = Slot(step.slot).label
        if org is None:
            raise ServiceError(
                "organisation_missing",
                _(
                    "申报程序缺少“%(slot)s”。如在平台上找不到该机构，请联系该机构先在平台注册"
                    "（R3.4）。"
                )
                % {"slot": slot_label},
                field=step.slot,
            )
        if org.kind != step.org_kind or not org.is_active:
            raise ServiceError(
                "organisation_wrong_kind",
                _("“%(org)s”不是有效的%(kind)s，不能作为“%(slot)s”。")
                % {"org": org.name, "kind": OrgKind(step.org_kind).label, "slot": slot_label},
                field=step.slot,
            )
        if step.required_level and org.level != step.required_level:
            raise ServiceError(
                "organisation_wrong_level",
                _("本申报程序要求“%(slot)s”为%(level)s机构，“%(org)s”不符合。")
                % {"slot": slot_label, "level": step.get_required_level_display(), "org": org.name},
                field=step.slot,
            )
        if step.same_district_as:
            other = picks.get(step.same_district_as)
            if other is not None and other.district != org.district:
                raise ServiceError(
                    "organisation_wrong_district",
                    _("“%(slot)s”须为“%(other_slot)s”所在区县（%(district)s）的机构。")
                    % {
                        "slot": slot_label,
                        "other_slot": Slot(step.same_district_as).label,
                        "district": other.get_district_display(),
                    },
                    field=step.slot,
                )
        resolved.append(ResolvedStep(position=step.position, slot=step.slot, organisation=org))
    return resolved
