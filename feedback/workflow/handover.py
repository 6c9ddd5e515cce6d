"""Hand-over: which office holds a ticket. Routing by the rules (a system
action, queued at intake), a transfer to another office, and "not ours",
which sends the ticket back to routing without the office that said it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from feedback import routing
from feedback.errors import ValidationFailed
from feedback.models import Office, Ticket
from feedback.workflow.core import (
    MAX_REFUSALS,
    E,
    S,
    lock,
    now_or,
    queue_on_commit,
    record,
    record_language,
    require_actor,
    require_status,
    require_text,
    restart_at_new_body,
    save,
    set_due,
)
from feedback.workflow.transitions import STAFF_ACTION_FROM, require_not_dispatch


@transaction.atomic
def ticket_route(
    ticket: Ticket | int, *, at: datetime | None = None, deliver: Sequence[int] = ()
) -> Ticket:
    """System action: received -> routed. Idempotent: a second run (a task
    delivered twice, a sweep racing a worker) finds the ticket routed and
    does nothing. `deliver`: events still owing notifications (intake's
    receipt), sent in the same delivery task as the routing's, before it."""
    now = now_or(at)
    ticket = lock(ticket)
    if ticket.status != S.RECEIVED:
        if deliver:
            queue_on_commit("workers.tasks.deliver_event", *deliver)
        return ticket
    # ticket_not_ours writes each NOT_OURS event and counts it in `refusals`
    # in one transaction: with no refusal there is nothing to look up.
    refused = (
        set(ticket.events.filter(kind=E.NOT_OURS).values_list("office_id", flat=True)) - {None}
        if ticket.refusals
        else set()
    )
    with record_language():
        if ticket.refusals >= MAX_REFUSALS:
            choice = routing.RouteChoice(
                routing.dispatch_office(ticket),
                None,
                _("%(n)d cơ quan đã trả lại (không thuộc thẩm quyền): chuyển bộ phận điều phối")
                % {"n": ticket.refusals},
            )
        else:
            choice = routing.pick_office(ticket, exclude=refused)
        message = _("Chuyển đến %(office)s") % {"office": choice.office.name}
    first_time = ticket.routed_at is None
    ticket.office = choice.office
    ticket.routing_rule = choice.rule
    ticket.routing_reason = choice.reason[:255]
    ticket.status = S.ROUTED
    ticket.routed_at = now
    ticket.assignee = None
    fields = ["office", "routing_rule", "routing_reason", "status", "routed_at", "assignee"]
    if first_time:
        fields += set_due(ticket)
    else:
        fields += restart_at_new_body(ticket, start=now)
    save(ticket, fields)
    record(
        ticket,
        E.ROUTED,
        at=now,
        from_status=S.RECEIVED,
        public=True,
        message=message,
        data={"rule": choice.rule.pk if choice.rule else None, "reason": choice.reason},
        deliver=deliver,
    )
    return ticket


@transaction.atomic
def ticket_transfer(
    ticket: Ticket | int, *, actor, to_office: Office, reason: str, at: datetime | None = None
) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    reason = require_text(reason, "reason", _("lý do chuyển"))
    require_status(ticket, STAFF_ACTION_FROM["transfer"], _("chuyển cơ quan khác"))
    if to_office is None or not to_office.is_active:
        raise ValidationFailed(_("Cơ quan nhận không hợp lệ."), field="to_office")
    if to_office.pk == ticket.office_id:
        raise ValidationFailed(_("Phản ánh đang ở chính cơ quan này."), field="to_office")
    before, from_office = ticket.status, ticket.office
    ticket.office = to_office
    ticket.status = S.ROUTED
    ticket.assignee = None
    ticket.routing_rule = None
    with record_language():
        ticket.routing_reason = (
            _("Chuyển từ %(office)s: %(reason)s") % {"office": from_office.name, "reason": reason}
        )[:255]
        message = _("Chuyển từ %(a)s đến %(b)s: %(reason)s") % {
            "a": from_office.name,
            "b": to_office.name,
            "reason": reason,
        }
    fields = ["office", "status", "assignee", "routing_rule", "routing_reason"]
    save(ticket, [*fields, *restart_at_new_body(ticket, start=now)])
    record(
        ticket,
        E.TRANSFERRED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={"from_office": from_office.pk, "to_office": to_office.pk, "reason": reason},
    )
    return ticket


@transaction.atomic
def ticket_not_ours(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    """The office says the ticket is not within its competence. The ticket
    goes back to routing without that office; after MAX_REFUSALS refusals a
    dispatcher triages it. For a denunciation this is the forwarding that
    the law wants within 5 working days: whether it was in time is kept."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    reason = require_text(reason, "reason", _("lý do không thuộc thẩm quyền"))
    require_status(ticket, STAFF_ACTION_FROM["not_ours"], _("trả lại (không thuộc thẩm quyền)"))
    require_not_dispatch(ticket)
    before, office = ticket.status, ticket.office
    ticket.status = S.RECEIVED
    ticket.office = None
    ticket.assignee = None
    ticket.refusals += 1
    save(ticket, ["status", "office", "assignee", "refusals"])
    data: dict[str, Any] = {"reason": reason, "refusals": ticket.refusals}
    if ticket.forward_due_at is not None:
        data["forward_on_time"] = now <= ticket.forward_due_at
    with record_language():
        message = _("%(office)s: không thuộc thẩm quyền — %(reason)s") % {
            "office": office.name,
            "reason": reason,
        }
    record(
        ticket,
        E.NOT_OURS,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        office=office,
        message=message,
        data=data,
    )
    queue_on_commit("workers.tasks.route_ticket", ticket.pk)
    return ticket
