"""The public transparency pages: how responsive each office is, ranked
within its peer group, and the methodology behind every number. Thin: the
numbers come from feedback.scores."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from feedback import exports, scores
from feedback.forms import SURVEY_SCALE, SurveyForm
from feedback.models import Office, SurveyResponse

PERIOD_LABELS = scores.PERIOD_LABELS
WEIGHT_LABELS = {
    "on_time": _("Tỷ lệ đúng hạn"),
    "satisfaction": _("Tỷ lệ hài lòng"),
    "reopen": _("100 − tỷ lệ mở lại"),
}

# The survey's five elements as column headings (SurveyResponse.QUESTIONS).
SURVEY_LABELS = {
    "access": _("Tiếp cận thông tin"),
    "procedure": _("Thủ tục"),
    "conduct": _("Cán bộ"),
    "result": _("Kết quả"),
    "handling": _("Xử lý ý kiến"),
}


def rankings_for(period: str) -> tuple:
    """(start, end, rows, survey rows) for a period, cached a few minutes:
    everyone sees the same numbers, and five grouped queries need not run
    per visitor."""
    start, end = scores.period_bounds(period)
    key = f"transparency:{period}:{start.date().isoformat()}"
    cached = cache.get(key)
    if cached is None:
        rows = scores.office_rankings(start=start, end=end)
        cached = rows, scores.survey_index(start=start, end=end, offices=rows)
        if settings.FEEDBACK_RANKINGS_CACHE_SECONDS > 0:
            cache.set(key, cached, settings.FEEDBACK_RANKINGS_CACHE_SECONDS)
    return start, end, *cached


def _period(request: HttpRequest) -> str:
    """?ky=: a known period, else this month."""
    period = request.GET.get("ky", "")
    return period if period in scores.PERIODS else "this_month"


def transparency(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    start, end, rows, survey_rows = rankings_for(period)
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
                "survey": [r for r in survey_rows if r.peer_group == peer_group],
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
            "high_above": scores.HIGH_ABOVE,
            "low_below": scores.LOW_BELOW,
            "survey_columns": [SURVEY_LABELS[name] for name in SurveyResponse.QUESTIONS],
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
            "high_above": scores.HIGH_ABOVE,
            "low_below": scores.LOW_BELOW,
            "not_satisfied_up_to": scores.NOT_SATISFIED_UP_TO,
            "survey_questions": [
                (SURVEY_LABELS[name], SurveyForm.base_fields[name].label)
                for name in SurveyResponse.QUESTIONS
            ],
            "survey_scale": SURVEY_SCALE,
            "periods": [PERIOD_LABELS[key] for key in scores.PERIODS],
            "cache_minutes": -(-settings.FEEDBACK_RANKINGS_CACHE_SECONDS // 60),
        },
    )


@require_GET
def transparency_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The transparency page's tables for a period: the same cached numbers."""
    period = _period(request)
    _start, _end, rows, _survey = rankings_for(period)
    header = [
        _("Khối"),
        _("Hạng"),
        _("Cơ quan"),
        _("Điểm"),
        _("Tỷ lệ đúng hạn (%)"),
        _("Tỷ lệ hài lòng (%)"),
        _("Tỷ lệ hài lòng theo QĐ 766 (%)"),
        _("Số đánh giá"),
        _("Đã giải quyết"),
        _("Giải quyết đúng hạn"),
        _("Quá hạn hiện nay"),
        _("Tỷ lệ mở lại (%)"),
        _("Xếp loại hài lòng"),
    ]
    groups = dict(Office.PeerGroup.choices)
    bands = {scores.HIGH: _("Tốt"), scores.MIDDLE: _("Khá"), scores.LOW: _("Cần cải thiện")}
    table = exports.Table(
        name=f"xep-hang-{period}",
        header=header,
        rows=(
            [
                str(groups.get(r.peer_group, r.peer_group)),
                r.rank,
                r.label,
                r.score,
                r.on_time_rate,
                r.satisfaction_rate,
                r.satisfaction_766,
                r.ratings,
                r.resolved,
                r.resolved_on_time,
                r.overdue_now,
                r.reopen_rate,
                str(bands[r.band]) if r.band else "",
            ]
            for r in rows
            if r.peer_group in scores.RANKED_GROUPS
        ),
    )
    return exports.response(table, fmt)
