"""Coordinates as every door takes them (the forms, the CSV import, the
workflow for the API and everything else): one parser, one message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from feedback.errors import ValidationFailed

BOUNDS = {"latitude": 90, "longitude": 180}
# The model keeps six decimals (about 0.1 m).
PLACES = Decimal("0.000001")


def parse_coordinate(value: Any, field: str) -> Decimal | None:
    """A latitude or longitude (`field`) as a Decimal with six places, or
    None when empty. A decimal comma is accepted ("21,0285"), as people
    type it in Vietnamese."""
    if value is None:
        return None
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    limit = BOUNDS[field]
    try:
        number = Decimal(text).quantize(PLACES)
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Tọa độ không hợp lệ."), field=field) from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise ValidationFailed(_("Tọa độ không hợp lệ."), field=field)
    return number


def parse_point(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither."""
    lat = parse_coordinate(latitude, "latitude")
    lng = parse_coordinate(longitude, "longitude")
    if (lat is None) != (lng is None):
        raise ValidationFailed(_("Cần đủ cả vĩ độ và kinh độ."), field="latitude")
    return lat, lng
