"""Fees (R8.5): the amount is the campaign's fee for the level; only the committee host confirms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import PermissionRefused, TransitionNotAllowed
from core.models import AuditEvent
from declarations.enums import PaymentStatus
from declarations.models import Payment
from declarations.payments import payment_confirm
from review.services import step_pass
from tests.conftest import publicise_and_release
from tests.declarations.material_helpers import draft, submitted
from tests.declarations.test_api import token_client


def at_committee(world, d):
    d = publicise_and_release(d, world)
    d = step_pass(declaration=d, actor=world.admin(world.unit))
    return step_pass(declaration=d, actor=world.admin(world.city_department))


@pytest.mark.parametrize(
    ("level", "fee"),
    [
        ("professor_engineer", Decimal("420")),
        ("senior_engineer", Decimal("420")),
        ("engineer", Decimal("240")),
        ("assistant_engineer", Decimal("120")),
        ("technician", Decimal("120")),
    ],
)
def test_payment_amount_equals_band_fee(world, applicant, level, fee):
    d = submitted(world, applicant, level=level)
    payment = Payment.objects.get(declaration=d)
    assert payment.amount == fee
    assert payment.status == PaymentStatus.PENDING


def test_payment_amount_follows_campaign_configuration(world, applicant):
    world.campaign.fee_intermediate = Decimal("260")
    world.campaign.save()
    d = submitted(world, applicant)
    assert Payment.objects.get(declaration=d).amount == Decimal("260")


def test_draft_has_no_payment_yet(world, applicant):
    d = draft(world, applicant)
    assert Payment.objects.filter(declaration=d).count() == 0


def test_confirm_by_committee_host_records_who_and_how(world, applicant):
    d = at_committee(world, submitted(world, applicant))
    host = world.admin(world.committee_host)
    payment = payment_confirm(declaration=d, actor=host, method="bank_transfer", reference="20240905-001")
    assert (payment.status, payment.amount, payment.confirmed_by, payment.method, payment.reference) == (
        PaymentStatus.CONFIRMED,
        Decimal("240"),
        host,
        "bank_transfer",
        "20240905-001",
    )
    assert AuditEvent.objects.filter(action="payment_confirm").get().data["amount"] == "240.00"


def test_confirm_twice_refused(world, applicant):
    d = at_committee(world, submitted(world, applicant))
    host = world.admin(world.committee_host)
    payment_confirm(declaration=d, actor=host, method="cash")
    with pytest.raises(TransitionNotAllowed) as exc:
        payment_confirm(declaration=d, actor=host, method="cash")
    assert exc.value.code == "payment_already_confirmed"


def test_confirm_before_reaching_committee_refused(world, applicant):
    d = submitted(world, applicant)
    with pytest.raises(PermissionRefused) as exc:
        payment_confirm(declaration=d, actor=world.admin(world.committee_host), method="cash")
    assert exc.value.code == "payment_not_allowed"


@pytest.mark.parametrize("who", ["applicant", "unit", "city_department"])
def test_confirm_by_anyone_but_committee_host_refused(world, applicant, who):
    d = at_committee(world, submitted(world, applicant))
    actor = applicant if who == "applicant" else world.admin(getattr(world, who))
    with pytest.raises(PermissionRefused):
        payment_confirm(declaration=d, actor=actor, method="cash")
    assert Payment.objects.get(declaration=d).status == PaymentStatus.PENDING


def test_api_confirm_with_amount_refused_and_amount_unchanged(world, applicant):
    d = at_committee(world, submitted(world, applicant))
    client = token_client(world.admin(world.committee_host))
    url = f"/api/v1/declarations/{d.pk}/payment/confirm/"
    response = client.post(url, {"method": "cash", "amount": "1.00"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    payment = Payment.objects.get(declaration=d)
    assert (payment.status, payment.amount) == (PaymentStatus.PENDING, Decimal("240"))
    response = client.post(url, {"method": "cash", "reference": "R-1"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["amount"]) == ("confirmed", "240.00")


def test_api_confirm_by_applicant_403(world, applicant):
    d = at_committee(world, submitted(world, applicant))
    response = token_client(applicant).post(
        f"/api/v1/declarations/{d.pk}/payment/confirm/", {"method": "cash"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "payment_not_allowed"


def test_api_payment_shows_fee_before_submission(world, applicant):
    d = draft(world, applicant, level="senior_engineer")
    body = token_client(applicant).get(f"/api/v1/declarations/{d.pk}/payment/").json()
    assert (body["fee"], body["status"], body["can_confirm"]) == ("420.00", "not_opened", False)


def test_detail_page_shows_fee_before_submission(client, world, applicant):
    d = draft(world, applicant, level="assistant_engineer")
    client.force_login(applicant)
    content = client.get(d.get_absolute_url()).content.decode()
    assert "应缴金额" in content
    assert "120" in content


def test_detail_page_confirm_form_only_for_committee_host(client, world, applicant):
    d = at_committee(world, submitted(world, applicant))
    confirm_url = reverse("declarations:payment_confirm", args=[d.pk])
    client.force_login(world.admin(world.city_department))
    assert confirm_url not in client.get(d.get_absolute_url()).content.decode()
    client.force_login(world.admin(world.committee_host))
    assert confirm_url in client.get(d.get_absolute_url()).content.decode()
    response = client.post(confirm_url, {"method": "bank_transfer", "reference": "X1", "amount": "1"})
    assert response.status_code == 302
    payment = Payment.objects.get(declaration=d)
    assert (payment.status, payment.amount) == (PaymentStatus.CONFIRMED, Decimal("240"))
