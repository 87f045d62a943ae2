"""Hardening: CSP, no inline script, login throttling, argon2, session expiry, the
append-only audit trail and the unlinkable ballot (docs/reliability.md, "Hardening")."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from committees.ballots import ballot_cast
from committees.models import Ballot, VoteReceipt
from config.settings import base
from core.models import AuditEvent, Notification
from core.security import LAST_SEEN_KEY, STARTED_KEY
from core.services import audit_record
from tests.committees.ballot_factories import voting_meeting_make
from tests.factories import OrganisationFactory, UserFactory, admin_of

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "pass-1234-word"


# --- Content-Security-Policy and inline code ---------------------------------------


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/verify/", "/api/v1/organisations/"])
def test_csp_forbids_inline_and_foreign_script(client, url):
    policy = _policy(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_csp_api_docs_allow_inline_styles_but_never_inline_script(client):
    for name in ("api-docs", "api-redoc"):
        response = client.get(reverse(name))
        policy = _policy(response)
        assert response.status_code == 200
        assert policy["script-src"] == ["'self'"]
        assert "'unsafe-inline'" in policy["style-src"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


def _browser_templates() -> list[Path]:
    # *_pdf.html are rendered by WeasyPrint into PDFs, never served to a browser.
    return [p for p in (ROOT / "templates").rglob("*.html") if not p.name.endswith("_pdf.html")]


def test_templates_have_no_inline_script_handlers_or_javascript_urls():
    found = []
    for path in _browser_templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_templates_have_no_style_elements():
    found = [
        str(p.relative_to(ROOT)) for p in _browser_templates() if "<style" in p.read_text(encoding="utf-8")
    ]
    assert found == []


# --- Passwords and login throttling ----------------------------------------------


def test_passwords_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert make_password("demo-2026").startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_login_locked_after_five_failures_even_with_the_right_password(client):
    user = UserFactory()
    url = reverse("accounts:login")
    for _ in range(4):
        assert client.post(url, {"username": user.username, "password": "wrong"}).status_code == 200
    # The fifth failure locks the pair; then even the right password is refused.
    assert client.post(url, {"username": user.username, "password": "wrong"}).status_code == 429
    locked = client.post(url, {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "登录已暂停" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_lockout_is_per_username_and_address(client):
    victim, other = UserFactory(), UserFactory()
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": victim.username, "password": "wrong"})
    ok = client.post(url, {"username": other.username, "password": PASSWORD})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_api_token_endpoint_locked_after_five_failures(api_client):
    user = UserFactory()
    url = reverse("api:token")
    for _ in range(4):
        assert api_client.post(url, {"username": user.username, "password": "wrong"}).status_code == 400
    api_client.post(url, {"username": user.username, "password": "wrong"})
    locked = api_client.post(url, {"username": user.username, "password": PASSWORD})
    assert locked.status_code in (400, 403, 429), locked.content
    assert '"token"' not in locked.content.decode()


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client):
    user = UserFactory()
    url = reverse("accounts:login")
    for _ in range(4):
        client.post(url, {"username": user.username, "password": "wrong"})
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        client.post(url, {"username": user.username, "password": "wrong"})
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302


# --- Sessions ----------------------------------------------------------------------


def _age_session(client, *, started_ago: int, seen_ago: int) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    now = int(time.time())
    session[STARTED_KEY] = now - started_ago
    session[LAST_SEEN_KEY] = now - seen_ago
    session.save()


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get(reverse("declarations:list")).status_code == 200


@pytest.mark.django_db
def test_staff_session_ends_after_30_idle_minutes(client):
    staff = admin_of(OrganisationFactory())
    client.force_login(staff)
    assert _signed_in(client)
    _age_session(client, started_ago=3600, seen_ago=29 * 60)
    assert _signed_in(client)
    _age_session(client, started_ago=3600, seen_ago=31 * 60)
    assert not _signed_in(client)


@pytest.mark.django_db
def test_applicant_session_survives_idle_but_not_eight_hours(client):
    applicant = UserFactory()
    client.force_login(applicant)
    assert _signed_in(client)
    _age_session(client, started_ago=7 * 3600, seen_ago=2 * 3600)
    assert _signed_in(client)
    _age_session(client, started_ago=8 * 3600 + 1, seen_ago=10)
    assert not _signed_in(client)


def test_session_settings():
    assert base.SESSION_COOKIE_AGE == 8 * 3600
    assert base.SESSION_IDLE_TIMEOUT_STAFF == 30 * 60
    assert base.SESSION_COOKIE_HTTPONLY is True
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


# --- The audit trail is append-only, also in the admin -------------------------------


@pytest.mark.django_db
def test_audit_trail_has_no_write_path_in_the_admin(client):
    office = UserFactory(is_superuser=True, is_staff=True)
    event = audit_record(actor=office, obj=OrganisationFactory(), action="test_event", reason="原始理由")
    model_admin = admin.site._registry[AuditEvent]
    client.force_login(office)
    request = client.get("/admin/").wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.get_actions(request) == {}

    base_url = "/admin/core/auditevent/"
    assert client.post(f"{base_url}add/", {"action": "forged"}).status_code == 403
    client.post(f"{base_url}{event.pk}/change/", {"action": "changed", "reason": "改"})
    assert client.post(f"{base_url}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base_url, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.action, row.reason) == ("test_event", "原始理由")


def test_no_api_view_writes_audit_events():
    from django.urls import URLPattern, URLResolver, get_resolver

    def callbacks(resolver):  # type: ignore[no-untyped-def]
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from callbacks(p)
            elif isinstance(p, URLPattern):
                yield p.callback

    for cb in callbacks(get_resolver()):
        cls = getattr(cb, "cls", None) or getattr(cb, "view_class", None)
        if cls is None:
            continue
        for attr in ("serializer_class", "queryset", "model"):
            value = getattr(cls, attr, None)
            model = getattr(getattr(value, "Meta", None), "model", None) or getattr(value, "model", None)
            assert model is not AuditEvent, f"{cls.__name__} exposes the audit trail"


# --- Ballots cannot be linked to voters ------------------------------------------------


def test_ballot_has_no_link_to_the_voter_nor_a_time():
    fields = {f.name: f for f in Ballot._meta.concrete_fields}
    assert set(fields) == {"id", "candidate", "choice"}
    assert fields["candidate"].related_model.__name__ == "MeetingCandidate"
    # A random key: the insertion order cannot be read from it.
    assert fields["id"].get_internal_type() == "UUIDField"
    receipt_fields = {f.name for f in VoteReceipt._meta.concrete_fields}
    assert receipt_fields == {"id", "candidate", "expert"}
    assert VoteReceipt._meta.get_field("id").get_internal_type() == "UUIDField"


def test_ballots_and_receipts_absent_from_the_admin():
    assert Ballot not in admin.site._registry
    assert VoteReceipt not in admin.site._registry
    for model_admin in admin.site._registry.values():
        for inline in getattr(model_admin, "inlines", []):
            assert inline.model not in (Ballot, VoteReceipt), f"{model_admin} inlines ballots"


def _python_sources() -> list[Path]:
    skip = {".venv", "tests", "migrations", "bench", "node_modules"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def test_only_the_ballot_service_touches_ballot_rows():
    """Serializers, views, exports and the admin never read a Ballot: only committees.ballots
    counts them (aggregates), and the models define them."""
    readers = []
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        readers.extend(
            str(path.relative_to(ROOT))
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and any(a.name == "Ballot" for a in node.names)
        )
    assert sorted(set(readers)) == ["committees/ballots.py"]


def test_no_serializer_exposes_ballot_or_receipt():
    import importlib

    from rest_framework import serializers

    for path in _python_sources():
        rel = path.relative_to(ROOT)
        if "api" not in rel.parts and rel.name != "serializers.py":
            continue
        module = importlib.import_module(".".join(rel.with_suffix("").parts))
        for obj in vars(module).values():
            is_model_serializer = isinstance(obj, type) and issubclass(obj, serializers.ModelSerializer)
            if is_model_serializer and hasattr(obj, "Meta"):
                assert getattr(obj.Meta, "model", None) not in (Ballot, VoteReceipt), obj


@pytest.mark.django_db
def test_a_cast_ballot_leaves_no_trace_linking_voter_and_choice(api_client):
    vm = voting_meeting_make(attending=3, candidates=1)
    candidate = vm.candidates[0]
    voter = vm.attending[1].expert.user
    audit_before = set(AuditEvent.objects.values_list("pk", flat=True))
    api_client.force_authenticate(voter)
    url = reverse("api:meeting-ballot-cast", args=[vm.meeting.pk, candidate.pk])
    response = api_client.post(url, {"choice": "disagree"}, format="json")
    assert response.status_code in (200, 201, 204), response.content
    ballot = Ballot.objects.get(candidate=candidate)
    body = response.content.decode()
    assert str(ballot.pk) not in body
    # Nothing written about the voter names the choice or the ballot.
    for event in AuditEvent.objects.exclude(pk__in=audit_before):
        text = f"{event.action} {event.reason} {event.data}"
        assert "disagree" not in text and str(ballot.pk) not in text
    for note in Notification.objects.filter(recipient=voter):
        assert "disagree" not in f"{note.title} {note.body}" and "反对" not in f"{note.title} {note.body}"
    # And the API offers no way back from the voter to the choice.
    ballot_cast(candidate=candidate, actor=vm.attending[2].expert.user, choice="agree")
    detail = api_client.get(reverse("api:meeting-detail", args=[vm.meeting.pk]))
    assert str(ballot.pk) not in detail.content.decode()
