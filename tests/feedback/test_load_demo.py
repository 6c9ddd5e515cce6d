"""manage.py load_demo: offices, categories, users, rules, and tickets made
through the workflow, so every ticket's events tell a consistent story."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

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
    history = [t for t in tickets if not t.idempotency_key.startswith("demo:now-")]
    assert len(history) == 60
    assert len(tickets) > 60  # and today's workload on top
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
        # Rated after a resolution; if not closed, reopened since (and maybe
        # being worked on again in a later round).
        assert rating.ticket.status in (S.RESOLVED, S.CLOSED) or rating.ticket.round > rating.round
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


def test_it_stores_names_family_name_first(demo):
    users = get_user_model().objects
    officer = users.get(username="officer.hoankiem")
    assert officer.get_full_name() == "Nguyễn Văn Nam"
    assert users.get(username="head.hoankiem").get_full_name() == "Lê Thị Hương"
    staff = users.filter(username__startswith="cb.").first()
    assert staff.last_name == ""
    family = staff.get_full_name().split()[0]
    assert family in {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"}
    # The workflow labels events with the same full name.
    labels = set(TicketEvent.objects.filter(actor=officer).values_list("actor_label", flat=True))
    assert labels == {"Nguyễn Văn Nam"}


def test_it_puts_names_of_an_older_demo_in_order_on_a_second_run(demo):
    users = get_user_model().objects
    users.filter(username="officer.hoankiem").update(first_name="Nam", last_name="Nguyễn Văn")
    staff = users.filter(username__startswith="ld.").order_by("username").first()
    given, *family = staff.first_name.split()[::-1]
    users.filter(pk=staff.pk).update(first_name=given, last_name=" ".join(family[::-1]))
    out = run("load_demo", "--tickets", "60")
    assert "users: 2 renamed" in out
    assert users.get(username="officer.hoankiem").get_full_name() == "Nguyễn Văn Nam"
    assert users.get(pk=staff.pk).get_full_name() == staff.first_name
    assert users.get(pk=staff.pk).last_name == ""


PERSONA_OFFICES = ("ubnd-00070", "ubnd-00004", "so-xay-dung")


def open_at(code: str):
    return Ticket.objects.filter(office__code=code, status__in=Ticket.OPEN_STATUSES)


def test_it_gives_the_persona_offices_open_work_in_every_state(demo):
    for code in PERSONA_OFFICES:
        tickets = list(open_at(code))
        assert len(tickets) >= 9, code
        statuses = Counter(t.status for t in tickets)
        assert statuses[S.ROUTED] >= 1, code
        assert statuses[S.IN_PROGRESS] >= 5, code
        assert statuses[S.AWAITING_CITIZEN] >= 1, code
        assert statuses[S.REOPENED] >= 1, code
        in_progress = [t for t in tickets if t.status == S.IN_PROGRESS]
        assert all(t.assignee_id for t in in_progress), code
        due_soon = [t for t in tickets if t.warned_at and not t.breached_at]
        overdue = [t for t in tickets if t.breached_at]
        assert len(due_soon) >= 2 and len(overdue) >= 2, code
        now = timezone.now()
        assert all(t.warned_at < t.due_at and now < t.due_at for t in due_soon), code
        assert all(t.due_at < t.breached_at < now for t in overdue), code
        current = [t for t in tickets if t.idempotency_key.startswith("demo:now-")]
        assert all(t.received_at > now - timedelta(days=30) for t in current), code
    assert 10 <= open_at("ubnd-00070").count() <= 30
    # The officer persona of Hoàn Kiếm has tickets of their own to work.
    assert open_at("ubnd-00070").filter(assignee__username="officer.hoankiem").count() >= 8
    # A head assigned some of them; a couple wait for the dispatcher.
    assert TicketEvent.objects.filter(
        kind=E.ASSIGNED, actor__username="head.hoankiem", ticket__status=S.IN_PROGRESS
    ).exists()
    waiting = open_at("dieu-phoi")
    assert waiting.count() >= 1
    for ticket in waiting:
        assert ticket.status == S.ROUTED and ticket.refusals == 2


def test_it_makes_the_workload_through_the_workflow_with_its_events(demo):
    workload = Ticket.objects.filter(idempotency_key__startswith="demo:now-")
    kinds = Counter(TicketEvent.objects.filter(ticket__in=workload).values_list("kind", flat=True))
    assert kinds[E.RECEIVED] == workload.count()
    assert kinds[E.WARNED] >= 6 and kinds[E.BREACHED] >= 6 and kinds[E.ESCALATED] >= 6
    assert kinds[E.INFO_REQUESTED] == workload.filter(status=S.AWAITING_CITIZEN).count()
    assert kinds[E.REOPENED] == workload.filter(status=S.REOPENED).count()
    for ticket in workload.filter(status=S.REOPENED):
        assert ticket.round == 2
    assert not TicketEvent.objects.filter(ticket__in=workload, notified_at__isnull=True).exists()


def test_it_adds_no_second_workload_on_a_second_run(demo):
    before = Ticket.objects.filter(idempotency_key__startswith="demo:now-").count()
    out = run("load_demo", "--tickets", "60")
    assert Ticket.objects.filter(idempotency_key__startswith="demo:now-").count() == before
    assert "current workload" not in out
    assert "officer.hoankiem" in out and "phản ánh đang mở" in out


def test_it_makes_no_tickets_at_all_with_zero(db):
    run("load_units")
    run("load_demo", "--tickets", "0")
    assert not Ticket.objects.exists()
