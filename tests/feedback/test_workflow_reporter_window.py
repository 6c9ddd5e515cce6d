"""The reporter's window after a result (workflow.transitions.reporter_window_*,
FEEDBACK_CLOSE_AFTER_DAYS): the reporter may rate the result or ask to reopen
until it ends, not after, whether or not the quiet ticket was closed yet."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback import sweeps, workflow
from feedback.errors import InvalidTransition
from feedback.models import Rating, Ticket

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# A Monday morning; the window is in calendar days, so weekends do not matter.
RESOLVED_AT = datetime(2027, 3, 1, 9, 0, tzinfo=HANOI)


@pytest.fixture
def resolved(submit, world):
    ticket, secret = submit(at=RESOLVED_AT - timedelta(days=3))
    workflow.ticket_route(ticket, at=RESOLVED_AT - timedelta(days=3))
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.", at=RESOLVED_AT)
    ticket.refresh_from_db()
    return ticket, secret


def window_end(settings) -> datetime:
    return RESOLVED_AT + timedelta(days=settings.FEEDBACK_CLOSE_AFTER_DAYS)


def test_the_reporter_may_rate_until_the_last_moment_of_the_window(resolved, settings):
    ticket, secret = resolved
    ends = window_end(settings)
    assert workflow.reporter_window_ends(ticket) == ends
    assert "rate" in workflow.citizen_actions(ticket, at=ends)
    rating = workflow.ticket_rate(ticket, secret=secret, overall=2, at=ends)
    assert rating.round == 1


def test_a_ticket_closed_after_a_quiet_window_can_no_longer_be_rated(resolved, settings):
    ticket, secret = resolved
    after = window_end(settings) + timedelta(minutes=1)
    assert sweeps.close_quiet(now=after) == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    # Only the satisfaction survey outlives the window (transitions.SURVEY_OPEN_DAYS).
    assert workflow.citizen_actions(ticket, at=after) == {"survey"}
    a_year_on = after + timedelta(days=365)
    for at in (after, a_year_on):
        with pytest.raises(InvalidTransition, match="Đã quá 7 ngày kể từ khi có kết quả"):
            workflow.ticket_rate(ticket, secret=secret, overall=5, at=at)
    assert not Rating.objects.filter(ticket=ticket).exists()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_a_late_rating_is_refused_even_before_the_sweep_closed_the_ticket(resolved, settings):
    ticket, secret = resolved
    after = window_end(settings) + timedelta(seconds=1)
    assert "rate" not in workflow.citizen_actions(ticket, at=after)
    with pytest.raises(InvalidTransition):
        workflow.ticket_rate(ticket, secret=secret, overall=1, at=after)
    assert not Rating.objects.filter(ticket=ticket).exists()


def test_the_window_follows_the_setting(resolved, settings):
    ticket, secret = resolved
    settings.FEEDBACK_CLOSE_AFTER_DAYS = 14
    at = RESOLVED_AT + timedelta(days=10)
    assert workflow.citizen_actions(ticket, at=at) == {"rate", "reopen", "survey"}
    workflow.ticket_rate(ticket, secret=secret, overall=3, at=at)


def test_the_private_page_stops_offering_the_rating_when_the_window_ends(
    client, resolved, settings, time_machine
):
    ticket, secret = resolved
    url = f"/tra-cuu/{ticket.code}/{secret}/"
    time_machine.move_to(RESOLVED_AT + timedelta(days=1), tick=False)
    assert 'value="rate"' in client.get(url).content.decode()
    time_machine.move_to(window_end(settings) + timedelta(hours=1), tick=False)
    assert 'value="rate"' not in client.get(url).content.decode()
    r = client.post(url, {"action": "rate", "overall": "5"}, follow=True)
    assert "Thao tác này hiện không thực hiện được." in r.content.decode()
    assert not Rating.objects.filter(ticket=ticket).exists()
