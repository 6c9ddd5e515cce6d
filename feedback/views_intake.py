"""Staff intake: reports that arrive by phone, social media, in person or on
paper, recorded by an officer with the true time the city received them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from feedback import (
    attachments,
    deadlines,
    intake_csv,
    permissions,
    selectors,
    selectors_public,
    snapshots,
    workflow,
)
from feedback.errors import DomainError
from feedback.forms import CsvImportForm, StaffIntakeForm, normalize_code
from feedback.models import TicketEvent
from feedback.web import intake_required, map_settings, put_error, staff_required

CHANNEL_SLUGS = {
    "duong-day-nong": "hotline",
    "mang-xa-hoi": "social",
    "truc-tiep": "walk_in",
    "ho-so-giay": "paper",
}


@intake_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/intake/index.html", {"channels": CHANNEL_SLUGS})


@intake_required
def intake(request: HttpRequest, channel_slug: str) -> HttpResponse:
    channel = CHANNEL_SLUGS.get(channel_slug)
    if channel is None:
        raise Http404
    if request.method == "POST":
        form = StaffIntakeForm(request.POST, request.FILES, channel=channel)
        if form.is_valid():
            key = form.cleaned_data["idempotency_key"]
            try:
                files = attachments.validate_all(form.cleaned_data["attachments"])
                ticket = workflow.ticket_submit(
                    **form.submit_kwargs(),
                    entered_by=request.user,
                    idempotency_key=key or None,
                    idempotency_scope="staff",
                    attachments=files,
                ).ticket
            except DomainError as exc:
                put_error(form, exc)
            else:
                return redirect("staff:intake_done", code=ticket.code)
    else:
        form = StaffIntakeForm(channel=channel)
    return render(
        request,
        "staff/intake/form.html",
        {
            "form": form,
            "channel": channel,
            "channel_slug": channel_slug,
            "map_settings": map_settings(),
            "guides": selectors_public.kind_guides(),
        },
    )


@staff_required
def done(request: HttpRequest, code: str) -> HttpResponse:
    """What was recorded: who entered it and when, the true receipt time,
    and the due date that runs from it."""
    ticket = selectors_public.ticket_by_code(normalize_code(code) or "")
    # Another office's code answers as an unknown one: no oracle of codes.
    if ticket is None or not permissions.can_view(request.user, ticket):
        raise Http404
    received = ticket.events.filter(kind=TicketEvent.Kind.RECEIVED).first()
    data = received.data if received else {}
    entered_by = get_user_model().objects.filter(pk=data.get("entered_by")).first()
    # Routing sets due_at; until a worker has routed it, show what it will be.
    due_at = ticket.due_at or deadlines.compute_due(ticket).due_at
    return render(
        request,
        "staff/intake/done.html",
        {
            "ticket": ticket,
            "entered_by": entered_by,
            "entered_at": parse_datetime(data["entered_at"]) if data.get("entered_at") else None,
            "due_at": due_at,
            "due_is_estimate": ticket.due_at is None,
            "show_contact": selectors.contact_shown(request.user, ticket, via="staff:intake"),
            # Received in a month whose figures are already frozen.
            "frozen_month": snapshots.frozen_month(ticket.received_at),
        },
    )


@intake_required
def csv_import(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = CsvImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read(intake_csv.MAX_BYTES + 1)
            result = intake_csv.import_csv(raw, entered_by=request.user)
            if result.ok:
                form = CsvImportForm()
    else:
        form = CsvImportForm()
    return render(
        request,
        "staff/intake/csv.html",
        {"form": form, "result": result, "columns": intake_csv.COLUMNS},
        status=400 if result is not None and not result.ok else 200,
    )


@intake_required
@require_GET
def csv_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(intake_csv.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-so-giay.csv"'
    return response
