"""feedback.charts: SVG images drawn from plain numbers; the same numbers
are drawn once per process, and different ones are drawn anew."""

from __future__ import annotations

import base64

from django.utils import translation

from feedback import charts


def svg(uri: str) -> str:
    return base64.b64decode(uri.split(",", 1)[1]).decode()


def test_the_same_numbers_give_the_same_image_drawn_once():
    charts._lines.cache_clear()
    a = charts.lines(["01/2026", "02/2026"], [("Tiếp nhận", [3, 5])])
    b = charts.lines(("01/2026", "02/2026"), [("Tiếp nhận", (3, 5))])
    assert a == b and charts._lines.cache_info().hits == 1
    c = charts.lines(["01/2026", "02/2026"], [("Tiếp nhận", [3, 6])])
    assert c != a and charts._lines.cache_info().misses == 2
    assert "Tiếp nhận" in svg(a)


def test_a_translated_name_is_drawn_in_the_pages_language():
    from django.utils.translation import gettext_lazy as _

    charts._bars.cache_clear()
    name = _("Tiếp nhận")
    with translation.override("vi"):
        vi = svg(charts.bars(["Rác"], [(name, [4])]))
    with translation.override("en"):
        en = svg(charts.bars(["Rác"], [(name, [4])]))
    assert "Tiếp nhận" in vi and "Tiếp nhận" not in en
