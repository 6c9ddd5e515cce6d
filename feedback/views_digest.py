"""The weekly digest's settings page and its one-click opt-out link (the
link works without logging in: it is signed for one person). Thin: the
digest module owns the token and the opt-out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from feedback import digest
from feedback.models import StaffPreference
from feedback.web import staff_required


class DigestForm(forms.ModelForm):
    class Meta:
        model = StaffPreference
        fields = ["digest", "language"]
        labels = {
            "digest": gettext_lazy("Nhận thư tổng hợp hằng tuần"),
            "language": gettext_lazy("Ngôn ngữ của thư"),
        }


@staff_required
def digest_settings(request: HttpRequest) -> HttpResponse:
    pref, _created = StaffPreference.objects.get_or_create(user=request.user)
    form = DigestForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu."))
        return redirect("staff:digest_settings")
    return render(request, "staff/digest_settings.html", {"form": form})


@csrf_exempt  # a mail program's one-click POST (RFC 8058) carries no token
def digest_stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link checker must not unsubscribe anyone); POST stops."""
    user = digest.user_for_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        digest.stop(user)
        return render(request, "staff/digest_stopped.html", {"stopped": True})
    return render(request, "staff/digest_stopped.html", {"stopped": False})
