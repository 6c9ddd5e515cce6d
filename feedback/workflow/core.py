"""What every workflow action shares: the row lock, the event record, the
after-commit effects (live update, notification delivery), due dates and
the checks of who acts. Only modules of this package import it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from api import webhooks
from feedback import deadlines, live, notifications, permissions
from feedback.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from feedback.models import Office, Ticket, TicketEvent
from feedback.text import fold
from workers.queue import queue_task

log = logging.getLogger(__name__)

S = Ticket.Status
E = TicketEvent.Kind

# Channels where the citizen fills the form in themselves; anywhere else an
# officer records the report in the course of a public duty.
SELF_SERVICE_CHANNELS = {Ticket.Channel.WEB, Ticket.Channel.API, Ticket.Channel.OPEN311}


def may_be_public(kind: str) -> bool:
    """A complaint concerns the complainant's own case and a denunciation is
    secret by law (Luật Tố cáo 2018 art. 9): only plain feedback is ever
    shown publicly."""
    return kind == Ticket.Kind.FEEDBACK


# How far into the future a clock may be ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# After this many offices say "not ours", a person triages the ticket.
MAX_REFUSALS = 2
MAX_TEXT = 10_000

# Set while history is replayed (demo data, imports of closed cases): the
# events are written as already delivered and nothing is published or queued.
_replaying: ContextVar[bool] = ContextVar("feedback_replaying_history", default=False)


@contextmanager
def replaying_history() -> Iterator[None]:
    """Write past events without their side effects: nobody is emailed
    about a ticket closed last spring, and routing is done by the caller."""
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


# Set while a partner system's call runs (API key, Open311): every event
# recorded then names the client, so the timeline says which machine did it.
_via: ContextVar[dict[str, Any] | None] = ContextVar("feedback_via_client", default=None)


@contextmanager
def via_client(client) -> Iterator[None]:
    """Run workflow calls on behalf of an API client (None: nobody). Each
    call keeps its own transaction (no savepoint around it); work queued on
    commit is not attributed to the client, because a task runs in a context
    of its own (workers.queue)."""
    token = _via.set({"client": client.pk, "name": client.name} if client else None)
    try:
        yield
    finally:
        _via.reset(token)


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


_REFERENCES = ("category", "unit", "office")


def lock(ticket: Ticket | int) -> Ticket:
    """The ticket's row, locked for this transaction and read fresh. The
    category, unit and office rows are not locked: they are reference data,
    and an instance the caller already holds lends its loaded ones."""
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    # Given only an id (a task, a sweep), read the references in the same
    # statement: every action reads the unit and category (routing, due
    # dates), and each was a query of its own. FOR UPDATE OF the ticket's
    # row only, so reference rows are never locked.
    query = Ticket.objects.select_for_update(of=("self",))
    if not isinstance(ticket, Ticket):
        query = query.select_related(*_REFERENCES)
    try:
        locked = query.get(pk=pk)
    except Ticket.DoesNotExist:
        raise NotFound(_("Không tìm thấy phản ánh.")) from None
    if isinstance(ticket, Ticket):
        for name in _REFERENCES:
            field = Ticket._meta.get_field(name)
            if field.is_cached(ticket) and getattr(ticket, field.attname) == getattr(
                locked, field.attname
            ):
                field.set_cached_value(locked, field.get_cached_value(ticket))
    return locked


def require_status(ticket: Ticket, allowed: Iterable[str], action: str) -> None:
    if ticket.status not in allowed:
        raise InvalidTransition(
            _("Không thể %(action)s khi phản ánh đang ở trạng thái “%(status)s”.")
            % {"action": action, "status": ticket.get_status_display()}
        )


def require_actor(user, ticket: Ticket) -> None:
    if not permissions.can_act(user, ticket):
        raise Forbidden(_("Bạn không có quyền xử lý phản ánh này."))


def require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("Vui lòng nhập %(label)s.") % {"label": label}, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(
            _("%(label)s quá dài (tối đa %(n)d ký tự).") % {"label": label, "n": MAX_TEXT},
            field=field,
        )
    return value


def actor_label(user) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def record_language():
    """Text kept on the ticket (timeline messages, routing reasons) is a
    shared record that citizens and every office read, so it is written in
    the site's language (settings.LANGUAGE_CODE) whatever language the
    acting person's pages are in. Error messages stay in the reader's
    language."""
    return translation.override(settings.LANGUAGE_CODE)


def record(
    ticket: Ticket,
    kind: str,
    *,
    at: datetime,
    actor=None,
    actor_name: str | None = None,
    from_status: str = "",
    message: str = "",
    public: bool = False,
    office: Office | None = None,
    data: dict[str, Any] | None = None,
    deliver: Iterable[int] | None = (),
) -> TicketEvent:
    """Append the ticket's event for this change, and publish it after commit.

    Its notifications are queued after commit in one deliver_event task,
    after those of the earlier events in `deliver` (ids carried by the task
    that made this change: intake's receipt rides with routing). With
    `deliver=None` they are not queued here: the caller hands the event's id
    to the next task, and the outbox sweep (feedback.sweeps) sends it if
    that task never runs."""
    via = _via.get()
    if via is not None:
        data = {**(data or {}), "via": via}
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        at=at,
        actor=actor,
        actor_label=actor_name if actor_name is not None else actor_label(actor),
        office=office if office is not None else ticket.office,
        from_status=from_status,
        to_status=ticket.status,
        is_public=public,
        message=message,
        data=data or {},
        notified_at=at if _replaying.get() or not notifications.owes_delivery(kind) else None,
    )
    if not _replaying.get():
        # Partners' deliveries are written with the event: none is lost.
        webhooks.enqueue(event)
    _after_commit(ticket, event, deliver)
    return event


def _after_commit(ticket: Ticket, event: TicketEvent, deliver: Iterable[int] | None) -> None:
    if _replaying.get():
        return
    # A transfer also tells the office the ticket left, so its open inboxes
    # drop the row without a reload.
    from_office = (event.data or {}).get("from_office") if event.kind == E.TRANSFERRED else None
    office_ids = [ticket.office_id or 0, event.office_id or 0, from_office or 0]
    snapshot = {
        "ticket_id": ticket.pk,
        "code": ticket.code,
        "status": ticket.status,
        "office_ids": office_ids,
        "event_kind": event.kind,
        "public": event.is_public,
    }
    owed = [] if deliver is None else [*deliver]
    if deliver is not None and event.notified_at is None:
        owed.append(event.pk)

    def publish() -> None:
        live.publish_ticket_change(**snapshot)
        if owed:
            queue_task("workers.tasks.deliver_event", *owed)

    transaction.on_commit(publish)


def queue_on_commit(name: str, *args: Any) -> None:
    """Queue a task once this transaction commits (never while replaying)."""
    if not _replaying.get():
        transaction.on_commit(lambda: queue_task(name, *args))


def search_text(ticket: Ticket) -> str:
    """What the staff search reads (Ticket.search_text): the code, title,
    description and address, folded (diacritics and case ignored)."""
    return fold(" ".join([ticket.code, ticket.title, ticket.description, ticket.address]))


def save(ticket: Ticket, fields: Iterable[str]) -> None:
    fields = [*fields]
    # Whoever sets a first acknowledgement or response, the working time it
    # took is written with it (the figures' medians read these columns).
    for stamp, minutes in (
        ("acknowledged_at", "ack_minutes"),
        ("first_response_at", "answer_minutes"),
    ):
        if stamp in fields and getattr(ticket, minutes) is None and getattr(ticket, stamp):
            took = deadlines.working_minutes(ticket.received_at, getattr(ticket, stamp))
            setattr(ticket, minutes, took)
            fields.append(minutes)
    ticket.save(update_fields=[*fields, "updated_at"])


def set_due(ticket: Ticket, *, start: datetime | None = None, ack: bool = True) -> list[str]:
    """Start the ticket's clocks from `start` (default: its receipt) and
    return the fields to save. A new period clears the warning, breach and
    escalation of the last one, so a new breach is reported again.
    `ack=False` (a reopening) leaves the receipt/acceptance clock alone: it
    was settled when the office first acknowledged the ticket."""
    due = deadlines.compute_due(ticket, start=start)
    ticket.due_at = due.due_at
    ticket.clock_started_at = due.clock_started_at
    if ticket.forward_due_at is None:
        ticket.forward_due_at = due.forward_due_at
    fields = ["due_at", "clock_started_at", "forward_due_at", *restart_flags(ticket)]
    if ack:
        ticket.ack_due_at = due.ack_due_at
        ticket.ack_started_at = start or ticket.received_at
        ticket.ack_warned_at = None
        ticket.ack_breached_at = None
        fields += ["ack_due_at", "ack_started_at", "ack_warned_at", "ack_breached_at"]
    return fields


def restart_at_new_body(ticket: Ticket, *, start: datetime) -> list[str]:
    """A denunciation handed to another body (a transfer, or "not ours" and
    routed again) starts that body's own periods from `start`: screening and
    acceptance within 7 working days (Luật Tố cáo 2018 art. 24(1)), then
    30 days from its own acceptance (art. 30(1)). The last body's
    acceptance, extensions and suspension do not carry over; its record
    stays on the timeline. Other kinds keep their deadlines. Returns the
    fields to save."""
    if ticket.kind != Ticket.Kind.DENUNCIATION:
        return []
    ticket.accepted_at = None
    ticket.acknowledged_at = None
    ticket.screening_extended = False
    ticket.extensions = 0
    ticket.paused_since = None
    fields = [
        "accepted_at",
        "acknowledged_at",
        "screening_extended",
        "extensions",
        "paused_since",
    ]
    return fields + set_due(ticket, start=start)


def restart_flags(ticket: Ticket) -> list[str]:
    """A resolution period starts again (a new period, an extension, a
    resumption, an acceptance): forget the last one's warning, breach and
    escalation, so that the new one is warned, breached and escalated in
    its turn. Returns the fields to save."""
    ticket.warned_at = None
    ticket.breached_at = None
    ticket.escalated_at = None
    return ["warned_at", "breached_at", "escalated_at"]
