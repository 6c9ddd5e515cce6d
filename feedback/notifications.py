"""Who hears about a ticket event, and how. TicketEvent.notified_at is the
outbox: an event is delivered once, claimed by a conditional UPDATE so two
workers (or a worker and the sweep) never send twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from feedback.models import Membership, TicketEvent
from feedback.reporter_link import private_path

log = logging.getLogger(__name__)
E = TicketEvent.Kind

# Public changes the reporter is told about by email.
REPORTER_EVENTS = {
    E.RECEIVED,
    E.ROUTED,
    E.INFO_REQUESTED,
    E.ANSWERED,
    E.RESOLVED,
    E.CLOSED,
    E.REJECTED,
    E.MERGED,
    E.TRANSFERRED,
    E.EXTENDED,
}
# Events the office's staff are told about by email.
OFFICE_EVENTS = {E.ROUTED, E.TRANSFERRED, E.CITIZEN_REPLIED, E.REOPENED, E.WARNED, E.BREACHED}


def owes_delivery(kind: str) -> bool:
    """Whether an event of this kind may send anything. The others (notes,
    assignments, ratings...) are written as delivered and never queued."""
    return kind in REPORTER_EVENTS or kind in OFFICE_EVENTS or kind == E.ESCALATED


def deliver_event(event_id: int) -> bool:
    """Send what this event owes; returns False when another run got it first."""
    claimed = TicketEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    # The emails name the ticket's office and unit: read them with it.
    event = TicketEvent.objects.select_related(
        "ticket", "ticket__office", "ticket__unit", "office"
    ).get(pk=event_id)
    try:
        _send(event)
    except Exception:
        # Give the event back to the outbox so a retry or the sweep resends it.
        TicketEvent.objects.filter(pk=event_id).update(notified_at=None)
        raise
    return True


def _send(event: TicketEvent) -> None:
    ticket = event.ticket
    context = {
        "event": event,
        "ticket": ticket,
        "site_url": settings.SITE_URL,
        # The reporter's private link (reply, rate, reopen), repeated in every
        # email: the secret is derived, never stored.
        "private_url": f"{settings.SITE_URL}{private_path(ticket)}",
    }
    with translation.override("vi"):
        if reporter_hears(event):
            _mail("emails/reporter_update", context, [ticket.contact_email])
        recipients = office_recipients(event)
        if recipients:
            _mail("emails/office_update", context, recipients)


def reporter_hears(event: TicketEvent) -> bool:
    """Whether the reporter is told of this event (a public change, to a
    reporter who left a way to reach them)."""
    ticket = event.ticket
    return (
        event.kind in REPORTER_EVENTS
        and event.is_public
        and bool(ticket.contact_email)
        and not ticket.is_anonymous
    )


def office_recipients(event: TicketEvent) -> list[str]:
    if event.kind == E.ESCALATED:
        office_id = (event.data or {}).get("to_office")
        roles = [Membership.Role.HEAD]
    elif event.kind in OFFICE_EVENTS:
        office_id = event.ticket.office_id
        roles = [Membership.Role.HEAD, Membership.Role.OFFICER]
    else:
        return []
    if not office_id:
        return []
    emails = (
        Membership.objects.filter(office_id=office_id, role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def _mail(template: str, context: dict, to: list[str]) -> None:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
