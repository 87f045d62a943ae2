"""Concurrency: requests racing for the same row, each thread with its own DB connection.

Issue 9 part 4. Transactional tests (``transaction=True``): every thread commits through
its own PostgreSQL connection, so the row locks the services take are really contended.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from committees.models import Ballot, VoteReceipt
from core.models import AuditEvent
from declarations.enums import State
from declarations.models import Declaration
from review.models import Decision
from review.services import step_pass
from tests.committees.ballot_factories import voting_meeting_make
from tests.conftest import publicise_and_release
from tests.factories import admin_of
from tests.review.test_services import draft, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls: list) -> list:  # type: ignore[type-arg]
    """Run each callable in its own thread, released together; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)  # type: ignore[type-arg]

    def run(i, call):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - returned and asserted by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    connection.close()
    return results


def audit_count(declaration: Declaration, action: str) -> int:
    return AuditEvent.objects.filter(object_id=str(declaration.pk), action=action).count()


def test_double_clicked_submit_page_makes_one_submission(world, applicant):
    declaration = draft(world, applicant)
    clients = []
    for _ in range(3):
        c = Client()
        c.force_login(applicant)
        clients.append(c)
    url = f"/declarations/{declaration.pk}/submit/"
    results = race([lambda c=c: c.post(url, {"integrity_accepted": "on"}) for c in clients])
    statuses = [getattr(r, "status_code", repr(r)) for r in results]
    assert all(s in (200, 302) for s in statuses), statuses
    d = Declaration.objects.get(pk=declaration.pk)
    assert d.state == State.IN_REVIEW
    assert d.current_step == 0
    assert audit_count(d, "submit") == 1


def test_double_clicked_submit_api_one_success_one_clear_refusal(world, applicant):
    declaration = draft(world, applicant)
    clients = []
    for _ in range(2):
        c = APIClient()
        c.force_authenticate(applicant)
        clients.append(c)
    url = f"/api/v1/declarations/{declaration.pk}/submit/"
    results = race([lambda c=c: c.post(url, {"integrity_accepted": True}, format="json") for c in clients])
    statuses = sorted(r.status_code for r in results)
    assert statuses[0] == 200, [r.content for r in results]
    assert 400 <= statuses[1] < 500, statuses
    loser = next(r for r in results if r.status_code != 200)
    body = loser.json()
    assert body["code"] and body["detail"]
    assert audit_count(declaration, "submit") == 1


def test_two_administrators_pass_at_once_one_transition(world, applicant):
    declaration = submitted(world, applicant, "city_public")
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    assert declaration.current_organisation == world.city_department
    second_admin = admin_of(world.city_department)
    clients = []
    for admin in (world.admin(world.city_department), second_admin):
        c = APIClient()
        c.force_authenticate(admin)
        clients.append(c)
    url = f"/api/v1/review/declarations/{declaration.pk}/pass/"
    results = race([lambda c=c: c.post(url, {"reason": ""}, format="json") for c in clients])
    statuses = sorted(r.status_code for r in results)
    assert statuses[0] == 200, [r.content for r in results]
    assert 400 <= statuses[1] < 500, [r.content for r in results]
    loser = next(r for r in results if r.status_code != 200)
    assert loser.json()["code"] and loser.json()["detail"]
    d = Declaration.objects.get(pk=declaration.pk)
    assert d.state == State.COMMITTEE_CHECK
    assert d.committee_submissions == 1
    assert Decision.objects.filter(declaration=d, kind="pass").count() == 2  # unit + one department


def test_two_administrators_pass_at_once_page(world, applicant):
    declaration = submitted(world, applicant, "city_public")
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    second_admin = admin_of(world.city_department)
    clients = []
    for admin in (world.admin(world.city_department), second_admin):
        c = Client()
        c.force_login(admin)
        clients.append(c)
    url = f"/review/{declaration.pk}/decide/"
    results = race([lambda c=c: c.post(url, {"action": "pass", "reason": ""}) for c in clients])
    assert all(r.status_code in (200, 302, 404) for r in results), [r.status_code for r in results]
    d = Declaration.objects.get(pk=declaration.pk)
    assert d.state == State.COMMITTEE_CHECK
    assert d.committee_submissions == 1


def test_many_ballots_at_once_each_counted_once():
    vm = voting_meeting_make(attending=15, candidates=2)
    meeting = vm.meeting
    calls = []
    for candidate in vm.candidates:
        for member in vm.members:
            c = APIClient()
            c.force_authenticate(member.expert.user)
            url = f"/api/v1/meetings/{meeting.pk}/candidates/{candidate.pk}/ballot/"
            calls.append(lambda c=c, url=url: c.post(url, {"choice": "agree"}, format="json"))
            # Every third expert double-taps.
            if member.pk % 3 == 0:
                calls.append(lambda c=c, url=url: c.post(url, {"choice": "disagree"}, format="json"))
    results = race(calls)
    codes = Counter(getattr(r, "status_code", repr(r)) for r in results)
    assert set(codes) <= {200, 201, 204, 409, 400}, codes
    for candidate in vm.candidates:
        assert Ballot.objects.filter(candidate=candidate).count() == 15
        assert VoteReceipt.objects.filter(candidate=candidate).count() == 15
    refused = [r for r in results if r.status_code >= 400]
    assert all(r.json()["code"] == "already_voted" for r in refused)
    assert len(refused) == len(calls) - 30
