"""Every public page, on a 360 px phone and on a desktop, has no critical or
serious axe-core violation: as first shown, after a form error, and with
the states a citizen meets (a public ticket with a photo and a map, a
private complaint, an answer to rate, a request for more information)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback import attachments, workflow
from feedback.reporter_link import reporter_secret
from tests.e2e.conftest import off_the_loop
from tests.feedback.uploads import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["phone", "desktop"])
def page(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def story(world, submit, routed):
    return off_the_loop(_story, world, submit, routed)


def _story(world, submit, routed):
    photo = attachments.validate_all(
        [SimpleUploadedFile("a.jpg", image_bytes("JPEG", size=(320, 240)), "image/jpeg")]
    )
    answered = routed(latitude="21.0285", longitude="105.8522", attachments=photo)
    workflow.ticket_acknowledge(answered, actor=world.officer_a)
    workflow.ticket_answer(answered, actor=world.officer_a, message="Đã cử đội vệ sinh.")
    workflow.ticket_resolve(answered, actor=world.officer_a, message="Đã thu gom rác.")
    asked = routed(title="Đèn đường hỏng")
    workflow.ticket_acknowledge(asked, actor=world.officer_a)
    workflow.ticket_request_info(asked, actor=world.officer_a, message="Đèn ở số nhà nào?")
    complaint, _secret = submit(kind="complaint", category=world.complaints, is_public=False)
    return {"answered": answered, "asked": asked, "complaint": complaint}


def _private(ticket) -> str:
    return f"/tra-cuu/{ticket.code}/{reporter_secret(ticket)}/"


def test_every_public_page_has_no_serious_violation(page, live_server, story, axe):
    answered, asked, complaint = story["answered"], story["asked"], story["complaint"]
    for path in [
        "/",
        "/gui-phan-anh/",
        "/gui-phan-anh/?kind=complaint",
        "/gui-phan-anh/?kind=denunciation",
        "/tra-cuu/",
        "/tra-cuu/?code=12",
        f"/tra-cuu/{answered.code}/",
        f"/tra-cuu/{complaint.code}/",
        _private(answered),
        _private(asked),
        _private(complaint),
        "/phan-anh/",
        f"/phan-anh/?unit={answered.unit_id}&status=resolved",
        "/minh-bach/",
        "/minh-bach/phuong-phap/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        axe(page)


def test_the_report_form_with_errors_has_no_serious_violation(page, live_server, world, axe):
    page.goto(f"{live_server.url}/gui-phan-anh/")
    page.locator("#report-form [type=submit]").last.click()
    page.wait_for_selector("#error-summary")
    axe(page)


def test_the_english_pages_have_no_serious_violation(page, live_server, story, axe):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    for path in ["/", "/gui-phan-anh/", _private(story["answered"]), "/phan-anh/"]:
        page.goto(f"{live_server.url}{path}")
        axe(page)
