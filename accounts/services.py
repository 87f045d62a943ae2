"""Writes on people and organisations (R3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.enums import AdminLevel, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from accounts.validators import normalise_id_number, validate_id_number, validate_phone
from core.exceptions import ServiceError
from core.services import audit_record

# Committee hosts and approval bodies are set up by the title office, not self-registered.
SELF_REGISTERED_KINDS = frozenset(
    {
        OrgKind.UNIT,
        OrgKind.COMPETENT_DEPARTMENT,
        OrgKind.DISTRICT_HR,
        OrgKind.PERSONNEL_AGENCY,
        OrgKind.CQ_MANAGEMENT_BODY,
    }
)


def _validated(validator, value: str, field: str) -> None:  # type: ignore[no-untyped-def]
    try:
        validator(value)
    except ValidationError as exc:
        raise ServiceError(exc.code or "invalid", exc.messages[0], field=field) from None


@transaction.atomic
def user_register(
    *,
    username: str,
    password: str,
    real_name: str,
    id_number: str,
    phone: str,
    email: str = "",
) -> User:
    """Register a real-name person once (R3.1): the ID number is unique and checked."""
    id_number = normalise_id_number(id_number)
    _validated(validate_id_number, id_number, "id_number")
    _validated(validate_phone, phone, "phone")
    if not real_name.strip():
        raise ServiceError("real_name_required", _("请填写真实姓名。"), field="real_name")
    if User.objects.filter(id_number=id_number).exists():
        raise ServiceError(
            "id_number_registered",
            _("该身份证号码已注册，请直接登录；已注册用户无需重复注册（R3.1）。"),
            field="id_number",
        )
    if User.objects.filter(username=username).exists():
        raise ServiceError("username_taken", _("该用户名已被使用。"), field="username")
    try:
        user = User.objects.create_user(
            username=username,
            password=password,
            real_name=real_name.strip(),
            id_number=id_number,
            phone=phone.strip(),
            email=email,
        )
    except IntegrityError:
        raise ServiceError(
            "id_number_registered", _("该身份证号码已注册。"), field="id_number"
        ) from None
    audit_record(actor=user, obj=user, action="user_register")
    return user


@transaction.atomic
def organisation_register(
    *,
    actor: User,
    name: str,
    kind: str,
    district: str,
    contact_person: str,
    contact_phone: str,
    level: str = AdminLevel.DISTRICT,
    superior: Organisation | None = None,
    credit_code: str | None = None,
    complaint_phone: str = "",
) -> Organisation:
    """Register an organisation and bind ``actor`` as its title administrator (R3.2).

    Refused while the person already administers another organisation or has a
    declaration under way, since a bound administrator may not declare (R1.3).
    """
    from declarations.selectors import declaration_has_open_for_applicant

    actor = User.objects.select_for_update().get(pk=actor.pk)
    if kind not in SELF_REGISTERED_KINDS:
        raise ServiceError(
            "organisation_kind_not_registrable",
            _("评委会组建单位和核准机构由职称办统一设置，不能自行注册。"),
            field="kind",
        )
    if TitleAdministrator.objects.filter(user=actor, is_active=True).exists():
        raise ServiceError(
            "already_administrator",
            _("您已是其他机构的职称管理员，一人只能绑定一个机构（R3.2）。"),
        )
    if declaration_has_open_for_applicant(actor):
        raise ServiceError(
            "has_open_declaration",
            _("您有正在进行的职称申报，绑定为职称管理员后不能申报（R1.3），请先撤回或待其办结。"),
        )
    _validated(validate_phone, contact_phone, "contact_phone")
    if Organisation.objects.filter(kind=kind, name=name.strip()).exists():
        raise ServiceError(
            "organisation_registered",
            _("该机构已注册，请联系其现任职称管理员（R3.1）。"),
            field="name",
        )
    if credit_code and Organisation.objects.filter(credit_code=credit_code).exists():
        raise ServiceError(
            "credit_code_registered",
            _("该统一社会信用代码已注册，请联系该机构现任职称管理员（R3.1）。"),
            field="credit_code",
        )
    if superior is not None and superior.pk is None:
        superior = None
    org = Organisation.objects.create(
        name=name.strip(),
        kind=kind,
        level=level,
        district=district,
        superior=superior,
        contact_person=contact_person.strip(),
        contact_phone=contact_phone.strip(),
        complaint_phone=complaint_phone.strip(),
        credit_code=credit_code or None,
        registered_by=actor,
    )
    TitleAdministrator.objects.create(user=actor, organisation=org)
    audit_record(actor=actor, obj=org, action="organisation_register")
    return org


@transaction.atomic
def administrator_bind(*, actor: User | None, user: User, organisation: Organisation) -> TitleAdministrator:
    """Bind a person as an organisation's title administrator (office set-up, R3.2)."""
    from declarations.selectors import declaration_has_open_for_applicant

    user = User.objects.select_for_update().get(pk=user.pk)
    if TitleAdministrator.objects.filter(user=user, is_active=True).exists():
        raise ServiceError(
            "already_administrator", _("该用户已是其他机构的职称管理员（R3.2）。")
        )
    if declaration_has_open_for_applicant(user):
        raise ServiceError(
            "has_open_declaration",
            _("该用户有正在进行的职称申报，不能绑定为职称管理员（R1.3）。"),
        )
    binding = TitleAdministrator.objects.create(user=user, organisation=organisation)
    audit_record(actor=actor, obj=binding, action="administrator_bind")
    return binding
