"""A citizen files a report with a photo from a phone, gets the code, and
follows it on the public tracking page."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from feedback.models import Attachment, Ticket
from tests.feedback.uploads import has_gps, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_citizen_files_a_photo_report_and_tracks_it(phone, live_server, world, captcha_test_mode):
    page = phone
    photo = image_bytes("JPEG", size=(320, 240))
    with Image.open(io.BytesIO(photo)) as img:
        assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the photo carries a position

    page.goto(f"{live_server.url}/gui-phan-anh/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert no_sideways_scroll(page)
    page.get_by_label("Lĩnh vực").select_option(str(world.waste.pk))
    page.locator("#id_unit").select_option(str(world.ward_a.pk))
    page.get_by_label("Địa chỉ, địa điểm cụ thể").fill("Trước số 12 ngõ 34 Hàng Bài")
    # The map works without tiles: a tap still drops a pin.
    page.locator("#pick-map").click(position={"x": 150, "y": 120})
    assert page.locator("#id_latitude").input_value() != ""
    assert page.locator("#map-note").is_visible()
    page.locator("#id_description").fill("Rác thải tồn đọng ba ngày, bốc mùi.")
    page.locator("#id_attachments").set_input_files(
        {"name": "rac.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Thư điện tử").fill("hoa@example.com")
    consent = page.locator("#id_consent")
    assert not consent.is_checked()
    consent.check()
    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.wait_for_selector("#tracking-code")
    code = page.locator("#tracking-code").inner_text().strip()
    ticket = Ticket.objects.get()
    assert code == ticket.display_code
    assert page.locator("#private-link").is_visible()
    assert no_sideways_scroll(page)

    # Look it up the way people type it: lower case, no dash.
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã tra cứu").fill(ticket.code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"**/tra-cuu/{ticket.code}/")
    text = page.locator("main").inner_text()
    assert "Rác thải tồn đọng ba ngày" in text
    for private in ("Nguyễn Thị Hoa", "hoa@example.com", "0912 345 678"):
        assert private not in page.content()
    assert no_sideways_scroll(page)

    # The photo shown (and stored) has lost its GPS position.
    src = page.locator(".files img").first.get_attribute("src")
    served = page.request.get(f"{live_server.url}{src}").body()
    assert not has_gps(served)
    stored = Attachment.objects.get(ticket=ticket)
    with stored.file.open("rb") as fh:
        assert not has_gps(fh.read())
