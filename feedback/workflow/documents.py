"""Issuing a case document: the next number in the office's register for
the year, the content frozen from the case and the act it records, and a
public timeline entry. What each kind says and the PDF are in
feedback/documents.py."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import documents
from feedback.errors import InvalidTransition, ValidationFailed
from feedback.models import CaseDocument, Office, Ticket, TicketEvent
from feedback.workflow.core import lock, now_or, record, record_language, require_actor

E = TicketEvent.Kind


def issuable_documents(ticket: Ticket, events: list[TicketEvent] | None = None) -> list[str]:
    """The kinds of document this ticket's acts allow that are not issued
    yet for the newest such act (what the staff page offers)."""
    if ticket.office_id is None:
        return []
    events = list(ticket.events.all()) if events is None else events
    issued = set(ticket.documents.values_list("kind", "source_event_id"))
    out = []
    for kind in documents.SPECS:
        act = documents.act_for(kind, ticket, events)
        if act is not None and (kind, act.pk) not in issued:
            out.append(kind)
    return out


def document_message(data: dict, at: datetime) -> str:
    """The timeline text of a DOCUMENT event, from its data, in the active
    language (stored in the site's; re-said for each reader)."""
    return _("Ban hành %(document)s số %(reference)s ngày %(date)s.") % {
        "document": CaseDocument.Kind(data["kind"]).label,
        "reference": data["reference"],
        "date": f"{timezone.localtime(at):%d/%m/%Y}",
    }


@transaction.atomic
def document_issue(
    ticket: Ticket | int, *, kind: str, actor, at: datetime | None = None
) -> CaseDocument:
    """Issue a document of `kind` on the ticket, recording its newest act
    (the receipt, the acceptance, the extension, the decision). Issuing the
    same kind for the same act again returns the document already issued.
    Only the handling office's staff issue; the number is the next in that
    office's register for the year of issue."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    if kind not in documents.SPECS:
        raise ValidationFailed(_("Loại văn bản không hợp lệ."), field="kind")
    if ticket.office_id is None:
        raise InvalidTransition(_("Phản ánh chưa được chuyển đến cơ quan xử lý."))
    act = documents.act_for(kind, ticket, list(ticket.events.all()))
    if act is None:
        raise InvalidTransition(
            _("Chưa thể ban hành “%(kind)s” cho phản ánh này.")
            % {"kind": CaseDocument.Kind(kind).label}
        )
    existing = CaseDocument.objects.filter(source_event=act, kind=kind).first()
    if existing is not None:
        return existing
    # The office's row is the register's lock: two documents issued at
    # once get consecutive numbers, never the same one.
    office = Office.objects.select_for_update().get(pk=ticket.office_id)
    year = timezone.localtime(now).year
    last = CaseDocument.objects.filter(office=office, year=year).aggregate(n=Max("number"))["n"]
    spec = documents.SPECS[kind]
    ticket.office = office
    document = CaseDocument.objects.create(
        ticket=ticket,
        kind=kind,
        office=office,
        year=year,
        number=(last or 0) + 1,
        symbol=f"{spec.symbol}-{documents.office_symbol(office)}",
        issued_at=now,
        issued_by=actor,
        source_event=act,
        content=documents.build_content(kind, ticket, act, issued_at=now, signer=actor),
    )
    data = {"document": document.pk, "kind": kind, "reference": document.reference}
    with record_language():
        message = document_message(data, now)
    record(
        ticket,
        E.DOCUMENT,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
        data=data,
    )
    return document
