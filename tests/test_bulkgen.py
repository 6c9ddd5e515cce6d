"""bench/bulkgen.py writes what the workflow would have written: checked on
a few hundred tickets against the project's own rules, recomputed here
from the rows rather than read back through feedback.figures."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from feedback import deadlines, figures
from feedback.models import AdministrativeUnit, Rating, SurveyResponse, Ticket, TicketEvent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="bulkgen writes with COPY"),
    # VACUUM, at the end of a run, cannot run inside a test's transaction.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def bulkgen():
    sys.path.insert(0, str(Path(settings.BASE_DIR) / "bench"))
    try:
        import bulkgen

        yield bulkgen
    finally:
        sys.path.remove(str(Path(settings.BASE_DIR) / "bench"))


def test_it_writes_tickets_as_the_workflow_would(bulkgen):
    call_command("load_units", verbosity=0)
    call_command("load_demo", tickets=0, verbosity=0)
    bulkgen.Generator(seed=7, months=3).run(400)

    assert Ticket.objects.count() == 400
    tickets = list(Ticket.objects.all())
    events: dict[int, list[TicketEvent]] = {}
    for e in TicketEvent.objects.order_by("at", "pk"):
        events.setdefault(e.ticket_id, []).append(e)
    for t in tickets:
        kinds = [e.kind for e in events[t.pk]]
        assert kinds[:2] == ["received", "routed"], t.code
        # The last event leaves the ticket in its status.
        assert events[t.pk][-1].to_status in (t.status, "resolved"), (t.code, kinds)
        assert t.office_id and t.due_at > t.received_at and t.ack_due_at > t.received_at
        if t.acknowledged_at:
            assert t.ack_minutes == deadlines.working_minutes(t.received_at, t.acknowledged_at)
        for e in events[t.pk]:
            if e.kind == "resolved":
                assert e.data["on_time"] == (e.at <= datetime_of(e.data["due_at"]))
    # Ratings follow resolutions; survey answers are on 1-5 and one a ticket.
    for r in Rating.objects.all():
        assert "resolved" in [e.kind for e in events[r.ticket_id]]
    surveys = list(SurveyResponse.objects.all())
    assert surveys, "no survey answers in 400 tickets"
    assert all(1 <= s.access <= 5 for s in surveys)

    # The city's figures of last month, recomputed by hand from the rows.
    now = timezone.now()
    start, end = figures.month_bounds(figures.month_bounds(now)[0] - timedelta(days=1))
    city = AdministrativeUnit.objects.get(code="01")
    got = figures.compute(figures.Scope.of_unit(city), start=start, end=end, now=now)
    resolved = [
        e for es in events.values() for e in es if e.kind == "resolved" and start <= e.at < end
    ]
    assert got.received == sum(start <= t.received_at < end for t in tickets)
    assert got.resolved == len(resolved) > 0
    assert got.resolved_on_time == sum(e.data["on_time"] for e in resolved)
    assert got.backlog_now == sum(t.status in Ticket.OPEN_STATUSES for t in tickets)


def datetime_of(value: str):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value)
