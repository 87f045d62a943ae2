"""Reminders (催办): the applicant reminds the organisation holding the declaration, once a day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.exceptions import ServiceError, TransitionNotAllowed
from core.models import AuditEvent, Notification
from declarations.models import Declaration
from declarations.services import declaration_remind
from tests.factories import UserFactory
from tests.review.test_services import draft, submitted

SHANGHAI = ZoneInfo("Asia/Shanghai")
MON = dt.datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)


def reminders(user) -> int:  # type: ignore[no-untyped-def]
    return Notification.objects.filter(recipient=user, kind="declaration_reminder").count()


def test_remind_notifies_current_organisation_administrators(world, applicant):
    d = submitted(world, applicant)

    declaration_remind(declaration=d, actor=applicant, now=MON)

    assert reminders(world.admin(world.unit)) == 1
    assert reminders(world.admin(world.city_department)) == 0
    assert AuditEvent.objects.filter(object_id=str(d.pk), action="remind").count() == 1
    assert Declaration.objects.get(pk=d.pk).last_reminded_on == dt.date(2025, 3, 3)


def test_remind_twice_same_day_refused(world, applicant):
    d = submitted(world, applicant)
    declaration_remind(declaration=d, actor=applicant, now=MON)

    with pytest.raises(ServiceError) as caught:
        declaration_remind(
            declaration=d, actor=applicant, now=dt.datetime(2025, 3, 3, 23, 59, tzinfo=SHANGHAI)
        )

    assert caught.value.code == "reminder_too_soon"
    assert reminders(world.admin(world.unit)) == 1


def test_remind_next_day_beijing_time_allowed(world, applicant):
    d = submitted(world, applicant)
    declaration_remind(declaration=d, actor=applicant, now=MON)

    # 16:30 UTC on 3 March is 00:30 on 4 March in Beijing: a new calendar day.
    declaration_remind(
        declaration=d, actor=applicant, now=dt.datetime(2025, 3, 3, 16, 30, tzinfo=dt.UTC)
    )

    assert reminders(world.admin(world.unit)) == 2


def test_remind_by_someone_else_refused(world, applicant):
    d = submitted(world, applicant)

    with pytest.raises(ServiceError) as caught:
        declaration_remind(declaration=d, actor=UserFactory(), now=MON)

    assert caught.value.code == "not_applicant"


def test_remind_draft_refused(world, applicant):
    d = draft(world, applicant)

    with pytest.raises(TransitionNotAllowed) as caught:
        declaration_remind(declaration=d, actor=applicant, now=MON)

    assert caught.value.code == "nothing_to_remind"


def test_remind_page_button_then_second_click_refused(client, world, applicant):
    d = submitted(world, applicant)
    client.force_login(applicant)
    assert f'action="{reverse("declarations:remind", args=[d.pk])}"' in client.get(
        d.get_absolute_url()
    ).content.decode()

    client.post(reverse("declarations:remind", args=[d.pk]))
    second = client.post(reverse("declarations:remind", args=[d.pk]), follow=True)

    assert reminders(world.admin(world.unit)) == 1
    html = second.content.decode()
    assert "每份申报每天只能催办一次" in html
    assert "今天已催办" in html


def test_remind_api_twice_answers_400_second_time(api_client, world, applicant):
    d = submitted(world, applicant)
    api_client.force_authenticate(applicant)

    first = api_client.post(reverse("api:declaration-remind", args=[d.pk]))
    second = api_client.post(reverse("api:declaration-remind", args=[d.pk]))

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["code"] == "reminder_too_soon"


def test_remind_api_other_applicant_gets_404(api_client, world, applicant):
    d = submitted(world, applicant)
    api_client.force_authenticate(UserFactory())

    response = api_client.post(reverse("api:declaration-remind", args=[d.pk]))

    assert response.status_code == 404
