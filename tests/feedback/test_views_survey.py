"""/tra-cuu/<code>/<secret>/khao-sat/: the reporter's survey, offered on the
private page after a result and posted to its own view (PRG)."""

from __future__ import annotations

import pytest
from django.utils import translation

from feedback import workflow
from feedback.models import SurveyResponse, TicketEvent

ALL = {"access": "5", "procedure": "4", "conduct": "5", "result": "3", "handling": "4"}


@pytest.fixture
def resolved(submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom xong.")
    ticket.refresh_from_db()
    return ticket, secret


def translation_kept(call, *args):
    """Make a request and put the thread's language back as it was: Django's
    LocaleMiddleware leaves the request's language active, and the next test
    would run in English."""
    with translation.override(translation.get_language()):
        return call(*args)


def urls(ticket, secret):
    private = f"/tra-cuu/{ticket.code}/{secret}/"
    return private, private + "khao-sat/"


def test_the_private_page_offers_the_survey_only_after_a_result(client, submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    private, survey = urls(ticket, secret)
    assert survey not in client.get(private).content.decode()
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã xong.")
    html = client.get(private).content.decode()
    assert f'action="{survey}"' in html
    for question in ("Tiếp cận thông tin", "Thủ tục, quy trình", "Cán bộ", "Kết quả"):
        assert question in html
    assert html.count('type="radio" name="handling"') == 5


def test_the_reporter_answers_and_is_sent_back_to_the_private_page(client, resolved, world):
    ticket, secret = resolved
    private, survey = urls(ticket, secret)
    r = client.post(survey, ALL)
    assert r.status_code == 302 and r["Location"] == private
    response = SurveyResponse.objects.get(ticket=ticket)
    assert (response.access, response.result, response.office) == (5, 3, world.office_a)
    html = client.get(private).content.decode()
    assert "Cảm ơn bạn đã trả lời khảo sát." in html
    assert f'action="{survey}"' not in html  # once per ticket


def test_a_second_answer_is_turned_away_and_changes_nothing(client, resolved):
    ticket, secret = resolved
    private, survey = urls(ticket, secret)
    client.post(survey, ALL)
    r = client.post(survey, {**ALL, "result": "1"}, follow=True)
    assert r.redirect_chain == [(private, 302)]
    assert "đã được trả lời" in r.content.decode()
    assert SurveyResponse.objects.get().result == 3
    assert ticket.events.filter(kind=TicketEvent.Kind.SURVEYED).count() == 1


def test_an_answer_out_of_range_is_refused_on_its_question(client, resolved):
    ticket, secret = resolved
    _, survey = urls(ticket, secret)
    r = client.post(survey, {**ALL, "conduct": "9"})
    assert r.status_code == 200
    assert r.context["form"].errors["conduct"]
    assert not SurveyResponse.objects.exists()


def test_an_empty_survey_is_refused_with_a_clear_message(client, resolved):
    ticket, secret = resolved
    _, survey = urls(ticket, secret)
    r = client.post(survey, {})
    assert r.status_code == 200
    assert "Hãy trả lời ít nhất một câu hỏi." in r.content.decode()
    assert not SurveyResponse.objects.exists()


def test_it_needs_the_reporters_secret(client, resolved):
    ticket, _ = resolved
    r = client.post(f"/tra-cuu/{ticket.code}/{'0' * 32}/khao-sat/", ALL)
    assert r.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_survey_page_is_private_and_in_the_citizens_language(client, resolved):
    ticket, secret = resolved
    _, survey = urls(ticket, secret)
    client.cookies["django_language"] = "en"
    # The middleware leaves the request's language active in this thread.
    r = translation_kept(client.get, survey)
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="referrer" content="same-origin"' in html and "noindex" in html
    assert "Satisfaction survey" in html and "Very satisfied" in html
    translation_kept(client.post, survey, {"result": "5"})
    assert SurveyResponse.objects.get().language == "en"
    assert translation.get_language() == "vi"
