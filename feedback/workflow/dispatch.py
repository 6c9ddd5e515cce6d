"""From an action's name and the values a caller received (a page's form, an
API body: strings and ids) to the workflow function: one table, so the staff
pages and the API cannot differ in what an action takes or how it reads it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from feedback import selectors
from feedback.errors import NotFound, ValidationFailed
from feedback.models import Office, Ticket
from feedback.workflow.acceptance import ticket_extend_screening, ticket_refuse
from feedback.workflow.decisions import ticket_declare_complex, ticket_resume, ticket_suspend
from feedback.workflow.handover import ticket_not_ours, ticket_transfer
from feedback.workflow.office import (
    ticket_acknowledge,
    ticket_answer,
    ticket_assign,
    ticket_extend,
    ticket_merge,
    ticket_note,
    ticket_reject,
    ticket_request_info,
    ticket_resolve,
)
from feedback.workflow.transitions import STAFF_ACTION_FROM

Params = Mapping[str, Any]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(params: Params, name: str) -> str:
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def _list(params: Params, name: str) -> list[str]:
    """Several values of one field: a form's repeated inputs or a JSON list."""
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name)
    if isinstance(values, str):
        values = [values]
    return [v for v in values or () if isinstance(v, str)]


def _assignee(params: Params):
    user = get_user_model().objects.filter(pk=_int(params.get("assignee")), is_active=True).first()
    if user is None:
        raise ValidationFailed(_("Vui lòng chọn cán bộ."), field="assignee")
    return user


def _office(params: Params) -> Office | None:
    return Office.objects.filter(pk=_int(params.get("to_office"))).first()


def _into(actor, params: Params) -> Ticket:
    code = _text(params, "into").strip()
    if not code:
        raise ValidationFailed(_("Vui lòng nhập mã phản ánh gốc."), field="into")
    try:
        return selectors.ticket_for_staff(actor, code)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field="into") from None


STAFF_ACTIONS: dict[str, Callable[[Ticket, Any, Params], Ticket]] = {
    "acknowledge": lambda t, u, p: ticket_acknowledge(t, actor=u),
    "assign": lambda t, u, p: ticket_assign(t, actor=u, assignee=_assignee(p)),
    "request_info": lambda t, u, p: ticket_request_info(t, actor=u, message=_text(p, "message")),
    "note": lambda t, u, p: ticket_note(t, actor=u, message=_text(p, "message")),
    "answer": lambda t, u, p: ticket_answer(t, actor=u, message=_text(p, "message")),
    "resolve": lambda t, u, p: ticket_resolve(t, actor=u, message=_text(p, "message")),
    "transfer": lambda t, u, p: ticket_transfer(
        t, actor=u, to_office=_office(p), reason=_text(p, "reason")
    ),
    "not_ours": lambda t, u, p: ticket_not_ours(t, actor=u, reason=_text(p, "reason")),
    "merge": lambda t, u, p: ticket_merge(t, actor=u, into=_into(u, p)),
    "reject": lambda t, u, p: ticket_reject(t, actor=u, reason=_text(p, "reason")),
    "extend": lambda t, u, p: ticket_extend(t, actor=u, reason=_text(p, "reason")),
    "refuse": lambda t, u, p: ticket_refuse(
        t, actor=u, grounds=_list(p, "grounds"), reason=_text(p, "reason")
    ),
    "extend_screening": lambda t, u, p: ticket_extend_screening(
        t, actor=u, reason=_text(p, "reason")
    ),
    "declare_complex": lambda t, u, p: ticket_declare_complex(
        t, actor=u, level=_text(p, "level") or "complex", reason=_text(p, "reason")
    ),
    "suspend": lambda t, u, p: ticket_suspend(
        t, actor=u, ground=_text(p, "ground"), reason=_text(p, "reason")
    ),
    "resume": lambda t, u, p: ticket_resume(t, actor=u, reason=_text(p, "reason")),
}
# Every action a status table allows has a way in, and nothing else does.
if set(STAFF_ACTIONS) != set(STAFF_ACTION_FROM):  # pragma: no cover - a programming error
    raise ImportError("workflow.dispatch.STAFF_ACTIONS must match STAFF_ACTION_FROM")


def perform(action: str, ticket: Ticket | int, *, actor, params: Params) -> Ticket:
    """Run the staff action `action` on `ticket` with the values `params`
    (a QueryDict or a parsed JSON body). Unknown actions are NotFound."""
    call = STAFF_ACTIONS.get(action)
    if call is None:
        raise NotFound(_("Không có thao tác này."))
    return call(ticket, actor, params)
