"""Template filters for pages that show many figures at once."""

from __future__ import annotations

from django import template
from django.utils.formats import get_format

from feedback.scores import round_half_up

register = template.Library()


@register.filter
def tenths(value) -> str:
    """A figure rounded half up to one decimal (scores.round_half_up) in the
    page's language ("12,3" in Vietnamese, "12.3" in English): what
    `floatformat:1` shows, without its localisation machinery, which was
    the transparency page's largest cost (1,500 numbers a page). Empty for
    None."""
    if value is None or value == "":
        return ""
    shown = f"{round_half_up(value, 1):.1f}"
    return shown.replace(".", get_format("DECIMAL_SEPARATOR"))
