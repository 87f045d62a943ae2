"""The review fee (R8.5): one payment per declaration, confirmed through a gateway.

The amount is always the campaign's fee for the declared level (``Campaign.fee_for``):
no input of any page or endpoint carries an amount. A payment is opened, pending, when
the declaration is first submitted; it is confirmed by the gateway of
``settings.PAYMENT_GATEWAY``. The default gateway is "paid, confirmed by committee
staff": the applicant pays as the committee host instructs, and an administrator of the
campaign's committee host confirms it on the declaration page or through the API. An
online payment provider would be another gateway (docs/fees.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.services import audit_record
from declarations.enums import PaymentMethod, PaymentStatus
from declarations.models import Declaration, Payment


class PaymentGateway(Protocol):
    """How fees are collected and who may say that one was received."""

    code: str

    def instructions(self, declaration: Declaration) -> str:
        """Tell the applicant how to pay."""
        ...

    def may_confirm(self, *, declaration: Declaration, actor: User) -> bool:
        """Whether ``actor`` may record that the fee of ``declaration`` was received."""
        ...


class CommitteeStaffGateway:
    """Paid as the committee host instructs, confirmed by its administrators."""

    code = "committee_staff"

    def instructions(self, declaration: Declaration) -> str:
        host = declaration.campaign.committee_host
        return _(
            "请按评委会组建单位（%(host)s）的通知缴纳评审费，缴费后由其工作人员在平台确认。"
            "联系人：%(person)s %(phone)s。"
        ) % {"host": host.name, "person": host.contact_person, "phone": host.contact_phone}

    def may_confirm(self, *, declaration: Declaration, actor: User) -> bool:
        org = actor.administered_organisation if actor.is_authenticated else None
        # The committee host confirms once the declaration has reached it.
        return (
            org is not None
            and org.pk == declaration.campaign.committee_host_id
            and declaration.committee_submissions > 0
        )


def payment_gateway() -> PaymentGateway:
    """The configured gateway (``settings.PAYMENT_GATEWAY``, a dotted path to a class)."""
    return import_string(settings.PAYMENT_GATEWAY)()


def fee_for_declaration(declaration: Declaration) -> Decimal | None:
    """The fee the declaration owes: the campaign's fee for its level (R8.5); None without one."""
    if not declaration.level:
        return None
    return declaration.campaign.fee_for(declaration.level)


def payment_open(*, declaration: Declaration) -> None:
    """Open the pending payment of a declaration being submitted, at the level's fee (R8.5).

    Called by ``declaration_submit`` inside its transaction; a payment already opened
    (by an earlier submission) is kept. The submission's audit row stands for it: the
    payment row itself records the amount and when it was opened. One statement
    (``INSERT ... ON CONFLICT DO NOTHING``) instead of a lookup and an insert in a
    savepoint (docs/benchmarks.md).
    """
    Payment.objects.bulk_create(
        [Payment(declaration=declaration, amount=declaration.campaign.fee_for(declaration.level))],
        ignore_conflicts=True,
    )


def can_confirm_payment(declaration: Declaration, user: User) -> bool:
    """Whether the page or the API should offer ``user`` to confirm the payment (a hint)."""
    payment = getattr(declaration, "payment", None)
    return (
        user.is_authenticated
        and (payment is None or payment.status == PaymentStatus.PENDING)
        and bool(declaration.level)
        and payment_gateway().may_confirm(declaration=declaration, actor=user)
    )


@transaction.atomic
def payment_confirm(
    *, declaration: Declaration, actor: User, method: str, reference: str = ""
) -> Payment:
    """Record that the fee was received (R8.5), as the gateway allows.

    The amount is set from the campaign's fee for the level at this moment; nothing else
    can be charged. Refused when the actor may not confirm (``payment_not_allowed``), when
    it is already confirmed (``payment_already_confirmed``) or for an unknown method.
    """
    locked = Declaration.objects.select_for_update().select_related("campaign").get(pk=declaration.pk)
    if not payment_gateway().may_confirm(declaration=locked, actor=actor):
        raise PermissionRefused(
            "payment_not_allowed", _("只有评委会组建单位的职称管理员可以在申报报送评委会后确认缴费。")
        )
    if method not in PaymentMethod.values:
        raise ServiceError("invalid_choice", _("缴费方式无效。"), field="method")
    reference = reference.strip()
    if len(reference) > 100:
        raise ServiceError("too_long", _("缴费凭证号最多100个字符。"), field="reference")
    fee = locked.campaign.fee_for(locked.level)
    payment, _created = Payment.objects.select_for_update().get_or_create(
        declaration=locked, defaults={"amount": fee}
    )
    if payment.status == PaymentStatus.CONFIRMED:
        raise TransitionNotAllowed("payment_already_confirmed", _("该申报的评审费已确认，无需重复确认。"))
    payment.amount = fee
    payment.status = PaymentStatus.CONFIRMED
    payment.method = method
    payment.reference = reference
    payment.confirmed_by = actor
    payment.confirmed_at = timezone.now()
    payment.save(update_fields=["amount", "status", "method", "reference", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="payment_confirm",
        from_state=PaymentStatus.PENDING,
        to_state=PaymentStatus.CONFIRMED,
        data={"rules": ["R8.5"], "amount": f"{fee:.2f}", "method": method, "reference": reference},
    )
    return payment
