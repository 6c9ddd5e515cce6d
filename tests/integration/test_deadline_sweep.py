"""The deadline sweeps on a real worker, over tickets that crossed Tết 2026
(16-20 Feb): breaches counted on working time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from config.celery import app
from feedback import workflow
from feedback.models import TicketEvent
from tests.integration.conftest import DEAD_BROKER, REDIS_URL, point_app_at

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
FRI_13_FEB = datetime(2026, 2, 13, 10, 0, tzinfo=HANOI)
E = TicketEvent.Kind


def sweep(name: str, at: datetime) -> int:
    return app.send_task(f"workers.tasks.{name}", kwargs={"at": at.isoformat()}).get(timeout=60)


def test_it_breaches_after_the_working_days_not_the_calendar_days(world, submit, celery_worker):
    point_app_at(DEAD_BROKER)  # we route by hand, in the past
    tickets = []
    for n in range(3):
        ticket, _ = submit(description=f"Rác trước Tết, ngõ {n}.", at=FRI_13_FEB)
        workflow.ticket_route(ticket, at=FRI_13_FEB)
        # Taken up at once: only the resolution clock is left to watch.
        tickets.append(workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=FRI_13_FEB))
    assert {t.due_at for t in tickets} == {datetime(2026, 3, 6, 23, 59, 59, 999999, tzinfo=HANOI)}
    point_app_at(REDIS_URL, results=True)

    with celery_worker():
        # 10 calendar days would have ended on 23 Feb; 10 working days end on 6 Mar.
        assert sweep("sweep_breaches", datetime(2026, 2, 24, 9, 0, tzinfo=HANOI)) == 0
        assert sweep("sweep_breaches", datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)) == 0
        assert sweep("sweep_warnings", datetime(2026, 3, 4, 13, 0, tzinfo=HANOI)) == 3
        assert sweep("sweep_breaches", datetime(2026, 3, 9, 9, 0, tzinfo=HANOI)) == 3
        assert sweep("sweep_breaches", datetime(2026, 3, 9, 10, 0, tzinfo=HANOI)) == 0
        assert sweep("sweep_escalations", datetime(2026, 3, 9, 10, 0, tzinfo=HANOI)) == 3

    for ticket in tickets:
        kinds = list(ticket.events.values_list("kind", flat=True))
        assert [kinds.count(k) for k in (E.WARNED, E.BREACHED, E.ESCALATED)] == [1, 1, 1]
        ticket.refresh_from_db()
        assert ticket.breached_at == datetime(2026, 3, 9, 9, 0, tzinfo=HANOI)
