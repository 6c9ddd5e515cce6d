"""An officer opens a new report on a desktop: the photo as a preview, the
spot on a small map, the next step ("Thụ lý") first and the actions that
refuse or hand the report away set apart; acting says what changed."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from feedback import attachments
from tests.e2e.conftest import off_the_loop, sign_in
from tests.feedback.uploads import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_sees_the_photo_the_map_and_the_next_step_first(
    desktop, live_server, world, routed, axe
):
    def file_it():
        ticket = routed(
            title="Ổ gà trước số 5 Tràng Tiền", latitude="21.0245", longitude="105.8550"
        )
        photo = ContentFile(image_bytes("JPEG", size=(800, 600), gps=False), name="o-ga.jpg")
        attachments.store(ticket, [attachments.validate(photo)])
        return ticket

    ticket = off_the_loop(file_it)
    page = desktop
    sign_in(page, live_server.url, "officer_a", f"/staff/tickets/{ticket.code}/")

    preview = page.get_by_role("img", name="Ảnh 1: o-ga.jpg")
    preview.wait_for()
    page.wait_for_function("document.querySelector('.attachment-previews img').complete")
    assert preview.evaluate("img => img.naturalWidth") == 320  # the thumbnail, not the photo
    page.locator("#ticket-map.leaflet-container").wait_for()  # tiles are blocked; the map is up
    assert page.locator("#map-note").is_visible()  # and says the background did not load

    actions = page.locator(".ticket-actions form")
    assert actions.first.get_attribute("id") == "form-acknowledge"
    risky = page.locator(".risky-actions")
    assert risky.get_by_role("heading", name="Trả lại hoặc từ chối").is_visible()
    red = risky.locator("summary").first.evaluate(
        "el => getComputedStyle(el.parentElement).borderTopColor"
    )
    plain = page.locator("#form-transfer").evaluate(
        "el => getComputedStyle(el.parentElement).borderTopColor"
    )
    assert red != plain
    axe(page)

    page.locator("#form-acknowledge").get_by_role("button", name="Thụ lý").click()
    confirmation = page.locator(".msg-success")
    confirmation.wait_for()
    text = confirmation.inner_text()
    assert f"Đã cập nhật phản ánh {ticket.display_code}." in text
    assert "Trạng thái: Đã chuyển xử lý → Đang xử lý." in text
    assert "Không gửi thông báo cho ai." in text
    # In progress now: the result is the next step.
    assert (
        page.locator(".ticket-actions .action-primary form").get_attribute("id") == "form-resolve"
    )
