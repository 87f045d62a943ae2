"""Bulk pass (批量审核通过): ``step_pass`` on many declarations, each in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ServiceError
from declarations.models import Declaration
from declarations.selectors import declaration_visible_for_user
from review.services import step_pass

MAX_BULK = 100


@dataclass(frozen=True)
class BulkResult:
    """What happened to one id: passed (with the new state) or refused (with why)."""

    id: int
    passed: bool
    state: str = ""
    code: str = ""
    detail: str = ""
    applicant: str = ""


def step_pass_many(*, ids: Iterable[int], actor: User) -> list[BulkResult]:
    """Pass each declaration up its chain, one by one, each in its own transaction.

    One refusal does not stop the others. An id the actor may not see is refused as
    ``not_found``, exactly as a single pass would answer 404. At most ``MAX_BULK`` ids.
    """
    unique = list(dict.fromkeys(int(i) for i in ids))
    if not unique:
        raise ServiceError("ids_required", _("请至少选择一份申报。"), field="ids")
    if len(unique) > MAX_BULK:
        raise ServiceError(
            "too_many_ids", _("一次最多批量审核%(n)d份申报。") % {"n": MAX_BULK}, field="ids"
        )
    visible = {
        d.pk: d
        for d in declaration_visible_for_user(actor).filter(pk__in=unique).select_related("applicant")
    }
    results: list[BulkResult] = []
    for pk in unique:
        declaration = visible.get(pk)
        if declaration is None:
            results.append(
                BulkResult(id=pk, passed=False, code="not_found", detail=_("未找到该申报。"))
            )
            continue
        name = str(declaration.applicant)
        try:
            # step_pass is atomic on its own: each declaration is one transaction.
            done: Declaration = step_pass(declaration=declaration, actor=actor)
        except ServiceError as exc:
            results.append(
                BulkResult(
                    id=pk, passed=False, code=exc.code, detail=str(exc.message), applicant=name
                )
            )
        else:
            results.append(BulkResult(id=pk, passed=True, state=done.state, applicant=name))
    return results
