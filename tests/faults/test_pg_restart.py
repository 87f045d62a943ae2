"""PostgreSQL restarted under load (issue 9 part 3): a real restart of a private server.

The machine's PostgreSQL server is shared, so the test starts its own cluster (``initdb``
in a temp folder, trust auth, a free loopback port; tests/faults/helpers.py), copies the
test database into it (drafts, tokens and sessions made by the usual fixtures), and serves
the platform from it under gunicorn with the production settings (persistent connections,
``CONN_HEALTH_CHECKS``; tests/faults/pg_settings.py). Threads submit declarations through
the API and read API and HTML pages while the server is stopped and started twice: once
``pg_ctl stop -m fast`` (a restart), once ``-m immediate`` (a crash and WAL recovery).
A third restart comes while the app is idle, so every worker's persistent connection is
stale when the next requests arrive (a night-time restart).

Shown: every answer is a success or a clean failure (500 with the generic error page, no
traceback or driver text); no declaration is half-written (each is fully submitted, with
its route, audit row, version, payment and notification, or an untouched draft); every
submission that answered 200 is saved; every request that did not overlap an outage
succeeds, also the first ones on stale connections after the idle restart, so gunicorn's
workers recover without being restarted (``CONN_HEALTH_CHECKS``: without it the first
request of each worker after the idle restart answers 500); the drafts the failed
requests left are then submitted normally.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections import deque
from dataclasses import dataclass

import psycopg2
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.authtoken.models import Token

from core.models import AuditEvent, Notification
from declarations.enums import State, VersionReason
from declarations.models import Declaration, DeclarationVersion, Payment
from review.models import RouteStep
from tests.conftest import EXPECTED_ROUTES
from tests.factories import UserFactory
from tests.faults.helpers import (
    AppServer,
    PrivatePostgres,
    PrivateRedis,
    database_url,
    http_request,
    postgres_copy,
    wait_for,
)
from tests.review.test_services import draft

pytestmark = pytest.mark.django_db(transaction=True)

DECLARATIONS = 30
THREADS = 6
OK_BETWEEN = 15  # requests answered 200 before each restart (5 applicants' reads and submission)
DOWN_SECONDS = 1.0  # how long the server stays stopped in each restart
BACKOFF = 0.5  # a client waits this long after a failed request
GENERIC_ERROR_PAGE = "系统繁忙".encode()  # templates/500.html
DRIVER_TEXT = (
    b"Traceback",
    b'File "',
    b"psycopg",
    b"OperationalError",
    b"InterfaceError",
    b"connection to server",
    b"terminating connection",
    b"the database system",
)


@dataclass
class Call:
    kind: str  # submit, api_read, page_read
    pk: int
    status: int | None  # None: the connection to gunicorn failed
    body: bytes
    started: float
    ended: float

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def clean_failure(self) -> bool:
        if self.status is None:
            return True
        if any(t in self.body for t in DRIVER_TEXT):
            return False
        return self.status == 503 or (self.status == 500 and GENERIC_ERROR_PAGE in self.body)


@pytest.fixture
def private_pg():
    reason = PrivatePostgres.unavailable_reason()
    if reason:
        pytest.skip(reason)
    pg = PrivatePostgres()
    try:
        yield pg.start()
    finally:
        pg.stop()


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (the app server's cache and broker)")
    redis = PrivateRedis().start()
    try:
        yield redis
    finally:
        redis.stop()


@dataclass
class Applicant:
    pk: int  # the declaration's
    token: str
    session: str


def _applicants(world) -> list[Applicant]:  # type: ignore[no-untyped-def]
    people = []
    for _ in range(DECLARATIONS):
        user = UserFactory()
        declaration = draft(world, user)
        client = Client()
        client.force_login(user)
        people.append(
            Applicant(
                declaration.pk,
                Token.objects.create(user=user).key,
                client.cookies[settings.SESSION_COOKIE_NAME].value,
            )
        )
    return people


def _state(pg: PrivatePostgres, dbname: str, pks: list[int]) -> dict[int, dict[str, object]]:
    """What the private database holds for each declaration (raw SQL: Django stays on the test DB)."""
    content_type = ContentType.objects.get_for_model(Declaration).pk
    tables = {
        m.__name__: m._meta.db_table
        for m in (Declaration, RouteStep, AuditEvent, DeclarationVersion, Payment, Notification)
    }
    conn = psycopg2.connect(host="127.0.0.1", port=pg.port, user=pg.USER, dbname=dbname)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"""
                SELECT d.id, d.state, d.integrity_signed_at IS NOT NULL, d.submitted_at IS NOT NULL,
                  d.current_organisation_id IS NOT NULL,
                  (SELECT count(*) FROM {tables["RouteStep"]} r WHERE r.declaration_id = d.id),
                  (SELECT count(*) FROM {tables["AuditEvent"]} a WHERE a.content_type_id = %s
                     AND a.object_id = d.id::text AND a.action = 'submit'),
                  (SELECT count(*) FROM {tables["DeclarationVersion"]} v WHERE v.declaration_id = d.id
                     AND v.reason = %s),
                  (SELECT count(*) FROM {tables["Payment"]} p WHERE p.declaration_id = d.id),
                  (SELECT count(*) FROM {tables["Notification"]} n
                     WHERE n.url = '/declarations/' || d.id || '/' AND n.kind = 'review_waiting')
                FROM {tables["Declaration"]} d WHERE d.id = ANY(%s)
                """,  # noqa: S608 - table names from the models, values bound
                [content_type, VersionReason.SUBMIT, pks],
            )
            keys = (
                "state",
                "signed",
                "submitted_at",
                "organisation",
                "route",
                "audit",
                "version",
                "payment",
                "notification",
            )
            return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in cur.fetchall()}
    finally:
        conn.close()


def _verdict(row: dict[str, object], route_length: int) -> str:
    submitted = {
        "state": State.IN_REVIEW,
        "signed": True,
        "submitted_at": True,
        "organisation": True,
        "route": route_length,
        "audit": 1,
        "version": 1,
        "payment": 1,
        "notification": 1,
    }
    untouched = {
        "state": State.DRAFT,
        "signed": False,
        "submitted_at": False,
        "organisation": False,
        "route": 0,
        "audit": 0,
        "version": 0,
        "payment": 0,
        "notification": 0,
    }
    if row == submitted:
        return "submitted"
    if row == untouched:
        return "draft"
    return "half-written"


def _parallel(items: list, work, then=None) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Run ``work(item)`` for every item on THREADS threads; then ``then()`` until it is False."""
    pending = deque(items)

    def drain() -> None:
        while True:
            try:
                item = pending.popleft()
            except IndexError:
                break
            work(item)
        while then is not None and then():
            pass

    threads = [threading.Thread(target=drain, daemon=True) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a client thread hung"


def _backends(pg: PrivatePostgres, dbname: str) -> int:
    """Connections the app holds open (persistent connections, ``CONN_MAX_AGE``)."""
    conn = psycopg2.connect(host="127.0.0.1", port=pg.port, user=pg.USER, dbname="postgres")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [dbname])
            return int(cur.fetchone()[0])
    finally:
        conn.close()


def test_postgres_restarted_under_load(world, private_pg, private_redis, tmp_path):
    prepared = time.monotonic()
    people = _applicants(world)
    postgres_copy(database_url(), private_pg, "zh")
    prepared = time.monotonic() - prepared
    server = AppServer(
        {
            "DJANGO_SETTINGS_MODULE": "tests.faults.pg_settings",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the copied sessions are signed with it
            "DATABASE_URL": private_pg.url("zh"),
            "REDIS_URL": private_redis.url,
            "FAULT_MEDIA_ROOT": str(tmp_path / "media"),
        },
        log=tmp_path / "gunicorn.log",
    )
    try:
        server.start()
        _scenario(server, private_pg, people, prepared)
    finally:
        server.stop()


def _scenario(server: AppServer, pg: PrivatePostgres, people: list[Applicant], prepared: float) -> None:
    base = server.base
    gunicorn_pid = server.proc.pid if server.proc else None
    calls: list[Call] = []

    def call(kind: str, person: Applicant) -> Call:
        started = time.monotonic()
        if kind == "submit":
            status, body = http_request(
                "POST",
                f"{base}/api/v1/declarations/{person.pk}/submit/",
                headers={"Authorization": f"Token {person.token}", "Content-Type": "application/json"},
                body=json.dumps({"integrity_accepted": True}).encode(),
            )
        elif kind == "api_read":
            status, body = http_request(
                "GET",
                f"{base}/api/v1/declarations/{person.pk}/",
                headers={"Authorization": f"Token {person.token}"},
            )
        else:
            status, body = http_request(
                "GET",
                f"{base}/declarations/{person.pk}/",
                headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={person.session}"},
            )
        result = Call(kind, person.pk, status, body, started, time.monotonic())
        calls.append(result)
        if not result.ok:
            time.sleep(BACKOFF)  # a client waits before its next request
        return result

    def applicant_session(person: Applicant) -> None:
        call("api_read", person)
        call("submit", person)
        call("page_read", person)

    # Warm up: the workers hold persistent connections before the first restart.
    _parallel(people[:THREADS], lambda p: call("api_read", p))
    assert all(c.ok for c in calls), [(c.status, c.body[:500]) for c in calls if not c.ok]
    held_before_load = _backends(pg, "zh")
    assert held_before_load >= 1, "the workers keep no persistent connection (CONN_MAX_AGE)"

    # Load, with a restart and a crash once some requests went through since the last.
    outages: list[tuple[str, float, float]] = []  # mode, stopping from, accepting again at
    load_from = len(calls)

    def restarts() -> None:
        since = 0.0
        for mode in ("fast", "immediate"):
            wait_for(
                lambda since=since: sum(c.ok and c.started >= since for c in calls) >= OK_BETWEEN,
                60,
                "the load stalled",
            )
            down_from = time.monotonic()
            pg.restart(mode, down=DOWN_SECONDS)
            since = time.monotonic()
            outages.append((mode, down_from, since))

    def read_until_restarted() -> bool:
        # Should the submissions run out first, the restarts still come under load.
        if restarter.is_alive():
            call("page_read", people[len(calls) % len(people)])
        return restarter.is_alive()

    restarter = threading.Thread(target=restarts, daemon=True)
    restarter.start()
    _parallel(people, applicant_session, then=read_until_restarted)
    restarter.join(60)
    assert len(outages) == 2, "the load ended before both restarts"
    load = calls[load_from:]

    def overlaps_outage(c: Call) -> bool:
        return any(c.started <= back_at and c.ended >= down_from for _, down_from, back_at in outages)

    bad = [c for c in load if not c.ok and not c.clean_failure]
    assert not bad, [(c.kind, c.status, c.body[:800]) for c in bad]
    # Nothing fails once the server accepts connections again.
    failed_outside = [c for c in load if not c.ok and not overlaps_outage(c)]
    assert not failed_outside, [(c.kind, c.status, c.body[:300]) for c in failed_outside]
    recovery = []
    for mode, down_from, back_at in outages:
        first_ok = min((c.ended for c in load if c.ok and c.started >= back_at), default=None)
        assert first_ok is not None, f"nothing succeeded after the {mode} restart"
        recovery.append((mode, first_ok - down_from, first_ok - back_at))

    # Nothing half-written; every submission that answered 200 is saved.
    pks = [p.pk for p in people]
    route_length = len(EXPECTED_ROUTES["city_public"])
    rows = _state(pg, "zh", pks)
    verdicts = {pk: _verdict(rows[pk], route_length) for pk in pks}
    half_written = {pk: rows[pk] for pk, v in verdicts.items() if v == "half-written"}
    assert not half_written, half_written
    answered_200 = {c.pk for c in load if c.kind == "submit" and c.ok}
    assert all(verdicts[pk] == "submitted" for pk in answered_200)
    drafts = [p for p in people if verdicts[p.pk] == "draft"]
    # A failure answered after the commit reached the server: saved, though the client saw 500.
    saved_despite_failure = {
        c.pk for c in load if c.kind == "submit" and not c.ok and verdicts[c.pk] == "submitted"
    }

    # A restart while the app is idle: every connection the workers hold is then stale.
    _parallel(people[:THREADS], lambda p: call("api_read", p))
    stale = _backends(pg, "zh")
    assert stale >= 1
    pg.restart("fast")
    idle_from = len(calls)
    work = [("submit", p) for p in drafts] + [("api_read", p) for p in people]
    _parallel(work, lambda item: call(*item))
    after_idle = calls[idle_from:]
    assert all(c.ok for c in after_idle), [(c.kind, c.status, c.body[:300]) for c in after_idle if not c.ok]
    assert http_request("GET", f"{base}/healthz")[0] == 200
    assert sum(c.kind == "submit" for c in after_idle) == len(drafts)
    final = _state(pg, "zh", pks)
    assert all(_verdict(final[pk], route_length) == "submitted" for pk in pks)
    # The same gunicorn throughout: recovered, not restarted.
    assert server.proc is not None and server.proc.pid == gunicorn_pid and server.proc.poll() is None

    failed = [c for c in load if not c.ok]
    print(
        f"\nPostgreSQL restarted under load (gunicorn, production settings, {THREADS} client threads): "
        f"{len(load)} requests ({sum(c.kind == 'submit' for c in load)} submissions) during 2 restarts "
        f"(pg_ctl stop -m fast / -m immediate, {DOWN_SECONDS:.1f} s down each): "
        f"{len(load) - len(failed)} succeeded, {len(failed)} failed cleanly "
        f"({sum(c.kind == 'submit' for c in failed)} submissions; statuses "
        f"{sorted({c.status for c in failed}, key=str)}), 0 other answers, "
        f"half-written: {len(half_written)}; "
        f"{len(answered_200)} submissions answered 200, all saved; {len(drafts)} left untouched drafts, "
        f"{len(saved_despite_failure)} failed after their commit (saved whole). "
        + "; ".join(
            f"{mode}: first success {total:.2f} s after the stop began, {after:.2f} s after the "
            f"server accepted connections"
            for mode, total, after in recovery
        )
        + f". Idle restart with {stale} stale persistent connections: {len(after_idle)} requests after it, "
        f"all succeeded (the {len(drafts)} drafts submitted). Data prepared and copied in {prepared:.1f} s."
    )
