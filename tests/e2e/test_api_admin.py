"""An administrator gives a partner system its API key in the admin (shown
once), subscribes it to webhooks, sees a failed delivery and replays it;
the API's docs page renders from the site's own files."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from api.models import ApiClient, Webhook, WebhookDelivery
from tests.api.conftest import Receiver
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_issues_a_key_and_replays_a_webhook(desktop, live_server, world, settings):
    page = desktop
    receiver = Receiver()
    receiver.status = 500
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/api/apiclient/add/")
        page.locator("input[name=username]").fill("admin")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_url("**/admin/api/apiclient/add/")
        page.locator("input[name=name]").fill("Ứng dụng phường Hoàn Kiếm")
        page.locator("input[name=scopes][value=file]").check()
        page.locator("input[name=scopes][value=read_public]").check()
        page.locator(".add-row a").click()  # "add another webhook"
        page.locator("input[name='webhooks-0-url']").fill(f"{receiver.url}/hook")
        page.locator("input[name='webhooks-0-kinds'][value=received]").check()
        page.locator("input[name=_save]").click()

        message = page.locator(".messagelist").inner_text()
        key = re.search(r"hnk_\S+", message).group(0)
        client = ApiClient.objects.get()
        assert client.scopes == ["file", "read_public"] and key not in client.key_hash
        # The key is not shown again.
        page.goto(f"{live_server.url}/admin/api/apiclient/{client.pk}/change/")
        assert key not in page.content()

        # The partner files with it; its endpoint is down, so the delivery fails.
        request = urllib.request.Request(  # noqa: S310 - the live server
            f"{live_server.url}/api/v1/tickets/",
            data=json.dumps(
                {
                    "category": world.waste.code,
                    "unit": world.ward_a.code,
                    "description": "Rác thải tồn đọng ở ngõ 12 Hàng Bài.",
                }
            ).encode(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310 - the live server
            assert response.status == 201
        delivery = WebhookDelivery.objects.get(webhook=Webhook.objects.get())
        delivery.refresh_from_db()
        assert delivery.last_error == "HTTP 500" and delivery.status == "pending"

        receiver.status = 200
        page.goto(f"{live_server.url}/admin/api/webhookdelivery/")
        assert "HTTP 500" in page.locator("#result_list").inner_text()
        page.locator("input[name=_selected_action]").first.check()
        page.locator("select[name=action]").select_option("replay")
        page.locator("button[name=index]").click()
        page.wait_for_selector(".messagelist")
        delivery.refresh_from_db()
        assert delivery.status == "delivered" and delivery.attempts == 2
        assert len(receiver.requests) == 2
    finally:
        receiver.stop()


def test_the_api_docs_render_from_bundled_assets(desktop, live_server, db):
    page = desktop
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/tickets/")
    assert page.locator(".opblock").count() > 20
    assert failed == []
