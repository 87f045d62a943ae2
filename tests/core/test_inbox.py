"""The inbox page and API: one's own notifications, newest first, unread marked."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from core.notifications import notify
from tests.factories import UserFactory


def send(user, n: int) -> list[Notification]:  # type: ignore[no-untyped-def]
    return [
        notify(recipients=[user], kind="test", title=f"消息{i}", url="/declarations/")[0]
        for i in range(n)
    ]


def inbox_queries(client, user, n: int) -> int:  # type: ignore[no-untyped-def]
    Notification.objects.filter(recipient=user).delete()
    send(user, n)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:inbox"))
    assert response.status_code == 200
    return len(queries)


def test_inbox_query_count_same_for_1_and_20(client, applicant):
    client.force_login(applicant)

    assert inbox_queries(client, applicant, 1) == inbox_queries(client, applicant, 20)


def test_inbox_lists_own_newest_first_with_unread_count(client, applicant):
    other = UserFactory()
    send(applicant, 2)
    send(other, 1)
    client.force_login(applicant)

    html = client.get(reverse("core:inbox")).content.decode()

    assert html.index("消息1") < html.index("消息0")
    assert html.count('class="inbox-item is-unread"') == 2
    assert 'class="nav-count"' in html and ">2</span>" in html


def test_inbox_requires_login(client):
    response = client.get(reverse("core:inbox"))

    assert response.status_code == 302


def test_notification_read_marks_and_opens_link(client, applicant):
    n = send(applicant, 1)[0]
    client.force_login(applicant)

    response = client.post(reverse("core:notification_read", args=[n.pk]), {"open": "1"})

    assert response.status_code == 302
    assert response.url == "/declarations/"
    assert Notification.objects.get(pk=n.pk).read_at is not None
    assert 'class="nav-count"' not in client.get(reverse("core:inbox")).content.decode()


def test_notification_read_of_someone_else_is_404(client, applicant):
    n = send(UserFactory(), 1)[0]
    client.force_login(applicant)

    response = client.post(reverse("core:notification_read", args=[n.pk]))

    assert response.status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_notifications_api_lists_own_and_marks_read(api_client, applicant):
    mine = send(applicant, 2)
    send(UserFactory(), 1)
    api_client.force_authenticate(applicant)

    listed = api_client.get(reverse("api:notifications")).json()
    read = api_client.post(reverse("api:notification-read", args=[mine[0].pk]))

    assert [row["id"] for row in listed["results"]] == [mine[1].pk, mine[0].pk]
    assert read.status_code == 200
    assert read.json()["read_at"] is not None


def test_notifications_api_read_of_someone_else_is_404(api_client, applicant):
    n = send(UserFactory(), 1)[0]
    api_client.force_authenticate(applicant)

    response = api_client.post(reverse("api:notification-read", args=[n.pk]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
