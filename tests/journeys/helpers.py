"""Helpers shared by the browser journeys: logging in, deciding, waiting for sealed PDFs,
screenshots for the user guide, and a tally of the pages and actions of a journey."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse

from certificates.models import Certificate

PASSWORD = "pass-1234-word"  # tests/factories UserFactory
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Tally:
    """What a journey did in the browser: pages loaded, actions clicked, downloads."""

    pages: int = 0
    actions: int = 0
    downloads: int = 0

    def watch(self, page) -> None:  # type: ignore[no-untyped-def]
        page.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.pages += 1


def login(page, live_server, user, tally: Tally | None = None) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if tally is not None:
        tally.actions += 1
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()[:1000]


def wait_stored(declaration, timeout: float = 60) -> Certificate:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c = Certificate.objects.filter(declaration=declaration).first()
        if c is not None and c.is_stored:
            return c
        time.sleep(0.2)
    raise AssertionError("the certificate was not stored")


def shot(page, name: str, enabled: bool) -> None:  # type: ignore[no-untyped-def]
    """Save a screenshot for the user guide, only when JOURNEY_SCREENSHOTS=1 (the suite
    does not write into the working tree otherwise)."""
    if enabled and os.environ.get("JOURNEY_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target))
        try:  # a 256-colour palette keeps the guide's images small
            from PIL import Image

            with Image.open(target) as image:
                image.convert("RGB").quantize(colors=256).save(target, optimize=True)
        except ImportError:
            pass


def decide(page, live_server, declaration, action: str, tally: Tally | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}{declaration.get_absolute_url()}")
    form = page.locator("form.decision-form")
    form.locator(f"input[name=action][value={action}]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if tally is not None:
        tally.actions += 1
