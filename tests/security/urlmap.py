"""Every URL of the platform, from the resolver, with the world object each parameter names.

Nothing here lists URLs by hand: patterns are walked from ``ROOT_URLCONF``; a parameter is
filled from the path segment in front of it (``meetings/<int:pk>`` is a meeting) or from
its own name (``candidate_pk``). A new URL whose segment is not known fails the matrix
with its name, so it cannot escape the permission checks unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Path segment in front of ``<int:pk>`` -> key of ``World.objects``.
SEGMENT_OBJECT = {
    "declarations": "declaration",
    "review": "declaration",
    "publicity": "batch",
    "complaints": "complaint",
    "unit-conditions": "condition",
    "committees": "committee",
    "meetings": "meeting",
    "invitations": "draw_entry",
    "draw-entries": "draw_entry",
    "seats": "seat",
    "meeting-seats": "seat",
    "results-complaints": "results_complaint",
    "confirmations": "confirmation",
    "results": "results_publicity",
    "results-publicity": "results_publicity",
    "certificates": "certificate",
    "review-forms": "review_form",
    "batches": "document_batch",
    "document-batches": "document_batch",
    "inbox": "notification",
    "notifications": "notification",
    "campaigns": "campaign",
}
# Parameters named for what they are.
KWARG_OBJECT = {
    "candidate_pk": "candidate",
    "achievement_pk": "achievement",
    "evidence_pk": "evidence",
    "entry_pk": "publicity_entry",
    "row_pk": "education",
}
# row_id of the API's content rows, by the segment in front of it.
ROW_SEGMENT_OBJECT = {"education": "education", "work-history": "work", "social-insurance": None}
CONSTANT_KWARGS = {"section": "education", "kind": "personal_data", "number": 1}

# Open to everyone by design: public notices (R6.3, R8.1), verification (R8.7), the
# organisation directory (R3.4), campaigns, sign-in and registration, health, API schema.
PUBLIC_NAMES = {
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:register",
    "accounts:organisation_list",
    "public:publicity_list",
    "public:publicity_detail",
    "public:publicity_pdf",
    "committees:results_public_list",
    "committees:results_public_detail",
    "verify:lookup",
    "verify:certificate",
    "api:token",
    "api:register",
    "api:organisations",
    "api:campaigns",
    "api:publicity-complaint-create",
    "api:results-complaint-create",
    "api:publicity-public-list",
    "api:publicity-public-detail",
    "api:publicity-public-form-pdf",
    "api:results-publicity-list",
    "api:results-publicity-detail",
    "admin:login",
    "admin:logout",
    "api:certificate-verify-lookup",
    "api:certificate-verify",
    "api-schema",
    "api-docs",
    "api-redoc",
    "healthz",
    "healthz-live",
}
# Open to anonymous visitors too, but what they show depends on who asks (the home page
# with each role's dashboard): still searched for the other world's names.
ANONYMOUS_OK = {"core:home"}


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as text, e.g. "committees/meetings/<int:pk>/draw/"
    name: str  # namespaced URL name
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC_NAMES


def _walk(resolver: URLResolver, prefix: str = "", ns: str = ""):  # type: ignore[no-untyped-def]
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            namespace = ns
            if p.namespace:
                namespace = f"{ns}:{p.namespace}" if ns else p.namespace
            yield from _walk(p, prefix + str(p.pattern), namespace)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
            yield prefix + str(p.pattern), name


PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def routes() -> list[Route]:
    """Every named URL pattern except the admin's object pages (their ids are strings)."""
    seen: set[str] = set()
    out = []
    for route, name in _walk(get_resolver()):
        if not name or name in seen:
            continue
        params = tuple(m.group("name") for m in PARAM.finditer(route))
        if route.startswith("admin/") and (params or "^" in route):
            continue  # the admin's own object pages: the admin site checks is_staff first
        seen.add(name)
        out.append(Route(route, name, params))
    return out


def object_keys(r: Route) -> dict[str, str | None]:
    """Which world object (or constant) fills each parameter; raises for an unknown one."""
    keys: dict[str, str | None] = {}
    for m in PARAM.finditer(r.route):
        param = m.group("name")
        before = r.route[: m.start()].rstrip("/").rsplit("/", 1)[-1]
        if param in CONSTANT_KWARGS:
            keys[param] = f"={CONSTANT_KWARGS[param]}"
        elif param == "token":
            keys[param] = "token"
        elif param in KWARG_OBJECT:
            keys[param] = KWARG_OBJECT[param]
        elif param == "row_id":
            keys[param] = ROW_SEGMENT_OBJECT[before]
        elif param == "pk" and before in SEGMENT_OBJECT:
            keys[param] = SEGMENT_OBJECT[before]
        else:
            raise LookupError(f"{r.name} ({r.route}): no world object for <{param}> after '{before}/'")
    # certificates/declarations/<pk>/ is the passed candidate's declaration.
    if r.route.startswith(("certificates/declarations/", "api/v1/declarations/<int:pk>/documents")):
        keys["pk"] = "passed"
    if r.route.startswith("certificates/meetings/") or "/meetings/<int:pk>/document-batches" in r.route:
        keys["pk"] = "meeting"
    return keys


def kwargs_for(r: Route, objects: dict[str, object]) -> dict[str, object] | None:
    """The URL's kwargs filled from one world, or None if the world has no such object."""
    out: dict[str, object] = {}
    for param, key in object_keys(r).items():
        if key is None:
            return None
        if key.startswith("="):
            out[param] = key[1:] if not key[1:].isdigit() else int(key[1:])
        elif key == "token":
            out[param] = objects["certificate"].token  # type: ignore[attr-defined]
        else:
            obj = objects.get(key)
            if obj is None:
                return None
            out[param] = obj.pk  # type: ignore[attr-defined]
    return out


MISSING_PK = 2_000_000_000


def missing_kwargs(r: Route) -> dict[str, object]:
    """Kwargs naming objects that do not exist, for a request to compare against."""
    out: dict[str, object] = {}
    for param, key in object_keys(r).items():
        if key is not None and key.startswith("="):
            out[param] = key[1:] if not key[1:].isdigit() else int(key[1:])
        elif param == "token":
            out[param] = "no-such-token-0000000000"
        else:
            out[param] = MISSING_PK
    return out
