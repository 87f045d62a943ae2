"""Before-and-after figures of the queue and sweep changes (issue 8), measured in one run.

Like ``bench/beforeafter.py``: each function times the former path (kept here, or
reached inside a rolled-back transaction) against the present one on the seeded
database. Times are medians in milliseconds unless a name says otherwise.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def _median_ms(fn: Any, repeat: int) -> float:
    """Median wall time (ms); the CPU time of the same calls is in ``_LAST_CPU``."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    _LAST_CPU[0] = statistics.median(cpu)
    return statistics.median(wall)


_LAST_CPU = [0.0]


def _before_after(before: Any, after: Any, repeat: int) -> dict[str, float]:
    """Wall and CPU medians (ms) of both paths: the machine is shared, CPU time is steadier."""
    out = {"before_ms": _median_ms(before, repeat), "before_cpu_ms": _LAST_CPU[0]}
    out.update(after_ms=_median_ms(after, repeat), after_cpu_ms=_LAST_CPU[0])
    return out


def _queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _admin_request(org: Any, path: str) -> Any:
    from django.test import RequestFactory

    from accounts.models import TitleAdministrator

    request = RequestFactory().get(path)
    request.user = TitleAdministrator.objects.get(organisation=org, is_active=True).user
    return request


def queue_api_serializer(org_id: int, repeat: int = 10) -> dict[str, float]:
    """The API queue's 50-row page, loaded and serialised: the full declaration with its
    route, decisions and allowed actions for each row (before), or the queue entry with
    only the columns it shows (after: ``QueueItemOutputSerializer``, ``QUEUE_ENTRY_FIELDS``)."""
    from accounts.models import Organisation
    from declarations.api.serializers import DeclarationOutputSerializer, with_output_relations
    from declarations.selectors import QUEUE_ENTRY_FIELDS, declaration_queue_for_organisation
    from review.api.serializers import QueueItemOutputSerializer

    org = Organisation.objects.get(pk=org_id)
    request = _admin_request(org, "/api/v1/review/queue/")
    context = {"request": request}

    def before() -> Any:
        rows = list(with_output_relations(declaration_queue_for_organisation(org))[:50])
        return DeclarationOutputSerializer(rows, many=True, context=context).data

    def after() -> Any:
        rows = list(declaration_queue_for_organisation(org).only(*QUEUE_ENTRY_FIELDS)[:50])
        return QueueItemOutputSerializer(rows, many=True, context=context).data

    return {
        **_before_after(before, after, repeat),
        "before_queries": _queries(before),
        "after_queries": _queries(after),
        "rows": len(after()),
    }


def queue_page_render(org_id: int, repeat: int = 10) -> dict[str, float]:
    """The queue page's 50 rows rendered: each value looked up through the model in the
    template (before), or the lines' texts worked out once per page and written with
    ``format_html`` (after: ``review.views.queue_rows`` and ``queue_rows_html``)."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    from accounts.enums import OrgKind
    from accounts.models import Organisation
    from declarations.selectors import declaration_queue_for_organisation
    from review.views import queue_rows, queue_rows_html

    org = Organisation.objects.get(pk=org_id)
    request = _admin_request(org, "/review/")
    page = Paginator(declaration_queue_for_organisation(org), 50).get_page(1)
    list(page.object_list)
    base = {"organisation": org, "is_committee_host": org.kind == OrgKind.COMMITTEE_HOST, "page_obj": page}

    def before() -> str:
        return render_to_string("bench/before/review_queue_objects.html", base, request)

    def after() -> str:
        html = queue_rows_html(queue_rows(page.object_list), with_select=not base["is_committee_host"])
        context = {**base, "rows_html": html}
        return render_to_string("review/queue.html", context, request)

    return _before_after(before, after, repeat)


def _sweep_before(now: Any, limit: int, batch_size: int = 500) -> int:
    """The sweep's abandon step as it was: lock the batch with the ORM (full rows and
    their applicants), UPDATE it, build each audit row and notification through the
    models (a ``reverse`` and a translation per row), one email task per batch."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from core.models import AuditEvent
    from core.notifications import notify_each
    from declarations.enums import State
    from declarations.models import Declaration
    from declarations.workflow import TRANSITIONS

    done = 0
    while done < limit:
        with transaction.atomic():
            rows = list(
                Declaration.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(state=State.RETURNED, correction_due_at__lte=now)
                .select_related("applicant")
                .order_by("correction_due_at", "pk")[: min(batch_size, limit - done)]
            )
            if not rows:
                break
            info = TRANSITIONS["abandon"]
            Declaration.objects.filter(pk__in=[d.pk for d in rows]).update(
                state=State.ABANDONED, state_changed_at=now, updated_at=now
            )
            content_type = ContentType.objects.get_for_model(Declaration)
            audit, news = [], []
            title = _("您的职称申报：%(action)s") % {"action": info.label}
            for d in rows:
                reason = _("未在补正期限（%(due)s）前重新提交，视为放弃（R6.1、R6.6）。") % {
                    "due": d.correction_due_label
                }
                audit.append(
                    AuditEvent(
                        actor=None,
                        action="abandon",
                        content_type=content_type,
                        object_id=str(d.pk),
                        from_state=State.RETURNED,
                        to_state=State.ABANDONED,
                        reason=reason,
                        data={
                            "rules": list(info.rules),
                            "correction_due_at": d.correction_due_at.isoformat(),
                        },
                    )
                )
                news.append((d.applicant, "declaration_abandon", title, reason, d.get_absolute_url()))
            AuditEvent.objects.bulk_create(audit)
            notify_each(news)
            done += len(rows)
    return done


def _make_due(n: int, world: Any = None) -> None:
    """``n`` more overdue returns: seeded as ``make bench`` does when given its world, else
    (a database seeded earlier) ``n`` declarations of the closed campaigns made overdue."""
    if world is not None:
        from bench.seed import seed_due_returns

        seed_due_returns(world, n)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE declarations_declaration SET state = 'returned', "
            "correction_due_at = now() - interval '1 hour' WHERE id IN ("
            "SELECT id FROM declarations_declaration WHERE state NOT IN ('returned', 'abandoned') "
            "ORDER BY id LIMIT %s)",
            [n],
        )
        cursor.execute("VACUUM ANALYZE declarations_declaration")


def sweep_batches(n: int = 20_000, world: Any = None) -> dict[str, float]:
    """Abandoning ``n`` overdue returns the former way (500-row batches through the ORM)
    and ``n`` more the present way (``review.sweep.abandon_overdue_returns``: one
    ``UPDATE ... RETURNING`` per 2,000-row batch, bulk inserts, emails per 500). Committed,
    as the sweep does; the figures are whole seconds, and the time per 100,000."""
    from django.utils import timezone

    from review.sweep import abandon_overdue_returns

    _make_due(n, world)
    now = timezone.now()
    started, started_cpu = time.perf_counter(), time.process_time()
    before_rows = _sweep_before(now, n)
    before = time.perf_counter() - started
    before_cpu = time.process_time() - started_cpu
    _make_due(n, world)
    now = timezone.now()
    started, started_cpu = time.perf_counter(), time.process_time()
    after_rows = abandon_overdue_returns(now)
    after = time.perf_counter() - started
    after_cpu = time.process_time() - started_cpu
    return {
        "before_rows": before_rows,
        "before_s": before,
        "before_cpu_s": before_cpu,
        "before_per_100k_s": before / max(1, before_rows) * 100_000,
        "after_rows": after_rows,
        "after_s": after,
        "after_cpu_s": after_cpu,
        "after_per_100k_s": after / max(1, after_rows) * 100_000,
        "before_ms": before * 1000,
        "after_ms": after * 1000,
    }


def sweep_nothing_due(repeat: int = 30) -> dict[str, float]:
    """The abandon step with nothing due, right after a big sweep (call it after
    ``sweep_batches``): the former ORM lookup ordered by ``(correction_due_at, pk)``
    (before) against the present statement (after). The partial index still holds the
    abandoned rows' entries until VACUUM; only a plain index scan marks them dead.
    Also the p95 (ms) of the whole ``sweep_due`` with nothing due: every step."""
    from django.utils import timezone

    from bench.run import p95
    from core.models import Notification
    from review.sweep import abandon_overdue_returns, sweep_due

    # No Celery worker here: mark the sweep's emails sent, as the worker would have, or
    # the re-queue step (core.notifications) would find them due and do real work.
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    out = _before_after(
        lambda: _sweep_before(timezone.now(), 1), lambda: abandon_overdue_returns(timezone.now()), repeat
    )
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        sweep_due()
        samples.append((time.perf_counter() - started) * 1000)
    out["sweep_due_p95_ms"] = p95(samples)
    out["sweep_due_median_ms"] = statistics.median(samples)
    return out
