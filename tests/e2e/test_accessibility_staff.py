"""Every staff page, on a desktop and on a 360 px phone, has no critical or
serious axe-core violation: sign-in, the inbox with its tabs, a ticket in
each state an officer meets (new with a photo and a map, in progress,
closed to the reader), the office figures, every intake form (also after an
error), the CSV import and the intake receipt."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback import attachments, workflow
from tests.e2e.conftest import off_the_loop, sign_in
from tests.feedback.uploads import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(request.param)


def _story(world, routed):
    photo = attachments.validate_all(
        [SimpleUploadedFile("a.jpg", image_bytes("JPEG", size=(320, 240)), "image/jpeg")]
    )
    new = routed(latitude="21.0285", longitude="105.8522", attachments=photo)
    working = routed(title="Đèn đường hỏng")
    workflow.ticket_acknowledge(working, actor=world.head_a)
    workflow.ticket_note(working, actor=world.head_a, message="Đã gọi điện cho tổ dân phố.")
    entered = routed(channel="hotline", entered_by=world.head_a, consent=False)
    return {"new": new, "working": working, "entered": entered}


def test_every_staff_page_has_no_serious_violation(page, live_server, world, routed, axe):
    story = off_the_loop(_story, world, routed)
    page.goto(f"{live_server.url}/staff/login/")
    axe(page)
    sign_in(page, live_server.url, "head_a")
    for path in [
        "/staff/",
        "/staff/?status=new",
        "/staff/?due=overdue",
        f"/staff/tickets/{story['new'].code}/",
        f"/staff/tickets/{story['working'].code}/",
        "/staff/office/",
        "/staff/intake/",
        "/staff/intake/duong-day-nong/",
        "/staff/intake/mang-xa-hoi/",
        "/staff/intake/truc-tiep/",
        "/staff/intake/ho-so-giay/",
        "/staff/intake/nhap-csv/",
        f"/staff/intake/da-nhap/{story['entered'].code}/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        axe(page)

    # A form sent back with errors.
    page.goto(f"{live_server.url}/staff/intake/ho-so-giay/")
    page.locator("form [type=submit]").last.click()
    page.wait_for_selector(".errorlist, #error-summary")
    axe(page)
    # The confirmation after an action.
    page.goto(f"{live_server.url}/staff/tickets/{story['new'].code}/")
    page.locator("#form-acknowledge button").click()
    page.wait_for_selector(".msg-success")
    axe(page)


def test_a_leader_reads_the_subtree_inbox_and_a_ticket_accessibly(
    desktop, live_server, world, routed, axe
):
    ticket = off_the_loop(routed)
    page = desktop
    sign_in(page, live_server.url, "leader")
    axe(page)
    page.goto(f"{live_server.url}/staff/tickets/{ticket.code}/")
    axe(page)
