"""Under the real Content-Security-Policy, in Chromium: the report form with
its map (tiles from the tile server), the captcha's audio and the
reporter's private page work, and no page reports a violation."""

from __future__ import annotations

import pytest

from feedback import workflow
from tests.e2e.conftest import csp_violations, off_the_loop, watch_csp
from tests.feedback.uploads import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TILE = image_bytes("PNG", size=(256, 256))


def test_the_form_with_its_map_and_the_private_page_run_under_the_policy(
    phone, live_server, world, submit
):
    page = phone
    watch_csp(page.context)
    # The tile server answers (a stand-in on its real address): the policy
    # must let its images in.
    page.context.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    response = page.goto(f"{live_server.url}/gui-phan-anh/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#pick-map").click(position={"x": 150, "y": 120})
    assert page.locator("#id_latitude").input_value() != ""
    page.wait_for_function(
        "[...document.querySelectorAll('#pick-map img.leaflet-tile')]"
        ".some(img => img.complete && img.naturalWidth > 0)"
    )
    assert page.locator("#pick-map .leaflet-marker-icon").count() == 1
    page.get_by_label("Lĩnh vực").select_option(str(world.waste.pk))  # the nearby-reports fetch
    page.wait_for_load_state("networkidle")
    listen = page.locator(".js-captcha-audio")
    assert listen.count() == 1, "espeak-ng is needed for the audio challenge (make speech)"
    with page.expect_response(lambda r: r.url.endswith(".wav")) as heard:
        listen.click()
    assert heard.value.status == 200
    assert csp_violations(page) == []

    ticket, secret = off_the_loop(submit)
    off_the_loop(workflow.ticket_route, ticket.pk)
    page.goto(f"{live_server.url}/tra-cuu/{ticket.code}/{secret}/")
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == []
