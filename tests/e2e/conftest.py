"""Browser tests: Debian's Chromium driven by Playwright, on a phone-sized
screen (`phone`) or a desktop one (`desktop`), against pytest-django's live
server. Map tiles are blocked, so the pages are also checked to work without
the tile server. `axe` checks a page with axe-core."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def off_the_loop(fn, *args, **kwargs):
    """Run workflow code in a plain thread: Playwright's sync API keeps an
    event loop in the test's thread, where the workflow's live publish
    (async_to_sync) cannot run. Use it for tickets a test makes while a
    browser is open (transactional tests: the thread's writes are committed)."""
    from django.db import connections

    def call():
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result(timeout=60)


def sign_in(page, base: str, username: str, next_url: str = "/staff/") -> None:
    """Sign a persona in through the staff login page (password: PASSWORD)."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/staff/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{next_url}")


# Module scope: Playwright's sync API keeps an event loop running in this
# thread while it is open, which would break the asyncio tests (Channels
# consumers) that run after the browser tests in the same session.
@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        # A missing browser is a failure, never a skip: `make test` installs it.
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _page(browser, **options):
    context = browser.new_context(locale="vi-VN", **options)
    # No request leaves the machine: tiles (and anything else external) fail.
    context.route(
        "**/*",
        lambda route: (
            route.abort()
            if not route.request.url.startswith("http://localhost")
            else route.continue_()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def phone(browser):
    context, page = _page(browser, **PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, **DESKTOP)
    yield page
    context.close()


# --- accessibility -----------------------------------------------------------------

# axe-core as shipped inside the axe-playwright-python package (a dev
# dependency, so `make install` brings it; nothing is fetched at test time).
# Only its axe.min.js is used: the runner below is ours.
AXE_IMPACTS_THAT_FAIL = ("critical", "serious")


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def axe_report(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} critical/serious axe-core violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", " / ")[:400])
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    """`axe(page)` runs every axe-core rule on the page as it is now and
    fails the test on any critical or serious violation, listing each with
    the elements at fault. Returns the full result for further checks.

    The script is evaluated through the DevTools protocol, which a page's
    Content-Security-Policy (script-src 'self') does not restrict, so the
    pages are checked under their real CSP."""
    source = _axe_source()

    def check(page, *, context: dict | None = None) -> dict:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(source)
        result = page.evaluate(
            "(context) => axe.run(context || document, {resultTypes: ['violations']})",
            context,
        )
        failing = [v for v in result["violations"] if v["impact"] in AXE_IMPACTS_THAT_FAIL]
        assert not failing, axe_report(failing, page.url)
        return result

    return check


# --- Content-Security-Policy ---------------------------------------------------------

# Collects every violation the page's CSP reports, from the first script on.
_CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def watch_csp(context) -> None:
    """Record CSP violations on every page this context opens from now on;
    read them with csp_violations(page)."""
    context.add_init_script(_CSP_WATCH)


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")
