"""The whole life of six declarations, one per routing chain (R4.1–R4.6), clicked in
Chromium by every role: from registration to the sealed certificate and its public
verification (issue 9 part 1).

In the browser:

1. Six people register on ``/accounts/register/``, log in and create their draft with
   their category's organisations. The ``floating_cq_archive`` applicant fills the
   content the notice asks of floating personnel (身份与档案情况, one social-insurance
   row, R4.7) on the content page; the ``city_public`` applicant uploads a shared-data
   evidence file (R5.4). Each signs the integrity commitment and submits (R5.2).
2. The unit's administrator publishes the five candidates waiting at the unit for
   publicity on the unit publicity page (R6.3); every organisation of each chain finds
   its candidates in its review queue and passes them (R4); the route each declaration
   took is checked to be exactly its chain's.
3. The committee host accepts the six (R6.6); its staff schedule the meeting on the
   committee's page, put the six on it, draw the experts at random (R7.1) and seat the
   chair; every drawn expert opens the invitation from the message inbox, accepts and
   signs in; the staff set the presiding chair and open the vote (R7.2); one expert
   recuses from one candidate (R7.1); every expert casts the secret ballot for every
   candidate they may vote on, one writes opinions (R7.3); the chair closes the vote and
   signs the results (R7.4); the staff download the minutes (R7.5), submit the review
   report, publish the results (R8.1) and draft the confirmation; the approval body
   issues it with its document number (R8.2), which starts the document batch (R8.4,
   R8.7; Celery runs eagerly in tests).
4. Each applicant downloads the sealed certificate and the review form from the
   declaration's page (real browser downloads, ``%PDF``), and an anonymous browser opens
   the certificate's verification address and sees its number.

Done by the services, and why:

- the world: organisations with one administrator each (tests/conftest.py ``world``),
  the committee and its expert pool with logins, the approval body's administrator and
  the seal keys (these are set up by the office in the Django admin and by
  ``scripts/``, not on a page of the platform);
- the content of the ``district_public``, ``floating_remote_archive`` and ``freelancer``
  drafts (``make_eligible``: the applicant status and social-insurance rows R4.7 asks
  of floating personnel; the other categories need none to submit);
- the passing of time: the unit publicity's sweep runs with the clock at the period's
  end (``publicity_release_due(now=batch.ends_at)``), and the results publicity's period
  is moved into the past before its sweep (``results_publicity_release_due``), since 5
  working days cannot pass in a test.

The test counts the pages Chromium loaded and the actions it clicked and prints them.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from certificates.models import Certificate
from committees.enums import CommitteeRoleKind, ConfirmationState, MeetingState
from committees.models import (
    Committee,
    ConfirmationNotice,
    Draw,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    Minutes,
    Recusal,
    ResultsPublicity,
    ReviewReport,
)
from declarations.enums import State
from declarations.models import Campaign, Declaration, SocialInsuranceRecord
from review.models import PublicityEntry
from tests.committees.factories import expert_add
from tests.conftest import EXPECTED_ROUTES, SLOT_OF
from tests.declarations.material_helpers import PDF
from tests.factories import UserFactory, admin_of, make_eligible, make_id_number
from tests.journeys.helpers import PASSWORD, Tally, login, shot, wait_stored

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["林晓峰", "陈思远", "王雨桐", "赵文博", "周子涵", "孙嘉怡"]
CONTENT_IN_BROWSER = "floating_cq_archive"
EVIDENCE_IN_BROWSER = "city_public"
NEEDED, DRAWN = 4, 5  # experts needed and drawn (超员配置, R7.1)


class Journey:
    """One browser tab, the live server and the tally of what was done."""

    def __init__(self, page, live_server) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.url = live_server.url
        self.live_server = live_server
        self.tally = Tally()
        self.tally.watch(page)
        self.phases: list[tuple[str, float]] = []
        self._phase = ("set-up", time.monotonic())

    def phase(self, name: str) -> None:
        """Start timing the next part of the journey (printed at the end)."""
        previous, since = self._phase
        self.phases.append((previous, time.monotonic() - since))
        self._phase = (name, time.monotonic())

    def go(self, path: str) -> None:
        self.page.goto(f"{self.url}{path}")

    def login(self, user: User) -> None:
        login(self.page, self.live_server, user, self.tally)

    def submit(self, locator, timeout: float = 15000) -> None:  # type: ignore[no-untyped-def]
        """Click ``locator`` and wait for the page it leads to."""
        with self.page.expect_navigation(timeout=timeout):
            locator.click(timeout=timeout)
        self.tally.actions += 1

    def download(self, locator, target) -> bytes:  # type: ignore[no-untyped-def]
        with self.page.expect_download() as caught:
            locator.click()
        caught.value.save_as(target)
        self.tally.actions += 1
        self.tally.downloads += 1
        return target.read_bytes()

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def form(self, action_suffix: str):  # type: ignore[no-untyped-def]
        return self.page.locator(f"form[action$='{action_suffix}']")


def again(obj):  # type: ignore[no-untyped-def]
    """The row re-read (django-fsm forbids refresh_from_db over a protected state)."""
    return type(obj).objects.get(pk=obj.pk)


def fresh(declarations: list[Declaration]) -> list[Declaration]:
    return [Declaration.objects.get(pk=d.pk) for d in declarations]


def register_and_draft(j: Journey, world, i: int, category: str) -> Declaration:  # type: ignore[no-untyped-def]
    """A person registers, logs in and saves the draft of ``category`` (R5.1)."""
    page = j.page
    username = f"journey_{category}"
    j.page.context.clear_cookies()
    j.go(reverse("accounts:register"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=real_name]", NAMES[i])
    page.fill("input[name=id_number]", make_id_number())
    page.fill("input[name=phone]", f"1391234567{i}")
    page.fill("input[name=email]", f"{username}@example.cn")
    j.submit(page.locator("main form button[type=submit]"))
    applicant = User.objects.filter(username=username).first()
    assert applicant is not None, f"{category}: registration failed: {j.text()[:1500]}"

    j.login(applicant)
    j.go(reverse("declarations:create"))
    form = page.locator("main form").filter(has=page.locator("select[name=category]"))
    form.locator("select[name=campaign]").select_option(str(world.campaign.pk))
    form.locator("select[name=level]").select_option("engineer")
    form.locator("select[name=field]").select_option("big_data")
    form.locator("select[name=category]").select_option(category)
    for attr in EXPECTED_ROUTES[category]:
        form.locator(f"select[name={SLOT_OF[attr]}]").select_option(str(getattr(world, attr).pk))
    j.submit(form.locator("button[type=submit]").first)
    declaration = Declaration.objects.filter(applicant=applicant).first()
    assert declaration is not None, f"{category}: draft not saved: {j.text()[:1500]}"
    assert declaration.state == State.DRAFT and declaration.category == category
    return declaration


def fill_floating_content(j: Journey, declaration: Declaration) -> None:
    """The applicant status and one social-insurance row, on the content page (R4.7)."""
    page = j.page
    cutoff = declaration.campaign.work_years_cutoff
    since = cutoff.replace(year=cutoff.year - 2, day=1)
    j.go(reverse("declarations:content", args=[declaration.pk]))
    status = j.form("/content/status/")
    status.locator("select[name=applicant_status-archive_in_chongqing]").select_option("true")
    status.locator("input[name=applicant_status-archive_agency]").fill("重庆市人才交流服务中心")
    status.locator("input[name=applicant_status-archive_since]").fill(since.isoformat())
    j.submit(status.locator("button[type=submit]"))
    from declarations.models import ApplicantStatus

    status_row = ApplicantStatus.objects.filter(declaration=declaration).first()
    assert status_row is not None and status_row.archive_in_chongqing is True, j.text()[:2000]
    row = j.form("/content/social_insurance/add/")
    row.locator("xpath=ancestor::details/summary").click()
    row.locator("input[name=social_insurance-start_month]").fill(since.strftime("%Y-%m"))
    row.locator("input[name=social_insurance-employer]").fill("重庆某数据科技有限公司")
    paid = row.locator("[name=social_insurance-paid_in_chongqing]")
    if paid.get_attribute("type") == "checkbox":
        paid.check()
    else:
        paid.select_option("true")
    j.submit(row.locator("button[type=submit]"))
    assert SocialInsuranceRecord.objects.filter(declaration=declaration).exists(), j.text()[:2000]
    shot(page, "applicant-content", True)


def upload_evidence(j: Journey, declaration: Declaration, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One shared-data evidence file for the declaration itself (R5.4)."""
    from declarations.models import Evidence

    target = tmp_path / "个人基本信息.pdf"
    target.write_bytes(PDF)
    j.go(declaration.get_absolute_url())
    form = j.form(f"/{declaration.pk}/evidence/").filter(has=j.page.locator("select[name=purpose]")).last
    form.locator("select[name=purpose]").select_option(index=1)
    form.locator("input[type=file]").set_input_files(str(target))
    j.submit(form.locator("button[type=submit]"))
    assert Evidence.objects.filter(declaration=declaration).exists(), j.text()[:2000]


def sign_and_submit(j: Journey, declaration: Declaration, screenshots: bool) -> None:
    j.go(declaration.get_absolute_url())
    shot(j.page, "applicant-declaration-ready", screenshots)
    j.page.check("input[name=integrity_accepted]")
    j.submit(j.form("/submit/").locator("button[type=submit]"))
    assert again(declaration).state == State.IN_REVIEW, (
        f"{declaration.category}: not submitted: {j.text()[:2000]}"
    )


def committee_make(world):  # type: ignore[no-untyped-def]
    """The committee the office set up, its chair and six members with logins (R7.1)."""
    committee = Committee.objects.create(
        name="重庆市数字技术工程师评审委员会",
        host=world.committee_host,
        approval_body=world.campaign.approval_body,
        draw_method="随机抽取，超员配置",
    )
    # The chair is of another field, so the draw (limited to big data) never picks them:
    # the staff seat the chair directly (R7.2).
    chair = expert_add(
        committee,
        role=CommitteeRoleKind.CHAIR,
        field="cloud_computing",
        user=UserFactory(real_name="郑国栋"),
        name="郑国栋",
    )
    for name in ["钱建华", "冯丽娟", "褚海波", "卫红梅", "蒋晓东", "沈文静"]:
        expert_add(committee, user=UserFactory(real_name=name), name=name)
    return committee, chair


def names_for_the_guide(world, approval_admin) -> None:  # type: ignore[no-untyped-def]
    """Readable names on the screenshots instead of the factories' sequence names."""
    Campaign.objects.filter(pk=world.campaign.pk).update(name="2026年度数字技术工程师职称评审")
    Organisation.objects.filter(pk=world.campaign.approval_body_id).update(name="重庆市人力资源和社会保障局")
    User.objects.filter(pk=world.admin(world.committee_host).pk).update(real_name="何静")
    User.objects.filter(pk=world.admin(world.unit).pk).update(real_name="罗明")
    User.objects.filter(pk=approval_admin.pk).update(real_name="高远")


def test_six_chains_from_registration_to_verified_certificate(
    page, live_server, world, settings, tmp_path, seal_settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    started = time.monotonic()
    j = Journey(page, live_server)
    committee, chair = committee_make(world)
    approval_admin = admin_of(world.campaign.approval_body)
    names_for_the_guide(world, approval_admin)
    seal_settings.issue_all()
    staff = world.admin(world.committee_host)
    categories = list(EXPECTED_ROUTES)

    j.phase("applicants")
    # -- 1. Applicants: register, draft, content, submit (R5) ---------------------------
    declarations: list[Declaration] = []
    for i, category in enumerate(categories):
        d = register_and_draft(j, world, i, category)
        if category == CONTENT_IN_BROWSER:
            fill_floating_content(j, d)
        else:
            make_eligible(d)  # the services fill what floating personnel need (R4.7)
        if category == EVIDENCE_IN_BROWSER:
            upload_evidence(j, d, tmp_path)
        sign_and_submit(j, d, i == 0)
        declarations.append(d)

    j.phase("chains")
    # -- 2. The chains (R4, R6.3) ---------------------------------------------------------
    at_unit = [d for d in declarations if EXPECTED_ROUTES[d.category][0] == "unit"]
    j.login(world.admin(world.unit))
    j.go(reverse("review:publicity_list"))
    publish = j.form(reverse("review:publicity_publish"))
    for d in at_unit:
        publish.locator(f"input[name=declarations][value='{d.pk}']").check()
    publish.locator("input[name=offline_location]").fill("本单位办公楼一楼公告栏")
    shot(j.page, "unit-publicity-publish", True)
    j.submit(publish.locator("button[type=submit]"))
    entries = PublicityEntry.objects.filter(declaration__in=at_unit).select_related("batch")
    assert entries.count() == len(at_unit), j.text()[:2000]
    shot(j.page, "unit-publicity-detail", True)
    # Five working days cannot pass in a test: the sweep runs with the clock at the end.
    from review.publicity import publicity_release_due

    publicity_release_due(now=entries[0].batch.ends_at)

    visited: dict[int, list[int]] = {d.pk: [] for d in declarations}
    for _round in range(5):
        waiting = [d for d in fresh(declarations) if d.state == State.IN_REVIEW]
        if not waiting:
            break
        organisations = {d.current_organisation_id: d.current_organisation for d in waiting}
        for org_id, organisation in organisations.items():
            j.login(world.admin(organisation))
            j.go(reverse("review:queue"))
            for d in waiting:
                if d.current_organisation_id != org_id:
                    continue
                assert d.applicant.real_name in j.text(), f"{organisation.name}: {d.category} not queued"
                j.go(d.get_absolute_url())
                form = j.page.locator("form.decision-form")
                form.locator("input[name=action][value=pass]").check()
                j.submit(form.locator("button[type=submit]"))
                visited[d.pk].append(org_id)
                after = Declaration.objects.get(pk=d.pk)
                assert after.current_organisation_id != org_id or after.state != State.IN_REVIEW, (
                    f"{organisation.name} could not pass {d.category}: {j.text()[:1500]}"
                )
    for d in fresh(declarations):
        expected = [getattr(world, a).pk for a in EXPECTED_ROUTES[d.category]]
        assert visited[d.pk] == expected, d.category
        assert d.state == State.COMMITTEE_CHECK, d.category

    j.phase("acceptance")
    # -- 3. The committee host accepts (R6.6) ---------------------------------------------
    j.login(staff)
    for d in declarations:
        j.go(d.get_absolute_url())
        form = j.form("/committee/")
        form.locator("input[name=action][value=accept]").check()
        j.submit(form.locator("button[type=submit]"))
    assert all(d.state == State.ACCEPTED for d in fresh(declarations))

    j.phase("meeting set-up")
    # -- 4. The meeting: schedule, candidates, draw (R7.1) --------------------------------
    j.go(reverse("committees:list"))
    j.submit(j.page.locator(f"a[href='{committee.get_absolute_url()}']").first)
    form = j.page.locator("main form").filter(has=j.page.locator("input[name=location]"))
    form.locator("select[name=campaign]").select_option(str(world.campaign.pk))
    form.locator("input[name=scheduled_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=location]").fill("重庆市人力资源和社会保障局第一会议室")
    j.submit(form.locator("button[type=submit]"))
    meeting = Meeting.objects.filter(committee=committee).first()
    assert meeting is not None, j.text()[:2000]
    for d in declarations:
        form = j.form(reverse("committees:candidate_add", args=[meeting.pk]))
        form.locator("select[name=declaration]").select_option(str(d.pk))
        j.submit(form.locator("button[type=submit]"))
    assert MeetingCandidate.objects.filter(meeting=meeting).count() == len(declarations), j.text()[:2000]
    form = j.form(reverse("committees:draw", args=[meeting.pk]))
    form.locator("input[name=needed]").fill(str(NEEDED))
    form.locator("input[name=drawn]").fill(str(DRAWN))
    form.locator("select[name=field]").select_option("big_data")
    j.submit(form.locator("button[type=submit]"))
    draw = Draw.objects.filter(meeting=meeting).first()
    assert draw is not None and draw.entries.count() == DRAWN, j.text()[:2000]
    shot(j.page, "committee-meeting-draw", True)
    form = j.form(reverse("committees:officer_add", args=[meeting.pk]))
    form.locator("select[name=expert]").select_option(str(chair.pk))
    j.submit(form.locator("button[type=submit]"))
    assert MeetingMember.objects.filter(meeting=meeting, expert=chair).exists(), j.text()[:2000]

    j.phase("experts sign in")
    # -- 5. Experts: invitation, acceptance, sign-in (R7.1, R7.2) -------------------------
    drawn = [e.expert for e in draw.entries.select_related("expert__user").order_by("order")]
    for n, expert in enumerate([*drawn, chair]):
        j.login(expert.user)
        if expert != chair:
            j.go(reverse("core:inbox"))
            j.submit(j.page.locator("form button[name=open]").first)
            assert j.page.url.endswith(reverse("committees:my")), j.page.url
            if n == 0:
                shot(j.page, "expert-invitation", True)
            j.submit(j.page.locator("button[name=accept][value='1']").first)
        else:
            j.go(reverse("committees:my"))
        j.submit(j.page.locator("form[action*='/seats/'] button[type=submit]").first)
        seat = MeetingMember.objects.get(meeting=meeting, expert=expert)
        assert seat.attending, f"{expert.name} not signed in: {j.text()[:1500]}"

    j.phase("vote opened")
    # -- 6. The staff set who presides and open the vote (R7.2) ---------------------------
    j.login(staff)
    j.go(meeting.get_absolute_url())
    form = j.form(reverse("committees:presiding", args=[meeting.pk]))
    form.locator("select[name=expert]").select_option(str(chair.pk))
    j.submit(form.locator("button[type=submit]"))
    shot(j.page, "committee-meeting-attendance", True)
    j.submit(j.form(reverse("committees:open_voting", args=[meeting.pk])).locator("button"))
    assert again(meeting).state == MeetingState.VOTING_OPEN, j.text()[:2000]

    j.phase("ballot and signing")
    # -- 7. The secret ballot; one recusal; opinions; close and sign (R7.1, R7.3, R7.4) ---
    candidates = list(MeetingCandidate.objects.filter(meeting=meeting).order_by("position"))
    recusing, recused_from = drawn[0], candidates[-1]
    for n, expert in enumerate([*drawn, chair]):
        j.login(expert.user)
        j.go(reverse("committees:my"))
        j.submit(j.page.locator(f"a[href='{reverse('committees:vote', args=[meeting.pk])}']").first)
        if expert == recusing:
            form = j.form(reverse("committees:conflict", args=[meeting.pk, recused_from.pk]))
            form.locator("xpath=ancestor::details/summary").click()
            form.locator("textarea[name=reason]").fill("与该申报人曾在同一项目组合作")
            j.submit(form.locator("button[type=submit]"))
            assert Recusal.objects.filter(candidate=recused_from, expert=expert).exists(), j.text()[:1500]
        for c in candidates:
            if expert == recusing and c == recused_from:
                continue
            if n == 1:
                form = j.form(reverse("committees:opinion", args=[meeting.pk, c.pk]))
                form.locator("textarea[name=text]").fill("业绩突出，技术能力强，同意通过")
                j.submit(form.locator("button[type=submit]"))
            form = j.form(reverse("committees:vote_cast", args=[meeting.pk, c.pk]))
            if n == 0 and c == candidates[0]:
                shot(j.page, "expert-ballot", True)
            j.submit(form.locator("button[name=choice][value=agree]"))
        assert "已投票" in j.text()
    shot(j.page, "chair-close-vote", True)
    j.submit(j.form(reverse("committees:close_voting", args=[meeting.pk])).locator("button"))
    assert again(meeting).state == MeetingState.VOTING_CLOSED, j.text()[:2000]
    j.submit(j.form(reverse("committees:sign", args=[meeting.pk])).locator("button"))
    assert again(meeting).state == MeetingState.SIGNED, j.text()[:2000]
    shot(j.page, "chair-signed-results", True)
    assert all(d.state == State.PASSED for d in fresh(declarations))
    assert Minutes.objects.filter(meeting=meeting).exists()

    j.phase("minutes, report, publicity, draft")
    # -- 8. Minutes, review report, results publicity, confirmation draft (R7.5, R8.1) ----
    j.login(staff)
    j.go(meeting.get_absolute_url())
    j.submit(j.page.locator(f"a[href='{reverse('committees:results', args=[meeting.pk])}']").first)
    shot(j.page, "committee-results-minutes", True)
    minutes = j.download(
        j.page.locator(f"a[href='{reverse('committees:minutes', args=[meeting.pk])}']").first,
        tmp_path / "minutes.pdf",
    )
    assert minutes.startswith(b"%PDF")
    j.go(meeting.get_absolute_url())
    j.submit(j.page.locator(f"a[href='{reverse('committees:outcomes', args=[meeting.pk])}']").first)
    form = j.form(reverse("committees:review_report_submit", args=[meeting.pk]))
    form.locator("textarea[name=note]").fill("本次评审严格执行随机抽取专家和回避制度。")
    j.submit(form.locator("button[type=submit]"))
    assert ReviewReport.objects.filter(meeting=meeting).exists(), j.text()[:2000]
    j.submit(j.form(reverse("committees:results_publish", args=[meeting.pk])).locator("button[type=submit]"))
    publicity = ResultsPublicity.objects.filter(meeting=meeting).first()
    assert publicity is not None, j.text()[:2000]
    assert all(d.state == State.RESULTS_PUBLICITY for d in fresh(declarations))
    shot(j.page, "committee-outcomes", True)

    # Anyone sees the results publicity, without logging in (R8.1).
    j.page.context.clear_cookies()
    j.go(reverse("committees:results_public_list"))
    detail = reverse("committees:results_public_detail", args=[publicity.pk])
    j.submit(j.page.locator(f"a[href$='{detail}']").first)
    assert all(name in j.text() for name in NAMES)
    shot(j.page, "public-results-publicity", True)

    # Five working days cannot pass in a test: the period is moved into the past.
    from committees.outcomes import results_publicity_release_due

    now = timezone.now()
    ResultsPublicity.objects.filter(pk=publicity.pk).update(
        starts_at=now - dt.timedelta(days=10), ends_at=now - dt.timedelta(minutes=1)
    )
    assert results_publicity_release_due() == len(declarations)

    j.login(staff)
    j.go(reverse("committees:outcomes", args=[meeting.pk]))
    form = j.form(reverse("committees:confirmation_draft", args=[meeting.pk]))
    j.submit(form.locator("button[type=submit]"))
    notice = ConfirmationNotice.objects.filter(meeting=meeting).first()
    assert notice is not None and notice.state == ConfirmationState.DRAFT, j.text()[:2000]

    j.phase("confirmation and sealing")
    # -- 9. The approval body issues the confirmation (R8.2) ------------------------------
    j.login(approval_admin)
    j.go(reverse("committees:outcome_list"))
    shot(j.page, "approval-outcome-list", True)
    j.submit(j.page.locator(f"a[href='{notice.get_absolute_url()}']").first)
    form = j.form(reverse("committees:confirmation_issue", args=[notice.pk]))
    form.locator("input[name=document_number]").fill(f"渝人社职核〔{timezone.localdate().year}〕12号")
    shot(j.page, "approval-confirmation", True)
    # Issuing starts the document batch once committed; with Celery eager in tests the
    # sealing of the twelve PDFs runs inside this request, hence the longer wait.
    j.submit(form.locator("button[type=submit]"), timeout=240000)
    assert again(notice).state == ConfirmationState.ISSUED, j.text()[:2000]

    j.phase("document pages")
    # -- 10. The document batch (R8.4, R8.7) ----------------------------------------------
    certificates = [wait_stored(d) for d in declarations]
    j.login(staff)
    j.go(reverse("certificates:meeting", args=[meeting.pk]))
    assert all(c.number in j.text() for c in certificates), j.text()[:2000]
    j.go(reverse("certificates:list"))
    assert all(c.number in j.text() for c in certificates), j.text()[:2000]
    shot(j.page, "certificate-list", True)

    j.phase("downloads and verification")
    # -- 11. Each holder downloads; anyone verifies (R8.7) --------------------------------
    for d, certificate in zip(declarations, certificates, strict=True):
        j.login(d.applicant)
        j.go(d.get_absolute_url())
        if d.category == "city_public":
            shot(j.page, "applicant-certificate", True)
        data = j.download(
            j.page.locator(f"a[href$='{reverse('certificates:download', args=[certificate.pk])}']").first,
            tmp_path / f"certificate-{d.pk}.pdf",
        )
        assert data.startswith(b"%PDF"), d.category
        review_form = j.page.locator("a[href$='/review-form.pdf']")
        if review_form.count():
            assert j.download(review_form.first, tmp_path / f"review-form-{d.pk}.pdf").startswith(b"%PDF")
        j.page.context.clear_cookies()
        j.go(Certificate.objects.get(pk=certificate.pk).verification_path())
        assert certificate.number in j.page.locator("body").inner_text(), d.category

    j.phase("")
    elapsed = time.monotonic() - started
    print(  # noqa: T201 - the journey's figures, for docs/reliability.md
        f"\nfull journey: {j.tally.pages} pages loaded, {j.tally.actions} actions clicked, "
        f"{j.tally.downloads} downloads, {elapsed:.0f} s\n"
        + "\n".join(f"  {name}: {seconds:.1f} s" for name, seconds in j.phases)
    )
