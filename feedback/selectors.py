"""Reads that pages, the WebSocket and the API share. Every read of tickets
goes through permissions.visible_tickets / can_view here, so a page cannot
show what its viewer may not see. Each selector does its work in SQL with a
fixed number of queries however many rows it returns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import figures, permissions
from feedback.errors import NotFound
from feedback.models import (
    AdministrativeUnit,
    Attachment,
    Category,
    IdentityView,
    Membership,
    Office,
    ResponseTemplate,
    Ticket,
    TicketEvent,
    ack_overdue_q,
    awaiting_ack_q,
    due_soon_q,
    inbox_order,
    overdue_q,
)
from feedback.text import fold

S = Ticket.Status
CODE_RE = re.compile(r"^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$")


# --- where a user works ---------------------------------------------------------


@dataclass(frozen=True)
class Workplace:
    """An inbox the user may open: an office they work in (mode "work"), or,
    for a leader, the unit subtree of the office they lead (mode "read")."""

    office: Office
    mode: str  # "work" | "read"

    @property
    def read_only(self) -> bool:
        return self.mode == "read"


def workplaces(user) -> list[Workplace]:
    """The inboxes a user can choose from, their own offices first (one
    query, once per request: kept on the user object like their roles)."""
    cached = getattr(user, "_feedback_workplaces", None)
    if cached is not None:
        return cached
    places = _workplaces(user)
    if getattr(user, "is_authenticated", False):
        user._feedback_workplaces = places
    return places


def _workplaces(user) -> list[Workplace]:
    if not permissions.is_staff_user(user):
        return []
    r = permissions.roles(user)
    if r.is_admin:
        return [Workplace(o, "work") for o in Office.objects.filter(is_active=True)]
    memberships = (
        Membership.objects.filter(user=user, office__is_active=True)
        .select_related("office", "office__unit")
        .order_by("created_at", "pk")
    )
    places: list[Workplace] = []
    seen: set[int] = set()
    for m in memberships:
        if m.office_id in seen:
            continue
        seen.add(m.office_id)
        mode = "read" if m.role == Membership.Role.LEADER else "work"
        places.append(Workplace(m.office, mode))
    places.sort(key=lambda w: w.read_only)
    return places


def workplace_for(user, office_id: int | str | None, *, subtree: bool = False) -> Workplace | None:
    """The chosen inbox (default: the first), or None if the user has none.
    `subtree`: read every ticket located in the office's unit subtree
    instead of the office's own, for someone who may read all of them (an
    administrator following a dashboard figure of a unit)."""
    places = workplaces(user)
    if not places:
        return None
    chosen = next((p for p in places if str(p.office.pk) == str(office_id)), places[0])
    if (
        subtree
        and not chosen.read_only
        and permissions.sees_all_of(user, unit_path=chosen.office.unit.path)
    ):
        return Workplace(chosen.office, "read")
    return chosen


def can_watch_office(user, office_id: int) -> Workplace | None:
    """May the user follow this office's inbox live? Same rule as the page."""
    for place in workplaces(user):
        if place.office.pk == office_id:
            return place
    return None


# --- the inbox ----------------------------------------------------------------


@dataclass
class InboxFilters:
    status: str = "open"  # "open", "all", "new" (awaiting_ack_q), or a Ticket.Status value
    category: int | None = None
    channel: str = ""
    assignee: str = ""  # "", "mine", "unassigned", or a user id
    due: str = ""  # "", "soon", "overdue"
    q: str = ""
    # The tickets behind a dashboard figure: located in a unit's subtree,
    # held by an office, and counted by a figure (feedback.figures.BEHIND)
    # over the local dates [start, end].
    unit: int | None = None
    handler: int | None = None
    figure: str = ""
    start: date | None = None
    end: date | None = None

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """The figure's period as [first instant, instant after the last
        day) in local time; this month when the link gave none."""
        tz = timezone.get_current_timezone()
        today = timezone.localtime(now, tz).date()
        first = self.start or today.replace(day=1)
        last = self.end or today
        return (
            datetime.combine(first, time.min, tzinfo=tz),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
        )

    @classmethod
    def from_query(cls, data) -> InboxFilters:
        """Tolerant parsing of a query string: bad values are ignored, not errors."""
        status = data.get("status", "open")
        if status not in ("open", "all", "new", *S.values):
            status = "open"
        try:
            category = int(data.get("category") or 0) or None
        except ValueError:
            category = None
        channel = data.get("channel", "")
        if channel not in Ticket.Channel.values:
            channel = ""
        assignee = data.get("assignee", "")
        if assignee not in ("", "mine", "unassigned") and not assignee.isdigit():
            assignee = ""
        due = data.get("due", "")
        if due not in ("", "soon", "overdue"):
            due = ""
        figure = data.get("figure", "")
        if figure not in figures.BEHIND:
            figure = ""
        return cls(
            status=status,
            category=category,
            channel=channel,
            assignee=assignee,
            due=due,
            q=(data.get("q") or "")[:200].strip(),
            unit=_positive(data.get("unit")),
            handler=_positive(data.get("handler")),
            figure=figure,
            start=_day(data.get("from")),
            end=_day(data.get("to")),
        )


def _positive(value) -> int | None:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _day(value) -> date | None:
    try:
        day = date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return None
    # date.max + 1 day would overflow in period().
    return day if date(2000, 1, 1) <= day <= date(2100, 1, 1) else None


def search_q(query: str) -> Q:
    """Search that ignores Vietnamese diacritics ("duong" finds "đường") and
    finds a tracking code typed with or without its dash."""
    folded = fold(query)
    if not folded:
        return Q()
    q = Q(search_text__contains=folded)
    if CODE_RE.match(query.strip()):
        code = query.strip().replace("-", "").upper()
        q |= Q(code=code)
    return q


def inbox(
    user, place: Workplace, filters: InboxFilters, *, now: datetime | None = None
) -> QuerySet[Ticket]:
    """The tickets of one inbox in models.inbox_order() (new work first, by
    its receipt deadline). Lazy: the caller paginates (inbox_page_source);
    a fixed number of queries whatever the size: the count and the page,
    and for a unit subtree or a unit filter the units' ids first."""
    now = now or timezone.now()
    unit_path = None
    if filters.unit:
        unit = AdministrativeUnit.objects.filter(pk=filters.unit).only("path").first()
        if unit is None:
            return Ticket.objects.none()
        unit_path = unit.path
    qs = _inbox_scope(user, place, unit_path)
    if filters.status == "open":
        # The same statuses as the partial index ticket_inbox_open.
        qs = qs.filter(status__in=Ticket.OPEN_STATUSES)
    elif filters.status == "new":
        qs = qs.filter(status__in=Ticket.OPEN_STATUSES).filter(awaiting_ack_q())
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.category:
        category = Category.objects.filter(pk=filters.category).only("path").first()
        qs = qs.filter(category__path__startswith=category.path) if category else qs.none()
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.assignee == "mine":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.due == "overdue":
        # Late on either clock: resolution, or receipt/acceptance.
        qs = qs.filter(overdue_q(now) | ack_overdue_q(now))
    elif filters.due == "soon":
        qs = qs.filter(due_soon_q(now))
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.handler:
        qs = qs.filter(office_id=filters.handler)
    if filters.figure:
        start, end = filters.period(now)
        # Resolutions and ratings count against the office that gave them.
        office_id = filters.handler or (None if place.read_only else place.office.pk)
        qs = qs.filter(
            figures.tickets_behind(
                filters.figure, start=start, end=end, now=now, office_id=office_id
            )
        )
    return qs.select_related("category", "unit", "office", "assignee").order_by(*inbox_order())


def _inbox_scope(user, place: Workplace, unit_path: str | None = None) -> QuerySet[Ticket]:
    """Every ticket of the inbox the user may see, in any status; with
    `unit_path`, only those located in that unit's subtree (one list of
    unit ids however the two subtrees nest)."""
    if place.read_only:
        path = place.office.unit.path
        inner = path
        if unit_path is not None:
            if unit_path.startswith(path):
                inner = unit_path
            elif not path.startswith(unit_path):
                return Ticket.objects.none()
        base = Ticket.objects.filter(unit_id__in=AdministrativeUnit.subtree_ids(inner))
        whole = permissions.sees_all_of(user, unit_path=path)
    else:
        base = Ticket.objects.filter(office=place.office)
        if unit_path is not None:
            base = base.filter(unit_id__in=AdministrativeUnit.subtree_ids(unit_path))
        whole = permissions.sees_all_of(user, office_id=place.office.pk)
    # Usually the user sees the whole inbox and the permission filter
    # would only hide the index from PostgreSQL; when not, it applies.
    return base if whole else permissions.visible_tickets(user, base)


class IdsFirst:
    """A list paginated in two steps: the page's ids in the list's order
    first (a narrow read, which an index that covers the filter and the
    order answers without the table), then those rows with their
    relations. For a whole subtree's inbox (a leader's, a dashboard figure's
    tickets across the city), where reading every matching wide row to sort
    them and show 25 took most of a second at a million tickets. Paginator
    takes it like a queryset.

    Given the page the viewer asked for (`expected`, a slice), the count and
    that page's ids come from one statement (a window count over the
    filtered rows): a figure counted from events joins its tickets once
    instead of twice (370 -> 210 ms for the city's resolutions on time)."""

    ordered = True

    def __init__(self, queryset: QuerySet[Ticket], expected: slice | None = None) -> None:
        self.queryset = queryset
        self.expected = expected
        self._total: int | None = None
        self._ids: list[int] | None = None

    def count(self) -> int:
        if self._total is None:
            if self.expected is not None:
                rows = list(
                    self.queryset.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[
                        self.expected
                    ]
                )
                if rows:
                    self._ids = [pk for pk, _total in rows]
                    self._total = rows[0][1]
                    return self._total
            self._total = self.queryset.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Ticket]:
        if not isinstance(key, slice):
            raise TypeError("IdsFirst is read a page (a slice) at a time")
        expected = self.expected
        if self._ids is not None and key.start == expected.start and key.stop <= expected.stop:
            # Paginator asks for less than a full page when the list ends.
            ids = self._ids[: key.stop - key.start]
        else:
            ids = list(self.queryset.values_list("pk", flat=True)[key])
        rows = self.queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def inbox_page_source(
    queryset: QuerySet[Ticket], place: Workplace, *, page: object = 1, per_page: int
) -> QuerySet[Ticket] | IdsFirst:
    """What the inbox's Paginator reads for page `page` (as the query string
    gave it): an office's inbox straight (its index ticket_inbox_open gives
    the first page in order), a subtree's in two steps (IdsFirst)."""
    if not place.read_only:
        return queryset
    number = _positive(page) or 1
    return IdsFirst(queryset, slice((number - 1) * per_page, number * per_page))


# The inbox's tabs: each is a filter of the open tickets (InboxFilters
# fields), and inbox_counts() counts every tab in one query.
INBOX_TABS: dict[str, dict[str, str]] = {
    "new": {"status": "new"},
    "overdue": {"due": "overdue"},
    "soon": {"due": "soon"},
    "mine": {"assignee": "mine"},
    "waiting": {"status": S.AWAITING_CITIZEN},
}


def inbox_tab(filters: InboxFilters) -> str:
    """The tab these filters are ("" when they are none of them, or more)."""
    for name, values in INBOX_TABS.items():
        if filters == InboxFilters(**values):
            return name
    return "open" if filters == InboxFilters() else ""


def inbox_counts(user, place: Workplace, *, now: datetime | None = None) -> dict[str, int]:
    """How many tickets each tab shows, and "open" for them all: one query,
    with the same definitions the tabs filter by."""
    now = now or timezone.now()
    mine = Q(assignee=user) if getattr(user, "pk", None) else Q(pk__in=[])
    return (
        _inbox_scope(user, place)
        .filter(status__in=Ticket.OPEN_STATUSES)
        .aggregate(
            open=Count("pk"),
            new=Count("pk", filter=awaiting_ack_q()),
            overdue=Count("pk", filter=overdue_q(now)),
            soon=Count("pk", filter=due_soon_q(now)),
            mine=Count("pk", filter=mine),
            waiting=Count("pk", filter=Q(status=S.AWAITING_CITIZEN)),
        )
    )


def office_staff(office: Office) -> QuerySet:
    """People who can be assigned work in the office."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__office=office,
            memberships__role__in=(Membership.Role.OFFICER, Membership.Role.HEAD),
            is_active=True,
        )
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


# --- one ticket ---------------------------------------------------------------


def normalize_code(code: str) -> str:
    return (code or "").replace("-", "").strip().upper()


def ticket_for_staff(user, code: str) -> Ticket:
    """The ticket if the user may view it; otherwise NotFound (never
    "forbidden", so tracking codes cannot be probed)."""
    ticket = (
        permissions.visible_tickets(user, Ticket.objects.all())
        .select_related(
            "category", "unit", "office", "assignee", "routing_rule", "duplicate_of", "created_by"
        )
        .filter(code=normalize_code(code))
        .first()
    )
    if ticket is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return ticket


def timeline(user, ticket: Ticket) -> list[TicketEvent]:
    """The whole history (public and internal) for a viewer of the ticket."""
    if not permissions.can_view(user, ticket):
        raise NotFound(_("Không tìm thấy phản ánh."))
    return list(ticket.events.select_related("actor", "office").order_by("at", "pk"))


def attachments(user, ticket: Ticket) -> list[Attachment]:
    if not permissions.can_view(user, ticket):
        raise NotFound(_("Không tìm thấy phản ánh."))
    return list(ticket.attachments.order_by("created_at", "pk"))


def attachment_for_staff(user, code: str, attachment_id: int) -> Attachment:
    ticket = ticket_for_staff(user, code)
    found = Attachment.objects.filter(ticket=ticket, pk=attachment_id).first()
    if found is None:
        raise NotFound(_("Không tìm thấy tệp."))
    return found


def response_templates(ticket: Ticket) -> list[ResponseTemplate]:
    """Templates for the ticket's category or any category above it, and the global ones."""
    return list(
        ResponseTemplate.objects.filter(is_active=True)
        .filter(Q(category__isnull=True) | Q(category__path__in=ticket.category.ancestors_paths()))
        .order_by("title")
    )


def transfer_targets(ticket: Ticket) -> QuerySet[Office]:
    return Office.objects.filter(is_active=True).exclude(pk=ticket.office_id).order_by("name")


def ticket_in_workplace(user, place: Workplace, ticket_id: int) -> bool:
    """Does a live change of this ticket belong in this inbox? (A leader's
    subtree inbox listens to every change and keeps only its own.)"""
    qs = Ticket.objects.filter(pk=ticket_id)
    if place.read_only:
        qs = qs.filter(unit__path__startswith=place.office.unit.path)
    else:
        qs = qs.filter(office=place.office)
    return permissions.visible_tickets(user, qs).exists()


def contact_shown(user, ticket: Ticket, *, via: str) -> bool:
    """Whether `user` is shown the reporter's contact details on `ticket`
    (permissions.can_see_contact). Every showing of a protected identity
    (a denouncer's, Luật Tố cáo 2018 art. 9; a confidential reporter's) is
    logged in IdentityView, which administrators read in the admin. Every
    page and API read that shows contact details asks here."""
    shown = permissions.can_see_contact(user, ticket)
    if shown and permissions.identity_protected(ticket):
        IdentityView.objects.create(
            ticket=ticket, user=user, office_id=ticket.office_id, via=via[:40]
        )
    return shown


def figure_filter(request_query, filters: InboxFilters, *, now: datetime | None = None) -> dict:
    """What the inbox says and keeps when it lists the tickets behind a
    dashboard figure: the parameters for its filter form to carry, and the
    figure, period, unit and office in words (a query for each name)."""
    if not (filters.figure or filters.unit or filters.handler):
        return {}
    start, end = filters.period(now or timezone.now())
    names = ("view", "unit", "handler", "figure", "from", "to")
    return {
        "figure_query": [(n, request_query[n]) for n in names if request_query.get(n)],
        "figure_label": figures.BEHIND.get(filters.figure, ""),
        "figure_from": start,
        "figure_to": end - timedelta(days=1),
        "figure_unit": AdministrativeUnit.objects.filter(pk=filters.unit)
        .values_list("name", flat=True)
        .first()
        if filters.unit
        else None,
        "figure_handler": Office.objects.filter(pk=filters.handler)
        .values_list("name", flat=True)
        .first()
        if filters.handler
        else None,
    }
