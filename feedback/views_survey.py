"""The reporter's satisfaction survey (SIPAS-style), reached from the private
page: its own page and form, posted here and sent back to the private page
(post/redirect/get). Thin: the workflow checks and records the answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from feedback import selectors_public, workflow
from feedback.errors import DomainError, Forbidden
from feedback.forms import SurveyForm, normalize_code
from feedback.models import Ticket
from feedback.reporter_link import check_secret
from feedback.web import put_error


def _reporters_ticket(code: str, secret: str) -> Ticket:
    ticket = selectors_public.ticket_by_code(normalize_code(code) or "")
    if ticket is None:
        raise Http404
    try:
        check_secret(ticket, secret)
    except Forbidden:
        raise Http404 from None
    return ticket


def survey(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    ticket = _reporters_ticket(code, secret)
    private_url = reverse("public:private", args=[ticket.code, secret])
    if "survey" not in workflow.citizen_actions(ticket):
        messages.info(request, _("Khảo sát cho phản ánh này không còn mở hoặc đã được trả lời."))
        return redirect(private_url)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.ticket_survey(ticket, secret=secret, answers=form.cleaned_data)
        except DomainError as exc:
            put_error(form, exc)
        else:
            messages.success(request, _("Cảm ơn bạn đã trả lời khảo sát."))
            return redirect(private_url)
    return render(
        request,
        "public/survey.html",
        {"ticket": ticket, "secret": secret, "form": form, "private_url": private_url},
    )
