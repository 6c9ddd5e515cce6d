"""workflow.allowed_actions: every action it lists is accepted by the
workflow, and every action it leaves out is refused (or would change
nothing), for every status and every persona."""

from __future__ import annotations

import pytest
from django.db import transaction

from feedback import permissions, workflow
from feedback.errors import DomainError
from feedback.models import Membership, Ticket
from tests.feedback.test_workflow import ALL_STATUSES, bring_to

S = Ticket.Status


class _Rollback(Exception):
    pass


def _colleague(world):
    user = type(world.officer_a).objects.create_user("colleague_a", password="x")
    Membership.objects.create(user=user, office=world.office_a)
    return user


ACTIONS = {
    "acknowledge": lambda t, u, w: workflow.ticket_acknowledge(t, actor=u),
    "assign": lambda t, u, w: workflow.ticket_assign(
        t, actor=u, assignee=w.colleague if permissions.is_head(u, t.office_id) else u
    ),
    "request_info": lambda t, u, w: workflow.ticket_request_info(t, actor=u, message="Ảnh?"),
    "answer": lambda t, u, w: workflow.ticket_answer(t, actor=u, message="Đang kiểm tra."),
    "note": lambda t, u, w: workflow.ticket_note(t, actor=u, message="Gọi lại."),
    "resolve": lambda t, u, w: workflow.ticket_resolve(t, actor=u, message="Xong."),
    "transfer": lambda t, u, w: workflow.ticket_transfer(
        t, actor=u, to_office=w.water, reason="Ống nước"
    ),
    "not_ours": lambda t, u, w: workflow.ticket_not_ours(t, actor=u, reason="Không thuộc"),
    "reject": lambda t, u, w: workflow.ticket_reject(t, actor=u, reason="Spam"),
    "merge": lambda t, u, w: workflow.ticket_merge(t, actor=u, into=w.original),
    "extend": lambda t, u, w: workflow.ticket_extend(t, actor=u, reason="QĐ 12/QĐ-UBND"),
    "refuse": lambda t, u, w: workflow.ticket_refuse(t, actor=u, grounds=["tc-25-1d"]),
    "extend_screening": lambda t, u, w: workflow.ticket_extend_screening(
        t, actor=u, reason="Xác minh tại nhiều nơi"
    ),
    "declare_complex": lambda t, u, w: workflow.ticket_declare_complex(
        t,
        actor=u,
        level="especially_complex" if t.is_complex else "complex",
        reason="Nhiều nơi",
    ),
    "suspend": lambda t, u, w: workflow.ticket_suspend(t, actor=u, ground="34-1b"),
    "resume": lambda t, u, w: workflow.ticket_resume(t, actor=u, reason="Có kết quả"),
}


def _accepted(action, ticket, user, world) -> bool:
    """Run the action in a savepoint that is always rolled back. Accepted
    means: no DomainError and something was written (a quiet no-op, like
    acknowledging an acknowledged ticket, is not an action on offer)."""
    before = ticket.events.count()
    try:
        with transaction.atomic():
            ACTIONS[action](ticket, user, world)
            wrote = ticket.events.count() > before
            raise _Rollback
    except DomainError:
        return False
    except _Rollback:
        return wrote


def test_it_names_every_staff_action_of_the_workflow():
    assert set(ACTIONS) == set(workflow.STAFF_ACTION_FROM)


@pytest.mark.parametrize("role", ["officer_a", "head_a", "admin", "officer_b", "leader"])
@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("kind", ["feedback", "denunciation"])
def test_it_lists_exactly_what_the_workflow_accepts(world, submit, role, status, kind):
    world.colleague = _colleague(world)
    world.original, _ = bring_to(S.ROUTED, submit, world, description="Bản gốc")
    extra = {"kind": "denunciation", "category": world.denunciations} if kind != "feedback" else {}
    ticket, _ = bring_to(status, submit, world, **extra)
    user = getattr(world, role)
    allowed = workflow.allowed_actions(user, ticket)
    for action in ACTIONS:
        ticket.refresh_from_db()
        assert _accepted(action, ticket, user, world) == (action in allowed), (action, allowed)


def test_it_offers_nothing_to_whoever_cannot_act(world, routed):
    ticket = routed()
    for role in ("officer_b", "leader", "outsider", "dispatcher"):
        assert workflow.allowed_actions(getattr(world, role), ticket) == set()
    assert workflow.allowed_actions(None, ticket) == set()


def test_it_does_not_offer_to_ask_an_anonymous_reporter_for_more(world, routed):
    ticket = routed(is_anonymous=True)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    ticket.refresh_from_db()
    allowed = workflow.allowed_actions(world.officer_a, ticket)
    assert "request_info" not in allowed and "answer" in allowed


def test_it_offers_an_extension_of_a_denunciation_to_the_head_only(world, routed):
    ticket = routed(kind="denunciation", category=world.denunciations, is_complex=True)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    ticket.refresh_from_db()
    assert "extend" in workflow.allowed_actions(world.head_a, ticket)
    assert "extend" not in workflow.allowed_actions(world.officer_a, ticket)
    plain = routed()
    assert "extend" not in workflow.allowed_actions(world.head_a, plain)


def test_it_does_not_offer_not_ours_to_the_dispatch_office(world, routed):
    ticket = routed(unit=world.remote)
    assert ticket.office == world.dispatch
    allowed = workflow.allowed_actions(world.dispatcher, ticket)
    assert "not_ours" not in allowed and "transfer" in allowed


def test_it_reports_each_ticket_of_a_bulk_action(world, routed):
    ours, done, theirs = routed(), routed(), routed(unit=world.ward_b)
    workflow.ticket_resolve(done, actor=world.officer_a, message="Xong")
    results = workflow.tickets_bulk(
        "acknowledge", actor=world.officer_a, tickets=[ours, done, theirs]
    )
    outcome = {t.pk: type(e).__name__ if e else None for t, e in results}
    assert outcome == {
        ours.pk: None,
        done.pk: "InvalidTransition",
        theirs.pk: "Forbidden",
    }
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.status == S.IN_PROGRESS and theirs.status == S.ROUTED


def test_it_refuses_an_unknown_bulk_action(world, routed):
    with pytest.raises(DomainError):
        workflow.tickets_bulk("resolve", actor=world.officer_a, tickets=[routed()])


@pytest.mark.parametrize(
    ("status", "first"),
    [(S.ROUTED, "acknowledge"), (S.REOPENED, "acknowledge"), (S.IN_PROGRESS, "resolve")],
)
def test_it_orders_the_primary_action_first_and_the_risky_ones_last(status, first):
    ticket = Ticket(status=status)
    everything = set(workflow.STAFF_ACTION_FROM)
    ordered = workflow.actions_in_order(ticket, everything)
    assert ordered[0] == first
    assert set(ordered[-len(workflow.RISKY_ACTIONS) :]) == set(workflow.RISKY_ACTIONS)
    assert sorted(ordered) == sorted(everything)
    # Without its primary action, a status keeps the table's order.
    rest = workflow.actions_in_order(ticket, everything - {first})
    assert rest[:2] == [a for a in workflow.STAFF_ACTION_FROM if a != first][:2]


def test_a_status_without_a_next_step_keeps_the_tables_order():
    ticket = Ticket(status=S.AWAITING_CITIZEN)
    assert workflow.actions_in_order(ticket, {"note", "assign", "reject"}) == [
        "assign",
        "note",
        "reject",
    ]
