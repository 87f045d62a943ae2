"""Browser journeys (issue 9 part 1): each routing chain R4.1–R4.6 from the applicant's
submission to the committee host's acceptance, every role clicking in turn; and one path
from a confirmed meeting to the certificate download and its public verification by the
QR code's address.

The applicant's draft (its content and evidence) and each unit's publicity period are
prepared by the services (tests/review/test_services.py, tests/conftest.py); every
decision of the chain is clicked in Chromium.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import Certificate
from declarations.enums import State
from declarations.models import Declaration
from tests.conftest import EXPECTED_ROUTES, publicise_and_release
from tests.journeys.helpers import PASSWORD, decide, login, shot, wait_stored
from tests.review.test_services import draft

pytestmark = pytest.mark.django_db(transaction=True)


def submit_and_walk_chain(page, live_server, world, applicant, declaration, category, screenshots):  # type: ignore[no-untyped-def]
    """The applicant submits in the browser; every organisation of the chain passes it;
    the committee host accepts it. Return the accepted declaration."""
    # The applicant signs the integrity commitment and submits (R5.2).
    login(page, live_server, applicant)
    page.goto(f"{live_server.url}{declaration.get_absolute_url()}")
    shot(page, "applicant-declaration-draft", screenshots)
    page.check("input[name=integrity_accepted]")
    with page.expect_navigation():
        page.click("form[action$='/submit/'] button[type=submit]")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.IN_REVIEW, page.locator("main").inner_text()[:2000]

    # Every organisation of the chain passes it up, in the order of R4.
    visited = []
    while declaration.state in (State.IN_REVIEW, State.UNIT_PUBLICITY):
        declaration = publicise_and_release(declaration, world)
        organisation = declaration.current_organisation
        visited.append(organisation)
        login(page, live_server, world.admin(organisation))
        page.goto(f"{live_server.url}{reverse('review:queue')}")
        assert applicant.real_name in page.content()
        if screenshots and len(visited) == 1:
            shot(page, "admin-review-queue", True)
        decide(page, live_server, declaration, "pass")
        declaration = Declaration.objects.get(pk=declaration.pk)
        assert declaration.current_organisation != organisation or declaration.state != State.IN_REVIEW
    assert [o.pk for o in visited] == [getattr(world, a).pk for a in EXPECTED_ROUTES[category]]
    assert declaration.state == State.COMMITTEE_CHECK

    # The committee host checks it and accepts it (R6.6).
    login(page, live_server, world.admin(world.committee_host))
    page.goto(f"{live_server.url}{declaration.get_absolute_url()}")
    shot(page, "committee-host-check", screenshots)
    form = page.locator("form[action$='/committee/']")
    form.locator("input[name=action][value=accept]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.ACCEPTED, page.locator("main").inner_text()[:2000]

    # The applicant sees where it is.
    login(page, live_server, applicant)
    page.goto(f"{live_server.url}{reverse('declarations:list')}")
    assert page.locator("main").inner_text().strip()
    shot(page, "applicant-declarations-list", screenshots)
    return declaration


@pytest.mark.parametrize("category", [c for c in EXPECTED_ROUTES if c != "city_public"])
def test_chain_from_submission_to_committee_acceptance(page, live_server, world, applicant, category):
    declaration = draft(world, applicant, category)
    submit_and_walk_chain(page, live_server, world, applicant, declaration, category, False)


def test_city_public_from_registration_to_committee_acceptance(page, live_server, world):
    """R4.1 from the very start: the person registers and fills the draft in the browser."""
    from accounts.models import User
    from tests.factories import make_id_number

    page.goto(f"{live_server.url}{reverse('accounts:register')}")
    page.fill("input[name=username]", "journey_applicant")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=real_name]", "旅程申报人")
    page.fill("input[name=id_number]", make_id_number())
    page.fill("input[name=phone]", "13912345678")
    page.fill("input[name=email]", "journey@example.cn")
    shot(page, "register", True)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    applicant = User.objects.filter(username="journey_applicant").first()
    assert applicant is not None, page.locator("main").inner_text()[:2000]

    login(page, live_server, applicant)
    page.goto(f"{live_server.url}{reverse('declarations:create')}")
    form = page.locator("main form").filter(has=page.locator("select[name=category]"))
    form.locator("select[name=campaign]").select_option(str(world.campaign.pk))
    form.locator("select[name=level]").select_option("engineer")
    form.locator("select[name=field]").select_option("big_data")
    form.locator("select[name=category]").select_option("city_public")
    form.locator("select[name=unit]").select_option(str(world.unit.pk))
    form.locator("select[name=competent_department]").select_option(str(world.city_department.pk))
    shot(page, "declaration-new", True)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    declaration = Declaration.objects.filter(applicant=applicant).first()
    assert declaration is not None, page.locator("main").inner_text()[:2000]
    submit_and_walk_chain(page, live_server, world, applicant, declaration, "city_public", True)


def test_certificate_download_and_public_verification(page, live_server, settings, tmp_path, seal_settings):
    from tests.certificates.document_factories import confirmed_meeting_make

    settings.MEDIA_ROOT = tmp_path / "media"
    cm = confirmed_meeting_make(candidates=1, opinion=True)
    seal_settings.issue_all()
    declaration = cm.declarations[0]
    holder = declaration.applicant
    holder.set_password(PASSWORD)
    holder.save()

    # The committee host issues the meeting's documents from the meeting's page.
    login(page, live_server, cm.staff)
    page.goto(f"{live_server.url}{reverse('certificates:meeting', args=[cm.meeting.pk])}")
    shot(page, "meeting-documents", True)
    page.locator(f"form[action$='{reverse('certificates:batch_start', args=[cm.meeting.pk])}'] "
                 "button[type=submit]").first.click()
    page.wait_for_load_state()
    wait_stored(declaration)
    certificate = Certificate.objects.get(declaration=declaration)
    assert certificate.is_stored

    # The holder downloads the sealed certificate from the declaration's page.
    login(page, live_server, holder)
    page.goto(f"{live_server.url}{declaration.get_absolute_url()}")
    with page.expect_download() as caught:
        page.locator(f"a[href$='{reverse('certificates:download', args=[certificate.pk])}']").first.click()
    download = caught.value
    target = tmp_path / "certificate.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")

    # Anyone verifies it from the QR code's address, without logging in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{certificate.verification_path()}")
    text = page.locator("body").inner_text()
    assert certificate.number in text
    shot(page, "public-verification", True)

