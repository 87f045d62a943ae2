"""Before and after the cheaper submission (docs/benchmarks.md), measured in the same process.

``submit_path()`` submits the same seeded drafts through the submit endpoint's view twice,
each inside a transaction that is rolled back (so nothing is used up): once through the
former path, kept below (``_BeforeSubmitApi``: the full declaration looked up, each
reader querying the content sections again, the organisation picks one by one, the
payment through ``get_or_create``, and an answer built by a new serializer after
prefetching its relations), and once through the view as it is now. Both run the whole
DRF request (token authentication included) without the middleware; times are medians
in milliseconds of wall time and of this process's CPU time, queries per request.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection, transaction


class _Rollback(Exception):
    pass


def _before_submit(*, declaration: Any, actor: Any, integrity_accepted: bool, ip_address: str | None) -> Any:
    """``declaration_submit`` as it was before the change (same checks, same writes)."""
    from django.utils import timezone

    from accounts.models import User
    from core.exceptions import ServiceError
    from declarations import services as s
    from declarations.achievements import achievement_views
    from declarations.enums import VersionReason
    from declarations.models import Payment
    from declarations.shareddata.services import shared_data_verify
    from declarations.versions import version_freeze
    from review.models import ChainStep, RouteStep, RoutingChain
    from review.workflow import resolve_route

    route: list[Any] = []

    def check(d: Any) -> None:
        s._refuse_unless_applicant(d, actor)
        User.objects.select_for_update().get(pk=actor.pk)
        s._refuse_if_administrator(actor)
        if not integrity_accepted:
            raise ServiceError("integrity_required", "R5.2")
        now = timezone.now()
        campaign = d.campaign
        if not (campaign.filing_opens_at <= now <= campaign.filing_closes_at):
            raise ServiceError("outside_filing_window", "R8.3")
        s._require_complete(d)
        s._refuse_second_normal(d)
        for view in achievement_views(d):
            if view.counted and view.missing_evidence:
                raise ServiceError("achievement_evidence_missing", "R8.6")
        try:
            chain = RoutingChain.objects.get(category=d.category)
        except RoutingChain.DoesNotExist:
            raise ServiceError("chain_missing", "") from None
        d.chain = chain
        steps = ChainStep.objects.filter(chain=chain).order_by("position")
        picks = {slot: getattr(d, slot) for slot in s.ORG_SLOTS}
        route.extend(resolve_route(steps, picks))
        s._refuse_if_not_eligible(d)

    def apply(d: Any) -> list[str]:
        RouteStep.objects.filter(declaration=d).delete()
        RouteStep.objects.bulk_create(
            RouteStep(declaration=d, position=i, slot=r.slot, organisation=r.organisation)
            for i, r in enumerate(route)
        )
        used = {r.slot for r in route}
        for slot in s.ORG_SLOTS:
            if slot not in used:
                setattr(d, slot, None)
        now = timezone.now()
        d.integrity_signed_at = now
        d.integrity_signed_ip = ip_address
        d.submitted_at = d.submitted_at or now
        d.current_step = 0
        d.current_organisation = route[0].organisation
        Payment.objects.get_or_create(declaration=d, defaults={"amount": d.campaign.fee_for(d.level)})
        shared_data_verify(declaration=d, actor=actor)
        version_freeze(declaration=d, reason=VersionReason.SUBMIT, actor=actor)
        return [
            "chain",
            "integrity_signed_at",
            "integrity_signed_ip",
            "submitted_at",
            "current_step",
            "current_organisation",
            *s.ORG_SLOTS,
        ]

    with transaction.atomic():
        return s.declaration_transition(
            declaration=declaration, name="submit", actor=actor, check=check, apply=apply
        )


def _views() -> tuple[Any, Any]:
    from declarations.api.serializers import DeclarationSubmitInputSerializer
    from declarations.api.views import (
        DeclarationActionApi,
        DeclarationSubmitApi,
    )

    class _BeforeSubmitApi(DeclarationActionApi):
        # DeclarationActionApi.post: declaration_get_for_user, then declaration_response.
        input_serializer = DeclarationSubmitInputSerializer

        def act(self, request: Any, declaration: Any, data: dict[str, Any]) -> Any:
            return _before_submit(
                declaration=declaration,
                actor=request.user,
                integrity_accepted=data["integrity_accepted"],
                ip_address=request.META.get("REMOTE_ADDR") or None,
            )

    return _BeforeSubmitApi.as_view(), DeclarationSubmitApi.as_view()


def _drafts(n: int) -> list[tuple[int, str]]:
    from rest_framework.authtoken.models import Token

    from declarations.enums import State
    from declarations.models import Declaration

    tokens = dict(Token.objects.values_list("user_id", "key"))
    rows = (
        Declaration.objects.filter(state=State.DRAFT, applicant_id__in=list(tokens))
        .order_by("pk")
        .values_list("pk", "applicant_id")[:n]
    )
    return [(pk, tokens[uid]) for pk, uid in rows]


def submit_path(n: int = 60) -> dict[str, float]:
    """Submit ``n`` seeded drafts through the former and the current path; medians."""
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIRequestFactory

    factory = APIRequestFactory()
    before_view, after_view = _views()
    drafts = _drafts(n)
    if not drafts:
        raise RuntimeError("no seeded draft with an API token to submit")
    samples: dict[str, dict[str, list[float]]] = {
        label: {"ms": [], "cpu_ms": [], "queries": []} for label in ("before", "after")
    }

    def once(view: Any, pk: int, token: str) -> tuple[float, float, int]:
        request = factory.post(
            f"/api/v1/declarations/{pk}/submit/",
            {"integrity_accepted": True},
            format="json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as ctx:
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = view(request, pk=pk)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                if response.status_code != 200:
                    raise RuntimeError(f"submit {pk}: {response.status_code} {response.data}")
                raise _Rollback
        except _Rollback:
            pass
        return wall * 1000, cpu * 1000, len(ctx.captured_queries)

    # Warm both paths (imports, caches) on the first draft, then alternate.
    for view in (before_view, after_view):
        once(view, *drafts[0])
    for i, (pk, token) in enumerate(drafts):
        order = (("before", before_view), ("after", after_view))
        for label, view in order if i % 2 == 0 else order[::-1]:
            ms, cpu_ms, queries = once(view, pk, token)
            samples[label]["ms"].append(ms)
            samples[label]["cpu_ms"].append(cpu_ms)
            samples[label]["queries"].append(queries)
    out: dict[str, float] = {}
    for label, figures in samples.items():
        out[f"{label}_ms"] = statistics.median(figures["ms"])
        out[f"{label}_cpu_ms"] = statistics.median(figures["cpu_ms"])
        out[f"{label}_queries"] = statistics.median(figures["queries"])
    return out
