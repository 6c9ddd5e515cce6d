"""Celery tasks: thin wrappers that take ids, call feedback/, and own
retries. Each is idempotent, so a redelivery (acks_late after a worker died)
or a duplicate from the sweep does no harm."""

from celery import shared_task

from feedback import notifications, workflow
from feedback.errors import NotFound

RETRY = {
    "autoretry_for": (Exception,),
    "dont_autoretry_for": (NotFound,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="workers.tasks.route_ticket", **RETRY)
def route_ticket(ticket_id: int) -> str:
    return workflow.ticket_route(ticket_id).status


@shared_task(name="workers.tasks.deliver_event", **RETRY)
def deliver_event(event_id: int) -> bool:
    return notifications.deliver_event(event_id)
