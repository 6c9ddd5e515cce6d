"""The city leader's pages that `make bench` measures (bench/run.py counts
their SQL in-process; bench/adapters/feedback.py loads them over HTTP)."""

from __future__ import annotations

LEADER_SCENARIOS = (
    "dashboard",
    "dashboard_12m",
    "drill_received",
    "drill_overdue",
    "drill_resolved_on_time",
)


def dashboard_paths(opts) -> dict[str, str]:
    """The leader's pages, by scenario (bench/run.py counts their SQL too)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    figure = (
        f"/staff/?office={opts['leader_office']}&unit={opts['city_unit']}&status=all"
        f"&from={today.replace(day=1).isoformat()}&to={today.isoformat()}&figure="
    )
    return {
        "dashboard": "/staff/dashboard/",
        "dashboard_12m": "/staff/dashboard/?period=12_months",
        "drill_received": figure + "received",
        "drill_overdue": figure + "overdue_now",
        "drill_resolved_on_time": figure + "resolved_on_time",
    }
