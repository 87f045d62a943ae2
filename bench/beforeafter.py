"""Before-and-after figures of each change made for the targets, measured in the same run.

Each function times the code path as it was before the change (kept here, or reached by
switching the change off inside a rolled-back transaction) against the path as it is
now, on the seeded database. Times are medians in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


class _Rollback(Exception):
    pass


def queue_index(org_id: int, repeat: int = 20) -> dict[str, float]:
    """The API queue's page query (its joins, 50 rows) with and without the queue index."""
    from accounts.models import Organisation
    from declarations.api.serializers import with_output_relations
    from declarations.selectors import declaration_queue_for_organisation

    org = Organisation.objects.get(pk=org_id)

    def page() -> None:
        list(with_output_relations(declaration_queue_for_organisation(org))[:50])

    after = _median_ms(page, repeat)
    before = 0.0
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX declaration_queue_order_idx")
            before = _median_ms(page, repeat)
            raise _Rollback
    except _Rollback:
        pass
    return {"before_ms": before, "after_ms": after}


def route_serializer(org_id: int, repeat: int = 10) -> dict[str, float]:
    """Serialising a 50-row queue page: one route-step serializer per row (before) or per list."""
    from rest_framework.test import APIRequestFactory

    from accounts.models import Organisation, TitleAdministrator
    from declarations.api import serializers as s
    from declarations.selectors import declaration_queue_for_organisation

    class Before(s.DeclarationOutputSerializer):
        # As before: DRF calls get_<name>_display through a callable source.
        level_display = s.serializers.CharField(source="get_level_display")
        field_display = s.serializers.CharField(source="get_field_display")
        declaration_type_display = s.serializers.CharField(source="get_declaration_type_display")
        category_display = s.serializers.CharField(source="get_category_display")
        state_display = s.serializers.CharField(source="get_state_display")

        def get_route(self, obj: Any) -> list[dict[str, Any]]:
            at_step = obj.state in s.AT_STEP_STATES
            steps = [
                {
                    "position": step.position,
                    "slot": step.slot,
                    "organisation": step.organisation,
                    "is_current": at_step and step.position == obj.current_step,
                }
                for step in obj.route.all()
            ]
            return s.RouteStepOutputSerializer(steps, many=True).data

    org = Organisation.objects.get(pk=org_id)
    request = APIRequestFactory().get("/")
    request.user = TitleAdministrator.objects.get(organisation=org, is_active=True).user
    rows = list(s.with_output_relations(declaration_queue_for_organisation(org))[:50])
    return {
        "before_ms": _median_ms(lambda: Before(rows, many=True, context={"request": request}).data, repeat),
        "after_ms": _median_ms(
            lambda: s.DeclarationOutputSerializer(rows, many=True, context={"request": request}).data, repeat
        ),
    }


def organisation_joins(org_id: int, repeat: int = 20) -> dict[str, float]:
    """The API queue's page query: six organisation links joined (before) or prefetched (after)."""
    from accounts.models import Organisation
    from declarations.api.serializers import attach_organisations, with_output_relations
    from declarations.selectors import declaration_queue_for_organisation

    org = Organisation.objects.get(pk=org_id)
    joined = (
        "current_organisation",
        "unit",
        "competent_department",
        "personnel_agency",
        "district_hr",
        "management_body",
    )
    return {
        "before_ms": _median_ms(
            lambda: list(
                with_output_relations(declaration_queue_for_organisation(org))
                .select_related(*joined)
                .prefetch_related(None)[:50]
            ),
            repeat,
        ),
        "after_ms": _median_ms(
            lambda: attach_organisations(
                list(with_output_relations(declaration_queue_for_organisation(org))[:50])
            ),
            repeat,
        ),
    }


def choice_labels(org_id: int, repeat: int = 20) -> dict[str, float]:
    """Five choice labels of 50 declarations: Django's ``_get_FIELD_display`` (before) or ours."""
    from django.db import models

    from accounts.models import Organisation
    from declarations.models import Declaration
    from declarations.selectors import declaration_queue_for_organisation

    org = Organisation.objects.get(pk=org_id)
    rows = list(declaration_queue_for_organisation(org)[:50])
    fields = [
        Declaration._meta.get_field(n) for n in ("level", "field", "declaration_type", "category", "state")
    ]
    return {
        "before_ms": _median_ms(
            lambda: [models.Model._get_FIELD_display(d, f) for d in rows for f in fields], repeat
        ),
        "after_ms": _median_ms(lambda: [d._get_FIELD_display(f) for d in rows for f in fields], repeat),
    }


def queue_template(org_id: int, repeat: int = 10) -> dict[str, float]:
    """Rendering the 50-row queue page: labels translated per row (before) or once."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from accounts.models import Organisation, TitleAdministrator
    from declarations.selectors import declaration_queue_for_organisation

    org = Organisation.objects.get(pk=org_id)
    request = RequestFactory().get("/review/")
    request.user = TitleAdministrator.objects.get(organisation=org, is_active=True).user
    page = Paginator(declaration_queue_for_organisation(org), 50).get_page(1)
    list(page.object_list)
    from review.views import queue_rows, queue_rows_html

    context = {
        "organisation": org,
        "is_committee_host": False,
        "page_obj": page,
        # The page as it is now writes its rows once per page (bench/ba_queue.py).
        "rows_html": queue_rows_html(queue_rows(page.object_list), with_select=True),
    }
    return {
        "before_ms": _median_ms(
            lambda: render_to_string("bench/before/review_queue.html", context, request), repeat
        ),
        "after_ms": _median_ms(lambda: render_to_string("review/queue.html", context, request), repeat),
    }


def public_board(repeat: int = 20) -> dict[str, float]:
    """GET /publicity/ rendered afresh (before) and from the cached board (after)."""
    from django.test import Client

    from review.publicity import public_board_changed

    client = Client(HTTP_HOST="127.0.0.1")

    def fresh() -> None:
        public_board_changed()
        client.get("/publicity/")

    return {
        "before_ms": _median_ms(fresh, repeat),
        "after_ms": _median_ms(lambda: client.get("/publicity/"), repeat),
    }


def shared_data(repeat: int = 10) -> dict[str, float]:
    """``shared_data_verify`` on a submitted declaration: one lookup per item (before) or one."""
    from django.test.utils import CaptureQueriesContext

    from declarations.models import Declaration
    from declarations.shareddata.services import shared_data_verify
    from declarations.shareddata.sources import DatabaseSource

    class OneByOne:
        name = DatabaseSource.name

        def lookup(self, kind: str, id_number: str) -> Any:
            return DatabaseSource().lookup(kind, id_number)

    d = Declaration.objects.filter(state="draft").select_related("applicant", "campaign").first()
    out: dict[str, float] = {}
    for label, source in (("before", OneByOne()), ("after", DatabaseSource())):
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as ctx:
                    shared_data_verify(declaration=d, actor=d.applicant, source=source)
                out[f"{label}_queries"] = len(ctx.captured_queries)
                raise _Rollback
        except _Rollback:
            pass

        def run(source: Any = source) -> None:
            try:
                with transaction.atomic():
                    shared_data_verify(declaration=d, actor=d.applicant, source=source)
                    raise _Rollback
            except _Rollback:
                pass

        out[f"{label}_ms"] = _median_ms(run, repeat)
    return out


def sweep_per_row(n: int = 1000) -> dict[str, float]:
    """The sweep's former path: one transaction, lock and service call per overdue row."""
    from django.utils import timezone

    from declarations.enums import State
    from declarations.models import Declaration
    from declarations.services import declaration_abandon

    now = timezone.now()
    ids = list(
        Declaration.objects.filter(state=State.RETURNED, correction_due_at__lte=now)
        .order_by("correction_due_at", "pk")
        .values_list("pk", flat=True)[:n]
    )
    started = time.perf_counter()
    for pk in ids:
        with transaction.atomic():
            row = (
                Declaration.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=State.RETURNED, correction_due_at__lte=now)
                .first()
            )
            if row is not None:
                declaration_abandon(declaration=row, now=now)
    seconds = time.perf_counter() - started
    return {"rows": len(ids), "seconds": seconds, "per_100k_seconds": seconds / max(1, len(ids)) * 100_000}
