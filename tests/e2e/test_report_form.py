"""The report form on a 360 px phone: short, in the order people think, and
a wrong captcha does not lose the photos the citizen chose."""

from __future__ import annotations

import pytest

from feedback.models import Ticket
from tests.feedback.uploads import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The phone fixture's screen is 740 px tall, but the browser's own bars take
# about 100 px of a real 360 x 740 phone: about 640 px of page per screen.
SCREEN = 640


def test_the_form_fits_in_about_three_phone_screens(phone, live_server, world):
    phone.goto(f"{live_server.url}/gui-phan-anh/")
    phone.wait_for_load_state("load")
    assert phone.locator("#nearby").is_hidden()  # no suggestions yet
    # From the page's heading to the send button: the site's menu and footer
    # are not the form.
    height = phone.evaluate(
        """() => document.querySelector('#report-form [type=submit]').getBoundingClientRect().bottom
                 - document.querySelector('h1').getBoundingClientRect().top"""
    )
    assert height <= 3 * SCREEN, f"the form is {height} px, {height / SCREEN:.1f} screens"
    # What is wrong, then where, then which category, then who.
    order = phone.evaluate(
        """() => ['#id_description', '#id_camera', '#id_unit', '#id_category', '#id_contact_name']
             .map(s => document.querySelector(s).getBoundingClientRect().top + window.scrollY)"""
    )
    assert order == sorted(order)


def test_a_wrong_captcha_keeps_the_chosen_photos(phone, live_server, world, captcha_test_mode, axe):
    page = phone
    page.goto(f"{live_server.url}/gui-phan-anh/")
    page.locator("#id_description").fill("Ổ gà lớn giữa đường, xe máy dễ ngã.")
    page.locator("#id_camera").set_input_files(
        {
            "name": "o-ga.jpg",
            "mimeType": "image/jpeg",
            "buffer": image_bytes("JPEG", size=(320, 240)),
        }
    )
    page.locator("#id_attachments").set_input_files(
        {"name": "gan.png", "mimeType": "image/png", "buffer": image_bytes("PNG", gps=False)}
    )
    # Both photos are previewed before sending.
    assert page.locator("#previews img").count() == 2
    page.locator("#id_unit").select_option(str(world.ward_a.pk))
    page.get_by_label("Lĩnh vực").select_option(str(world.waste.pk))
    page.get_by_label("Gửi ẩn danh (chỉ với phản ánh, kiến nghị)").check()
    page.locator("#id_captcha_1").fill("sai")
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.wait_for_selector("#error-summary")
    assert Ticket.objects.count() == 0
    kept = page.locator("#kept-files")
    assert "Đã giữ 2 tệp" in kept.inner_text()
    # The previews are real images served back, not broken links.
    widths = kept.locator("img").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 2 and all(w > 0 for w in widths)
    axe(page)

    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_selector("#tracking-code")
    ticket = Ticket.objects.get()
    assert sorted(a.original_name for a in ticket.attachments.all()) == ["gan.png", "o-ga.jpg"]


def test_choosing_a_ward_moves_the_map_there(phone, live_server, world, submit):
    from tests.e2e.conftest import off_the_loop

    off_the_loop(submit, unit=world.ward_b, latitude="21.0400", longitude="105.8000")
    phone.goto(f"{live_server.url}/gui-phan-anh/")
    phone.locator("#id_unit").select_option(str(world.ward_b.pk))
    # A keyboard user drops the pin at the map's centre: the ward's middle.
    phone.get_by_role("button", name="Ghim ở giữa").click()
    assert phone.locator("#id_latitude").input_value() == "21.040000"
    assert phone.locator("#id_longitude").input_value() == "105.800000"
