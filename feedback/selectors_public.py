"""Reads shared by pages and the API. Each does its work in SQL with a fixed
number of queries, however many rows."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from time import monotonic
from typing import Any

from django.db.models import Avg, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation

from feedback import deadlines
from feedback.models import (
    AdministrativeUnit,
    Attachment,
    Category,
    DeadlinePolicy,
    Office,
    Ticket,
    TicketEvent,
)

E = TicketEvent.Kind
REPORTING_UNIT_KINDS = (
    AdministrativeUnit.Kind.WARD,
    AdministrativeUnit.Kind.COMMUNE,
    AdministrativeUnit.Kind.SPECIAL_ZONE,
)
EARTH_RADIUS_M = 6_371_000
NEARBY_RADIUS_M = 250

# --- choices for the forms ---------------------------------------------------------


def reporting_units() -> QuerySet[AdministrativeUnit]:
    """Wards and communes a report can be filed in: active ones only."""
    return AdministrativeUnit.objects.filter(
        is_active=True, kind__in=REPORTING_UNIT_KINDS
    ).order_by("kind", "search_name")


# The form's category and ward lists, built once a minute per process and
# language instead of on every form (every POST rebuilt 187 rows). A save or
# delete of a category or unit clears them in the process that made it; the
# others catch up within CHOICES_SECONDS. A list that is briefly stale is
# harmless: the form checks the chosen row in the database anyway.
CHOICES_SECONDS = 60.0
_choices: dict[tuple[str, str | None], tuple[float, Any]] = {}


def _remembered(name: str, build: Callable[[], Any]) -> Any:
    key = (name, translation.get_language())
    now = monotonic()
    hit = _choices.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = build()
    _choices[key] = (now + CHOICES_SECONDS, value)
    return value


@receiver([post_save, post_delete], sender=Category, dispatch_uid="forget-category-choices")
@receiver([post_save, post_delete], sender=AdministrativeUnit, dispatch_uid="forget-unit-choices")
def forget_choices(**kwargs: Any) -> None:
    _choices.clear()


def unit_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped for a <select>: wards first, then communes."""
    return _remembered("units", _unit_choices)


def _unit_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {kind: [] for kind in REPORTING_UNIT_KINDS}
    labels = dict(AdministrativeUnit.Kind.choices)
    for unit in reporting_units():
        groups[unit.kind].append((unit.pk, unit.name))
    return [(str(labels[kind]), items) for kind, items in groups.items() if items]


def unit_centres() -> dict[int, tuple[float, float]]:
    """Where to centre the form's map when a ward is chosen: the middle of
    that ward's located public reports. The product's choice: the unit list
    (vietnam-provinces) carries no coordinates, and the reports of a ward
    fall inside it. A ward with no located report keeps the city's centre."""
    return _remembered("unit-centres", _unit_centres)


def _unit_centres() -> dict[int, tuple[float, float]]:
    rows = (
        Ticket.objects.filter(is_public=True, latitude__isnull=False, longitude__isnull=False)
        .values("unit")
        .annotate(lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by()
    )
    return {r["unit"]: (round(float(r["lat"]), 5), round(float(r["lng"]), 5)) for r in rows}


def public_offices() -> QuerySet[Office]:
    """Offices a citizen can filter the public list by (the ranked ones)."""
    return Office.objects.filter(
        is_active=True,
        peer_group__in=(
            Office.PeerGroup.WARDS,
            Office.PeerGroup.DEPARTMENTS,
            Office.PeerGroup.AGENCIES,
        ),
    )


def office_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped for a <select> by peer group: wards, departments, agencies."""
    labels = dict(Office.PeerGroup.choices)
    groups: dict[str, list[tuple[int, str]]] = {}
    for office in public_offices().order_by("peer_group", "name").only("name", "peer_group"):
        groups.setdefault(office.peer_group, []).append((office.pk, office.name))
    order = [Office.PeerGroup.WARDS, Office.PeerGroup.DEPARTMENTS, Office.PeerGroup.AGENCIES]
    return [(str(labels[g]), groups[g]) for g in order if g in groups]


def category_label(category: Category) -> str:
    if translation.get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("path")


def category_choices(
    kind: str | None = None,
) -> list[tuple[str, list[tuple[int, str]]] | tuple[int, str]]:
    """The category tree as a grouped <select>: each top-level category with
    children becomes a group whose first option is the category itself
    ("general"); deeper levels are indented. With `kind`, only the trees
    whose top category defaults to that kind of ticket (the public form
    offers "Khiếu nại" as a kind, not again as a category)."""
    return _remembered(f"categories:{kind}", lambda: _category_choices(kind))


def _category_choices(
    kind: str | None,
) -> list[tuple[str, list[tuple[int, str]]] | tuple[int, str]]:
    categories = list(active_categories())
    by_parent: dict[int | None, list[Category]] = {}
    for c in categories:
        by_parent.setdefault(c.parent_id, []).append(c)
    ids = {c.pk for c in categories}
    roots = [c for c in categories if c.parent_id is None or c.parent_id not in ids]

    def walk(node: Category, depth: int, out: list[tuple[int, str]]) -> None:
        for child in sorted(by_parent.get(node.pk, []), key=lambda c: (c.sort_order, c.path)):
            out.append((child.pk, "\u2014 " * depth + category_label(child)))
            walk(child, depth + 1, out)

    result: list = []
    for root in sorted(roots, key=lambda c: (c.sort_order, c.path)):
        if kind is not None and root.default_kind != kind:
            continue
        children: list[tuple[int, str]] = []
        walk(root, 1, children)
        if children:
            general = translation.gettext("%(name)s (chung)") % {"name": category_label(root)}
            result.append((category_label(root), [(root.pk, general), *children]))
        else:
            result.append((root.pk, category_label(root)))
    return result


@dataclass(frozen=True)
class KindGuide:
    kind: str
    label: str
    ack_amount: int
    ack_unit: str
    resolve_amount: int
    resolve_unit: str
    complex_resolve_amount: int | None
    legal_basis: str


def kind_guides() -> dict[str, KindGuide]:
    """The deadline each ticket kind gets, read from the DeadlinePolicy rows
    (an administrator may have edited them) with the presets in
    feedback.deadlines as the fallback, so the form never hard-codes a law."""
    codes = {"feedback": "feedback", "complaint": "complaint", "denunciation": "denunciation"}
    rows = {p.code: p for p in DeadlinePolicy.objects.filter(code__in=codes.values())}
    units = dict(DeadlinePolicy.TimeUnit.choices)
    guides = {}
    for kind, code in codes.items():
        row = rows.get(code)
        values: dict[str, Any] = (
            {f: getattr(row, f) for f in deadlines.PRESETS[code]}
            if row
            else deadlines.PRESETS[code]
        )
        guides[kind] = KindGuide(
            kind=kind,
            label=str(Ticket.Kind(kind).label),
            ack_amount=values["ack_amount"],
            ack_unit=str(units[values["ack_unit"]]),
            resolve_amount=values["resolve_amount"],
            resolve_unit=str(units[values["resolve_unit"]]),
            complex_resolve_amount=values.get("complex_resolve_amount"),
            legal_basis=values.get("legal_basis", ""),
        )
    return guides


# --- public reports -------------------------------------------------------------------


def public_tickets() -> QuerySet[Ticket]:
    """Reports anyone may see in the list and on the map: public, not
    rejected or merged. Only columns safe to show are loaded."""
    return (
        Ticket.objects.filter(is_public=True)
        .exclude(status=Ticket.Status.REJECTED)
        .select_related("category", "unit", "office")
        .only(
            "code",
            "kind",
            "status",
            "title",
            "description",
            "address",
            "latitude",
            "longitude",
            "received_at",
            "due_at",
            "supporter_count",
            "is_public",
            "paused_since",
            "category",
            "unit",
            "office",
            "category__name",
            "category__name_en",
            "unit__name",
            "unit__is_active",
            "office__name",
            "office__short_name",
        )
    )


STATUS_FILTERS = {
    "open": Ticket.OPEN_STATUSES,
    "resolved": (Ticket.Status.RESOLVED, Ticket.Status.CLOSED),
}


def filter_public_tickets(
    *,
    category: Category | None = None,
    unit: AdministrativeUnit | None = None,
    office: Office | None = None,
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Ticket]:
    qs = public_tickets()
    if category is not None:
        qs = qs.filter(category__path__startswith=category.path)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if office is not None:
        qs = qs.filter(office=office)
    if status in STATUS_FILTERS:
        qs = qs.filter(status__in=STATUS_FILTERS[status])
    elif status in Ticket.Status.values:
        qs = qs.filter(status=status)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(received_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(received_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs.order_by("-received_at")


def first_photos(ticket_ids: list[int]) -> dict[int, int]:
    """{ticket id: its first public photo's attachment id}, in one query:
    the thumbnails of a page of the list or of the map's pins."""
    rows = (
        Attachment.objects.filter(
            ticket_id__in=ticket_ids, is_public=True, content_type__startswith="image/"
        )
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "id")
    )
    photos: dict[int, int] = {}
    for ticket_id, attachment_id in rows:
        photos.setdefault(ticket_id, attachment_id)
    return photos


def recent_public_tickets(limit: int = 6) -> list[Ticket]:
    return list(public_tickets().order_by("-received_at")[:limit])


def ticket_by_code(code: str) -> Ticket | None:
    return Ticket.objects.select_related("category", "unit", "office").filter(code=code).first()


# Events whose message is the reporter's own words: a rating's comment, a
# reopen request's reason, a reply. The event itself may be public ("rated
# 4/5", "asked to reopen"); the words are for the office and the reporter.
CITIZEN_WORDS = frozenset({E.RATED, E.REOPENED, E.CITIZEN_REPLIED})


def public_message(event: TicketEvent) -> str:
    """What anyone may read of an event's message: the office's words on a
    public event, never an internal note and never a citizen's words. Every
    reader of public events (the tracking page, the API, its change feed,
    webhooks) goes through this, so a new reader cannot leak them."""
    if not event.is_public or event.kind in CITIZEN_WORDS:
        return ""
    return event.message


def public_events(events) -> list[TicketEvent]:
    """`events` as everyone may read them: each message replaced by its
    public_message (the rows are only read, never saved: events are
    append-only)."""
    events = list(events)
    for event in events:
        event.message = public_message(event)
    return events


def public_timeline(ticket: Ticket) -> list[TicketEvent]:
    """Public events only, without what a citizen wrote (public_message)."""
    return public_events(
        ticket.events.filter(is_public=True).select_related("office").order_by("at", "id")
    )


ANSWER_KINDS = (E.INFO_REQUESTED, E.ANSWERED, E.RESOLVED, E.REJECTED, E.MERGED)


def office_answer(timeline: list[TicketEvent]) -> TicketEvent | None:
    """The office's latest word to the citizen (a question, an answer or a
    result), from a timeline already read: what the reporter's page shows
    first."""
    return next(
        (e for e in reversed(timeline) if e.kind in ANSWER_KINDS and e.is_public and e.message),
        None,
    )


def reporter_timeline(ticket: Ticket) -> list[TicketEvent]:
    """The reporter's own view: the public timeline plus their replies."""
    return list(
        ticket.events.filter(Q(is_public=True) | Q(kind=E.CITIZEN_REPLIED))
        .select_related("office")
        .order_by("at", "id")
    )


def public_attachments(ticket: Ticket) -> list[Attachment]:
    if not ticket.is_public:
        return []
    return list(ticket.attachments.filter(is_public=True).order_by("created_at", "id"))


# --- nearby open reports (before filing a duplicate) -----------------------------------


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Nearby:
    ticket: Ticket
    distance_m: float | None


def nearby_open_reports(
    *,
    category: Category,
    unit: AdministrativeUnit | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_m: float = NEARBY_RADIUS_M,
    limit: int = 5,
) -> list[Nearby]:
    """Open public reports of the same category in the same ward, or within
    `radius_m` of the pin. A bounding box narrows the rows in SQL (indexed
    by category, unit, status); the exact distance is computed here."""
    base = public_tickets().filter(
        category=category, status__in=Ticket.OPEN_STATUSES, duplicate_of__isnull=True
    )
    where = Q(unit=unit) if unit is not None else Q(pk__in=[])
    pinned = latitude is not None and longitude is not None
    if pinned:
        dlat = radius_m / 111_320
        dlng = radius_m / (111_320 * max(0.01, math.cos(math.radians(latitude))))
        where |= Q(
            latitude__gte=Decimal(str(round(latitude - dlat, 6))),
            latitude__lte=Decimal(str(round(latitude + dlat, 6))),
            longitude__gte=Decimal(str(round(longitude - dlng, 6))),
            longitude__lte=Decimal(str(round(longitude + dlng, 6))),
        )
    found = []
    for ticket in base.filter(where).order_by("-received_at")[:200]:
        distance = None
        if pinned and ticket.latitude is not None:
            distance = haversine_m(
                latitude, longitude, float(ticket.latitude), float(ticket.longitude)
            )
        same_unit = unit is not None and ticket.unit_id == unit.pk
        if same_unit or (distance is not None and distance <= radius_m):
            found.append(Nearby(ticket, distance))
    found.sort(key=lambda n: (n.distance_m is None, n.distance_m or 0))
    return found[:limit]


def within_bbox(
    qs: QuerySet[Ticket], west: float, south: float, east: float, north: float
) -> QuerySet[Ticket]:
    """Tickets pinned inside a longitude/latitude box (the API's bbox filter)."""
    return qs.filter(
        latitude__gte=Decimal(str(south)),
        latitude__lte=Decimal(str(north)),
        longitude__gte=Decimal(str(west)),
        longitude__lte=Decimal(str(east)),
    )
