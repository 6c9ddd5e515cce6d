"""Periodic sweeps: the work nobody asks for by a request.

Each sweep selects candidate ids with one query over indexed columns, takes
at most `batch` of them (the next run takes the rest), and calls the
workflow for each. The workflow locks the row and does nothing when the
change is already made, so two sweeps at once (two beat instances started
by mistake, beat and the embedded thread, a slow run overlapping the next)
do no harm; the locks in workers/tasks.py only save the wasted work.

Every sweep takes `now` (default: the clock), so a test or an operator can
ask "what would have happened at this instant", and returns a count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from feedback import captcha, deadlines, snapshots, workflow
from feedback.models import Ticket, TicketEvent, ack_clock_running_q
from workers.queue import queue_task

log = logging.getLogger(__name__)

S = Ticket.Status
E = TicketEvent.Kind

WARN_CURSOR_KEY = "feedback:sweep:warn-cursor"


def _batch(batch: int | None) -> int:
    return batch if batch is not None else settings.FEEDBACK_SWEEP_BATCH


def _each(ids: Iterable[int], action: Callable[[int], bool], sweep: str) -> int:
    """Run `action` for each id; one bad ticket is logged and skipped, it
    does not stop the sweep. Returns how many actions changed something."""
    done = 0
    for pk in ids:
        try:
            done += bool(action(pk))
        except Exception:
            log.exception("sweep %s: ticket %s failed; the next run tries again", sweep, pk)
    return done


# --- (a) work the broker lost -------------------------------------------------


def requeue_unrouted(
    *, now: datetime | None = None, older_than: int | None = None, batch: int | None = None
) -> int:
    """Queue route_ticket again for tickets still "received" a while after
    they were stored or last handed back: the publish at intake failed
    (broker down) or the task was lost. Routing is idempotent, so a ticket
    that a worker is routing right now is harmless here."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=_age(older_than))
    ids = list(
        Ticket.objects.filter(status=S.RECEIVED, created_at__lt=cutoff, updated_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[: _batch(batch)]
    )
    return _each(ids, lambda pk: queue_task("workers.tasks.route_ticket", pk), "unrouted")


def requeue_undelivered(
    *, now: datetime | None = None, older_than: int | None = None, batch: int | None = None
) -> int:
    """Queue deliver_event again for events whose notifications were not
    all sent (notified_at is null: the outbox) and that no worker is
    sending now: never claimed, or the claim ran out because its worker
    died. The claim in notifications.deliver_event makes a duplicate send
    nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=_age(older_than))
    ids = list(
        TicketEvent.objects.filter(notified_at__isnull=True, at__lt=cutoff)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)[: _batch(batch)]
    )
    return _each(ids, lambda pk: queue_task("workers.tasks.deliver_event", pk), "outbox")


def _age(older_than: int | None) -> int:
    return older_than if older_than is not None else settings.FEEDBACK_REQUEUE_AFTER_SECONDS


# --- (b) warnings before a deadline --------------------------------------------


def warn_due_soon(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Warn the office of open tickets that have used `warn_fraction` (75%)
    of their time. The warning instant depends on the ticket's policy and
    the working calendar, which SQL cannot evaluate, so the sweep reads
    candidates (open, running, not yet warned or late) in due order and
    checks each in Python: the soonest-due head of the list every run,
    plus a chunk further on from a cursor that walks the rest and wraps, so
    a long backlog cannot hide a ticket for ever. The cursor lives in the
    cache; losing it only restarts the walk."""
    now = now or timezone.now()
    size = _batch(batch)
    base = (
        Ticket.objects.clock_running()
        .filter(warned_at__isnull=True, breached_at__isnull=True, due_at__gt=now)
        .order_by("due_at", "pk")
    )
    fields = ("id", "kind", "priority", "category_id", "unit_id", "received_at", "due_at")
    head = list(base.only(*fields)[:size])
    rest: list[Ticket] = []
    if len(head) == size and size:
        # Walk on from the cursor, or from the end of the head.
        due, pk = cache.get(WARN_CURSOR_KEY) or (head[-1].due_at, head[-1].pk)
        after = base.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk))
        rest = list(after.only(*fields)[:size])
        if len(rest) == size:
            cache.set(WARN_CURSOR_KEY, (rest[-1].due_at, rest[-1].pk), None)
        else:
            cache.delete(WARN_CURSOR_KEY)

    policies: dict[tuple, object] = {}
    due_ids = []
    for ticket in {t.pk: t for t in head + rest}.values():
        key = (ticket.category_id, ticket.kind, ticket.priority)
        if key not in policies:
            policies[key] = deadlines.policy_for(ticket)
        when = deadlines.warn_at(ticket, policy=policies[key])
        if when is not None and when <= now:
            due_ids.append(ticket.pk)
    count = _each(
        due_ids[:size],
        lambda pk: workflow.ticket_warn(pk, at=now).warned_at == now,
        "warn",
    )
    return count + warn_ack_due_soon(now=now, batch=size)


def warn_ack_due_soon(*, now: datetime, batch: int) -> int:
    """The same for the receipt/acceptance deadline: tickets at an office
    that nobody has acknowledged (or accepted or refused) yet. These are
    few (an office takes up its new tickets within hours or days), so the
    soonest-due `batch` of them are checked every run."""
    candidates = (
        Ticket.objects.filter(ack_clock_running_q())
        .filter(ack_warned_at__isnull=True, ack_breached_at__isnull=True, ack_due_at__gt=now)
        .order_by("ack_due_at", "pk")
        .only(
            "id",
            "kind",
            "priority",
            "category_id",
            "unit_id",
            "received_at",
            "ack_started_at",
            "ack_due_at",
        )[:batch]
    )
    policies: dict[tuple, object] = {}
    due_ids = []
    for ticket in candidates:
        key = (ticket.category_id, ticket.kind, ticket.priority)
        if key not in policies:
            policies[key] = deadlines.policy_for(ticket)
        when = deadlines.ack_warn_at(ticket, policy=policies[key])
        if when is not None and when <= now:
            due_ids.append(ticket.pk)
    return _each(
        due_ids, lambda pk: workflow.ticket_ack_warn(pk, at=now).ack_warned_at == now, "ack-warn"
    )


# --- (c) breaches ------------------------------------------------------------------


def mark_breaches(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Mark open tickets past their resolve deadline (once each), tickets
    past their receipt/acceptance deadline (once each), then denunciations
    past their forwarding deadline (workflow.forward_overdue).
    Returns how many BREACHED events were written."""
    now = now or timezone.now()
    size = _batch(batch)
    late = list(
        Ticket.objects.overdue(now)
        .filter(breached_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)[:size]
    )
    count = _each(
        late, lambda pk: workflow.ticket_mark_breached(pk, at=now).breached_at == now, "breach"
    )
    ack_late = list(
        Ticket.objects.ack_overdue(now)
        .filter(ack_breached_at__isnull=True)
        .order_by("ack_due_at")
        .values_list("pk", flat=True)[:size]
    )
    count += _each(
        ack_late,
        lambda pk: workflow.ticket_mark_ack_breached(pk, at=now).ack_breached_at == now,
        "ack-breach",
    )

    events = TicketEvent.objects.filter(ticket=OuterRef("pk"))
    forward_late = list(
        Ticket.objects.filter(
            kind=Ticket.Kind.DENUNCIATION,
            status=S.ROUTED,
            acknowledged_at__isnull=True,
            forward_due_at__lt=now,
        )
        .exclude(Exists(events.filter(kind__in=(E.NOT_OURS, E.TRANSFERRED))))
        .exclude(Exists(events.filter(kind=E.BREACHED, data__deadline="forward")))
        .order_by("forward_due_at")
        .values_list("pk", flat=True)[:size]
    )

    def forward(pk: int) -> bool:
        before = TicketEvent.objects.filter(ticket_id=pk, kind=E.BREACHED).count()
        workflow.ticket_mark_forward_breached(pk, at=now)
        return TicketEvent.objects.filter(ticket_id=pk, kind=E.BREACHED).count() > before

    return count + _each(forward_late, forward, "forward")


# --- (d) escalation ------------------------------------------------------------------


def escalate_breaches(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Report each breached open ticket to the head of the parent office,
    once per breach (notifications mail the parent's heads for ESCALATED):
    a breach of the resolve deadline, or of the receipt/acceptance deadline
    while the ticket is still not taken up (workflow.escalation_due)."""
    now = now or timezone.now()
    ids = list(
        Ticket.objects.filter(
            Q(breached_at__isnull=False)
            | (ack_clock_running_q() & Q(ack_breached_at__isnull=False)),
            status__in=Ticket.OPEN_STATUSES,
            escalated_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: _batch(batch)]
    )
    return _each(
        ids, lambda pk: workflow.ticket_escalate(pk, at=now).escalated_at == now, "escalate"
    )


# --- (e) closing quiet answers ------------------------------------------------------


def close_quiet(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Close resolved tickets the citizen neither rated satisfied nor
    reopened within FEEDBACK_CLOSE_AFTER_DAYS of the answer."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FEEDBACK_CLOSE_AFTER_DAYS)
    ids = list(
        Ticket.objects.filter(status=S.RESOLVED, resolved_at__lt=cutoff)
        .order_by("resolved_at")
        .values_list("pk", flat=True)[: _batch(batch)]
    )
    return _each(ids, lambda pk: workflow.ticket_close(pk, at=now).closed_at == now, "close")


# --- (f) history, one ticket at a time -----------------------------------------

# How long after a breach the escalation sweep reports it (it runs next).
ESCALATE_LAG = timedelta(minutes=5)


def replay(
    ticket: Ticket,
    *,
    until: datetime,
    lag: Callable[[], timedelta],
    warn: bool = True,
) -> Ticket:
    """What the sweeps above would have done to one ticket before `until`,
    each acting `lag()` after the instant its rule came due (beat runs them
    every minute or so): the warning at deadlines.warn_at, the breach after
    due_at, the escalation after the breach, the closing after the
    reporter's window. For history that is played rather than lived (demo
    data, imports of closed cases). The workflow's actions decide, as they
    do for the live sweeps; the guards here only spare a locked read when
    nothing can be due. `warn=False` plays no warnings."""
    running = ticket.clock_running and ticket.due_at is not None
    if warn and running and ticket.warned_at is None:
        when = deadlines.warn_at(ticket)
        if when is not None and (at := when + lag()) < until:
            ticket = workflow.ticket_warn(ticket, at=at)
    if running and ticket.breached_at is None and (at := ticket.due_at + lag()) < until:
        ticket = workflow.ticket_mark_breached(ticket, at=at)
    breached = ticket.breached_at is not None and ticket.is_open
    if (
        breached
        and ticket.escalated_at is None
        and (at := ticket.breached_at + ESCALATE_LAG) < until
    ):
        ticket = workflow.ticket_escalate(ticket, at=at)
    ends = workflow.reporter_window_ends(ticket)
    if ticket.status == S.RESOLVED and ends is not None and (at := ends + lag()) < until:
        ticket = workflow.ticket_close(ticket, at=at)
    return ticket


def requeue_webhooks(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Queue partners' webhook deliveries whose next attempt is due."""
    from api import webhooks

    return webhooks.requeue_due(now=now, batch=_batch(batch))


def freeze_months(*, now: datetime | None = None) -> int:
    """Freeze the ended months that have no snapshot yet
    (feedback.snapshots): last month once the 1st has come, and any month a
    stopped beat missed; then correct the frozen months that have received
    reports entered since (paper forms typed in later). Four queries when
    there is nothing to do."""
    frozen = snapshots.freeze_missing(now=now)
    return len(frozen) + len(snapshots.correct_late_entries(now=now))


def refresh_live_figures(*, now: datetime | None = None) -> int:
    """The current month's summary of the figures, recomputed for every
    office and unit (feedback.snapshots.refresh_live)."""
    return snapshots.refresh_live(now=now)


def remove_expired_captchas(*, now: datetime | None = None) -> int:
    """The public form's challenges past their expiry (feedback.captcha:
    the answer check no longer deletes them)."""
    return captcha.remove_expired(now=now)


SWEEPS: dict[str, Callable[..., int]] = {
    "unrouted": requeue_unrouted,
    "undelivered": requeue_undelivered,
    "webhooks": requeue_webhooks,
    "warnings": warn_due_soon,
    "breaches": mark_breaches,
    "escalations": escalate_breaches,
    "closures": close_quiet,
    "snapshots": freeze_months,
    "live_figures": refresh_live_figures,
    "captchas": remove_expired_captchas,
}


def run_all(*, now: datetime | None = None) -> dict[str, int]:
    """Every sweep once, in an order where one feeds the next (a breach
    marked now is escalated in the same pass)."""
    return {name: sweep(now=now) for name, sweep in SWEEPS.items()}
