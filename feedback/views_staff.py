"""The staff workplace: inbox, ticket page, actions, office numbers. Thin
callers: reads go through feedback.selectors, changes through
feedback.workflow; a DomainError becomes a message on the page."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from feedback import (
    attachments,
    deadlines,
    notifications,
    permissions,
    scores,
    selectors,
    workflow,
)
from feedback.errors import DomainError, NotFound
from feedback.models import CaseDocument, Category, Office, Ticket, TicketEvent
from feedback.web import map_settings, serve_file, staff_nav, staff_required

PAGE_SIZE = 25


def _nav(request) -> dict:
    return staff_nav(request)


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target, status=303) if target else redirect(fallback)


# --- due dates as people read them ---------------------------------------------


def _span(seconds: float) -> str:
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return pgettext("countdown", "%(d)d ngày %(h)d giờ") % {"d": days, "h": hours}
    if hours:
        return pgettext("countdown", "%(h)d giờ %(m)d phút") % {"h": hours, "m": mins}
    return pgettext("countdown", "%(m)d phút") % {"m": mins}


def due_info(ticket: Ticket, now: datetime) -> dict | None:
    """What the countdown shows: calendar time left (the browser keeps it
    ticking) and, as a hint, working hours left."""
    if ticket.due_at is None or not ticket.is_open:
        return None
    seconds = (ticket.due_at - now).total_seconds()
    paused = not ticket.clock_running
    overdue = ticket.is_overdue(now)
    soon = ticket.is_due_soon(now)
    if paused and ticket.is_suspended:
        label = _("Tạm đình chỉ giải quyết")
    elif paused:
        label = _("Tạm dừng (chờ công dân)")
    elif overdue:
        label = pgettext("countdown", "Quá hạn %(t)s") % {"t": _span(seconds)}
    else:
        label = pgettext("countdown", "Còn %(t)s") % {"t": _span(seconds)}
    working = 0.0 if overdue or paused else deadlines.working_duration(now, ticket.due_at)
    return {
        "paused": paused,
        "overdue": overdue,
        "soon": soon,
        "label": label,
        "working_hours": round(working, 1),
        # The countdown's tooltip, for the inbox and the ticket page alike.
        "hint": _("%(h)s giờ làm việc còn lại") % {"h": formats.localize(round(working, 1))},
        "iso": timezone.localtime(ticket.due_at).isoformat(),
        "ack": ack_info(ticket, now),
    }


def ack_info(ticket: Ticket, now: datetime) -> dict | None:
    """The receipt/acceptance countdown while that clock runs (the ticket
    is at an office that has not taken it up yet)."""
    if not ticket.ack_clock_running:
        return None
    seconds = (ticket.ack_due_at - now).total_seconds()
    overdue = ticket.is_ack_overdue(now)
    if ticket.needs_acceptance:
        late = pgettext("countdown", "Quá hạn thụ lý %(t)s")
        left = pgettext("countdown", "Hạn thụ lý: còn %(t)s")
    else:
        late = pgettext("countdown", "Quá hạn tiếp nhận %(t)s")
        left = pgettext("countdown", "Hạn tiếp nhận: còn %(t)s")
    label = (late if overdue else left) % {"t": _span(seconds)}
    return {
        "overdue": overdue,
        "soon": ticket.ack_warned_at is not None and not overdue,
        "label": label,
    }


# --- inbox ----------------------------------------------------------------------


def _inbox_context(request) -> dict | None:
    place = selectors.workplace_for(
        request.user,
        request.GET.get("office") or request.session.get("staff_office"),
        subtree=request.GET.get("view") == "subtree",
    )
    if place is None:
        return None
    if request.session.get("staff_office") != place.office.pk:
        # Written only when it changes: a session save is a database write.
        request.session["staff_office"] = place.office.pk
    filters = selectors.InboxFilters.from_query(request.GET)
    tickets = selectors.inbox(request.user, place, filters)
    number = request.GET.get("page")
    source = selectors.inbox_page_source(tickets, place, page=number, per_page=PAGE_SIZE)
    page = Paginator(source, PAGE_SIZE).get_page(number)
    now = timezone.now()
    rows = [(t, due_info(t, now)) for t in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("partial", None)
    query["office"] = str(place.office.pk)
    return {
        "tabs": _tabs(request.user, place, filters, now),
        "place": place,
        "places": selectors.workplaces(request.user),
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_bulk": not place.read_only,
        "is_head": permissions.is_head(request.user, place.office.pk),
        **selectors.figure_filter(request.GET, filters, now=now),
    }


def _tab_labels() -> dict[str, str]:
    return {
        "open": _("Tất cả đang mở"),
        "new": _("Mới, chưa thụ lý"),
        "overdue": _("Quá hạn"),
        "soon": _("Sắp đến hạn"),
        "mine": _("Của tôi"),
        "waiting": _("Chờ công dân bổ sung"),
    }


def _tabs(user, place: selectors.Workplace, filters: selectors.InboxFilters, now) -> list[dict]:
    """The inbox's tabs with their counts (one query) and links."""
    counts = selectors.inbox_counts(user, place, now=now)
    current = selectors.inbox_tab(filters)
    tabs = []
    for name, label in _tab_labels().items():
        if name == "mine" and place.read_only:
            continue
        query = QueryDict(mutable=True)
        query.update({"office": str(place.office.pk), **selectors.INBOX_TABS.get(name, {})})
        tabs.append(
            {
                "name": name,
                "label": label,
                "count": counts[name],
                "query": query.urlencode(),
                "current": name == current,
            }
        )
    return tabs


@require_GET
@staff_required
def inbox(request):
    ctx = _inbox_context(request)
    if ctx is None:
        raise PermissionDenied
    place = ctx["place"]
    ctx.update(
        _nav(request),
        categories=Category.objects.filter(is_active=True).only("pk", "name", "name_en", "depth"),
        channels=Ticket.Channel.choices,
        statuses=Ticket.Status.choices,
        staff=list(selectors.office_staff(place.office)) if not place.read_only else [],
    )
    return render(request, "staff/inbox.html", ctx)


@require_GET
@staff_required
def inbox_table(request):
    """The table alone, for the live inbox to refresh without a reload."""
    ctx = _inbox_context(request)
    if ctx is None:
        raise PermissionDenied
    return render(request, "staff/_inbox_table.html", ctx)


@require_POST
@staff_required
def inbox_bulk(request):
    place = selectors.workplace_for(request.user, request.POST.get("office"))
    fallback = reverse("staff:inbox")
    if place is None or place.read_only:
        raise PermissionDenied
    codes = [selectors.normalize_code(c) for c in request.POST.getlist("tickets")][:200]
    if not codes:
        messages.error(request, _("Chưa chọn phản ánh nào."))
        return _back(request, fallback)
    found = {
        t.code: t
        for t in permissions.visible_tickets(
            request.user, Ticket.objects.filter(code__in=codes, office=place.office)
        )
    }
    assignee = None
    action = request.POST.get("action", "")
    if action == "assign":
        assignee = (
            selectors.office_staff(place.office)
            .filter(pk=_int(request.POST.get("assignee")))
            .first()
        )
        if assignee is None:
            messages.error(request, _("Vui lòng chọn cán bộ thuộc cơ quan."))
            return _back(request, fallback)
    try:
        results = workflow.tickets_bulk(
            action, actor=request.user, tickets=list(found.values()), assignee=assignee
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request, fallback)
    done = sum(1 for _t, error in results if error is None)
    if done:
        messages.success(
            request,
            ngettext("Đã xử lý %(n)d phản ánh.", "Đã xử lý %(n)d phản ánh.", done) % {"n": done},
        )
    for ticket, error in results:
        if error is not None:
            messages.error(request, f"{ticket.display_code}: {error.message}")
    for code in codes:
        if code not in found:
            messages.error(
                request, _("%(code)s: không tìm thấy phản ánh trong hộp thư này.") % {"code": code}
            )
    return _back(request, fallback)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- one ticket -------------------------------------------------------------------


def _ticket_or_404(user, code: str) -> Ticket:
    try:
        return selectors.ticket_for_staff(user, code)
    except NotFound:
        raise Http404 from None


@require_GET
@staff_required
def ticket_detail(request, code: str):
    ticket = _ticket_or_404(request.user, code)
    allowed = workflow.allowed_actions(request.user, ticket)
    ordered = workflow.actions_in_order(ticket, allowed)
    is_head = permissions.is_head(request.user, ticket.office_id)
    files = selectors.attachments(request.user, ticket)
    ctx = {
        **_nav(request),
        "ticket": ticket,
        "events": selectors.timeline(request.user, ticket),
        "images": [a for a in files if attachments.is_image(a)],
        "other_files": [a for a in files if not attachments.is_image(a)],
        "map_settings": map_settings() if ticket.latitude is not None else "",
        "allowed": allowed,
        "actions": [a for a in ordered if a not in workflow.RISKY_ACTIONS],
        "risky_actions": [a for a in ordered if a in workflow.RISKY_ACTIONS],
        "primary_action": next(
            (a for a in ordered if a == workflow.PRIMARY_ACTION.get(ticket.status)), ""
        ),
        "can_see_contact": selectors.contact_shown(request.user, ticket, via="staff:ticket"),
        "is_head": is_head,
        "due": due_info(ticket, timezone.now()),
        "templates": selectors.response_templates(ticket)
        if allowed & {"answer", "resolve", "request_info"}
        else [],
        "transfer_targets": selectors.transfer_targets(ticket) if "transfer" in allowed else [],
        "awaits_acceptance": deadlines.awaits_acceptance(ticket),
        "refusal_grounds": workflow.refusal_grounds(ticket) if "refuse" in allowed else (),
        "suspension_grounds": workflow.SUSPENSION_GROUNDS if "suspend" in allowed else (),
        "staff": list(selectors.office_staff(ticket.office))
        if "assign" in allowed and is_head
        else [],
        "read_only": not allowed,
        "documents": list(ticket.documents.all()),
        "issuable": workflow.issuable_documents(ticket)
        if permissions.can_act(request.user, ticket)
        else [],
        "document_kinds": CaseDocument.Kind.choices,
    }
    return render(request, "staff/ticket.html", ctx)


@require_POST
@staff_required
def ticket_action(request, code: str, action: str):
    ticket = _ticket_or_404(request.user, code)
    if action not in workflow.STAFF_ACTIONS:
        raise Http404
    page = reverse("staff:ticket", args=[ticket.code])
    before = Ticket.objects.get(pk=ticket.pk)
    last_event = ticket.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        workflow.perform(action, ticket, actor=request.user, params=request.POST)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(page)
    ticket.refresh_from_db()
    events = list(
        TicketEvent.objects.filter(ticket=ticket, pk__gt=last_event)
        .select_related("ticket")
        .order_by("pk")
    )
    messages.success(request, _what_changed(before, ticket, events))
    if not permissions.can_view(request.user, ticket):
        return redirect("staff:inbox")
    return redirect(page)


def _what_changed(before: Ticket, after: Ticket, events: list[TicketEvent]) -> str:
    """The confirmation after an action: what changed on the ticket, and who
    is being told (the same rules as notifications)."""
    parts = [_("Đã cập nhật phản ánh %(code)s.") % {"code": after.display_code}]
    if before.status != after.status:
        parts.append(
            _("Trạng thái: %(old)s → %(new)s.")
            % {"old": before.get_status_display(), "new": after.get_status_display()}
        )
    else:
        parts.append(_("Trạng thái vẫn là: %(status)s.") % {"status": after.get_status_display()})
    if before.office_id != after.office_id and after.office_id:
        parts.append(_("Chuyển đến: %(office)s.") % {"office": after.office})
    if before.assignee_id != after.assignee_id and after.assignee is not None:
        name = after.assignee.get_full_name() or after.assignee.get_username()
        parts.append(_("Người xử lý: %(name)s.") % {"name": name})
    if before.due_at != after.due_at and after.due_at is not None:
        due = timezone.localtime(after.due_at).strftime("%H:%M %d/%m/%Y")
        parts.append(_("Hạn giải quyết mới: %(due)s.") % {"due": due})
    told = []
    if any(notifications.reporter_recipients(e) for e in events):
        told.append(_("người phản ánh (%(channel)s)") % {"channel": after.get_notify_by_display()})
    office_people = {email for e in events for email in notifications.office_recipients(e)}
    if office_people:
        told.append(
            ngettext(
                "%(n)d cán bộ của %(office)s",
                "%(n)d cán bộ của %(office)s",
                len(office_people),
            )
            % {"n": len(office_people), "office": after.office}
        )
    if told:
        parts.append(_("Thông báo gửi tới: %(who)s.") % {"who": "; ".join(told)})
    else:
        parts.append(_("Không gửi thông báo cho ai."))
    return " ".join(parts)


@require_GET
@staff_required
def attachment(request, code: str, attachment_id: int):
    try:
        found = selectors.attachment_for_staff(request.user, code, attachment_id)
    except NotFound:
        raise Http404 from None
    if request.GET.get("preview") and attachments.is_image(found):
        # The ticket page's thumbnail: the same permission check, a small JPEG.
        try:
            preview = attachments.thumbnail(found, side=attachments.PREVIEW_SIDE)
        except ValueError:
            raise Http404 from None
        response = HttpResponse(preview, content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
    return serve_file(
        found,
        filename=found.original_name or f"tep{found.extension}",
        cache_control="private, no-store",
    )


# --- office numbers ----------------------------------------------------------------


# The months the page answers for (a product choice: before 2000 there is
# nothing to count, and a far year would overflow the date arithmetic).
MONTH_YEARS = range(2000, 2101)


def _month(value: str | None) -> date | None:
    """The month asked for ("2026-02"), this month when none is asked, or
    None for anything else."""
    if not value:
        return timezone.localdate().replace(day=1)
    year, _sep, month = value.partition("-")
    if not (year.isdigit() and month.isdigit() and len(year) == 4 and len(month) <= 2):
        return None
    if int(year) not in MONTH_YEARS or not 1 <= int(month) <= 12:
        return None
    return date(int(year), int(month), 1)


@require_GET
@staff_required
def office_numbers(request):
    r = permissions.roles(request.user)
    offices = (
        Office.objects.filter(is_active=True)
        if r.is_admin
        else Office.objects.filter(pk__in=r.head_of, is_active=True)
    )
    offices = list(offices.order_by("name"))
    if not offices:
        raise PermissionDenied
    chosen = next((o for o in offices if str(o.pk) == request.GET.get("office")), offices[0])
    month = _month(request.GET.get("month"))
    if month is None:
        return render(
            request,
            "staff/bad_request.html",
            {
                **_nav(request),
                "message": _(
                    "Tháng không hợp lệ: hãy chọn một tháng từ năm %(first)d đến %(last)d."
                )
                % {"first": MONTH_YEARS[0], "last": MONTH_YEARS[-1]},
                "back": reverse("staff:office"),
            },
            status=400,
        )
    numbers = scores.office_month_numbers(chosen, month)
    return render(
        request,
        "staff/office.html",
        {
            **_nav(request),
            "office": chosen,
            "offices": offices,
            "month": month,
            "numbers": numbers,
        },
    )
