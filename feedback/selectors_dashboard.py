"""Reads of the leaders' dashboard: which units and offices a user may
watch, and the lists beside the figures. The figures themselves come from
feedback.figures and the rankings from feedback.scores; who may see what
from feedback.permissions. Each read is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from feedback import figures, permissions, selectors
from feedback.models import AdministrativeUnit, Office, Ticket, overdue_q


@dataclass(frozen=True)
class Watch:
    """What a dashboard shows: a unit subtree or an office."""

    unit: AdministrativeUnit | None = None
    office: Office | None = None

    @property
    def key(self) -> str:
        return f"unit:{self.unit.pk}" if self.unit else f"office:{self.office.pk}"

    @property
    def label(self) -> str:
        return self.unit.name if self.unit else self.office.name

    @cached_property
    def scope(self) -> figures.Scope:
        """One query for a unit (its subtree), read once per request."""
        if self.unit:
            return figures.Scope.of_unit(self.unit)
        return figures.Scope.of_office(self.office)

    @property
    def path(self) -> str:
        """The unit subtree the watch covers (an office: its own unit)."""
        return self.unit.path if self.unit else self.office.unit.path


def watch_choices(user) -> list[Watch]:
    """Units first (each root the user leads, then its direct children),
    then offices: a leader's units and the offices located in them; a head's
    own offices; an administrator's: from the city offices' units down.
    Three queries."""
    r = permissions.roles(user)
    if r.is_admin:
        roots = list(
            AdministrativeUnit.objects.filter(
                offices__peer_group=Office.PeerGroup.CITY, offices__is_active=True
            )
            .distinct()
            .order_by("path")
        )
    else:
        roots = list(AdministrativeUnit.objects.filter(path__in=r.leader_paths).order_by("path"))
    root_paths = [u.path for u in roots]
    units: list[AdministrativeUnit] = []
    if roots:
        children = AdministrativeUnit.objects.filter(parent__in=roots, is_active=True).order_by(
            "name"
        )
        by_parent: dict[int, list[AdministrativeUnit]] = {}
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(child)
        for root in roots:
            units += [root, *by_parent.get(root.pk, [])]
    near = Q(pk__in=r.head_of)
    for path in root_paths:
        near |= Q(unit__path__startswith=path)
    offices = Office.objects.filter(near, is_active=True).select_related("unit").order_by("name")
    return [Watch(unit=u) for u in units] + [Watch(office=o) for o in offices]


def default_watch(user, choices: list[Watch]) -> Watch | None:
    """Heads land on their office; leaders and administrators on their unit."""
    r = permissions.roles(user)
    if r.head_of and not r.leader_paths and not r.is_admin:
        for watch in choices:
            if watch.office and watch.office.pk in r.head_of:
                return watch
    return choices[0] if choices else None


def inbox_place(user, watch: Watch) -> dict[str, str]:
    """The inbox query that lists a watch's tickets: the office's own inbox
    for someone who works there or for an administrator; a leader's
    read-only inbox narrowed to the unit or the office. At most one query."""
    r = permissions.roles(user)
    if watch.office and (watch.office.pk in r.works_in or r.is_admin):
        return {"office": str(watch.office.pk)}
    narrow = {"unit": str(watch.unit.pk)} if watch.unit else {"handler": str(watch.office.pk)}
    for place in selectors.workplaces(user):
        if place.read_only and watch.path.startswith(place.office.unit.path):
            return {"office": str(place.office.pk), **narrow}
    # An administrator reads a unit subtree from an office located above it.
    above = (
        Office.objects.filter(is_active=True, unit__path__in=watch.unit.ancestors_paths())
        .order_by("unit__depth", "pk")
        .first()
        if watch.unit
        else None
    )
    if above is None:
        return narrow
    return {"office": str(above.pk), "view": "subtree", **narrow}


def overdue_tickets(
    user, watch: Watch, *, now: datetime | None = None, limit: int = 10
) -> list[Ticket]:
    """The longest overdue open tickets of the watch, through the user's
    visibility. One query."""
    now = now or timezone.now()
    return list(
        permissions.visible_tickets(user, Ticket.objects.filter(watch.scope.tickets()))
        .filter(overdue_q(now))
        .select_related("office", "category")
        .order_by("due_at", "pk")[:limit]
    )


def offices_in(watch: Watch) -> set[int]:
    """Offices whose rankings a watch shows: those located in the unit's
    subtree, or the office's peer group. One query."""
    if watch.unit:
        qs = Office.objects.filter(unit__path__startswith=watch.unit.path)
    else:
        qs = Office.objects.filter(peer_group=watch.office.peer_group)
    return set(qs.filter(is_active=True).values_list("pk", flat=True))
