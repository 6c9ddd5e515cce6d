"""Real Chromium, two browser contexts, a live daphne server: a ticket
filed through the workflow appears in the officer's open inbox without a
reload; the officer resolves it and the citizen's tracking page changes by
itself.

Needs PostgreSQL (daphne runs in a subprocess on the test database) and
Redis (the channel layer must be shared by this process, which files the
ticket, and the server process, which holds the WebSockets): DB 5 unless
E2E_REDIS_URL says otherwise. Routing stays inline (TASKS_INLINE)."""

from __future__ import annotations

import os
import unittest

import pytest
from channels.testing import ChannelsLiveServerTestCase
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from tests.e2e.conftest import ARGS as CHROMIUM_ARGS
from tests.e2e.conftest import CHROMIUM, csp_violations, off_the_loop, watch_csp

REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/5")
LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": "e2e-live"},
    }
}
TIMEOUT = 15_000  # ms


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.e2e
@override_settings(CHANNEL_LAYERS=LAYERS, TASKS_INLINE=True, CELERY_TASK_ALWAYS_EAGER=True)
class LiveInboxTest(ChannelsLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("the live server needs PostgreSQL (DATABASE_URL)")
        if not _redis_up():
            raise unittest.SkipTest(f"the live test needs Redis at {REDIS_URL}")
        if not os.path.exists(CHROMIUM):
            raise unittest.SkipTest("Debian's chromium is not installed")
        # DJANGO_ALLOW_ASYNC_UNSAFE is set for every browser test in
        # tests/e2e/conftest.py: Playwright keeps an event loop on this thread.
        # Channels' server process prefixes "test_" to NAME unless TEST.NAME
        # is set; under pytest-django NAME is already the test database.
        db = settings.DATABASES["default"]
        cls._test_name = db["TEST"].get("NAME")
        db["TEST"]["NAME"] = db["NAME"]
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
        settings.DATABASES["default"]["TEST"]["NAME"] = cls._test_name

    @pytest.fixture(autouse=True)
    def _personas(self, world, submit, settings, axe):
        # The conftest puts this process on the in-memory layer; the server
        # process and this one must share Redis instead.
        settings.CHANNEL_LAYERS = LAYERS
        self.world, self.submit, self.axe = world, submit, axe

    @staticmethod
    def _off_the_loop(fn, *args, **kwargs):
        return off_the_loop(fn, *args, **kwargs)

    def _signed_in_context(self, user):
        client = Client()
        client.force_login(user)
        context = self.browser.new_context(locale="vi-VN")
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": self.live_server_url,
                }
            ]
        )
        return context

    def test_it_shows_a_new_ticket_live_and_the_citizen_sees_the_answer(self):
        world = self.world
        officer_ctx = self._signed_in_context(world.officer_a)
        citizen_ctx = self.browser.new_context(locale="vi-VN")
        # The live updates work under the real CSP (WebSockets: connect-src 'self').
        watch_csp(officer_ctx)
        watch_csp(citizen_ctx)
        try:
            inbox = officer_ctx.new_page()
            inbox.goto(f"{self.live_server_url}/staff/")
            inbox.wait_for_selector("#inbox-table[data-live=on]", timeout=TIMEOUT)
            inbox.evaluate("window.__sameDocument = true")
            assert "Không có phản ánh nào" in inbox.inner_text("#inbox-table")
            assert inbox.inner_text("[data-tab=new] .tab-count") == "0"

            ticket = self._off_the_loop(self.submit, title="Đèn đường hỏng ở phố Huế")[0]
            ticket.refresh_from_db()
            assert ticket.office == world.office_a  # routed inline, after commit

            inbox.wait_for_selector(f"#row-{ticket.code}", timeout=TIMEOUT)
            assert inbox.evaluate("window.__sameDocument") is True  # no reload
            assert "Đèn đường hỏng ở phố Huế" in inbox.inner_text(f"#row-{ticket.code}")
            # Announced above the table, with a link, and counted in its tab.
            notice = inbox.locator("#live-status")
            notice.get_by_role("link", name=ticket.display_code).wait_for(timeout=TIMEOUT)
            assert "Phản ánh mới vừa đến" in notice.inner_text()
            assert inbox.inner_text("[data-tab=new] .tab-count") == "1"
            assert inbox.inner_text("[data-tab=open] .tab-count") == "1"
            self.axe(inbox)

            track = citizen_ctx.new_page()
            track.goto(f"{self.live_server_url}/tra-cuu/{ticket.display_code}/")
            track.wait_for_selector("[data-ticket-live][data-live=on]", timeout=TIMEOUT)
            assert track.inner_text("[data-ticket-status]") == "Đã chuyển xử lý"

            notice.get_by_role("link", name=ticket.display_code).click()
            inbox.wait_for_selector("#msg-resolve", timeout=TIMEOUT)
            inbox.fill("#msg-resolve", "Đã thay bóng đèn.")
            inbox.click("#form-resolve button[type=submit]")
            inbox.wait_for_selector("text=Đã cập nhật phản ánh", timeout=TIMEOUT)

            track.wait_for_function(
                "document.querySelector('[data-ticket-live]').dataset.status === 'resolved'",
                timeout=TIMEOUT,
            )
            track.wait_for_selector("text=Đã thay bóng đèn.", timeout=TIMEOUT)  # reloaded itself
            assert track.inner_text("[data-ticket-status]") == "Đã giải quyết"
            ticket.refresh_from_db()
            assert ticket.status == "resolved"
            assert csp_violations(inbox) == [] and csp_violations(track) == []
        finally:
            officer_ctx.close()
            citizen_ctx.close()

    def test_an_officer_removed_from_the_office_stops_hearing_it(self):
        """The open inbox of an officer taken off the office goes quiet: the
        server closes its socket with 4403 at the next change, the page marks
        itself not live and does not reconnect, and the new ticket never
        appears in it."""
        from feedback.models import Membership

        world = self.world
        context = self._signed_in_context(world.officer_a)
        # Count the page's sockets and how each was closed.
        context.add_init_script(
            "window.__sockets = []; const Open = window.WebSocket;"
            "window.WebSocket = function (...a) { const s = new Open(...a);"
            " const seen = {code: null}; window.__sockets.push(seen);"
            " s.addEventListener('close', (e) => { seen.code = e.code; }); return s; };"
        )
        try:
            inbox = context.new_page()
            inbox.goto(f"{self.live_server_url}/staff/")
            inbox.wait_for_selector("#inbox-table[data-live=on]", timeout=TIMEOUT)
            self._off_the_loop(
                lambda: Membership.objects.filter(
                    user=world.officer_a, office=world.office_a
                ).delete()
            )
            ticket = self._off_the_loop(self.submit, title="Cây đổ chắn lối đi")[0]
            inbox.wait_for_selector("#inbox-table[data-live=off]", timeout=TIMEOUT)
            inbox.wait_for_timeout(2500)  # longer than the first reconnect delay (1 s)
            # One socket, closed as "not allowed", and no other opened.
            assert inbox.evaluate("window.__sockets") == [{"code": 4403}]
            assert inbox.locator(f"#row-{ticket.code}").count() == 0
            assert inbox.get_attribute("#inbox-table", "data-live") == "off"
        finally:
            context.close()
