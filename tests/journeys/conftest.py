"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's live server.

Nothing is downloaded at run time: Playwright starts ``/usr/bin/chromium`` (the
``chromium`` Debian package, installed by ``scripts/bootstrap.sh --test``) through
``executable_path``. Without it the journeys are skipped with that reason.
"""

from __future__ import annotations

import os
import shutil

import pytest

# The seal fixtures of the certificates suite (the certificate journey seals PDFs).
from tests.certificates.conftest import seal_settings, seal_test_ca  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

@pytest.fixture(scope="module")
def browser():
    """Chromium for one module's journeys.

    Playwright's sync API runs an event loop in this thread while the browser lives, and
    the test's own ORM calls are plain synchronous code, so Django's async-safety check is
    relaxed for exactly that time. Module scope ends the loop before other tests run
    (pytest-django runs transactional tests, these among them, after the others; a
    session-scoped browser would leave its loop running under them).
    """
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(15000)
    p = context.new_page()
    yield p
    context.close()
