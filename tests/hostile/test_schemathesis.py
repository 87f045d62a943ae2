"""Every operation of the OpenAPI schema fuzzed in-process, authenticated: no 5xx (issue 9
part 5).

Schemathesis reads ``/api/v1/schema/`` from the WSGI application and generates requests
(valid and invalid bodies, paths and query strings) for each operation; each is sent as an
applicant who owns a draft declaration, and as the unit's administrator. The only check
is ``not_a_server_error``: a refusal must be a 4xx with the error shape, never a 500.
The number of examples per operation is bounded (``SCHEMATHESIS_EXAMPLES``, default 3)
so the whole run stays within a few minutes on two cores.
"""

from __future__ import annotations

import os

import pytest
from rest_framework.authtoken.models import Token

from tests.review.test_services import draft

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))


@pytest.fixture
def tokens(world, applicant) -> dict[str, str]:
    draft(world, applicant)
    return {
        "applicant": Token.objects.create(user=applicant).key,
        "unit_admin": Token.objects.create(user=world.admin(world.unit)).key,
        "committee_host": Token.objects.create(user=world.admin(world.committee_host)).key,
    }


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_without_server_error(tokens):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings

    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    failures: list[str] = []
    calls = {"n": 0}
    statuses: dict[int, int] = {}

    def fuzz(operation, role: str, key: str) -> None:  # type: ignore[no-untyped-def]
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            response = case.call(headers={"Authorization": f"Token {key}"})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append(
                    f"{role} {operation.method.upper()} {case.formatted_path} "
                    f"-> {response.status_code}: {case.body!r:.200}"
                )

        run()

    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for role, key in tokens.items():
            fuzz(operation, role, key)
    print(f"schemathesis: {operations} operations, {calls['n']} requests, {len(failures)} server errors; "
          f"statuses {dict(sorted(statuses.items()))}")
    assert operations > 50, operations
    # Authenticated: most requests reach the views (not only 401s).
    assert sum(n for code, n in statuses.items() if code != 401) > calls["n"] // 2, statuses
    assert not failures, "\n".join(sorted(set(failures))[:50])
