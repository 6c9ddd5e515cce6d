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


def can_take_reports(user) -> bool:
    """Who records a report for a citizen (staff intake: hotline, social
    media, walk-in, paper, the CSV backfill): an officer or head of an
    office, or an administrator. A product choice: a leader watches and
    reads but acts on no ticket, and entering a report is an act (it sets
    the true receipt time, and the one who entered it sees the contact
    details wherever it goes)."""
    r = roles(user)
    return r.is_admin or bool(r.works_in)


def can_merge_into(user, target: Ticket) -> bool:
    """A duplicate may join only an original the user may act on too: a
    merge writes on the original (its supporter count, its timeline) and
    names it on the duplicate's public timeline, so another office's
    ticket, private or not, is out of reach (a product choice; such a pair
    is sent to the other office by transfer instead)."""
    return can_act(user, target)


def is_head(user, office_id: int | None) -> bool:
    r = roles(user)
    return r.is_admin or (office_id is not None and office_id in r.head_of)


# The fields that name the reporter or lead to them: contact details, the
# source reference and data (a social-media post names its author) and the
# private link's key. Nobody may find a ticket by them unless they may read
# them (see identity_visible_q).
IDENTITY_FIELDS = frozenset(
    {
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_address",
        "source_ref",
        "source_data",
        "reporter_key",
    }
)


def identity_protected(ticket: Ticket) -> bool:
    """A denouncer's identity is secret (Luật Tố cáo 2018 art. 9); the
    product also lets any reporter ask for it (is_confidential)."""
    return ticket.is_confidential or ticket.kind == Ticket.Kind.DENUNCIATION


def identity_protected_q() -> Q:
    """identity_protected() in SQL."""
    return Q(is_confidential=True) | Q(kind=Ticket.Kind.DENUNCIATION)


def can_see_contact(user, ticket: Ticket) -> bool:
    """Contact details go to the handling office only; a confidential
    identity (Luật Tố cáo art. 9) only to that office's head assigned to it.
    identity_visible_q() is the same rule in SQL."""
    r = roles(user)
    if identity_protected(ticket):
        return (
            ticket.office_id in r.head_of
            and ticket.assignee_id is not None
            and ticket.assignee_id == user.pk
        )
    if r.is_admin or (ticket.office_id is not None and ticket.office_id in r.works_in):
        return True
    # They wrote the contact details down themselves.
    return entered_it(user, ticket) and is_staff_user(user)


def identity_visible_q(user) -> Q:
    """The tickets whose reporter's identity the user may see (can_see_contact
    in SQL). A search or filter on IDENTITY_FIELDS is limited to these, so
    that "1 result" or "0 results" can never spell out a protected identity
    one digit at a time: for any other ticket the answer is the same
    whatever the value asked for."""
    r = roles(user)
    nothing = Q(pk__in=[])
    assigned_head = Q(office_id__in=r.head_of, assignee_id=user.pk) if r.head_of else nothing
    if r.is_admin:
        ordinary = ~identity_protected_q()
    else:
        mine = Q(office_id__in=r.works_in) if r.works_in else nothing
        if is_staff_user(user):
            mine |= Q(created_by_id=user.pk)
        ordinary = ~identity_protected_q() & mine
    return ordinary | (identity_protected_q() & assigned_head)


def identity_lookup(lookup: str) -> bool:
    """Whether a query lookup ("contact_phone__startswith") reads an
    identity field."""
    return lookup.split("__", 1)[0] in IDENTITY_FIELDS


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


def can_download_document(user, document) -> bool:
    """A case document belongs to the case file: whoever reads the case
    reads its documents (the office, its leaders, an administrator). Who
    sees the sender's identity in it is can_see_contact's answer."""
    return can_view(user, document.ticket)
