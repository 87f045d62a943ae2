"""Every demo login's home page and reports page render on ``seed_demo`` data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_every_demo_login_sees_its_dashboard(client):
    call_command("seed_demo", "--without-meetings", stdout=StringIO())
    users = list(User.objects.filter(is_active=True))
    assert len(users) > 10
    for user in users:
        client.force_login(user)
        home = client.get("/")
        assert home.status_code == 200, user.username
        assert "我的待办" in home.content.decode()
        reports = client.get("/reports/")
        assert reports.status_code in (200, 404), user.username
        assert client.get("/api/v1/dashboard/").status_code == 200
    office = User.objects.get(username="office")
    client.force_login(office)
    html = client.get("/reports/").content.decode()
    assert "申报评审情况统计" in html and "<svg" in html
