"""Which office answers a ticket. Pure selection: feedback.workflow.ticket_route
applies the result."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from feedback.errors import DomainError
from feedback.models import Office, RoutingRule, Ticket


@dataclass(frozen=True)
class RouteChoice:
    office: Office
    rule: RoutingRule | None
    reason: str


def pick_office(ticket: Ticket, *, exclude: set[int] | frozenset[int] = frozenset()) -> RouteChoice:
    """The most specific active rule (deepest category, then deepest unit,
    then lowest priority number) whose office is active and not excluded;
    else the People's Committee of the ticket's unit (or of the unit it was
    merged into); else a dispatch office for manual triage."""
    unit = ticket.unit.current()
    rules = (
        RoutingRule.objects.filter(is_active=True, office__is_active=True)
        .filter(Q(category__isnull=True) | Q(category__path__in=ticket.category.ancestors_paths()))
        .filter(Q(unit__isnull=True) | Q(unit__path__in=unit.ancestors_paths()))
        .exclude(office_id__in=exclude)
        .select_related("category", "unit", "office")
    )
    best = max(
        rules,
        key=lambda r: (
            r.category.depth if r.category else -1,
            r.unit.depth if r.unit else -1,
            -r.priority,
            -r.pk,
        ),
        default=None,
    )
    if best is not None:
        return RouteChoice(best.office, best, f"rule #{best.pk}: {best}")

    committee = (
        Office.objects.filter(kind=Office.Kind.COMMITTEE, unit=unit, is_active=True)
        .exclude(pk__in=exclude)
        .order_by("pk")
        .first()
    )
    if committee is not None:
        return RouteChoice(committee, None, f"no rule matched: People's Committee of {unit.name}")
    return RouteChoice(dispatch_office(ticket), None, "no rule and no committee: manual triage")


def dispatch_office(ticket: Ticket) -> Office:
    """The dispatch office nearest up the unit tree (a city's, else any)."""
    candidates = list(
        Office.objects.filter(kind=Office.Kind.DISPATCH, is_active=True).select_related("unit")
    )
    if not candidates:
        raise DomainError("no active dispatch office is configured")
    unit_path = ticket.unit.path
    matching = [o for o in candidates if unit_path.startswith(o.unit.path)]
    return max(matching, key=lambda o: o.unit.depth) if matching else candidates[0]
