"""Which office answers a ticket. Pure selection: feedback.workflow.ticket_route
applies the result."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

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
        .order_by()  # max() below picks; the default ordering is work for nothing
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
        return RouteChoice(best.office, best, rule_reason(best))

    committee = (
        Office.objects.filter(kind=Office.Kind.COMMITTEE, unit=unit, is_active=True)
        .exclude(pk__in=exclude)
        .order_by("pk")
        .first()
    )
    if committee is not None:
        return RouteChoice(
            committee,
            None,
            _("Không có quy tắc phù hợp: chuyển UBND địa bàn (%(unit)s)") % {"unit": unit.name},
        )
    return RouteChoice(
        dispatch_office(ticket),
        None,
        _(
            "Không có quy tắc phù hợp và địa bàn chưa có UBND trên hệ thống: "
            "chuyển bộ phận điều phối"
        ),
    )


def rule_reason(rule: RoutingRule) -> str:
    """Why a rule sent the ticket where it went, for staff and leaders: the
    rule's number (to find it in the admin) and what it matches."""
    return _("Theo quy tắc #%(pk)s (lĩnh vực: %(category)s; địa bàn: %(unit)s) → %(office)s") % {
        "pk": rule.pk,
        "category": rule.category.name if rule.category else _("mọi lĩnh vực"),
        "unit": rule.unit.name if rule.unit else _("mọi địa bàn"),
        "office": rule.office.name,
    }


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
