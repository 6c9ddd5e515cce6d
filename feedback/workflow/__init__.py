"""The one place where tickets change.

Every action: locks the row, returns quietly if the change is already done
(where that makes sense), checks the actor's right to act, writes the ticket
and its TicketEvent in one transaction, recomputes due dates, and on commit
publishes a live update and queues delivery of notifications. Views, the
API, Celery tasks and management commands call these functions and nothing
else to change a ticket.

All actions take the ticket (or its id) first and keyword-only arguments
after it. `at` backdates an action; only trusted code (imports, demo data,
tests) passes it.

The package follows a ticket's life, one module a stage:

- core: the lock, the event record, after-commit effects, due dates;
- transitions: what may happen next (STAFF_ACTION_FROM, allowed_actions,
  citizen_actions) and the preconditions the actions share;
- intake: ticket_submit, from every door;
- acceptance: a complaint's or a denunciation's acceptance (thụ lý) or
  refusal on the law's grounds, and a denunciation's longer screening;
- handover: routing, transfer, "not ours";
- office: what the handling office does;
- citizen: what the reporter (and any citizen) does;
- decisions: a case's complexity, suspension and resumption;
- clocks: warnings, breaches, escalation, closing, the forwarding deadline;
- calendar: due dates counted again when the official calendar changes;
- documents: case documents issued, numbered and put on the timeline;
- dispatch: perform(action, ...), one table from a staff action's name and
  the values a page or the API received to the function above.
"""

from feedback.workflow.acceptance import (
    REFUSAL_GROUNDS,
    refusal_grounds,
    ticket_extend_screening,
    ticket_refuse,
)
from feedback.workflow.calendar import tickets_follow_calendar
from feedback.workflow.citizen import (
    support_fingerprint,
    ticket_appeal,
    ticket_citizen_reply,
    ticket_rate,
    ticket_reopen,
    ticket_support,
    ticket_survey,
)
from feedback.workflow.clocks import (
    escalation_due,
    forward_overdue,
    ticket_ack_warn,
    ticket_close,
    ticket_escalate,
    ticket_mark_ack_breached,
    ticket_mark_breached,
    ticket_mark_forward_breached,
    ticket_warn,
)
from feedback.workflow.core import (
    MAX_REFUSALS,
    SELF_SERVICE_CHANNELS,
    may_be_public,
    replaying_history,
    via_client,
)
from feedback.workflow.decisions import (
    COMPLEXITY_LEVELS,
    SUSPENSION_GROUNDS,
    ticket_declare_complex,
    ticket_resume,
    ticket_suspend,
)
from feedback.workflow.dispatch import STAFF_ACTIONS, perform
from feedback.workflow.documents import document_issue, issuable_documents
from feedback.workflow.handover import ticket_not_ours, ticket_route, ticket_transfer
from feedback.workflow.intake import Submission, scoped_key, ticket_attach, ticket_submit
from feedback.workflow.office import (
    BULK_ACTIONS,
    CORRECTABLE_FIELDS,
    ticket_acknowledge,
    ticket_answer,
    ticket_assign,
    ticket_correct,
    ticket_extend,
    ticket_merge,
    ticket_note,
    ticket_reject,
    ticket_request_info,
    ticket_resolve,
    tickets_bulk,
)
from feedback.workflow.transitions import (
    PRIMARY_ACTION,
    RISKY_ACTIONS,
    STAFF_ACTION_FROM,
    actions_in_order,
    allowed_actions,
    citizen_actions,
    reporter_window_ends,
    reporter_window_open,
)

__all__ = [
    "BULK_ACTIONS",
    "COMPLEXITY_LEVELS",
    "CORRECTABLE_FIELDS",
    "SUSPENSION_GROUNDS",
    "ticket_declare_complex",
    "ticket_resume",
    "ticket_suspend",
    "REFUSAL_GROUNDS",
    "refusal_grounds",
    "ticket_extend_screening",
    "ticket_refuse",
    "MAX_REFUSALS",
    "PRIMARY_ACTION",
    "RISKY_ACTIONS",
    "SELF_SERVICE_CHANNELS",
    "STAFF_ACTIONS",
    "STAFF_ACTION_FROM",
    "Submission",
    "scoped_key",
    "actions_in_order",
    "allowed_actions",
    "citizen_actions",
    "document_issue",
    "escalation_due",
    "forward_overdue",
    "may_be_public",
    "issuable_documents",
    "ticket_ack_warn",
    "ticket_mark_ack_breached",
    "perform",
    "replaying_history",
    "reporter_window_ends",
    "reporter_window_open",
    "support_fingerprint",
    "ticket_acknowledge",
    "ticket_answer",
    "ticket_appeal",
    "ticket_assign",
    "ticket_attach",
    "ticket_citizen_reply",
    "ticket_close",
    "ticket_correct",
    "ticket_escalate",
    "ticket_extend",
    "ticket_mark_breached",
    "ticket_mark_forward_breached",
    "ticket_merge",
    "ticket_not_ours",
    "ticket_note",
    "ticket_rate",
    "ticket_reject",
    "ticket_reopen",
    "ticket_request_info",
    "ticket_resolve",
    "ticket_route",
    "ticket_submit",
    "ticket_support",
    "ticket_survey",
    "ticket_transfer",
    "ticket_warn",
    "tickets_bulk",
    "tickets_follow_calendar",
    "via_client",
]
