"""seed_demo loads the demo committee and its pool, idempotently (issue 5)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from committees.models import Committee, CommitteeRole, Expert
from core.management.commands.seed_demo import DEMO_COMMITTEE_NAME


def test_seed_demo_committee_idempotent(db) -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    committee = Committee.objects.get(name=DEMO_COMMITTEE_NAME)
    roles = dict(CommitteeRole.objects.filter(committee=committee).values_list("expert__name", "role"))
    assert len(roles) == 30
    assert sorted(r for r in roles.values() if r != "member") == ["chair", "vice_chair", "vice_chair"]
    assert Expert.objects.filter(employer__isnull=False).count() == 5
    assert "expert_chair" in out.getvalue()
    assert "expert_demo" in out.getvalue()
    call_command("seed_demo", stdout=StringIO())
    assert Expert.objects.count() == 30
    assert CommitteeRole.objects.count() == 30
