"""The reporter's satisfaction survey (SIPAS-style), reached from the private
page: its own page and form, posted here and sent back to the private page
(post/redirect/get). Thin: the workflow checks and records the answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from feedback import workflow
from feedback.errors import DomainError
from feedback.forms import SurveyForm
from feedback.web import put_error, reporters_ticket, too_many


def survey(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    ticket = reporters_ticket(request, code, secret)
    if ticket is None:
        return too_many(request, what="private_link")
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
