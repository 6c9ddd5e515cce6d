"""The citizen's pages: home, submit, look up, track, the private page, the
public list and map. Thin: forms check shapes, workflow changes tickets,
selectors_public read. A DomainError goes back onto the form field it names."""

from __future__ import annotations

import logging
import subprocess

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from feedback import alerts, attachments, captcha, limits, selectors_public, workflow
from feedback.errors import DomainError
from feedback.forms import (
    AlertForm,
    LookupForm,
    PublicReportForm,
    RateForm,
    ReopenForm,
    ReplyForm,
    normalize_code,
)
from feedback.models import AdministrativeUnit, Attachment, Category, Ticket, display_code
from feedback.reporter_link import private_path, reporter_secret
from feedback.web import map_settings, put_error, reporters_ticket, serve_file, too_many

log = logging.getLogger(__name__)

# The "just filed" banner on the private page, right after the form.
JUST_FILED = "just_filed"
JUST_FILED_SECONDS = 600


# --- home ----------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {
            "recent": selectors_public.recent_public_tickets(6),
            "guides": selectors_public.kind_guides(),
            "lookup_form": LookupForm(),
        },
    )


# --- submit -----------------------------------------------------------------------


def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # One budget with the anonymous API: the same address, either door.
        if limits.limited(request, limits.SUBMIT, settings.FEEDBACK_SUBMIT_RATE):
            return too_many(request)
        form = PublicReportForm(request.POST, request.FILES)
        valid = form.is_valid()
        token = form.cleaned_data.get("idempotency_key", "")
        files = _chosen_files(request, form, token)
        if valid and files is not None:
            try:
                # Updates reach the citizen in the language they filed in.
                kwargs = {**form.submit_kwargs(), "language": get_language()}
                # A double click or a retried POST replays the form's token:
                # the workflow returns the ticket the first one filed.
                filed = workflow.ticket_submit(
                    **kwargs,
                    channel=Ticket.Channel.WEB,
                    consent=form.cleaned_data["consent"],
                    idempotency_key=token or None,
                    attachments=files,
                )
            except DomainError as exc:
                put_error(form, exc)
            else:
                attachments.forget(token)
                response = redirect(_private_url(filed.ticket, filed.secret))
                # A signed cookie, not the session: for an anonymous citizen
                # the session is a database row written on every report,
                # only to show a banner once.
                response.set_signed_cookie(
                    JUST_FILED,
                    filed.ticket.code,
                    salt=JUST_FILED,
                    max_age=JUST_FILED_SECONDS,
                    path="/tra-cuu/",
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
                return response
        kept = attachments.kept(token)
    else:
        form = PublicReportForm(initial={"kind": request.GET.get("kind")})
        kept, token = [], ""
    return render(
        request,
        "public/submit.html",
        {
            "form": form,
            "kept_files": [
                {
                    "name": f.original_name,
                    "url": reverse(
                        "public:kept_file",
                        kwargs={"ident": attachments.kept_id(token), "index": i},
                    )
                    if f.content_type.startswith("image/")
                    else "",
                }
                for i, f in enumerate(kept)
            ],
            "feedback_path": form.path_kind == Ticket.Kind.FEEDBACK,
            "guides": selectors_public.kind_guides(),
            "map_settings": map_settings(),
            "unit_centres": selectors_public.unit_centres(),
            "max_mb": settings.FEEDBACK_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


def _chosen_files(
    request: HttpRequest, form: PublicReportForm, token: str
) -> list[attachments.CleanFile] | None:
    """The files this report carries: the ones sent now, checked and kept
    for a later try; or, when none were sent, the ones kept from an earlier
    try of the same form. None when a file is refused (the error is on the
    form)."""
    if "attachments" in form.errors:
        attachments.forget(token)
        return None
    sent = form.cleaned_data.get("attachments") or []
    if not sent:
        if request.POST.get("drop_kept"):
            attachments.forget(token)
        return attachments.kept(token)
    try:
        files = attachments.validate_all(sent)
    except DomainError as exc:
        attachments.forget(token)
        put_error(form, exc)
        return None
    attachments.keep(token, files)
    return files


@require_GET
def kept_file(request: HttpRequest, ident: str, index: int) -> HttpResponse:
    """A preview of a photo kept across a form error (attachments.keep)."""
    files = attachments.kept_by_id(ident)
    if index >= len(files) or not files[index].content_type.startswith("image/"):
        raise Http404
    response = HttpResponse(files[index].data, content_type=files[index].content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _private_url(ticket: Ticket, secret: str | None = None) -> str:
    return reverse(
        "public:private",
        kwargs={"code": ticket.code, "secret": secret or reporter_secret(ticket)},
    )


@require_GET
def captcha_audio(request: HttpRequest, key: str) -> HttpResponse:
    """The form's challenge read aloud in the page's language: the
    alternative to the image for people who cannot see it."""
    if limits.limited(request, limits.CAPTCHA_AUDIO, settings.FEEDBACK_LOOKUP_RATE):
        return too_many(request)
    digits = captcha.live_challenge(key) if captcha.speech_available() else None
    if digits is None:
        raise Http404
    try:
        wav = captcha.speak(digits, get_language())
    except (OSError, subprocess.SubprocessError):
        log.exception("the speech tool failed to read a challenge")
        return HttpResponse(status=503)
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Open public reports like the one being written: same category, same
    ward or within 250 m of the pin. Shown before the citizen files."""
    category = Category.objects.filter(pk=_int(request.GET.get("category")), is_active=True).first()
    if category is None:
        return JsonResponse({"results": []})
    unit = AdministrativeUnit.objects.filter(pk=_int(request.GET.get("unit"))).first()
    lat, lng = _float(request.GET.get("lat"), 90), _float(request.GET.get("lng"), 180)
    if lat is None or lng is None:
        lat = lng = None
    found = selectors_public.nearby_open_reports(
        category=category, unit=unit, latitude=lat, longitude=lng
    )
    return JsonResponse(
        {
            "results": [
                {
                    "code": n.ticket.display_code,
                    "title": n.ticket.title,
                    "status": n.ticket.get_status_display(),
                    "address": n.ticket.address,
                    "unit": n.ticket.unit.name,
                    # As every page shows a date: dd/mm/yyyy, on Hà Nội's calendar
                    # (a report at 06:00 UTC+7 is not the day before).
                    "received": date_format(timezone.localtime(n.ticket.received_at), "d/m/Y"),
                    "supporters": n.ticket.supporter_count,
                    "distance_m": round(n.distance_m) if n.distance_m is not None else None,
                    "url": reverse("public:track", kwargs={"code": n.ticket.code}),
                    "support_url": reverse("public:support", kwargs={"code": n.ticket.code}),
                }
                for n in found
            ]
        }
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value, limit: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -limit <= number <= limit else None


@require_POST
def support(request: HttpRequest, code: str) -> HttpResponse:
    if limits.limited(request, limits.SUPPORT, settings.FEEDBACK_SUPPORT_RATE):
        return too_many(request)
    ticket = selectors_public.ticket_by_code(normalize_code(code) or "")
    if ticket is None or not ticket.is_public:
        raise Http404
    fingerprint = workflow.support_fingerprint(address=limits.client_address(request))
    try:
        workflow.ticket_support(ticket, fingerprint=fingerprint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Cảm ơn bạn. Ý kiến của bạn đã được ghi nhận vào phản ánh %(code)s.")
            % {"code": ticket.display_code},
        )
    return redirect("public:track", code=ticket.code)


# --- look up and track ----------------------------------------------------------------


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if form.is_bound:
        if limits.limited(request, limits.LOOKUP, settings.FEEDBACK_LOOKUP_RATE):
            return too_many(request)
        if form.is_valid():
            code = form.cleaned_data["code"]
            if selectors_public.ticket_by_code(code) is not None:
                return redirect("public:track", code=code)
            form.add_error("code", _("Không tìm thấy phản ánh có mã này. Vui lòng kiểm tra lại."))
    return render(request, "public/lookup.html", {"form": form}, status=200)


def track(request: HttpRequest, code: str) -> HttpResponse:
    if limits.limited(request, limits.LOOKUP, settings.FEEDBACK_LOOKUP_RATE):
        return too_many(request)
    normal = normalize_code(code)
    if normal is None:
        raise Http404
    if normal != code:
        return redirect("public:track", code=normal)
    ticket = selectors_public.ticket_by_code(code)
    if ticket is None:
        raise Http404
    context = {"ticket": ticket, "public": ticket.is_public}
    if ticket.is_public:
        context.update(
            timeline=selectors_public.public_timeline(ticket),
            files=selectors_public.public_attachments(ticket),
            map_settings=map_settings(),
            can_support=ticket.is_open,
        )
    return render(request, "public/track.html", context)


def private(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    """The reporter's own page: details, replies, rating, reopening."""
    ticket = reporters_ticket(request, code, secret)
    if ticket is None:
        return too_many(request, what="private_link")
    forms = {
        "reply": ReplyForm(),
        "rate": RateForm(),
        "reopen": ReopenForm(),
        "appeal": ReopenForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action in forms and action in workflow.citizen_actions(ticket):
            form_class = {
                "reply": ReplyForm,
                "rate": RateForm,
                "reopen": ReopenForm,
                "appeal": ReopenForm,
            }[action]
            form = forms[action] = form_class(request.POST, prefix=None)
            if form.is_valid():
                try:
                    if action == "reply":
                        workflow.ticket_citizen_reply(ticket, secret=secret, **form.cleaned_data)
                        done = _("Đã gửi thông tin bổ sung. Cảm ơn bạn.")
                    elif action == "rate":
                        workflow.ticket_rate(ticket, secret=secret, **form.cleaned_data)
                        done = _("Cảm ơn bạn đã đánh giá.")
                    elif action == "appeal":
                        filed = workflow.ticket_appeal(ticket, secret=secret, **form.cleaned_data)
                        messages.success(
                            request,
                            _("Đã gửi khiếu nại lần hai đến %(office)s.")
                            % {"office": filed.ticket.office.name},
                        )
                        # The second instance is a case of its own, with its own link.
                        return redirect(private_path(filed.ticket))
                    else:
                        workflow.ticket_reopen(ticket, secret=secret, **form.cleaned_data)
                        done = _("Đã mở lại phản ánh. Cơ quan sẽ xử lý tiếp.")
                except DomainError as exc:
                    put_error(form, exc)
                else:
                    messages.success(request, done)
                    return redirect(request.path)
        else:
            messages.error(request, _("Thao tác này hiện không thực hiện được."))
            return redirect(request.path)
    just_filed = (
        request.get_signed_cookie(
            JUST_FILED, default=None, salt=JUST_FILED, max_age=JUST_FILED_SECONDS
        )
        == ticket.code
    )
    timeline = selectors_public.reporter_timeline(ticket)
    response = render(
        request,
        "public/private.html",
        {
            "ticket": ticket,
            "secret": secret,
            "just_filed": just_filed,
            "private_url": request.build_absolute_uri(request.path),
            "timeline": timeline,
            "answer": selectors_public.office_answer(timeline),
            "files": list(ticket.attachments.order_by("created_at", "id")),
            "actions": workflow.citizen_actions(ticket),
            "forms": forms,
            "ratings": list(ticket.ratings.order_by("round")),
            "documents": list(ticket.documents.order_by("issued_at", "id")),
            "settings_days": settings.FEEDBACK_CLOSE_AFTER_DAYS,
        },
    )
    if JUST_FILED in request.COOKIES:  # the banner shows once
        response.delete_cookie(JUST_FILED, path="/tra-cuu/", samesite="Lax")
    return response


# --- files ------------------------------------------------------------------------------


def _serve(attachment: Attachment) -> FileResponse:
    return serve_file(
        attachment,
        filename=f"{attachment.ticket.code}-{attachment.pk}{attachment.extension}",
        cache_control="private, max-age=3600",
    )


def public_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    attachment = (
        Attachment.objects.select_related("ticket")
        .filter(pk=pk, ticket__code=code, is_public=True, ticket__is_public=True)
        .first()
    )
    if attachment is None:
        raise Http404
    return _serve(attachment)


THUMBNAIL_SECONDS = 86_400


def public_thumbnail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A public photo made small (attachments.thumbnail), kept in the cache
    a day: the list and the map show many at once."""
    attachment = (
        Attachment.objects.filter(
            pk=pk,
            ticket__code=code,
            is_public=True,
            ticket__is_public=True,
            content_type__startswith="image/",
        )
        .only("file", "content_type")
        .first()
    )
    if attachment is None:
        raise Http404
    key = f"thumbnail:{attachment.pk}"
    data = cache.get(key)
    if data is None:
        try:
            data = attachments.thumbnail(attachment)
        except ValueError:  # missing or unreadable
            raise Http404 from None
        cache.set(key, data, THUMBNAIL_SECONDS)
    response = HttpResponse(data, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={THUMBNAIL_SECONDS}"
    return response


def private_file(request: HttpRequest, code: str, secret: str, pk: int) -> HttpResponse:
    ticket = reporters_ticket(request, code, secret)
    if ticket is None:
        return too_many(request, what="private_link")
    attachment = Attachment.objects.select_related("ticket").filter(pk=pk, ticket=ticket).first()
    if attachment is None:
        raise Http404
    return _serve(attachment)


# --- list and map -------------------------------------------------------------------------

# A pin's colour on the public map (and its legend): still with the office,
# waiting for the citizen, or answered.
STATUS_GROUPS = {
    Ticket.Status.AWAITING_CITIZEN: "waiting",
    Ticket.Status.RESOLVED: "done",
    Ticket.Status.CLOSED: "done",
}


def public_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    category = Category.objects.filter(pk=_int(get.get("category")), is_active=True).first()
    unit = selectors_public.reporting_units().filter(pk=_int(get.get("unit"))).first()
    office = selectors_public.public_offices().filter(pk=_int(get.get("office"))).first()
    date_from, date_to = _date(get.get("from")), _date(get.get("to"))
    status = get.get("status", "")
    qs = selectors_public.filter_public_tickets(
        category=category,
        unit=unit,
        office=office,
        status=status,
        date_from=date_from,
        date_to=date_to,
    )
    page = Paginator(qs, 20).get_page(get.get("page"))
    # Only the columns a pin shows: the map takes up to 500 of them.
    status_labels = dict(Ticket.Status.choices)
    located = list(
        qs.filter(latitude__isnull=False).values(
            "id", "code", "title", "status", "latitude", "longitude"
        )[:500]
    )
    photos = selectors_public.first_photos(
        [t["id"] for t in located] + [t.pk for t in page.object_list]
    )

    def thumb(ticket_id: int, code: str) -> str:
        photo = photos.get(ticket_id)
        return (
            reverse("public:public_thumbnail", kwargs={"code": code, "pk": photo}) if photo else ""
        )

    pins = [
        {
            "code": display_code(t["code"]),
            "title": t["title"][:80],
            "status": str(status_labels.get(t["status"], t["status"])),
            "group": STATUS_GROUPS.get(t["status"], "open"),
            "lat": float(t["latitude"]),
            "lng": float(t["longitude"]),
            "url": reverse("public:track", kwargs={"code": t["code"]}),
            "thumb": thumb(t["id"], t["code"]),
        }
        for t in located
    ]
    for ticket in page.object_list:
        ticket.thumb_url = thumb(ticket.pk, ticket.code)
    query = get.copy()
    query.pop("page", None)
    return render(
        request,
        "public/list.html",
        {
            "page": page,
            "pins": pins,
            "categories": [
                (item[0], item[1]) if isinstance(item[1], list) else (None, [item])
                for item in selectors_public.category_choices()
            ],
            "units": selectors_public.unit_choices(),
            "offices": selectors_public.office_choices(),
            "statuses": Ticket.Status.choices,
            "selected": {
                "category": category.pk if category else None,
                "unit": unit.pk if unit else None,
                "office": office.pk if office else None,
                "status": status,
                "from": date_from.isoformat() if date_from else "",
                "to": date_to.isoformat() if date_to else "",
            },
            "query": query.urlencode(),
            "map_settings": map_settings(),
        },
    )


def _date(value):
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- alerts: follow a report, subscribe to a ward or a category ---------------------


def alerts_subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Each request may send a mail: its own budget, per address.
        if limits.limited(request, limits.ALERTS, settings.FEEDBACK_ALERT_RATE):
            return too_many(request)
        form = AlertForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            target = (
                {"ticket": d["ticket"]}
                if d["ticket"] is not None
                else {"unit": d["unit"], "category": d["category"]}
            )
            try:
                alerts.subscribe(email=d["email"], language=get_language(), **target)
            except DomainError as exc:
                put_error(form, exc)
            else:
                return redirect("public:alerts_sent")
    else:
        form = AlertForm(
            initial={"unit": request.GET.get("unit"), "ticket": request.GET.get("ticket")}
        )
    return render(request, "public/alerts/subscribe.html", {"form": form})


@require_GET
def alerts_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public/alerts/sent.html")


@require_GET
def alerts_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = alerts.confirm(token)
    except DomainError as exc:
        return render(request, "public/alerts/done.html", {"error": exc.message}, status=400)
    return render(
        request,
        "public/alerts/done.html",
        {"subscription": subscription, "unsubscribe_url": alerts.unsubscribe_url(subscription)},
    )


# The token authorises; a mail client's one-click POST (RFC 8058) has no CSRF token.
@csrf_exempt
def alerts_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = alerts.subscription_for_unsubscribe(token)
        if request.method == "POST":
            removed = alerts.unsubscribe(token)
            return render(request, "public/alerts/unsubscribed.html", {"removed": removed})
    except DomainError as exc:
        return render(request, "public/alerts/done.html", {"error": exc.message}, status=400)
    return render(request, "public/alerts/unsubscribe.html", {"subscription": subscription})
