"""Who may read and who may act. Every layer (pages, WebSocket, API, the
workflow itself) asks these functions, so the rules are written once.

- officer / head: work the tickets of their own office;
- leader: reads every ticket located in the office's unit subtree, acts on none
  (unless they are also an officer or head somewhere);
- superuser (administrator): reads everything, acts as a head anywhere;
- the staff member who entered a report (hotline, walk-in, paper) follows
  it, contact details included, wherever it was routed, without acting on it;
- a confidential reporter's identity (every denunciation) is seen only by the
  head of the handling office who is assigned to the ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from feedback.models import Membership, Ticket


@dataclass(frozen=True)
class Roles:
    officer_of: frozenset[int] = frozenset()
    head_of: frozenset[int] = frozenset()
    leader_paths: tuple[str, ...] = ()
    is_admin: bool = False
    # Offices where the user works (officer or head).
    works_in: frozenset[int] = field(default=frozenset())


def roles(user) -> Roles:
    """The user's roles, loaded once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Roles()
    cached = getattr(user, "_feedback_roles", None)
    if cached is not None:
        return cached
    officer, head, paths = set(), set(), []
    for office_id, role, unit_path in Membership.objects.filter(
        user=user, office__is_active=True
    ).values_list("office_id", "role", "office__unit__path"):
        if role == Membership.Role.HEAD:
            head.add(office_id)
        elif role == Membership.Role.OFFICER:
            officer.add(office_id)
        else:
            paths.append(unit_path)
    result = Roles(
        officer_of=frozenset(officer),
        head_of=frozenset(head),
        leader_paths=tuple(sorted(set(paths))),
        is_admin=bool(user.is_superuser),
        works_in=frozenset(officer | head),
    )
    user._feedback_roles = result
    return result


def is_staff_user(user) -> bool:
    r = roles(user)
    return r.is_admin or bool(r.works_in) or bool(r.leader_paths)


def entered_it(user, ticket: Ticket) -> bool:
    """The staff member who typed the report in (hotline, walk-in, paper)
    may follow it wherever it was routed."""
    return ticket.created_by_id is not None and ticket.created_by_id == getattr(user, "pk", None)


def can_view(user, ticket: Ticket) -> bool:
    r = roles(user)
    if r.is_admin or ticket.office_id in r.works_in:
        return True
    if entered_it(user, ticket) and is_staff_user(user):
        return True
    unit_path = ticket.unit.path
    return any(unit_path.startswith(p) for p in r.leader_paths)


def can_act(user, ticket: Ticket) -> bool:
    r = roles(user)
    return r.is_admin or (ticket.office_id is not None and ticket.office_id in r.works_in)


def is_head(user, office_id: int | None) -> bool:
    r = roles(user)
    return r.is_admin or (office_id is not None and office_id in r.head_of)


def can_see_contact(user, ticket: Ticket) -> bool:
    """Contact details go to the handling office only; a confidential
    identity (Luật Tố cáo art. 9) only to that office's head assigned to it."""
    r = roles(user)
    if ticket.is_confidential or ticket.kind == Ticket.Kind.DENUNCIATION:
        return (
            ticket.office_id in r.head_of
            and ticket.assignee_id is not None
            and ticket.assignee_id == user.pk
        )
    if r.is_admin or (ticket.office_id is not None and ticket.office_id in r.works_in):
        return True
    # They wrote the contact details down themselves.
    return entered_it(user, ticket) and is_staff_user(user)


def sees_all_of(user, *, office_id: int | None = None, unit_path: str | None = None) -> bool:
    """Whether every ticket of an office (or located in a unit subtree) is
    visible to the user, so a read limited to it needs no filter of its
    own. The inbox asks: visible_tickets' `OR created_by_id = ...` would
    keep PostgreSQL from reading the inbox's index in order."""
    r = roles(user)
    if r.is_admin:
        return True
    if office_id is not None:
        return office_id in r.works_in
    return unit_path is not None and any(unit_path.startswith(p) for p in r.leader_paths)


def visible_tickets(user, queryset: QuerySet[Ticket] | None = None) -> QuerySet[Ticket]:
    qs = queryset if queryset is not None else Ticket.objects.all()
    r = roles(user)
    if r.is_admin:
        return qs
    q = Q(office_id__in=r.works_in) if r.works_in else Q(pk__in=[])
    if r.works_in or r.leader_paths:
        q |= Q(created_by_id=user.pk)
    for path in r.leader_paths:
        q |= Q(unit__path__startswith=path)
    return qs.filter(q)


def sees_figures(user) -> bool:
    """Leaders, office heads and administrators have a dashboard."""
    r = roles(user)
    return r.is_admin or bool(r.head_of) or bool(r.leader_paths)


def can_see_figures(user, *, office=None, unit=None) -> bool:
    """Whose figures (and the tickets behind them) a user may see: a
    leader's unit subtree and the offices located in it; a head's own
    offices; anything for an administrator."""
    r = roles(user)
    if r.is_admin:
        return True
    if unit is not None:
        return any(unit.path.startswith(p) for p in r.leader_paths)
    if office is not None:
        return office.pk in r.head_of or any(office.unit.path.startswith(p) for p in r.leader_paths)
    return False
