"""The permission matrix: every role against every page and API endpoint, in two worlds.

Worlds 甲 and 乙 (tests/security/worlds.py) each hold every role and every kind of
object. Every URL comes from the resolver (tests/security/urlmap.py). For each URL:

* cross-world: each person of world 甲 asks for world 乙's object with GET and POST.
  The answer must be what the same person gets for an object that does not exist
  (404, or 405 when the method is refused before any lookup), nothing may be written,
  and nothing of world 乙 may show in the body;
* anonymous: pages send to the login page, the API answers 401/403, except what is
  public by design (urlmap.PUBLIC_NAMES);
* in-world: every role (and the office) GETs world 甲's object; no answer is a server
  error, no answer outside the public pages shows anything of world 乙, and no one but
  the applicant sees the applicant's full ID number;
* a URL whose object nobody in world 甲 can open with GET is listed (POST-only actions),
  so a matrix that passes only because everything answers 404 cannot go unnoticed.

docs/reliability.md ("Permission matrix") reports the number of cases.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditEvent
from declarations.models import Declaration
from tests.factories import UserFactory
from tests.security.urlmap import ANONYMOUS_OK, Route, kwargs_for, missing_kwargs, object_keys, routes
from tests.security.worlds import WORLD_ROLES, World, world_make

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


class Clients:
    """One page client and one API client per person, signed in once."""

    def __init__(self) -> None:
        self._made: dict[tuple[int | None, bool], Client] = {}

    def __call__(self, route: Route, user) -> Client:  # type: ignore[no-untyped-def]
        key = (user.pk if user is not None else None, route.is_api)
        if key not in self._made:
            if route.is_api:
                c = APIClient(raise_request_exception=False)
                if user is not None:
                    c.force_authenticate(user)
            else:
                c = Client(raise_request_exception=False)
                if user is not None:
                    c.force_login(user)
            self._made[key] = c
        return self._made[key]


def _request(client: Client, route: Route, method: str, url: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    if route.is_api:
        return client.post(url, {}, format="json")  # type: ignore[call-arg]
    return client.post(url, {})


def _body(response) -> str:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return ""  # files (PDF, xlsx): not searched for names
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/", "application/json")):
        return ""
    text = response.content.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        # JSON escapes non-ASCII; compare on the decoded text.
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _leaked(text: str, other: World) -> list[str]:
    return [m for m in other.markers if m and m in text]


@pytest.fixture
def worlds(settings, tmp_path, seal_settings) -> tuple[World, World]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False  # login throttling has its own tests; here it only slows
    settings.PUBLIC_BASE_URL = "https://zc.example.cn"
    now = timezone.now()
    a = world_make("甲", publicity_at=now, issue_seals=seal_settings.issue_all)
    b = world_make("乙", publicity_at=now, issue_seals=seal_settings.issue_all)
    return a, b


def test_permission_matrix(worlds, tmp_path_factory):  # type: ignore[no-untyped-def]
    a, b = worlds
    office = UserFactory(is_superuser=True, is_staff=True, real_name="职称办")
    all_routes = routes()
    _client = Clients()
    unmapped = []
    for r in all_routes:
        try:
            object_keys(r)
        except LookupError as exc:
            unmapped.append(str(exc))
    assert unmapped == [], "URLs the matrix cannot fill; add their segment to urlmap.py"

    cases: Counter[str] = Counter()
    failures: list[str] = []
    b_states = dict(Declaration.objects.values_list("pk", "state"))
    audit_before = AuditEvent.objects.count()

    # 1. Cross-world: world 甲's people on world 乙's objects, and anonymous on both.
    for r in all_routes:
        if r.is_public or not r.params:
            continue
        b_kwargs = kwargs_for(r, b.objects)
        if b_kwargs is None:
            continue
        url_b = reverse(r.name, kwargs=b_kwargs)
        url_missing = reverse(r.name, kwargs=missing_kwargs(r))
        for role in (None, *WORLD_ROLES):
            user = a.users[role] if role else None
            client = _client(r, user)
            for method in ("GET", "POST"):
                cases["cross"] += 1
                got = _request(client, r, method, url_b)
                who = role or "anonymous"
                if role is None:
                    ok = (
                        got.status_code in (401, 403, 405)
                        if r.is_api
                        else got.status_code == 302 and got["Location"].startswith(LOGIN_PATHS)
                        or got.status_code == 405
                    )
                    if not ok:
                        failures.append(f"anonymous {method} {r.name} {url_b} -> {got.status_code}")
                    continue
                if got.status_code not in (404, 405):
                    failures.append(f"{who} {method} {r.name} {url_b} -> {got.status_code} (want 404)")
                    continue
                if got.status_code == 405:
                    base = _request(client, r, method, url_missing)
                    if base.status_code != 405:
                        failures.append(
                            f"{who} {method} {r.name}: 405 for another world's object but "
                            f"{base.status_code} for a missing one"
                        )
                leaked = _leaked(_body(got), b)
                if leaked:
                    failures.append(f"{who} {method} {r.name} shows {leaked}")

    # Nothing of world 乙 was written by all those requests.
    if AuditEvent.objects.count() != audit_before:
        failures.append(f"cross-world requests wrote {AuditEvent.objects.count() - audit_before} audit rows")
    changed = {
        pk for pk, state in Declaration.objects.values_list("pk", "state") if b_states.get(pk) != state
    }
    if changed:
        failures.append(f"cross-world requests changed declarations {sorted(changed)}")

    # 2. In-world: every role GETs world 甲's objects and every page without parameters.
    opened: dict[str, set[str]] = {}
    for r in all_routes:
        if r.name in {"accounts:logout", "admin:logout", "set_language"}:
            continue
        kwargs = kwargs_for(r, a.objects) if r.params else {}
        if kwargs is None:
            continue
        url = reverse(r.name, kwargs=kwargs)
        for role in (None, *WORLD_ROLES, "office"):
            user = office if role == "office" else (a.users[role] if role else None)
            who = role or "anonymous"
            got = _request(_client(r, user), r, "GET", url)
            cases["in-world"] += 1
            if got.status_code >= 500:
                failures.append(f"{who} GET {r.name} {url} -> {got.status_code}")
                continue
            if got.status_code not in (302, 401, 403, 404, 405) and role not in (None, "office"):
                opened.setdefault(r.name, set()).add(who)
            if role is None and not r.is_public and r.name not in ANONYMOUS_OK:
                ok = (
                    got.status_code in (401, 403, 405)
                    if r.is_api
                    else (got.status_code == 302 and got["Location"].startswith(LOGIN_PATHS))
                    or got.status_code == 405
                )
                if not ok:
                    failures.append(f"anonymous GET {r.name} {url} -> {got.status_code}")
            body = _body(got)
            # ID numbers: in full only to the person themself (R3.1); masked for everyone
            # else on every page and API answer (PDF documents are not searched here).
            for owner in ("applicant",):
                full = a.users[owner].id_number
                if role not in (owner, "office") and full in body:
                    failures.append(f"{who} GET {r.name} {url} shows the {owner}'s full ID number")
            if not r.is_public and role != "office":
                leaked = _leaked(body, b)
                if leaked:
                    failures.append(f"{who} GET {r.name} {url} shows world 乙's {leaked}")

    unreached = sorted(
        r.name for r in all_routes
        if r.params and not r.is_public and kwargs_for(r, a.objects) is not None and r.name not in opened
    )
    report = tmp_path_factory.mktemp("matrix") / "failures.txt"
    report.write_text("\n".join(failures), encoding="utf-8")
    print(f"\nfailures written to {report}")
    print(f"\npermission matrix: {dict(cases)} cases, {len(all_routes)} URLs, {len(failures)} failures")
    print("opened by GET:", {k: sorted(v) for k, v in sorted(opened.items())})
    print("answer GET with 404/405 for every role (POST-only or state-bound):", unreached)
    assert failures == []
