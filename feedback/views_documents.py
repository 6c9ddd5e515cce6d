"""Case documents: the office issues one and downloads its PDF from the
staff ticket page; the reporter downloads the documents of their case from
their private page (the private link's secret is their right to it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from feedback import documents, permissions, selectors, workflow
from feedback.errors import DomainError, Forbidden, NotFound
from feedback.models import CaseDocument
from feedback.reporter_link import check_secret
from feedback.web import staff_required


@require_POST
@staff_required
def issue(request, code: str):
    try:
        ticket = selectors.ticket_for_staff(request.user, code)
    except NotFound:
        raise Http404 from None
    try:
        document = workflow.document_issue(
            ticket, kind=request.POST.get("kind", ""), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã ban hành %(document)s số %(reference)s.")
            % {"document": document.get_kind_display(), "reference": document.reference},
        )
    return redirect("staff:ticket", ticket.code)


@require_GET
@staff_required
def pdf(request, code: str, document_id: int):
    try:
        ticket = selectors.ticket_for_staff(request.user, code)
    except NotFound:
        raise Http404 from None  # another office's document is as unknown as its ticket
    document = CaseDocument.objects.filter(pk=document_id, ticket=ticket).first()
    if document is None or not permissions.can_download_document(request.user, document):
        raise Http404
    document.ticket = ticket
    return _pdf(
        document,
        show_identity=ticket.kind != "denunciation"
        or permissions.can_see_contact(request.user, ticket),
    )


@require_GET
def for_reporter(request, code: str, secret: str, document_id: int):
    document = (
        CaseDocument.objects.select_related("ticket")
        .filter(pk=document_id, ticket__code=code)
        .first()
    )
    if document is None:
        raise Http404
    try:
        check_secret(document.ticket, secret)
    except Forbidden:
        raise Http404 from None
    # The reporter's own identity is theirs to read.
    return _pdf(document, show_identity=True)


def _pdf(document: CaseDocument, *, show_identity: bool) -> HttpResponse:
    body = documents.render_pdf(document, show_identity=show_identity)
    response = HttpResponse(body, content_type="application/pdf")
    name = f"{document.kind}-{document.year}-{document.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
