"""The public transparency pages: how responsive each office is, ranked
within its peer group, and the methodology behind every number. Thin: the
numbers come from feedback.scores."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback import scores
from feedback.models import Office

PERIOD_LABELS = scores.PERIOD_LABELS
WEIGHT_LABELS = {
    "on_time": _("Tỷ lệ đúng hạn"),
    "satisfaction": _("Tỷ lệ hài lòng"),
    "reopen": _("100 − tỷ lệ mở lại"),
}


def rankings_for(period: str) -> tuple:
    """(start, end, rows) for a period, cached a few minutes: everyone sees
    the same numbers, and four grouped queries need not run per visitor."""
    start, end = scores.period_bounds(period)
    key = f"transparency:{period}:{start.date().isoformat()}"
    rows = cache.get(key)
    if rows is None:
        rows = scores.office_rankings(start=start, end=end)
        if settings.FEEDBACK_RANKINGS_CACHE_SECONDS > 0:
            cache.set(key, rows, settings.FEEDBACK_RANKINGS_CACHE_SECONDS)
    return start, end, rows


def transparency(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("ky", "")
    if period not in scores.PERIODS:
        period = "this_month"
    start, end, rows = rankings_for(period)
    labels = dict(Office.PeerGroup.choices)
    groups = []
    for peer_group in scores.RANKED_GROUPS:
        members = [r for r in rows if r.peer_group == peer_group]
        groups.append(
            {
                "key": peer_group,
                "label": labels[peer_group],
                "rows": members,
                # Too few cases to rank: listed apart, so their numbers never
                # sit beside (or above) a ranked office's.
                "ranked_rows": [r for r in members if r.ranked],
                "unranked_rows": [r for r in members if not r.ranked],
                "high": [r for r in members if r.band == scores.HIGH],
                "low": [r for r in members if r.band == scores.LOW],
                "ranked": sum(r.ranked for r in members),
            }
        )
    now = timezone.localtime()
    return render(
        request,
        "public/transparency.html",
        {
            "groups": groups,
            "period": period,
            "periods": [(key, PERIOD_LABELS[key]) for key in scores.PERIODS],
            "period_label": PERIOD_LABELS[period],
            "start": start,
            "last_day": min(timezone.localtime(end) - timedelta(microseconds=1), now),
            "min_sample": settings.FEEDBACK_MIN_SAMPLE,
            "high_from": scores.HIGH_FROM,
            "low_below": scores.LOW_BELOW,
        },
    )


def methodology(request: HttpRequest) -> HttpResponse:
    weights = settings.FEEDBACK_SCORE_WEIGHTS
    total = sum(weights.values())
    return render(
        request,
        "public/transparency_method.html",
        {
            "weights": [
                (WEIGHT_LABELS[key], weights[key], round(100 * weights[key] / total, 1))
                for key in ("on_time", "satisfaction", "reopen")
                if key in weights
            ],
            "min_sample": settings.FEEDBACK_MIN_SAMPLE,
            "high_from": scores.HIGH_FROM,
            "low_below": scores.LOW_BELOW,
            "periods": [PERIOD_LABELS[key] for key in scores.PERIODS],
            "cache_minutes": -(-settings.FEEDBACK_RANKINGS_CACHE_SECONDS // 60),
        },
    )
