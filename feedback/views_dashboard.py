"""The leaders' dashboard /staff/dashboard/: the figures of a unit subtree
or an office for a period, twelve months of trends, rankings within peer
groups, the overdue list, a map, categories and, for heads, each officer's
open work. Every number links to the inbox listing the tickets behind it.
Thin: figures from feedback.figures, rankings from feedback.scores, lists
from feedback.selectors_dashboard, permissions from feedback.permissions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from feedback import charts, figures, permissions, scores, snapshots
from feedback import selectors_dashboard as reads
from feedback.models import AdministrativeUnit, Category, Office
from feedback.web import map_settings, staff_nav, staff_required

# A custom period longer than this is refused: the figures stay cheap.
MAX_DAYS = 3 * 366
TOP = 8
# The slowest categories are those with at least this many answers.
SLOW_MIN = 3


@require_GET
@staff_required
def start(request):
    """Where staff land after signing in: leaders and heads on the
    dashboard, officers on their inbox."""
    if permissions.sees_figures(request.user):
        return redirect("staff:dashboard")
    return redirect("staff:inbox")


def _period(request, now: datetime) -> tuple[str, datetime, datetime, str]:
    """(key, start, end, label) from ?period= or ?from=&to= (local dates,
    both inclusive); a clear message and this month for anything else."""
    tz = timezone.get_current_timezone()
    first, last = request.GET.get("from", ""), request.GET.get("to", "")
    if first or last:
        try:
            a, b = date.fromisoformat(first), date.fromisoformat(last)
            if not (date(2000, 1, 1) <= a <= b <= date(2100, 1, 1)):
                raise ValueError
            if (b - a).days > MAX_DAYS:
                raise ValueError
        except ValueError:
            messages.error(
                request,
                _(
                    "Khoảng thời gian không hợp lệ: cần ngày bắt đầu và ngày kết thúc "
                    "(YYYY-MM-DD), bắt đầu không sau kết thúc, dài không quá 3 năm. "
                    "Đang hiển thị tháng này."
                ),
            )
        else:
            label = _("Từ %(a)s đến %(b)s") % {
                "a": date_format(a, "d/m/Y"),
                "b": date_format(b, "d/m/Y"),
            }
            return (
                "custom",
                datetime.combine(a, time.min, tzinfo=tz),
                datetime.combine(b + timedelta(days=1), time.min, tzinfo=tz),
                label,
            )
    key = request.GET.get("period", "this_month")
    if key not in scores.PERIODS:
        key = "this_month"
    begin, end = scores.period_bounds(key, now=now)
    return key, begin, end, str(scores.PERIOD_LABELS[key])


def _watch(request, choices: list[reads.Watch]) -> reads.Watch:
    wanted = request.GET.get("scope", "")
    if wanted:
        for watch in choices:
            if watch.key == wanted:
                return watch
        messages.error(request, _("Không có phạm vi này trong danh sách bạn được xem."))
    watch = reads.default_watch(request.user, choices)
    assert watch is not None
    return watch


class Links:
    """The inbox URL of the tickets behind a figure of this watch and period."""

    def __init__(self, place: dict[str, str], start: datetime, end: datetime):
        last = timezone.localtime(end) - timedelta(microseconds=1)
        self.base = {
            **place,
            "status": "all",
            "from": timezone.localtime(start).date().isoformat(),
            "to": last.date().isoformat(),
        }
        self.url = reverse("staff:inbox")

    def __call__(self, figure: str | None = None, **extra) -> str:
        query = {**self.base, **({"figure": figure} if figure else {}), **extra}
        return f"{self.url}?{urlencode(query)}"


def _cards(fig: figures.Figures, link: Links) -> list[dict]:
    def rate(value):
        return None if value is None else round(value, 1)

    return [
        {
            "id": "received",
            "label": _("Tiếp nhận"),
            "value": fig.received,
            "href": link("received"),
        },
        {
            "id": "ack_on_time",
            "label": _("Tiếp nhận đúng hạn"),
            "value": f"{fig.ack_on_time}/{fig.ack_measured}",
            "rate": rate(fig.ack_on_time_rate),
            "href": link("ack_on_time"),
            "more": (_("trễ hạn"), fig.ack_measured - fig.ack_on_time, link("ack_late")),
        },
        {
            "id": "resolved_on_time",
            "label": _("Giải quyết đúng hạn"),
            "value": f"{fig.resolved_on_time}/{fig.sample}",
            "rate": rate(fig.on_time_rate),
            "href": link("resolved_on_time"),
            "more": (_("lần giải quyết"), fig.resolved, link("resolved")),
        },
        {
            "id": "backlog_now",
            "label": _("Đang tồn (hiện tại)"),
            "value": fig.backlog_now,
            "href": link("backlog_now"),
        },
        {
            "id": "overdue_now",
            "label": _("Quá hạn"),
            "value": fig.overdue_now,
            "bad": fig.overdue_now > 0,
            "href": link("overdue_now"),
        },
        {
            "id": "reopened",
            "label": _("Mở lại"),
            "value": fig.reopened,
            "rate": rate(fig.reopen_rate),
            "href": link("reopened"),
        },
        {
            "id": "satisfied",
            "label": _("Hài lòng (4–5 sao)"),
            "value": f"{fig.satisfied}/{fig.ratings}",
            "rate": rate(fig.satisfaction_rate),
            "href": link("satisfied"),
            "more": (_("không hài lòng"), fig.ratings - fig.satisfied, link("not_satisfied")),
        },
        {
            "id": "ack_hours",
            "label": _("Thời gian tiếp nhận (giờ làm việc)"),
            "duration": fig.ack_hours,
            "href": link("received"),
        },
        {
            "id": "answer_hours",
            "label": _("Thời gian trả lời (giờ làm việc)"),
            "duration": fig.answer_hours,
            "href": link("received"),
        },
    ]


def _months(watch: reads.Watch, now: datetime, current: figures.Figures | None) -> dict:
    rows = []
    frozen: dict = {}
    for month, fig in snapshots.monthly(watch.scope, now=now, current=current, frozen=frozen):
        snap = frozen.get(month)
        rows.append(
            {
                "label": date_format(month, "m/Y"),
                "fig": fig,
                "snapshot": snap,
                "on_time": None if fig.on_time_rate is None else round(fig.on_time_rate, 1),
                "satisfaction": None
                if fig.satisfaction_rate is None
                else round(fig.satisfaction_rate, 1),
            }
        )
    labels = [r["label"] for r in rows]
    volumes = charts.lines(
        labels,
        [
            (_("Tiếp nhận"), [r["fig"].received for r in rows]),
            (_("Giải quyết"), [r["fig"].resolved for r in rows]),
            (_("Quá hạn"), [r["fig"].overdue_now for r in rows]),
        ],
    )
    rates = charts.lines(
        labels,
        [
            (_("Đúng hạn (%)"), [r["on_time"] for r in rows]),
            (_("Hài lòng (%)"), [r["satisfaction"] for r in rows]),
        ],
        percent=True,
    )
    corrections = [r for r in rows if r["snapshot"] and r["snapshot"].version > 1]
    return {"rows": rows, "volumes": volumes, "rates": rates, "corrections": corrections}


def _rankings(watch: reads.Watch, start: datetime, end: datetime, now: datetime) -> list[dict]:
    shown = reads.offices_in(watch)
    rows = [
        r for r in scores.office_rankings(start=start, end=end, now=now) if r.office_id in shown
    ]
    labels = dict(Office.PeerGroup.choices)
    groups = []
    for peer_group in scores.RANKED_GROUPS:
        members = [r for r in rows if r.peer_group == peer_group]
        if members:
            groups.append({"key": peer_group, "label": labels[peer_group], "rows": members})
    return groups


def _categories(per: dict, link: Links) -> dict:
    names = {
        c.pk: c
        for c in Category.objects.filter(pk__in=[k for k in per if k is not None]).only(
            "pk", "name", "name_en"
        )
    }
    english = translation.get_language() == "en"

    def row(pk, fig):
        category = names.get(pk)
        name = (
            (category.name_en if english and category.name_en else category.name)
            if category
            else "—"
        )
        return {
            "name": name,
            "fig": fig,
            "href": link("received", category=pk),
            "overdue_href": link("overdue_now", category=pk),
        }

    top = sorted(per.items(), key=lambda kv: (-kv[1].received, kv[0] or 0))[:TOP]
    slow = sorted(
        (kv for kv in per.items() if kv[1].answer_hours.n >= SLOW_MIN),
        key=lambda kv: (-(kv[1].answer_hours.median or 0), kv[0] or 0),
    )[:TOP]
    top_rows = [row(pk, fig) for pk, fig in top if fig.received]
    slow_rows = [row(pk, fig) for pk, fig in slow]
    chart = (
        charts.bars(
            [r["name"] for r in top_rows],
            [
                (_("Tiếp nhận"), [r["fig"].received for r in top_rows]),
                (_("Quá hạn"), [r["fig"].overdue_now for r in top_rows]),
            ],
        )
        if top_rows
        else None
    )
    return {"top": top_rows, "slow": slow_rows, "chart": chart, "slow_min": SLOW_MIN}


def _map(rows: list[dict], link: Links) -> list[dict]:
    names = dict(
        AdministrativeUnit.objects.filter(pk__in=[r["unit_id"] for r in rows]).values_list(
            "pk", "name"
        )
    )
    areas = []
    for r in rows:
        if r["latitude"] is None or r["longitude"] is None:
            continue
        areas.append(
            {
                "name": names.get(r["unit_id"], ""),
                "lat": float(r["latitude"]),
                "lng": float(r["longitude"]),
                "received": r["received"],
                "overdue": r["overdue_now"],
                # Of what is open there now, the share overdue.
                "share": round(100 * r["overdue_now"] / r["backlog_now"], 1)
                if r["backlog_now"]
                else 0,
                "url": link("received", unit=r["unit_id"]),
            }
        )
    return sorted(areas, key=lambda a: -a["received"])


def _workload(user, watch, now, link: Links) -> list[dict] | None:
    if watch.office is None or not permissions.is_head(user, watch.office.pk):
        return None
    from django.contrib.auth import get_user_model

    rows = figures.workload(watch.office.pk, now=now)
    people = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in=[r["assignee_id"] for r in rows if r["assignee_id"]]
        )
    }
    result = []
    for r in rows:
        person = people.get(r["assignee_id"])
        who = str(r["assignee_id"]) if person else "unassigned"
        result.append(
            {
                "name": (person.get_full_name() or person.get_username())
                if person
                else _("Chưa phân công"),
                "open": r["open"],
                "overdue": r["overdue_now"],
                "oldest_days": (now - r["oldest"]).days,
                "href": link(None, assignee=who, status="open"),
                "overdue_href": link(None, assignee=who, status="open", due="overdue"),
            }
        )
    return sorted(result, key=lambda r: (-r["overdue"], -r["open"], r["name"]))


@require_GET
@staff_required
def dashboard(request):
    if not permissions.sees_figures(request.user):
        raise PermissionDenied
    choices = reads.watch_choices(request.user)
    if not choices:
        raise PermissionDenied
    now = timezone.now()
    watch = _watch(request, choices)
    key, start, end, label = _period(request, now)
    link = Links(reads.inbox_place(request.user, watch), start, end)
    info: dict = {}
    fig = snapshots.compute(watch.scope, start=start, end=end, now=now, info=info)
    per_category, places = snapshots.breakdown(watch.scope, start=start, end=end, now=now)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            **staff_nav(request),
            "watch": watch,
            "choices": choices,
            "period": key,
            "periods": [(k, scores.PERIOD_LABELS[k]) for k in scores.PERIODS],
            "period_label": label,
            "start": start,
            "last_day": min(timezone.localtime(end) - timedelta(microseconds=1), now),
            "custom_from": request.GET.get("from", "") if key == "custom" else "",
            "custom_to": request.GET.get("to", "") if key == "custom" else "",
            "fig": fig,
            "cards": _cards(fig, link),
            # This month's figures are the cards' when the period is this month.
            "months": _months(watch, now, fig if key == "this_month" else None),
            "groups": _rankings(watch, start, end, now),
            "watchable": {c.office.pk for c in choices if c.office},
            "map_settings": map_settings(),
            "overdue": reads.overdue_tickets(request.user, watch, now=now),
            "overdue_href": link("overdue_now"),
            "as_of": info.get("as_of"),
            "categories": _categories(per_category, link),
            "areas": _map(places, link),
            "workload": _workload(request.user, watch, now, link),
            "min_sample": settings.FEEDBACK_MIN_SAMPLE,
        },
    )
