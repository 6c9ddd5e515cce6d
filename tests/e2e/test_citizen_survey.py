"""The reporter answers the satisfaction survey in real Chromium on a phone:
from the private page, a real form post with the Origin header Django's
CSRF check reads, redirected back to the private page, which then thanks
them and no longer offers the survey; the page has no serious axe-core
violation."""

from __future__ import annotations

import pytest

from feedback import workflow
from feedback.models import SurveyResponse
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_citizen_answers_the_survey_from_the_private_page(phone, live_server, world, submit, axe):
    def resolved():
        ticket, secret = submit()
        workflow.ticket_route(ticket)
        workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom rác.")
        return ticket, secret

    ticket, secret = off_the_loop(resolved)
    sent: list = []
    phone.on("request", lambda r: sent.append(r) if r.method == "POST" else None)

    private_url = f"{live_server.url}/tra-cuu/{ticket.code}/{secret}/"
    phone.goto(private_url)
    survey = phone.get_by_role("region", name="Khảo sát mức độ hài lòng")
    survey.scroll_into_view_if_needed()
    axe(phone)
    for question, answer in (
        ("Tiếp cận thông tin", "Rất hài lòng"),
        ("Thủ tục, quy trình", "Hài lòng"),
        ("Cán bộ", "Bình thường"),
        ("Kết quả", "Rất hài lòng"),
    ):  # the fifth question is left out
        survey.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    survey.get_by_role("button", name="Gửi khảo sát").click()
    phone.wait_for_selector("text=Cảm ơn bạn đã trả lời khảo sát.")

    assert phone.url == private_url
    assert len(sent) == 1
    assert sent[0].all_headers().get("origin") == live_server.url
    assert sent[0].response().status == 302
    answers = SurveyResponse.objects.get(ticket=ticket)
    assert [getattr(answers, q) for q in SurveyResponse.QUESTIONS] == [5, 4, 3, 5, None]
    assert answers.office == world.office_a and answers.language == "vi"
    assert phone.get_by_role("region", name="Khảo sát mức độ hài lòng").count() == 0
