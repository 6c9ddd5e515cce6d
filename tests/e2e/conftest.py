"""Browser tests: Debian's Chromium driven by Playwright, on a phone-sized
screen, against pytest-django's live server. Map tiles are blocked, so the
pages are also checked to work without the tile server."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API keeps an event loop on this thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Module scope: Playwright's sync API keeps an event loop running in this
# thread while it is open, which would break the asyncio tests (Channels
# consumers) that run after the browser tests in the same session.
@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def keep_local(context) -> None:
    """No request leaves the machine: tiles (and anything else external) fail."""
    context.route(
        "**/*",
        lambda route: (
            route.abort()
            if not route.request.url.startswith("http://localhost")
            else route.continue_()
        ),
    )


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    keep_local(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
