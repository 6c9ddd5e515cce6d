"""The public map: many reports close together gather into numbered
clusters, single pins are coloured by status, and it all works from the
keyboard with the list as its text alternative."""

from __future__ import annotations

import pytest

from feedback import workflow
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _reports(world, submit):
    # 24 reports within a few hundred metres of Hoàn Kiếm lake, one far away.
    for i in range(24):
        submit(latitude=f"{21.0280 + i * 0.0002:.4f}", longitude="105.8520")
    far, _ = submit(unit=world.ward_b, latitude="21.0800", longitude="105.7800")
    workflow.ticket_route(far)
    workflow.ticket_resolve(far, actor=world.officer_b, message="Xong.")


def test_close_reports_cluster_and_a_lone_pin_shows_its_status(
    desktop, live_server, world, submit, axe
):
    off_the_loop(_reports, world, submit)
    page = desktop
    page.goto(f"{live_server.url}/phan-anh/")
    page.wait_for_selector("#list-map .marker-cluster")
    counts = page.locator("#list-map .marker-cluster").evaluate_all(
        "els => els.map(e => parseInt(e.textContent, 10))"
    )
    lone = page.locator("#list-map .pin")
    # Fewer markers than reports, and none lost: clusters plus lone pins make 25.
    assert len(counts) + lone.count() < 25
    assert sum(counts) + lone.count() == 25
    assert page.locator("#list-map .pin-done").count() == 1  # the resolved one, far away
    assert page.locator(".map-legend").is_visible()

    # Keyboard: a cluster is a named stop; Enter zooms into it.
    cluster = page.locator("#list-map .marker-cluster").first
    assert "phản ánh ở gần nhau" in cluster.get_attribute("aria-label")
    before = page.locator("#list-map .marker-cluster, #list-map .pin").count()
    # Focusing a marker pans the map to it (Leaflet's autoPanOnFocus), and the
    # cluster layer may redraw it at the end of that pan: focus it again then.
    for _ in range(3):
        page.locator("#list-map .marker-cluster").first.focus()
        page.wait_for_timeout(500)
        if "marker-cluster" in (page.evaluate("document.activeElement.className") or ""):
            break
    page.keyboard.press("Enter")
    # Polled from here: the page's CSP forbids the string evaluation that
    # wait_for_function would use.
    markers = page.locator("#list-map .marker-cluster, #list-map .pin")
    for _ in range(100):
        if markers.count() > before:
            break
        page.wait_for_timeout(100)
    assert markers.count() > before
    axe(page)


def test_on_a_phone_the_map_and_the_pages_fit(phone, live_server, world, submit, axe):
    off_the_loop(_reports, world, submit)
    phone.goto(f"{live_server.url}/phan-anh/")
    phone.wait_for_selector("#list-map .marker-cluster")
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert phone.get_by_role("link", name="Trang sau →").is_visible()
    axe(phone)
