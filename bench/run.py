"""``make bench``: seed, serve with gunicorn, load with locust, measure, write docs/benchmarks.md.

    .venv/bin/python -m bench.run                      # the full run (100k, then 1M declarations)
    .venv/bin/python -m bench.run --sizes 20000 --duration 10 --no-write   # a quick smoke run

Each platform figure is measured in the same run as its baseline, against the same
gunicorn (``config/gunicorn.conf.py``, production settings plus the baseline views, see
``config/settings/bench.py``), one after the other. The database is ``zh_bench`` (rebuilt
from a migrated template ``zh_bench_template`` for every size), the cache and broker
Redis database 4.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG", "postgres://zhicheng:zhicheng@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "zh_bench")
TEMPLATE_DB = f"{DB}_template"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
WORK = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "benchmarks.md"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    "DATABASE_URL": f"{PG}/postgres",  # each size points it at its own database
    "REDIS_URL": REDIS_URL,
    "DJANGO_LOG_FORMAT": "text",
    "DJANGO_LOG_LEVEL": "WARNING",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "PYTHONPATH": str(ROOT),
}
os.environ.update(
    {
        k: ENV[k]
        for k in (
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_LOG_FORMAT",
            "DJANGO_LOG_LEVEL",
        )
    }
)


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now(dt.UTC):%H:%M:%S}Z] {message}", flush=True)


# --- databases -------------------------------------------------------------------------------


def _admin_sql(*statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


def _db_exists(name: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    conn.close()
    return found


def prepare_template() -> None:
    """Create (once) and migrate the template database every size starts from."""
    if not _db_exists(TEMPLATE_DB):
        _admin_sql(f'CREATE DATABASE "{TEMPLATE_DB}"')
    env = {**ENV, "DATABASE_URL": f"{PG}/{TEMPLATE_DB}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def database_for(size: int) -> str:
    return f"{DB}_{size}"


def use_database(name: str) -> None:
    """Point this process (and the gunicorn it starts) at database ``name``."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    ENV["DATABASE_URL"] = f"{PG}/{name}"


def fresh_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    _admin_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "  # noqa: S608 - our own names
        f"WHERE datname IN ('{name}', '{TEMPLATE_DB}') AND pid <> pg_backend_pid()",
        f'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"',
    )
    use_database(name)


def _applied_migrations(name: str) -> list[str]:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/{name}")
    with conn.cursor() as cursor:
        cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY 1")
        rows = [r[0] for r in cursor.fetchall()]
    conn.close()
    return rows


def seeded_database(size: int) -> float | None:
    """The seconds a reusable seeded database of ``size`` took to seed, or None.

    Reusable: it exists, was seeded completely with ``size`` declarations (``bench_meta``)
    and has exactly the template's migrations.
    """
    import psycopg2

    name = database_for(size)
    if not _db_exists(name):
        return None
    conn = psycopg2.connect(f"{PG}/{name}")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT size, seconds FROM bench_meta")
            row = cursor.fetchone()
    except psycopg2.Error:
        return None
    finally:
        conn.close()
    if row is None or row[0] != size:
        return None
    if _applied_migrations(name) != _applied_migrations(TEMPLATE_DB):
        # Migrations added since it was seeded (other apps' tables): apply them.
        env = {**ENV, "DATABASE_URL": f"{PG}/{name}"}
        subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        if _applied_migrations(name) != _applied_migrations(TEMPLATE_DB):
            return None
    return float(row[1])


def mark_seeded(size: int, seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (size integer, seconds double precision)")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", [size, seconds])


def load_seeded(seconds: float):  # type: ignore[no-untyped-def]
    """What the queue scenarios need of a database seeded earlier."""
    from rest_framework.authtoken.models import Token

    from accounts.enums import OrgKind
    from accounts.models import Organisation, TitleAdministrator
    from bench.seed import Seeded

    class _World:
        pass

    world = _World()
    world.committee_host = Organisation.objects.get(kind=OrgKind.COMMITTEE_HOST, name__endswith="(基准)")
    world.admin_of = dict(
        TitleAdministrator.objects.filter(is_active=True).values_list("organisation_id", "user_id")
    )
    by_user = {u: o for o, u in world.admin_of.items()}
    # API tokens expire (core/authentication.py): the administrators' get a fresh age.
    from django.utils import timezone

    Token.objects.filter(user_id__in=by_user).update(created=timezone.now())
    tokens = {
        by_user[u]: k for k, u in Token.objects.filter(user_id__in=by_user).values_list("key", "user_id")
    }
    return Seeded(world, [], tokens, seconds)  # type: ignore[arg-type]


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- the server --------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn() -> Iterator[None]:
    log_file = open(WORK / "gunicorn.log", "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(  # noqa: S603 - our own command line
        [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=ENV,
        stdout=log_file,
        stderr=log_file,
        start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{HOST}/healthz/live", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start; see var/bench/gunicorn.log")
        yield
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_file.close()


# --- load ------------------------------------------------------------------------------------


@dataclass
class Load:
    scenario: str
    users: int
    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    notes: list[str] = field(default_factory=list)


SCENARIO_CLASSES = {
    "submit": "Submit",
    "baseline_insert": "BaselineInsert",
    "queue_page": "QueuePage",
    "queue_api": "QueueApi",
    "public_page": "PublicPage",
    "baseline_template": "BaselineTemplate",
}


def run_locust(scenario: str, users: int, seconds: int, *, paced_rps: float | None = None) -> Load:
    """Run one scenario headless; return its figures (after the ramp-up, stats reset)."""
    prefix = WORK / f"locust-{scenario}"
    env = {**ENV, "BENCH_DATA": str(WORK / "data.json")}
    if paced_rps:
        env["BENCH_PACED_RPS"] = str(paced_rps / users)
    subprocess.run(  # noqa: S603 - our own command line
        [
            str(VENV_BIN / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "--host",
            HOST,
            "-u",
            str(users),
            "-r",
            # Paced: spawn at the target rate, so the first requests do not arrive at once.
            str(max(1.0, paced_rps) if paced_rps else users),
            "-t",
            f"{seconds}s",
            "--reset-stats",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "30",
            SCENARIO_CLASSES[scenario],
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(WORK / "locust.log", "ab"),  # noqa: SIM115
    )
    result = Load(scenario, users)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Name"] == "Aggregated":
                result.requests = int(row["Request Count"])
                result.failures = int(row["Failure Count"])
                result.rps = float(row["Requests/s"])
                result.p50 = float(row["50%"])
                result.p95 = float(row["95%"])
                result.p99 = float(row["99%"])
    if result.failures:
        with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
            result.notes += [f"{r['Occurrences']}× {r['Error'][:120]}" for r in csv.DictReader(fh)][:3]
    log(
        f"{scenario:18} users={users:3} req={result.requests:6} fail={result.failures:4} "
        f"rps={result.rps:7.1f} p50={result.p50:6.0f} p95={result.p95:6.0f} ms"
    )
    return result


def warm_up(paths: list[str], headers: dict[str, str] | None = None) -> None:
    for _ in range(20):
        for path in paths:
            req = urllib.request.Request(f"{HOST}{path}", headers=headers or {})  # noqa: S310
            with contextlib.suppress(OSError), urllib.request.urlopen(req, timeout=30):  # noqa: S310
                pass


# --- in-process measurements -------------------------------------------------------------------


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def query_counts(seeded) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Queries of the queue page and API for an organisation with 1 row and one with 50+."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from declarations.models import Declaration

    queue_states = ["in_review", "unit_publicity", "committee_check"]
    one = (
        Declaration.objects.filter(state__in=queue_states)
        .values("current_organisation")
        .annotate(n=Count("id"))
        .filter(n=1)
        .order_by("current_organisation")
        .values_list("current_organisation", flat=True)
        .first()
    )
    counts: dict[str, tuple[int, int]] = {}
    cases = (("queue page", "/review/", False), ("queue API", "/api/v1/review/queue/", True))
    for label, path, is_api in cases:
        pair = []
        for org in (one, seeded.world.committee_host.id):
            user = User.objects.get(pk=seeded.world.admin_of[org])
            client = Client(HTTP_HOST="127.0.0.1")
            headers = {}
            if is_api:
                headers["HTTP_AUTHORIZATION"] = f"Token {seeded.admin_tokens[org]}"
            else:
                client.force_login(user)
            client.get(path, **headers)  # warm caches of the process (content types, ...)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, **headers)
            assert response.status_code == 200, response.status_code
            pair.append(len(ctx.captured_queries))
        counts[label] = (pair[0], pair[1])
    return counts


def submit_queries(seeded) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """SQL queries of one submission through the API, and of one baseline insert."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    _user, declaration_id, token = seeded.pool.pop()
    _user2, _d2, baseline_token = seeded.pool[0]
    client.post("/bench/baseline/insert/", HTTP_AUTHORIZATION=f"Token {baseline_token}")  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"/api/v1/declarations/{declaration_id}/submit/",
            data='{"integrity_accepted": true}',
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
    assert response.status_code == 200, response.content[:300]
    submit = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        client.post("/bench/baseline/insert/", HTTP_AUTHORIZATION=f"Token {baseline_token}")
    return {"submit": submit, "baseline": len(ctx.captured_queries)}


def queue_sql_timing(seeded, repeat: int = 50) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """p95 (ms) of the queue's page query and count, as the page runs them."""
    from accounts.models import Organisation
    from declarations.selectors import declaration_queue_for_organisation

    org = Organisation.objects.get(pk=seeded.world.committee_host.id)
    qs = declaration_queue_for_organisation(org)
    return {
        "page": p95(timed(lambda: list(qs[:50]), repeat)),
        "count": p95(timed(lambda: qs.count(), repeat)),
    }


def sweep_figures(seeded, due: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from bench.seed import seed_due_returns
    from core.models import Notification
    from review.sweep import sweep_due

    # The bench runs no Celery worker: mark the load scenarios' emails sent, as the worker
    # would have, or the sweep's re-queue step (core.notifications) would find them due.
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    sweep_due()  # warm
    idle = timed(sweep_due, 30)
    from bench.beforeafter import sweep_per_row

    per_row_n = 1000
    seconds = seed_due_returns(seeded.world, due + per_row_n)
    log(f"seeded {due + per_row_n:,} overdue returns in {seconds:.1f} s")
    before = sweep_per_row(per_row_n)
    log(f"sweep, former per-row path: {before['rows']:,} rows in {before['seconds']:.1f} s")
    started = time.perf_counter()
    runs, handled = 0, 0
    while True:
        counts = sweep_due()
        runs += 1
        handled += max(0, counts.get("abandoned", 0))
        if counts.get("abandoned", 0) <= 0:
            break
    elapsed = time.perf_counter() - started
    # Again: the sweep's own 100,000 notifications, sent by the worker in production.
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    idle_after = timed(sweep_due, 30)
    log(f"sweep: {handled:,} abandoned in {elapsed:.1f} s ({runs} runs); idle p95 {p95(idle):.1f} ms")
    return {
        "idle_before_p95_ms": p95(idle),
        "idle_after_p95_ms": p95(idle_after),
        "handled": handled,
        "seconds": elapsed,
        "runs": runs,
        "per_row": before,
        "idle_p95_ms": p95(idle + idle_after),
        "idle_median_ms": statistics.median(idle + idle_after),
    }


def pdf_figures(repeat: int = 10) -> dict[str, object]:
    """Time one sealed e-certificate against a minimal one-page Chinese WeasyPrint document."""
    from bench import pdf

    return pdf.measure(repeat)


# --- data for the load scenarios ---------------------------------------------------------------


def scenario_data(seeded) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    admin = User.objects.get(pk=seeded.world.admin_of[seeded.world.committee_host.id])
    session = SessionStore()
    session["_auth_user_id"] = str(admin.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = admin.get_session_auth_hash()
    session.create()
    data = {
        "pool": seeded.pool,
        "baseline_tokens": [t for _u, _d, t in seeded.pool[-500:]],
        "admin_token": seeded.admin_tokens[seeded.world.committee_host.id],
        "admin_session": session.session_key,
    }
    (WORK / "data.json").write_text(json.dumps(data), encoding="utf-8")
    return data


def refresh_pool() -> int:
    """Drop the drafts a submit run used from the scenario data; return how many are left."""
    from declarations.models import Declaration

    path = WORK / "data.json"
    data = json.loads(path.read_text())
    left = set(
        Declaration.objects.filter(pk__in=[d for _u, d, _t in data["pool"]], state="draft").values_list(
            "pk", flat=True
        )
    )
    data["pool"] = [entry for entry in data["pool"] if entry[1] in left]
    path.write_text(json.dumps(data), encoding="utf-8")
    return len(data["pool"])


def collect_static() -> None:
    """collectstatic (whitenoise compresses every file: slow), only when static/ changed."""
    manifest = WORK / "static" / "staticfiles.json"
    sources = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**ENV, "DATABASE_URL": f"{PG}/{TEMPLATE_DB}"},
        check=True,
    )


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    def out(*cmd: str) -> str:
        try:
            return subprocess.run(  # noqa: S603 - fixed commands
                cmd, capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    import django
    import redis

    redis_version = redis.Redis.from_url(REDIS_URL).info().get("redis_version", "?")
    gunicorn_version = out(str(VENV_BIN / "gunicorn"), "--version")
    locust_version = (  # "locust 2.x from ..." -> "locust 2.x"
        " ".join(out(str(VENV_BIN / "locust"), "--version").split()[:2])
        if shutil.which(str(VENV_BIN / "locust"))
        else "?"
    )
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "redis": str(redis_version),
        "gunicorn": gunicorn_version,
        "locust": locust_version,
    }


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- the run ---------------------------------------------------------------------------------


def measure_size(size: int, args: argparse.Namespace, results: dict, *, full: bool) -> None:
    from bench.seed import seed

    earlier = None if full or not args.reuse else seeded_database(size)
    flush_redis()
    if earlier is not None:
        log(f"--- {size:,} declarations: reusing {database_for(size)}, seeded earlier in {earlier:.0f} s")
        use_database(database_for(size))
        from bench.seed import vacuum

        vacuum()
        seeded = load_seeded(earlier)
    else:
        log(f"--- {size:,} declarations: fresh database {database_for(size)}, seeding")
        fresh_database(database_for(size))
        seeded = seed(size, progress=True)
        mark_seeded(size, seeded.seconds)
        log(f"seeded {size:,} declarations in {seeded.seconds:.1f} s ({len(seeded.pool):,} drafts to submit)")
    res = results.setdefault(size, {"seed_seconds": seeded.seconds, "reused": earlier is not None})
    if full:
        res["submit_queries"] = submit_queries(seeded)
        log(f"queries: submit {res['submit_queries']}")
    scenario_data(seeded)
    res["query_counts"] = query_counts(seeded)
    res["queue_sql"] = queue_sql_timing(seeded)
    log(f"query counts {res['query_counts']}; queue SQL p95 {res['queue_sql']}")
    if full:
        from bench import beforeafter as ba

        host = seeded.world.committee_host.id
        res["before_after"] = {
            "queue_index": ba.queue_index(host),
            "organisation_joins": ba.organisation_joins(host),
            "choice_labels": ba.choice_labels(host),
            "route_serializer": ba.route_serializer(host),
            "queue_template": ba.queue_template(host),
            "public_board": ba.public_board(),
            "shared_data": ba.shared_data(),
        }
        from bench import ba_queue, ba_submit

        res["before_after"]["submit_path"] = ba_submit.submit_path(60)
        res["before_after"]["queue_entries"] = ba_queue.queue_api_serializer(host)
        res["before_after"]["queue_rows"] = ba_queue.queue_page_render(host)
        log(f"before/after {res['before_after']}")
    res["load_before"] = loadavg()
    with gunicorn():
        warm_up(["/publicity/", "/bench/baseline/template/", "/healthz/live"])
        d = json.loads((WORK / "data.json").read_text())
        warm_up(["/review/"], {"Cookie": f"sessionid={d['admin_session']}"})
        warm_up(["/api/v1/review/queue/"], {"Authorization": f"Token {d['admin_token']}"})
        loads = res.setdefault("loads", {})
        for users in args.queue_users:
            loads[f"queue_page@{users}"] = run_locust("queue_page", users, args.duration)
            loads[f"queue_api@{users}"] = run_locust("queue_api", users, args.duration)
        if full:
            loads["baseline_template"] = run_locust("baseline_template", args.users, args.duration)
            loads["public_page"] = run_locust("public_page", args.users, args.duration)
            loads["baseline_insert"] = run_locust("baseline_insert", args.users, args.duration)
            loads["submit"] = run_locust("submit", args.users, args.duration)
            refresh_pool()
            if args.paced:
                paced = loads["submit"].rps * 0.5
                loads["submit_paced"] = run_locust("submit", args.users, args.duration, paced_rps=paced)
    res["load_after"] = loadavg()
    if full:
        res["sweep"] = sweep_figures(seeded, args.due)
        from bench import ba_queue

        res["sweep_batches"] = ba_queue.sweep_batches(20_000, seeded.world)
        res["sweep_nothing_due"] = ba_queue.sweep_nothing_due()
        log(f"sweep batches {res['sweep_batches']}; nothing due {res['sweep_nothing_due']}")
        if args.pdf:
            res["pdf"] = pdf_figures()
            log(f"pdf {res['pdf']}")
            from bench import ba_certificate

            res["before_after"]["certificate_pdf"] = ba_certificate.certificate_pdf()
            res["before_after"]["certificate_page"] = ba_certificate.certificate_page()
            res["before_after"]["certificate_seal"] = ba_certificate.certificate_seal()
            log(f"certificate before/after {res['before_after']['certificate_pdf']}")


def main() -> None:
    parser = argparse.ArgumentParser(description="make bench")
    parser.add_argument(
        "--sizes",
        default="100000,1000000",
        help="declarations to seed; the first size runs every scenario, the others the queue",
    )
    parser.add_argument("--duration", type=int, default=30, help="seconds per load scenario")
    parser.add_argument("--users", type=int, default=50, help="closed-loop users (submit, public page)")
    parser.add_argument(
        "--queue-users", default="2,5", help="closed-loop users of the queue scenarios, one run each"
    )
    parser.add_argument("--due", type=int, default=100_000, help="overdue returns for the sweep")
    parser.add_argument("--no-paced", dest="paced", action="store_false")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false")
    parser.add_argument("--no-write", dest="write", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a complete seeded database of the larger sizes (zh_bench_<size>) if its migrations match",
    )
    args = parser.parse_args()
    args.write = not args.write
    args.queue_users = [int(u) for u in str(args.queue_users).split(",") if u.strip()]
    WORK.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    log(f"load average at start: {loadavg()}")
    log("migrating the template database")
    prepare_template()
    collect_static()
    import django

    django.setup()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: dict = {}
    for i, size in enumerate(sizes):
        measure_size(size, args, results, full=(i == 0))
    info = machine()
    from bench.report import render

    text = render(results, info, args, started, dt.datetime.now(dt.UTC))
    (WORK / "results.json").write_text(json.dumps(results, default=lambda o: o.__dict__, indent=1))
    print(text)
    if args.write:
        DOC.write_text(text, encoding="utf-8")
        log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
