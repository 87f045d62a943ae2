"""``manage.py seed_demo``: idempotent, and complete enough to drive every chain (R4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from accounts.validators import validate_id_number
from core.management.commands.seed_demo import (
    CAMPAIGN_2024_NAME,
    DEMO_CAMPAIGN_NAME,
    DEMO_EXPERTS,
    DEMO_PASSWORD,
)
from core.models import AuditEvent
from declarations.enums import State
from declarations.models import Campaign, Declaration
from declarations.services import declaration_submit
from review.enums import PublicityStatus
from review.models import Decision, PublicityEntry, RouteStep
from review.services import committee_accept, step_pass
from tests.conftest import publicise_and_release

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The organisations each demo draft passes, in order (R4.1 to R4.6).
EXPECTED_ROUTES = {
    "city_public": ["重庆渝数云联科技集团有限公司", "重庆市经济和信息化委员会"],
    "district_public": [
        "九龙坡区科技创新服务中心",
        "九龙坡区科学技术局",
        "九龙坡区人力资源和社会保障局",
    ],
    "floating_cq_archive": [
        "重庆云启智联科技有限公司",
        "渝北区人才交流服务中心",
        "渝北区人力资源和社会保障局",
    ],
    "floating_remote_archive": ["重庆云启智联科技有限公司", "渝北区人力资源和社会保障局"],
    "freelancer": ["渝北区人才交流服务中心", "渝北区人力资源和社会保障局"],
    "out_of_city_unit": [
        "中国远联数字科技集团有限公司重庆分公司",
        "中国远联数字科技集团有限公司重庆总部",
    ],
}


def seed(*, meetings: bool = False) -> str:
    """Run the seed; without the meetings part unless asked (it renders and seals PDFs)."""
    out = StringIO()
    call_command("seed_demo", *([] if meetings else ["--without-meetings"]), stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Organisation, TitleAdministrator, Campaign, Declaration, RouteStep, AuditEvent)
    }


def demo_campaign() -> Campaign:
    return Campaign.objects.get(name=DEMO_CAMPAIGN_NAME)


def admin_of(org: Organisation) -> User:
    return TitleAdministrator.objects.get(organisation=org, is_active=True).user


@pytest.mark.django_db
def test_seed_demo_second_run_creates_nothing():
    seed()
    first = counts()
    dates = Campaign.objects.values_list("name", "filing_opens_at", "filing_closes_at")
    first_dates = sorted(dates)

    output = seed()

    assert counts() == first
    assert sorted(dates.all()) == first_dates
    assert "nothing changed: 0 object(s)" in output


@pytest.mark.django_db
def test_seed_demo_loads_one_draft_per_chain_and_one_applicant_without():
    seed()
    drafts = Declaration.objects.filter(campaign=demo_campaign(), state=State.DRAFT)
    assert sorted(drafts.values_list("category", flat=True)) == sorted(EXPECTED_ROUTES)
    assert set(drafts.values_list("state", flat=True)) == {State.DRAFT}
    assert User.objects.get(username="applicant_new").declarations.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("category", sorted(EXPECTED_ROUTES))
def test_seed_demo_draft_reaches_committee_through_its_chain(category):
    seed()
    demo = demo_campaign()
    declaration = Declaration.objects.get(campaign=demo, category=category, state=State.DRAFT)

    declaration = declaration_submit(
        declaration=declaration, actor=declaration.applicant, integrity_accepted=True
    )
    visited = []
    while declaration.state == State.IN_REVIEW:
        org = declaration.current_organisation
        visited.append(org.name)
        declaration = publicise_and_release(declaration)
        declaration = step_pass(declaration=declaration, actor=admin_of(org))

    assert visited == EXPECTED_ROUTES[category]
    assert declaration.state == State.COMMITTEE_CHECK
    assert declaration.current_organisation == demo.committee_host
    declaration = committee_accept(declaration=declaration, actor=admin_of(demo.committee_host))
    assert declaration.state == State.ACCEPTED
    assert Decision.objects.filter(declaration=declaration).count() == len(visited) + 1


@pytest.mark.django_db
def test_seed_demo_campaign_2024_has_the_notice_dates():
    seed()
    campaign = Campaign.objects.get(name=CAMPAIGN_2024_NAME)
    # R8.3 and R8.5.
    assert campaign.year == 2024
    assert campaign.filing_opens_at == dt.datetime(2024, 9, 1, 9, 0, tzinfo=SHANGHAI)
    assert campaign.filing_closes_at == dt.datetime(2024, 9, 15, 18, 0, tzinfo=SHANGHAI)
    assert campaign.chain_deadline == campaign.filing_closes_at
    assert campaign.work_years_cutoff == dt.date(2024, 12, 31)
    fees = (campaign.fee_senior, campaign.fee_intermediate, campaign.fee_junior)
    assert fees == (Decimal("420"), Decimal("240"), Decimal("120"))
    assert campaign.committee_host.kind == OrgKind.COMMITTEE_HOST
    assert campaign.approval_body.kind == OrgKind.APPROVAL_BODY


@pytest.mark.django_db
def test_seed_demo_demo_campaign_window_contains_now():
    seed()
    demo = demo_campaign()
    today = timezone.localdate()
    opens = timezone.localtime(demo.filing_opens_at)
    assert opens.date() == today - dt.timedelta(days=1)
    assert opens.time() == dt.time(0, 0)
    assert timezone.localtime(demo.filing_closes_at).date() == today + dt.timedelta(days=60)
    assert demo.chain_deadline == demo.filing_closes_at
    assert demo.work_years_cutoff == dt.date(today.year, 12, 31)
    assert demo.year == today.year


@pytest.mark.django_db
def test_seed_demo_rerun_reopens_a_closed_demo_campaign():
    seed()
    past = timezone.now() - dt.timedelta(days=100)
    Campaign.objects.filter(name=DEMO_CAMPAIGN_NAME).update(
        filing_opens_at=past,
        filing_closes_at=past + dt.timedelta(days=10),
        chain_deadline=past + dt.timedelta(days=10),
    )

    seed()

    demo = demo_campaign()
    assert demo.filing_opens_at <= timezone.now() < demo.filing_closes_at


@pytest.mark.django_db
def test_seed_demo_rerun_keeps_a_changed_password():
    seed()
    user = User.objects.get(username="applicant_city")
    user.set_password("changed-by-hand-9")
    user.save(update_fields=["password"])

    seed()

    user = User.objects.get(username="applicant_city")
    assert user.check_password("changed-by-hand-9") is True
    assert user.check_password(DEMO_PASSWORD) is False


@pytest.mark.django_db
def test_seed_demo_lists_every_login_with_the_shared_password():
    output = seed()
    users = list(User.objects.all())
    # 25, plus every expert of the demo committee, who all log in (issue 5).
    assert len(users) == 25 + len(DEMO_EXPERTS)
    for user in users:
        assert user.username in output
        assert user.check_password(DEMO_PASSWORD) is True
    office = User.objects.get(username="office")
    assert (office.is_staff, office.is_superuser) == (True, True)
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_seed_demo_people_have_valid_id_numbers_and_phones():
    seed()
    people = User.objects.exclude(username="office")
    for user in people:
        validate_id_number(user.id_number)
        assert user.id_number[:3] == "500"
        assert user.phone != ""
        user.full_clean()


@pytest.mark.django_db
def test_seed_demo_every_organisation_has_contacts_and_one_administrator():
    seed()
    for org in Organisation.objects.all():
        assert org.administrators.filter(is_active=True).count() == 1
        assert org.contact_person != ""
        assert org.contact_phone != ""
        assert org.complaint_phone != ""
        org.full_clean()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(OrgKind.values)
    # R3.2: a bound administrator is not an applicant of the demo campaign.
    admins = TitleAdministrator.objects.values_list("user", flat=True)
    assert Declaration.objects.filter(applicant__in=admins).count() == 0


@pytest.mark.django_db
def test_seed_demo_publicised_declarations_wait_at_their_unit_ready_to_send_up():
    seed()
    ready = Declaration.objects.filter(campaign=demo_campaign(), applicant__username__startswith="ready_")
    assert sorted(ready.values_list("category", flat=True)) == sorted(
        c for c in EXPECTED_ROUTES if c != "freelancer"
    )
    for declaration in ready:
        # R6.3: the publicity ended in the past without complaint; the unit may send it up.
        assert declaration.state == State.IN_REVIEW
        assert declaration.current_organisation.name == EXPECTED_ROUTES[declaration.category][0]
        entry = PublicityEntry.objects.get(declaration=declaration)
        assert entry.status == PublicityStatus.RELEASED
        assert entry.batch.ends_at <= timezone.now()
        passed = step_pass(declaration=declaration, actor=admin_of(declaration.current_organisation))
        assert passed.current_organisation.name == EXPECTED_ROUTES[declaration.category][1]


@pytest.mark.django_db
def test_seed_demo_after_the_chain_meetings_results_and_documents():
    """Accepted declarations, a confirmed meeting with sealed documents, a publicity now."""
    from certificates.models import Certificate, ReviewForm
    from committees.models import ConfirmationNotice, Meeting, ResultsPublicity

    output = seed(meetings=True)

    states = dict(Declaration.objects.values_list("applicant__username", "state"))
    assert {states[f"accepted_{x}"] for x in "abc"} == {"accepted"}
    assert states["passed_demo"] == states["passed_two"] == "certified"
    assert states["failed_demo"] == "failed"
    assert states["results_demo"] == "results_publicity"
    assert Meeting.objects.filter(state="signed").count() == 2
    notice = ConfirmationNotice.objects.get()
    assert notice.state == "issued" and notice.document_number
    assert ResultsPublicity.objects.filter(ends_at__gt=timezone.now()).count() == 1
    certificate = Certificate.objects.get(declaration__applicant__username="passed_demo")
    assert certificate.status == "valid" and certificate.file.read(5) == b"%PDF-"
    assert ReviewForm.objects.count() == 2
    for username in ("accepted_a", "passed_demo", "failed_demo", "results_demo"):
        assert username in output
    before = counts()
    assert "nothing changed" in seed(meetings=True)
    assert counts() == before
