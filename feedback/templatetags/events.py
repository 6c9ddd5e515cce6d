"""Timeline messages in the reader's language.

Messages the system writes on a ticket are stored in the site's language
(see feedback.workflow.core.record_language). Where such a message can be rebuilt from
the event's own facts, it is shown again in the reader's language; any
other message (what an officer or citizen wrote, or a system message
recorded differently) is shown exactly as stored."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext

from feedback.models import Office, TicketEvent, display_code

register = template.Library()
E = TicketEvent.Kind


def _facts(event: TicketEvent) -> tuple[str, dict] | None:
    """The msgid the workflow used for this event and its parameters."""
    data = event.data or {}
    if event.kind == E.ROUTED and event.office_id:
        return "Chuyển đến %(office)s", {"office": event.office.name}
    if event.kind == E.ACKNOWLEDGED and event.office_id:
        return "%(office)s đã tiếp nhận, đang xử lý", {"office": event.office.name}
    if event.kind == E.NOT_OURS and event.office_id and "reason" in data:
        return "%(office)s: không thuộc thẩm quyền — %(reason)s", {
            "office": event.office.name,
            "reason": data["reason"],
        }
    if event.kind == E.TRANSFERRED and event.office_id and "reason" in data:
        source = Office.objects.filter(pk=data.get("from_office")).only("name").first()
        if source is not None:
            return "Chuyển từ %(a)s đến %(b)s: %(reason)s", {
                "a": source.name,
                "b": event.office.name,
                "reason": data["reason"],
            }
    if event.kind == E.MERGED and data.get("into_code"):
        code = data["into_code"]
        return "Trùng với phản ánh %(code)s", {"code": display_code(code)}
    if event.kind == E.RECALCULATED and data.get("changes"):
        from feedback.workflow.calendar import recalculated_message

        return "%(text)s", {"text": lazy(recalculated_message, str)(data)}
    if event.kind == E.DOCUMENT and data.get("reference"):
        from feedback.workflow.documents import document_message

        return "%(text)s", {"text": lazy(document_message, str)(data, event.at)}
    if event.kind == E.BREACHED and data.get("deadline") == "forward":
        return "Quá hạn chuyển đơn tố cáo không thuộc thẩm quyền (5 ngày làm việc).", {}
    return None


def _say(msgid: str, params: dict) -> str:
    text = gettext(msgid)
    return text % params if params else text


@register.filter
def event_text(event: TicketEvent) -> str:
    fields = (event.data or {}).get("fields")
    if event.kind == E.EDITED and fields:
        from feedback.workflow.office import edited_message

        with translation.override(settings.LANGUAGE_CODE):
            recorded = edited_message(fields)
        return edited_message(fields) if event.message == recorded else event.message
    facts = _facts(event)
    if facts is None:
        return event.message
    msgid, params = facts
    with translation.override(settings.LANGUAGE_CODE):
        recorded = _say(msgid, params)
    if event.message != recorded:
        return event.message
    return _say(msgid, params)
