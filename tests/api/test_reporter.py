"""The reporter's endpoints, with the secret the submission returned: view,
reply, rate, reopen; and anyone's support."""

from __future__ import annotations

from feedback import workflow
from feedback.models import Ticket, TicketEvent


def url(ticket: Ticket, tail: str = "") -> str:
    return f"/api/v1/tickets/{ticket.display_code}/reporter/{tail}"


def awaiting(world, routed) -> Ticket:
    ticket = workflow.ticket_acknowledge(routed(), actor=world.officer_a)
    return workflow.ticket_request_info(ticket, actor=world.officer_a, message="Ảnh rõ hơn?")


def test_it_shows_the_reporter_their_ticket_and_what_they_may_do(world, api, submit, routed):
    ticket, secret = submit()
    ticket = awaiting(world, lambda: workflow.ticket_route(ticket))
    response = api.get(url(ticket), HTTP_X_REPORTER_SECRET=secret)
    assert response.status_code == 200
    assert response.json()["actions"] == ["reply"]


def test_it_refuses_a_wrong_secret_with_403(world, api, submit):
    ticket, secret = submit()
    response = api.get(url(ticket), HTTP_X_REPORTER_SECRET=secret[::-1])
    assert response.status_code == 403
    assert api.get(url(ticket)).status_code == 403


def test_the_reporter_replies_rates_and_reopens(world, api, submit):
    ticket, secret = submit()
    ticket = awaiting(world, lambda: workflow.ticket_route(ticket))
    replied = api.post(
        url(ticket, "reply/"), {"message": "Ảnh đây."}, format="json", HTTP_X_REPORTER_SECRET=secret
    )
    assert replied.status_code == 200 and replied.json()["status"] == "in_progress"
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã dọn.")
    bad = api.post(
        url(ticket, "rate/"), {"overall": 9}, format="json", HTTP_X_REPORTER_SECRET=secret
    )
    assert bad.status_code == 400 and "overall" in bad.json()["error"]["fields"]
    rated = api.post(
        url(ticket, "rate/"), {"overall": 2}, format="json", HTTP_X_REPORTER_SECRET=secret
    )
    assert rated.status_code == 200 and rated.json()["actions"] == ["reopen", "survey"]
    again = api.post(
        url(ticket, "rate/"), {"overall": 3}, format="json", HTTP_X_REPORTER_SECRET=secret
    )
    assert again.status_code == 409
    reopened = api.post(
        url(ticket, "reopen/"),
        {"reason": "Vẫn còn rác."},
        format="json",
        HTTP_X_REPORTER_SECRET=secret,
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert {"citizen_replied", "rated", "reopened"} <= set(kinds)


def test_a_reply_out_of_turn_is_a_409(world, api, submit):
    ticket, secret = submit()
    response = api.post(
        url(ticket, "reply/"), {"message": "Thêm"}, format="json", HTTP_X_REPORTER_SECRET=secret
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_anyone_supports_a_public_report_once(world, api, submit):
    ticket, _ = submit()
    first = api.post(f"/api/v1/tickets/{ticket.display_code}/support/")
    second = api.post(f"/api/v1/tickets/{ticket.display_code}/support/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["supporter_count"] == 1
    assert ticket.events.filter(kind=TicketEvent.Kind.SUPPORTED).count() == 1
    private, _ = submit(category=world.complaints, kind="complaint")
    assert api.post(f"/api/v1/tickets/{private.display_code}/support/").status_code == 404


def test_the_reporter_answers_the_survey_once(world, api, submit):
    from feedback.models import SurveyResponse

    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã dọn.")
    survey = url(ticket, "survey/")
    bad = api.post(survey, {"conduct": 6}, format="json", HTTP_X_REPORTER_SECRET=secret)
    assert bad.status_code == 400 and "conduct" in bad.json()["error"]["fields"]
    empty = api.post(survey, {}, format="json", HTTP_X_REPORTER_SECRET=secret)
    assert empty.status_code == 400
    assert not SurveyResponse.objects.exists()
    answered = api.post(
        survey, {"access": 5, "result": 4}, format="json", HTTP_X_REPORTER_SECRET=secret
    )
    assert answered.status_code == 200 and "survey" not in answered.json()["actions"]
    response = SurveyResponse.objects.get(ticket=ticket)
    assert (response.access, response.result, response.handling) == (5, 4, None)
    again = api.post(survey, {"access": 1}, format="json", HTTP_X_REPORTER_SECRET=secret)
    assert again.status_code == 409
    wrong = api.post(survey, {"access": 1}, format="json", HTTP_X_REPORTER_SECRET=secret[::-1])
    assert wrong.status_code == 403
