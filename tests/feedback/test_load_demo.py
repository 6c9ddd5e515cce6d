"""manage.py load_demo: offices, categories, users, rules, and tickets made
through the workflow, so every ticket's events tell a consistent story."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from feedback.models import (
    Category,
    Membership,
    Office,
    Rating,
    ResponseTemplate,
    RoutingRule,
    Ticket,
    TicketEvent,
)

E = TicketEvent.Kind
S = Ticket.Status


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    run("load_units")
    return run("load_demo", "--tickets", "60")


def test_it_refuses_to_run_before_load_units(db):
    with pytest.raises(CommandError, match="load_units"):
        run("load_demo", "--tickets", "5")
    assert not Office.objects.exists()


def test_it_creates_offices_categories_rules_and_users(demo):
    assert Office.objects.get(code="ubnd-ha-noi").peer_group == Office.PeerGroup.CITY
    assert Office.objects.filter(kind=Office.Kind.DISPATCH).count() == 1
    wards = Office.objects.filter(peer_group=Office.PeerGroup.WARDS)
    assert wards.count() == 126
    assert wards.get(unit__code="00070").name == "UBND Phường Hoàn Kiếm"
    assert (
        Office.objects.filter(
            peer_group__in=(Office.PeerGroup.DEPARTMENTS, Office.PeerGroup.AGENCIES)
        ).count()
        >= 10
    )
    assert Category.objects.count() >= 20
    assert Category.objects.get(code="khieu-nai").default_kind == "complaint"
    assert Category.objects.get(code="to-cao").default_kind == "denunciation"
    assert Category.objects.get(code="hu-hong-mat-duong").extra_fields[0]["code"] == "size"
    assert ResponseTemplate.objects.count() >= 2 * Category.objects.filter(parent=None).count()
    assert RoutingRule.objects.filter(unit__isnull=False).count() >= 3
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="officer.baidinh").check_password("demo12345!")
    roles = dict(
        Membership.objects.filter(
            user__username__in=["leader", "head.hoankiem", "officer.baidinh", "ward.leader"]
        ).values_list("user__username", "role")
    )
    assert roles == {
        "leader": "leader",
        "head.hoankiem": "head",
        "officer.baidinh": "officer",
        "ward.leader": "leader",
    }
    assert "officer.hoankiem" in demo and "demo12345!" in demo


def test_it_makes_tickets_whose_events_are_consistent(demo):
    tickets = list(Ticket.objects.all())
    assert len(tickets) == 60
    events = Counter()
    for kind, ticket_id in TicketEvent.objects.values_list("kind", "ticket_id"):
        events[(ticket_id, kind)] += 1
    for t in tickets:
        assert events[(t.pk, E.RECEIVED)] == 1
        # One "routed" event per routing: the first, and one after each "not ours".
        assert events[(t.pk, E.ROUTED)] == 1 + events[(t.pk, E.NOT_OURS)]
        if t.status in (S.RESOLVED, S.CLOSED):
            assert events[(t.pk, E.RESOLVED)] >= 1
        assert events[(t.pk, E.RESOLVED)] >= t.round - 1
        if t.status != S.RECEIVED:
            assert t.office_id is not None or t.status == S.REJECTED
    for rating in Rating.objects.select_related("ticket"):
        assert rating.ticket.status in (S.RESOLVED, S.CLOSED, S.REOPENED)
        assert events[(rating.ticket_id, E.RESOLVED)] >= rating.round
    # Every step is history: no event later than the last one, none in the future.
    assert not TicketEvent.objects.filter(notified_at__isnull=True).exists()
    assert set(Ticket.objects.values_list("channel", flat=True)) >= {"web", "hotline"}


def test_it_does_nothing_on_a_second_run(demo):
    counts = [m.objects.count() for m in (Office, Category, RoutingRule, Ticket, TicketEvent)]
    out = run("load_demo", "--tickets", "60")
    assert [
        m.objects.count() for m in (Office, Category, RoutingRule, Ticket, TicketEvent)
    ] == counts
    assert "tickets: 0 created" in out
    assert "dispatcher" in out
