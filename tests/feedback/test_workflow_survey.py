"""workflow.ticket_survey: the reporter's SIPAS-style survey, once per
ticket, after a result, recorded with an event that does not carry the
answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from feedback import workflow
from feedback.errors import Forbidden, InvalidTransition, ValidationFailed
from feedback.models import SurveyResponse, TicketEvent
from feedback.workflow.transitions import SURVEY_OPEN_DAYS

E = TicketEvent.Kind
ALL = {"access": 5, "procedure": 4, "conduct": 3, "result": 2, "handling": 1}


@pytest.fixture
def resolved(world, submit):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.")
    ticket.refresh_from_db()
    return ticket, secret


def test_it_records_the_answers_for_the_office_that_resolved(world, resolved):
    ticket, secret = resolved
    with translation.override("vi"):  # a Vietnamese reader
        response = workflow.ticket_survey(ticket, secret=secret, answers=ALL)
    response.refresh_from_db()
    assert [getattr(response, q) for q in SurveyResponse.QUESTIONS] == [5, 4, 3, 2, 1]
    assert response.office == world.office_a
    assert response.language == "vi"
    event = ticket.events.get(kind=E.SURVEYED)
    assert event.actor_label == "citizen" and not event.is_public
    # The timeline says that the survey was answered, never what.
    assert event.data == {} and event.message == ""
    ticket.refresh_from_db()
    assert ticket.status == "resolved"  # the survey changes no status


def test_it_keeps_the_citizens_language(resolved):
    ticket, secret = resolved
    with translation.override("en"):
        response = workflow.ticket_survey(ticket, secret=secret, answers={"result": 5})
    assert response.language == "en"


def test_a_question_may_be_left_out_but_not_all_of_them(resolved):
    ticket, secret = resolved
    with pytest.raises(ValidationFailed):
        workflow.ticket_survey(ticket, secret=secret, answers={})
    with pytest.raises(ValidationFailed):
        workflow.ticket_survey(ticket, secret=secret, answers=dict.fromkeys(ALL))
    response = workflow.ticket_survey(ticket, secret=secret, answers={"conduct": 4})
    assert (response.conduct, response.access, response.result) == (4, None, None)


@pytest.mark.parametrize("bad", [0, 6, "5", True, 3.5])
def test_it_refuses_answers_outside_1_to_5_and_writes_nothing(resolved, bad):
    ticket, secret = resolved
    with pytest.raises(ValidationFailed) as refused:
        workflow.ticket_survey(ticket, secret=secret, answers={**ALL, "procedure": bad})
    assert refused.value.field == "procedure"
    assert not SurveyResponse.objects.exists()
    assert not ticket.events.filter(kind=E.SURVEYED).exists()


def test_it_refuses_a_question_not_on_the_form(resolved):
    ticket, secret = resolved
    with pytest.raises(ValidationFailed):
        workflow.ticket_survey(ticket, secret=secret, answers={"office_id": 1, "result": 5})
    assert not SurveyResponse.objects.exists()


def test_it_takes_one_survey_per_ticket_even_after_a_reopening(world, resolved):
    ticket, secret = resolved
    workflow.ticket_survey(ticket, secret=secret, answers=ALL)
    with pytest.raises(InvalidTransition):
        workflow.ticket_survey(ticket, secret=secret, answers={"result": 1})
    workflow.ticket_reopen(ticket, secret=secret, reason="Vẫn còn rác.")
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom lần 2.")
    with pytest.raises(InvalidTransition):
        workflow.ticket_survey(ticket, secret=secret, answers={"result": 1})
    assert SurveyResponse.objects.get().result == 2
    assert ticket.events.filter(kind=E.SURVEYED).count() == 1


def test_it_is_open_after_a_satisfied_rating_closes_the_case(resolved):
    ticket, secret = resolved
    workflow.ticket_rate(ticket, secret=secret, overall=5)
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    workflow.ticket_survey(ticket, secret=secret, answers=ALL)
    assert SurveyResponse.objects.count() == 1


def test_it_closes_some_days_after_the_result(resolved):
    ticket, secret = resolved
    last = ticket.resolved_at + timedelta(days=SURVEY_OPEN_DAYS)
    assert "survey" in workflow.citizen_actions(ticket, at=last)
    too_late = last + timedelta(seconds=1)
    assert "survey" not in workflow.citizen_actions(ticket, at=too_late)
    with pytest.raises(InvalidTransition):
        workflow.ticket_survey(ticket, secret=secret, answers=ALL, at=too_late)
    workflow.ticket_survey(ticket, secret=secret, answers=ALL, at=last)


def test_it_needs_the_reporters_secret(resolved, submit):
    ticket, _ = resolved
    _, other_secret = submit()
    for wrong in ("", other_secret):
        with pytest.raises(Forbidden):
            workflow.ticket_survey(ticket, secret=wrong, answers=ALL)
    assert not SurveyResponse.objects.exists()
