"""Every list page and list endpoint asks the same number of SQL queries for 1 row and for many.

The certificate lists have their own test (tests/certificates/test_lists.py), as do the
shared-data items (tests/declarations/test_shared_data.py). A list whose query count
grows with its rows (an N+1) is what makes a 50-row page slow
at 100,000 declarations (docs/benchmarks.md). Each case below builds the rows one
viewer sees, requests the list once with 1 row and once with ``MANY`` rows, and
compares the queries. A case is a function ``(world, n) -> (client, url)`` that adds
rows so that the viewer sees ``n`` in total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.enums import OrgKind
from core.notifications import notify
from declarations.models import Declaration, DeclarationVersion
from review.models import Decision, RouteStep
from review.publicity import publicity_batch_publish
from review.unit_conditions import unit_condition_set
from tests.conftest import World
from tests.factories import CampaignFactory, DeclarationFactory, OrganisationFactory, UserFactory
from tests.review.test_services import submitted

MANY = 4


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> Client:
    token, _created = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


# -- the rows of each list ---------------------------------------------------------------------


# Chains whose first step is the unit: the rows of one queue link to different kinds of
# organisation, as a real queue's do.
UNIT_FIRST = ["city_public", "district_public", "floating_cq_archive", "out_of_city_unit"]


def _queue(world: World, n: int) -> Any:
    """n declarations waiting at the unit, each from its own applicant and chain, with a decision."""
    admin = world.admin(world.unit)
    have = Declaration.objects.filter(current_organisation=world.unit).count()
    for i in range(have, n):
        d = submitted(world, UserFactory(), UNIT_FIRST[i % len(UNIT_FIRST)])
        Decision.objects.create(declaration=d, organisation=world.unit, step=0, actor=admin, kind="pass")
    return admin


def _my_declarations(world: World, n: int) -> Any:
    """n declarations of one applicant (one per campaign), with a route and a decision."""
    applicant = _my_declarations.applicant  # type: ignore[attr-defined]
    have = Declaration.objects.filter(applicant=applicant).count()
    for _ in range(n - have):
        d = DeclarationFactory(applicant=applicant, campaign=CampaignFactory(), unit=world.unit)
        RouteStep.objects.create(declaration=d, position=0, slot="unit", organisation=world.unit)
        RouteStep.objects.create(
            declaration=d, position=1, slot="competent_department", organisation=world.city_department
        )
        Decision.objects.create(
            declaration=d, organisation=world.unit, step=0, actor=world.admin(world.unit), kind="pass"
        )
    return applicant


def _batches(world: World, n: int) -> Any:
    """n publicity batches of the unit, one candidate each."""
    from review.models import PublicityBatch

    admin = world.admin(world.unit)
    have = PublicityBatch.objects.filter(unit=world.unit).count()
    for _ in range(n - have):
        publicity_batch_publish(
            actor=admin, declarations=[submitted(world, UserFactory())], offline_location="公告栏"
        )
    return admin


def _running_batches(world: World, n: int) -> None:
    from review.models import PublicityBatch

    _batches(world, n)
    now = timezone.now()
    PublicityBatch.objects.update(starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=6))
    # The board is cached per content version; a direct update bypasses the signal.
    from review.publicity import public_board_changed

    public_board_changed()


def _notifications(world: World, n: int) -> Any:
    user = world.admin(world.unit)
    have = user.notifications.count()
    for i in range(n - have):
        notify(recipients=[user], kind="test", title=f"通知{i}", url="/")
    return user


def _organisations(world: World, n: int) -> Any:
    from accounts.models import Organisation

    have = Organisation.objects.filter(kind=OrgKind.UNIT).count()
    for _ in range(n - have):
        OrganisationFactory(kind=OrgKind.UNIT, superior=world.city_department)
    return world.admin(world.unit)


def _unit_conditions(world: World, n: int) -> Any:
    admin = world.admin(world.unit)
    for _ in range(n - world.unit.unit_conditions.count()):
        unit_condition_set(
            actor=admin, unit=world.unit, campaign=CampaignFactory(), level="", min_achievements=1
        )
    return admin


def _campaigns(world: World, n: int) -> Any:
    from declarations.models import Campaign

    for _ in range(n - Campaign.objects.count()):
        CampaignFactory(committee_host=world.committee_host)
    return UserFactory()


def _versions(world: World, n: int) -> tuple[Any, int]:
    d = _versions.declaration  # type: ignore[attr-defined]
    for number in range(d.versions.count() + 1, n + 1):
        DeclarationVersion.objects.create(
            declaration=d, number=number, reason="resubmit", frozen_at=timezone.now(), data={}
        )
    return d.applicant, d.pk


class _BoardClient(Client):
    """Asks for the board as it is rendered afresh: the cache is bumped before each request."""

    def get(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        from review.publicity import public_board_changed

        public_board_changed()
        return super().get(*args, **kwargs)


def _public_board(world: World, n: int, *, render: bool = False) -> tuple[Client, str]:
    _running_batches(world, n)
    return (_BoardClient() if render else Client()), "/publicity/"


def _committees(world: World, n: int) -> Any:
    """n committees hosted by one organisation (committees app, issue 5)."""
    from committees.models import Committee

    setup = _committees.setup  # type: ignore[attr-defined]
    for _ in range(n - Committee.objects.filter(host=setup.host).count()):
        Committee.objects.create(
            name=f"评委会{Committee.objects.count() + 1}",
            host=setup.host,
            approval_body=setup.campaign.approval_body,
            draw_method="随机抽取",
        )
    return setup.staff


def _experts(world: World, n: int) -> Any:
    """n experts in the pool of the host's committee."""
    from committees.models import CommitteeRole
    from tests.committees.factories import expert_add

    setup = _committees.setup  # type: ignore[attr-defined]
    for _ in range(n - CommitteeRole.objects.filter(committee=setup.committee).count()):
        expert_add(setup.committee)
    return setup.staff


Case = Callable[[World, int], tuple[Client, str]]

CASES: dict[str, Case] = {
    "page /review/ (queue)": lambda w, n: (_page(_queue(w, n)), "/review/"),
    "api /api/v1/review/queue/": lambda w, n: (_api(_queue(w, n)), "/api/v1/review/queue/"),
    "page /declarations/ (my applications)": lambda w, n: (_page(_my_declarations(w, n)), "/declarations/"),
    "api /api/v1/declarations/": lambda w, n: (_api(_my_declarations(w, n)), "/api/v1/declarations/"),
    "page /review/publicity/ (unit batches)": lambda w, n: (_page(_batches(w, n)), "/review/publicity/"),
    "api /api/v1/review/publicity/batches/": lambda w, n: (
        _api(_batches(w, n)),
        "/api/v1/review/publicity/batches/",
    ),
    "page /publicity/ (public board, cached)": lambda w, n: _public_board(w, n),
    "page /publicity/ (public board, rendered)": lambda w, n: _public_board(w, n, render=True),
    "page /inbox/": lambda w, n: (_page(_notifications(w, n)), "/inbox/"),
    "api /api/v1/notifications/": lambda w, n: (_api(_notifications(w, n)), "/api/v1/notifications/"),
    "page /accounts/organisations/": lambda w, n: (_page(_organisations(w, n)), "/accounts/organisations/"),
    "api /api/v1/organisations/": lambda w, n: (_api(_organisations(w, n)), "/api/v1/organisations/"),
    "page /review/unit-conditions/": lambda w, n: (_page(_unit_conditions(w, n)), "/review/unit-conditions/"),
    "api /api/v1/review/unit-conditions/": lambda w, n: (
        _api(_unit_conditions(w, n)),
        "/api/v1/review/unit-conditions/",
    ),
    "api /api/v1/campaigns/": lambda w, n: (_api(_campaigns(w, n)), "/api/v1/campaigns/"),
    "page /committees/": lambda w, n: (_page(_committees(w, n)), "/committees/"),
    "api /api/v1/committees/": lambda w, n: (_api(_committees(w, n)), "/api/v1/committees/"),
    "page /committees/experts/": lambda w, n: (_page(_experts(w, n)), "/committees/experts/"),
    "api /api/v1/committees/experts/": lambda w, n: (_api(_experts(w, n)), "/api/v1/committees/experts/"),
    "api /api/v1/declarations/<pk>/versions/": lambda w, n: (
        lambda user_pk: (_api(user_pk[0]), f"/api/v1/declarations/{user_pk[1]}/versions/")
    )(_versions(w, n)),
}


def _queries(client: Client, url: str) -> tuple[int, list[str], int]:
    client.get(url)  # first request: per-process caches (content types, the session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], len(response.content)


@pytest.mark.parametrize("name", list(CASES))
def test_list_asks_the_same_queries_for_one_and_many_rows(name, world, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    _my_declarations.applicant = UserFactory()  # type: ignore[attr-defined]
    _versions.declaration = DeclarationFactory(campaign=world.campaign)  # type: ignore[attr-defined]
    if "committees" in name:
        from tests.committees.factories import setup_make

        _committees.setup = setup_make()  # type: ignore[attr-defined]
    case = CASES[name]

    client, url = case(world, 1)
    one, _sql_one, size_one = _queries(client, url)
    client, url = case(world, MANY)
    many, sql_many, size_many = _queries(client, url)

    assert size_many > size_one, f"{name}: the list did not grow; the case builds no rows"
    assert one == many, f"{name}: {one} queries for 1 row, {many} for {MANY}:\n" + "\n".join(sql_many)
