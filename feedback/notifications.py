"""Who hears about a ticket event, and how. TicketEvent.notified_at is the
outbox (null: something is still owed). Delivery is at least once: a worker
claims an event for a while (claimed_until) with a conditional UPDATE, so
two workers never send it at the same time; it marks each half of the mail
sent (reporter_sent_at, office_sent_at) right after that half went out (the
last one with the event itself), and the event delivered only after all.
A worker that dies mid-way (SIGKILL, out of memory, a hard time limit)
leaves a claim that runs out; the re-queue sweep
(sweeps.requeue_undelivered) then queues the event again and the next run
sends only the half that had not gone. The price: a worker killed between
a send and its mark sends that one half twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from unidecode import unidecode

from feedback import alerts, outbound
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
    # The notices of acceptance or refusal, suspension and resumption that
    # the laws on complaints and denunciations require.
    E.ACCEPTED,
    E.REFUSED,
    E.SUSPENDED,
    E.RESUMED,
}
# Events the office's staff are told about by email.
OFFICE_EVENTS = {E.ROUTED, E.TRANSFERRED, E.CITIZEN_REPLIED, E.REOPENED, E.WARNED, E.BREACHED}


def owes_delivery(kind: str) -> bool:
    """Whether an event of this kind may send anything. The others (notes,
    assignments, ratings...) are written as delivered and never queued."""
    return kind in REPORTER_EVENTS or kind in OFFICE_EVENTS or kind == E.ESCALATED


# What a delivery reads: the event, and of its ticket what the mails
# (templates/emails), the reporter's channel (outbound.reporter_address),
# the private link, the staff lookup and the alerts use (and the event's
# office, which the message names: templatetags/events.py). A ticket row has
# 67 columns and the ORM's cost grows with each one read; a template that
# names a field not listed here still works, for one query more, which
# tests/feedback/test_notifications_delivery.py's statement counts catch.
DELIVERY_READ = (
    "ticket_id",
    "kind",
    "at",
    "office__name",
    "is_public",
    "message",
    "data",
    "notified_at",
    "reporter_sent_at",
    "office_sent_at",
    *(
        f"ticket__{name}"
        for name in (
            "code",
            "reporter_key",
            "title",
            "status",
            "due_at",
            "language",
            "is_public",
            "is_anonymous",
            "notify_by",
            "contact_name",
            "contact_phone",
            "contact_email",
            "unit__name",
            "unit__is_active",
            "category__name",
            "category__name_en",
            "category__path",
            "office__name",
            "office__short_name",
        )
    ),
)


def deliver_events(event_ids: Sequence[int]) -> bool:
    """Send what these events owe, in order: the events one task carries
    (a new ticket's receipt and its routing, workflow.record's `deliver`).
    True if any was sent.

    A receipt followed by another event of its ticket does not reach the
    reporter on its own: the next event's message names both ("Tiếp nhận ·
    Chuyển xử lý"), one email or SMS instead of two within a second that
    would both show the ticket as routed. The product's choice; if that
    message cannot be sent now, its retry still goes, without the name."""
    event_ids = list(event_ids)
    ticket_of = (
        dict(TicketEvent.objects.filter(pk__in=event_ids).values_list("pk", "ticket_id"))
        if len(event_ids) > 1
        else {}
    )
    sent = False
    folded: dict[int, list] = {}
    for n, pk in enumerate(event_ids):
        # Folded only into a later event of the same ticket in this task.
        later = {ticket_of.get(other) for other in event_ids[n + 1 :]}
        fold = ticket_of.get(pk) is not None and ticket_of.get(pk) in later
        sent = _deliver(pk, fold_receipt=fold, folded=folded) or sent
    return sent


def deliver_event(event_id: int) -> bool:
    """Send what this event still owes; returns False when it is delivered
    already or another worker holds the claim.

    The event is read first, with what the mails, the reporter's channel
    and the alerts need of its ticket (DELIVERY_READ); the claim is then
    taken only if something is owed, on the condition that no half was
    marked since the read. An event that owes nothing (no reachable
    reporter, no staff to tell, no subscriber) is marked delivered in one
    statement. The last half sent is marked with the event itself; an
    earlier one right after it went out."""
    return _deliver(event_id, fold_receipt=False, folded={})


def _deliver(event_id: int, *, fold_receipt: bool, folded: dict[int, list]) -> bool:
    """deliver_event; with `fold_receipt`, a receipt leaves its reporter's
    message to the next event of its ticket, noting its label in `folded`
    (by ticket), where that event's message picks it up."""
    try:
        event = (
            TicketEvent.objects.select_related(
                "ticket", "ticket__office", "ticket__unit", "ticket__category", "office"
            )
            .only(*DELIVERY_READ)
            .get(pk=event_id, notified_at__isnull=True)
        )
    except TicketEvent.DoesNotExist:
        return False
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    earlier = folded.pop(event.ticket_id, [])
    steps = _owed(event, earlier=earlier)
    if fold_receipt and event.kind == E.RECEIVED and steps and steps[0][0] == "reporter_sent_at":
        steps = steps[1:]
        # The label itself (lazy): the reporter's message is rendered in
        # their language, not the worker's.
        folded[event.ticket_id] = [*earlier, E(event.kind).label]
    if not steps:
        return bool(
            TicketEvent.objects.filter(free, pk=event_id, notified_at__isnull=True).update(
                notified_at=now, claimed_until=None
            )
        )
    claimed = (
        TicketEvent.objects.filter(free, pk=event_id, notified_at__isnull=True)
        .filter(
            reporter_sent_at__isnull=event.reporter_sent_at is None,
            office_sent_at__isnull=event.office_sent_at is None,
        )
        .update(claimed_until=now + timedelta(seconds=settings.FEEDBACK_DELIVERY_CLAIM_SECONDS))
    )
    if not claimed:
        return False
    last: dict = {}
    try:
        for n, (half, send) in enumerate(steps):
            send()
            if half is None:
                continue
            if n < len(steps) - 1:
                _sent(event, half)
            else:
                last[half] = timezone.now()
    except Exception:
        # Give the event back to the outbox at once: a retry or the sweep
        # sends what is still owed.
        TicketEvent.objects.filter(pk=event_id).update(claimed_until=None)
        raise
    TicketEvent.objects.filter(pk=event_id).update(
        notified_at=timezone.now(), claimed_until=None, **last
    )
    return True


def _owed(
    event: TicketEvent, *, earlier: Sequence = ()
) -> list[tuple[str | None, Callable[[], object]]]:
    """What this event still has to send, in order: the reporter's half,
    the office's half (each with the field that marks it sent), then the
    alerts to subscribers (not tracked per recipient: a retry after a
    failure there may repeat an alert). `earlier`: labels of events whose
    reporter's message this one carries (deliver_events)."""
    ticket = event.ticket
    context = {
        "event": event,
        "earlier": earlier,
        "ticket": ticket,
        "site_url": settings.SITE_URL,
        # The reporter's private link (reply, rate, reopen), repeated in every
        # email: the secret is derived, never stored.
        "private_url": f"{settings.SITE_URL}{private_path(ticket)}",
    }
    steps: list[tuple[str | None, Callable[[], object]]] = []
    if event.reporter_sent_at is None and reporter_recipients(event):

        def reporter() -> None:
            # In the reporter's language (kept from intake), on their channel.
            with translation.override(ticket.language or settings.LANGUAGE_CODE):
                _to_reporter(event, context)

        steps.append(("reporter_sent_at", reporter))
    if event.office_sent_at is None:
        recipients = office_recipients(event)
        if recipients:

            def office() -> None:
                with translation.override(settings.LANGUAGE_CODE):
                    _mail("emails/office_update", context, recipients)

            steps.append(("office_sent_at", office))
    # Followers of the report, subscribers of its ward or category.
    subscribers = alerts.recipients(event)
    if subscribers:
        steps.append((None, lambda: alerts.deliver(event, subscribers)))
    return steps


def _sent(event: TicketEvent, half: str) -> None:
    """Mark one half sent, in its own statement right after the send (the
    task runs outside a transaction): a crash after this line does not
    send that half again."""
    setattr(event, half, timezone.now())
    TicketEvent.objects.filter(pk=event.pk).update(**{half: getattr(event, half)})


def reporter_recipients(event: TicketEvent) -> list[str]:
    """Where the reporter is told of this event: a public change, on the
    channel they chose, if they can be reached there (outbound)."""
    address = outbound.reporter_address(event.ticket)
    if event.kind in REPORTER_EVENTS and event.is_public and address:
        return [address]
    return []


def _to_reporter(event: TicketEvent, context: dict) -> None:
    ticket = event.ticket
    (address,) = reporter_recipients(event)
    if ticket.notify_by == ticket.NotifyBy.SMS:
        # Brand-name SMS is sent without diacritics (one plain-text part
        # holds 160 characters, a Unicode one only 70).
        text = render_to_string("emails/reporter_update_sms.txt", context)
        body = " ".join(unidecode(text).split())
        outbound.send(ticket.notify_by, to=address, subject="", body=body)
    else:
        subject, body = _render("emails/reporter_update", context)
        outbound.send(ticket.notify_by, to=address, subject=subject, body=body)


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


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return subject, render_to_string(f"{template}.txt", context)


def _mail(template: str, context: dict, to: list[str]) -> None:
    subject, body = _render(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
