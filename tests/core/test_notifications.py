"""Notifications: written with the event, emailed after commit, never lost."""

from __future__ import annotations

import pytest
from django.core import mail

from core.models import Notification
from core.notifications import notifications_resend, notify
from declarations.services import declaration_create, declaration_submit
from review.services import step_return
from tests.conftest import picks_for
from tests.factories import UserFactory


def _submitted(world, applicant):
    d = declaration_create(
        actor=applicant, campaign=world.campaign, level="engineer", field="big_data",
        category="city_public", **picks_for(world, "city_public"),
    )
    return declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)


@pytest.mark.django_db(transaction=True)
def test_submit_notifies_first_organisation_administrator_by_inbox_and_email(world, applicant):
    _submitted(world, applicant)

    admin = world.admin(world.unit)
    inbox = list(Notification.objects.filter(recipient=admin))
    assert [n.kind for n in inbox] == ["review_waiting"]
    assert inbox[0].emailed_at is not None
    assert [m.to for m in mail.outbox] == [[admin.email]]


@pytest.mark.django_db(transaction=True)
def test_return_notifies_applicant_with_defects(world, applicant):
    d = _submitted(world, applicant)
    mail.outbox.clear()

    step_return(declaration=d, actor=world.admin(world.unit), defects=["缺少学历证书"], reason="请补正")

    n = Notification.objects.get(recipient=applicant)
    assert n.kind == "declaration_return_for_correction"
    assert n.body == "请补正"
    assert mail.outbox[0].to == [applicant.email]


@pytest.mark.django_db
def test_notification_rolled_back_with_its_event(world, applicant):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[applicant], kind="x", title="t")
        raise RuntimeError

    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_resend_sends_pending_once():
    user = UserFactory()
    Notification.objects.create(recipient=user, kind="x", title="待发送")

    assert notifications_resend() == 1
    assert notifications_resend() == 0
    assert len(mail.outbox) == 1
