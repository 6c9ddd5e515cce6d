"""Every action of the state machine, from every status, by every role."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from feedback import workflow
from feedback.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from feedback.models import Rating, Ticket, TicketEvent

S = Ticket.Status
E = TicketEvent.Kind
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ALL_STATUSES = list(S.values)


def bring_to(status: str, submit, world, **submit_args) -> tuple[Ticket, str]:
    """Drive a fresh ticket through the workflow to `status`."""
    ticket, secret = submit(**submit_args)
    if status == S.RECEIVED:
        return ticket, secret
    workflow.ticket_route(ticket)
    if status == S.REJECTED:
        workflow.ticket_reject(ticket, actor=world.officer_a, reason="Spam")
    elif status != S.ROUTED:
        workflow.ticket_acknowledge(ticket, actor=world.officer_a)
        if status == S.AWAITING_CITIZEN:
            workflow.ticket_request_info(ticket, actor=world.officer_a, message="Số nhà?")
        elif status in (S.RESOLVED, S.CLOSED, S.REOPENED):
            workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.")
            if status == S.CLOSED:
                workflow.ticket_close(ticket)
            elif status == S.REOPENED:
                workflow.ticket_reopen(ticket, secret=secret, reason="Vẫn còn rác.")
    ticket.refresh_from_db()
    assert ticket.status == status
    return ticket, secret


# action name -> (call, {from status: resulting status})
STAFF_ACTIONS = {
    "acknowledge": (
        lambda t, u, w: workflow.ticket_acknowledge(t, actor=u),
        {S.ROUTED: S.IN_PROGRESS, S.REOPENED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS},
    ),
    "assign": (
        lambda t, u, w: workflow.ticket_assign(t, actor=u, assignee=w.officer_a),
        {s: s for s in (S.ROUTED, S.IN_PROGRESS, S.AWAITING_CITIZEN, S.REOPENED)},
    ),
    "request_info": (
        lambda t, u, w: workflow.ticket_request_info(t, actor=u, message="Xin ảnh chụp."),
        {S.IN_PROGRESS: S.AWAITING_CITIZEN},
    ),
    "answer": (
        lambda t, u, w: workflow.ticket_answer(t, actor=u, message="Đã cử người kiểm tra."),
        {S.IN_PROGRESS: S.IN_PROGRESS},
    ),
    "resolve": (
        lambda t, u, w: workflow.ticket_resolve(t, actor=u, message="Đã xử lý xong."),
        {S.ROUTED: S.RESOLVED, S.IN_PROGRESS: S.RESOLVED, S.REOPENED: S.RESOLVED},
    ),
    "transfer": (
        lambda t, u, w: workflow.ticket_transfer(t, actor=u, to_office=w.water, reason="Ống nước"),
        {S.ROUTED: S.ROUTED, S.IN_PROGRESS: S.ROUTED, S.REOPENED: S.ROUTED},
    ),
    "not_ours": (
        lambda t, u, w: workflow.ticket_not_ours(t, actor=u, reason="Đường của thành phố"),
        {S.ROUTED: S.RECEIVED, S.IN_PROGRESS: S.RECEIVED},
    ),
    "reject": (
        lambda t, u, w: workflow.ticket_reject(t, actor=u, reason="Spam"),
        {s: S.REJECTED for s in Ticket.OPEN_STATUSES},
    ),
    "merge": (
        lambda t, u, w: workflow.ticket_merge(t, actor=u, into=w.original),
        {s: S.REJECTED for s in Ticket.OPEN_STATUSES},
    ),
    "note": (
        lambda t, u, w: workflow.ticket_note(t, actor=u, message="Gọi lại sau."),
        {s: s for s in ALL_STATUSES},
    ),
}


@pytest.mark.parametrize("action", STAFF_ACTIONS)
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_it_allows_exactly_the_designed_transitions(world, submit, action, status):
    call, transitions = STAFF_ACTIONS[action]
    world.original, _ = bring_to(S.ROUTED, submit, world, description="Bản gốc")
    ticket, _ = bring_to(status, submit, world)
    # An unrouted ticket belongs to no office: only an administrator reaches it.
    actor = world.admin if status == S.RECEIVED else world.head_a
    if status in transitions:
        call(ticket, actor, world)
        ticket.refresh_from_db()
        assert ticket.status == transitions[status]
    else:
        with pytest.raises(InvalidTransition):
            call(ticket, actor, world)
        ticket.refresh_from_db()
        assert ticket.status == status


ROLE_CAN_ACT = {
    "officer_a": True,
    "head_a": True,
    "admin": True,
    "officer_b": False,
    "leader": False,
    "outsider": False,
    "dispatcher": False,
}


@pytest.mark.parametrize("action", STAFF_ACTIONS)
@pytest.mark.parametrize("role", ROLE_CAN_ACT)
def test_it_lets_only_the_handling_office_act(world, submit, action, role):
    call, transitions = STAFF_ACTIONS[action]
    world.original, _ = bring_to(S.ROUTED, submit, world, description="Bản gốc")
    start = S.IN_PROGRESS if S.IN_PROGRESS in transitions else next(iter(transitions))
    ticket, _ = bring_to(start, submit, world)
    events_before = ticket.events.count()
    actor = getattr(world, role)
    if ROLE_CAN_ACT[role]:
        call(ticket, actor, world)
        ticket.refresh_from_db()
        assert ticket.status == transitions[start]
    else:
        with pytest.raises(Forbidden):
            call(ticket, actor, world)
        ticket.refresh_from_db()
        assert ticket.status == start
        assert ticket.events.count() == events_before


def test_it_refuses_anonymous_actors(world, submit):
    ticket, _ = bring_to(S.ROUTED, submit, world)
    with pytest.raises(Forbidden):
        workflow.ticket_acknowledge(ticket, actor=None)


def test_it_lets_only_a_head_assign_someone_else(world, submit):
    from feedback.models import Membership

    colleague = type(world.officer_a).objects.create_user("colleague_a", password="x")
    Membership.objects.create(user=colleague, office=world.office_a)
    ticket, _ = bring_to(S.ROUTED, submit, world)
    with pytest.raises(Forbidden):
        workflow.ticket_assign(ticket, actor=world.officer_a, assignee=colleague)
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=colleague)
    ticket.refresh_from_db()
    assert ticket.assignee == colleague
    with pytest.raises(ValidationFailed):
        workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.officer_b)


# --- the citizen --------------------------------------------------------------

CITIZEN_ACTIONS = {
    "citizen_reply": (
        lambda t, secret: workflow.ticket_citizen_reply(t, secret=secret, message="Số 12."),
        {S.AWAITING_CITIZEN: S.IN_PROGRESS},
    ),
    "reopen": (
        lambda t, secret: workflow.ticket_reopen(t, secret=secret, reason="Chưa xong."),
        {S.RESOLVED: S.REOPENED, S.CLOSED: S.REOPENED},
    ),
    "rate": (
        lambda t, secret: workflow.ticket_rate(t, secret=secret, overall=2),
        {S.RESOLVED: S.RESOLVED, S.CLOSED: S.CLOSED},
    ),
}


@pytest.mark.parametrize("action", CITIZEN_ACTIONS)
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_it_gives_the_citizen_exactly_their_transitions(world, submit, action, status):
    call, transitions = CITIZEN_ACTIONS[action]
    ticket, secret = bring_to(status, submit, world)
    if status in transitions:
        call(ticket, secret)
        ticket.refresh_from_db()
        assert ticket.status == transitions[status]
    else:
        with pytest.raises(InvalidTransition):
            call(ticket, secret)


@pytest.mark.parametrize("action", CITIZEN_ACTIONS)
def test_it_refuses_the_citizen_actions_without_the_secret(world, submit, action):
    call, transitions = CITIZEN_ACTIONS[action]
    ticket, secret = bring_to(next(iter(transitions)), submit, world)
    other, other_secret = submit()
    for wrong in ("", "x" * 32, other_secret):
        with pytest.raises(Forbidden):
            call(ticket, wrong)


def test_it_closes_on_a_satisfied_rating_and_keeps_one_rating_per_round(world, submit):
    ticket, secret = bring_to(S.RESOLVED, submit, world)
    rating = workflow.ticket_rate(
        ticket, secret=secret, overall=5, timeliness=4, attitude=5, quality=5, comment="Tốt"
    )
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert rating.office == world.office_a
    with pytest.raises(InvalidTransition):
        workflow.ticket_rate(ticket, secret=secret, overall=1)
    assert Rating.objects.filter(ticket=ticket).count() == 1


@pytest.mark.parametrize("bad", [0, 6, "5", None, True, 3.5])
def test_it_rejects_ratings_outside_1_to_5(world, submit, bad):
    ticket, secret = bring_to(S.RESOLVED, submit, world)
    with pytest.raises(ValidationFailed):
        workflow.ticket_rate(ticket, secret=secret, overall=bad)
    assert not Rating.objects.exists()


def test_it_lets_an_unsatisfied_citizen_reopen_within_seven_days_only(world, submit):
    ticket, secret = bring_to(S.RESOLVED, submit, world)
    workflow.ticket_rate(ticket, secret=secret, overall=2, comment="Vẫn còn rác")
    late = ticket.resolved_at + timedelta(days=8)
    with pytest.raises(InvalidTransition):
        workflow.ticket_reopen(ticket, secret=secret, reason="Chưa xong", at=late)
    workflow.ticket_reopen(ticket, secret=secret, reason="Chưa xong")
    ticket.refresh_from_db()
    assert ticket.status == S.REOPENED
    assert ticket.round == 2
    # A new round may be rated again.
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom lần 2.")
    workflow.ticket_rate(ticket, secret=secret, overall=4)
    assert ticket.ratings.count() == 2


def test_it_does_not_reopen_after_a_satisfied_rating(world, submit):
    ticket, secret = bring_to(S.RESOLVED, submit, world)
    workflow.ticket_rate(ticket, secret=secret, overall=5)
    with pytest.raises(InvalidTransition):
        workflow.ticket_reopen(ticket, secret=secret, reason="Đổi ý")


# --- system actions -----------------------------------------------------------


def test_it_routes_once_however_often_it_runs(world, submit):
    ticket, _ = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_route(ticket)
    workflow.ticket_route(ticket.pk)
    assert ticket.events.filter(kind=E.ROUTED).count() == 1


def test_it_routes_by_the_most_specific_rule_then_falls_back(world, submit):
    from feedback.models import RoutingRule

    broad = RoutingRule.objects.create(category=world.environment, office=world.water)
    specific = RoutingRule.objects.create(
        category=world.waste, unit=world.ward_a, office=world.office_b
    )
    ticket, _ = submit()
    ticket = workflow.ticket_route(ticket)
    assert (ticket.office, ticket.routing_rule) == (world.office_b, specific)
    other, _ = submit(unit=world.ward_b)
    other = workflow.ticket_route(other)
    assert (other.office, other.routing_rule) == (world.water, broad)
    RoutingRule.objects.all().delete()
    third, _ = submit(unit=world.ward_b)
    third = workflow.ticket_route(third)
    assert third.office == world.office_b and third.routing_rule is None
    assert "UBND địa bàn" in third.routing_reason


def test_it_sends_a_ticket_to_dispatch_when_no_committee_exists(world, submit):
    ticket, _ = submit(unit=world.remote)
    ticket = workflow.ticket_route(ticket)
    assert ticket.office == world.dispatch


def test_it_reroutes_without_the_refusing_office_then_to_dispatch(world, submit):
    ticket, _ = submit(category=world.water_cat, address="12 Hàng Bài")
    ticket = workflow.ticket_route(ticket)
    assert ticket.office == world.water
    water_officer = type(world.officer_a).objects.create_user("water1", password="x")
    from feedback.models import Membership

    Membership.objects.create(user=water_officer, office=world.water)
    workflow.ticket_not_ours(ticket, actor=water_officer, reason="Đường ống nội bộ")
    ticket = workflow.ticket_route(ticket)
    assert ticket.office == world.office_a  # the ward's committee, the water company excluded
    workflow.ticket_not_ours(ticket, actor=world.officer_a, reason="Không thuộc")
    ticket = workflow.ticket_route(ticket)
    assert ticket.office == world.dispatch
    assert ticket.refusals == 2
    with pytest.raises(InvalidTransition):
        workflow.ticket_not_ours(ticket, actor=world.dispatcher, reason="?")
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds.count(E.NOT_OURS) == 2 and kinds.count(E.ROUTED) == 3


def test_it_closes_only_resolved_tickets_and_only_as_the_system(world, submit):
    ticket, _ = bring_to(S.RESOLVED, submit, world)
    with pytest.raises(Forbidden):
        workflow.ticket_close(ticket, actor=world.head_a)
    workflow.ticket_close(ticket)
    workflow.ticket_close(ticket)
    assert ticket.events.filter(kind=E.CLOSED).count() == 1
    open_ticket, _ = bring_to(S.IN_PROGRESS, submit, world)
    with pytest.raises(InvalidTransition):
        workflow.ticket_close(open_ticket)


def test_it_marks_a_breach_once_and_escalates_to_the_parent_office(world, submit):
    ticket, _ = bring_to(S.IN_PROGRESS, submit, world)
    workflow.ticket_mark_breached(ticket)
    ticket.refresh_from_db()
    assert ticket.breached_at is None  # not due yet
    later = ticket.due_at + timedelta(minutes=1)
    workflow.ticket_mark_breached(ticket, at=later)
    workflow.ticket_mark_breached(ticket, at=later + timedelta(hours=1))
    workflow.ticket_escalate(ticket, at=later)
    workflow.ticket_escalate(ticket, at=later)
    assert ticket.events.filter(kind=E.BREACHED).count() == 1
    escalated = ticket.events.get(kind=E.ESCALATED)
    assert escalated.office == world.city
    assert escalated.data["to_office"] == world.city.pk


def test_it_warns_once_after_three_quarters_of_the_time(world, submit):
    ticket, _ = bring_to(S.IN_PROGRESS, submit, world)
    workflow.ticket_warn(ticket, at=ticket.received_at + timedelta(minutes=1))
    assert not ticket.events.filter(kind=E.WARNED).exists()
    almost = ticket.due_at - timedelta(minutes=1)
    workflow.ticket_warn(ticket, at=almost)
    workflow.ticket_warn(ticket, at=almost)
    assert ticket.events.filter(kind=E.WARNED).count() == 1


# --- clocks -------------------------------------------------------------------


def test_it_runs_deadlines_from_the_true_receipt_time_of_a_paper_form(world, submit):
    two_days_ago = timezone.now() - timedelta(days=2)
    ticket, _ = submit(
        channel="paper",
        received_at=two_days_ago,
        entered_by=world.officer_a,
        source_ref="HS-2026-0012",
        consent=False,
    )
    ticket = workflow.ticket_route(ticket)
    from feedback import deadlines

    expected = deadlines.compute_due(ticket, start=two_days_ago)
    assert ticket.received_at == two_days_ago
    assert ticket.due_at == expected.due_at
    received = ticket.events.get(kind=E.RECEIVED)
    assert received.at == two_days_ago
    assert received.data["entered_by"] == world.officer_a.pk


def test_it_pauses_the_clock_while_waiting_for_the_citizen(world, submit):
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)
    ticket, secret = submit(at=monday)
    workflow.ticket_route(ticket, at=monday)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=monday)
    ticket.refresh_from_db()
    due_before = ticket.due_at
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Ảnh?", at=monday)
    workflow.ticket_citizen_reply(
        ticket, secret=secret, message="Đây", at=monday + timedelta(days=7)
    )
    ticket.refresh_from_db()
    assert ticket.due_at > due_before
    assert ticket.paused_since is None and ticket.status == S.IN_PROGRESS


def test_it_extends_a_denunciation_twice_by_the_heads_decision_only(world, submit):
    """Twice when especially complex (Luật Tố cáo 2018 art. 30(3))."""
    ticket, _ = submit(kind="denunciation", category=world.denunciations)
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_declare_complex(
        ticket, actor=world.head_a, level="especially_complex", reason="Nhiều nơi"
    )
    with pytest.raises(Forbidden):
        workflow.ticket_extend(ticket, actor=world.officer_a, reason="QĐ 12/QĐ-UBND")
    ticket.refresh_from_db()
    first_due = ticket.due_at
    workflow.ticket_extend(ticket, actor=world.head_a, reason="QĐ 12/QĐ-UBND")
    workflow.ticket_extend(ticket, actor=world.head_a, reason="QĐ 15/QĐ-UBND")
    with pytest.raises(InvalidTransition):
        workflow.ticket_extend(ticket, actor=world.head_a, reason="QĐ 19/QĐ-UBND")
    ticket.refresh_from_db()
    assert ticket.extensions == 2 and ticket.due_at > first_due


# --- intake -------------------------------------------------------------------


def test_it_makes_one_ticket_per_idempotency_key(world, submit):
    first, secret = submit(idempotency_key="form-123")
    again, secret_again = submit(idempotency_key="form-123")
    assert again.pk == first.pk and secret_again == secret
    assert Ticket.objects.count() == 1
    with pytest.raises(InvalidTransition):
        submit(idempotency_key="form-123", description="Một nội dung khác hẳn")


def test_it_says_which_call_created_the_ticket(world):
    args = dict(
        kind="feedback",
        category=world.waste,
        unit=world.ward_a,
        description="Rác thải tồn đọng.",
        channel="api",
        idempotency_key="k-1",
    )
    first = workflow.ticket_submit(**args)
    again = workflow.ticket_submit(**args)
    assert (first.created, again.created) == (True, False)
    assert again.ticket.pk == first.ticket.pk and again.secret == first.secret


def test_it_keeps_each_doors_idempotency_keys_apart(world, submit):
    """A key sent through the API that looks like the form's stored key
    ("web:K") neither replays nor blocks the form's own key K."""
    from_api, _ = submit(channel="api", idempotency_key="web:K-0123456789")
    from_form, _ = submit(channel="web", idempotency_key="K-0123456789")
    assert from_form.pk != from_api.pk
    assert from_form.idempotency_key == "web:K-0123456789"
    assert from_api.idempotency_key == "api:web:K-0123456789"
    staff, _ = submit(
        channel="hotline",
        entered_by=world.officer_a,
        idempotency_key="K-0123456789",
        idempotency_scope="staff",
    )
    assert staff.pk not in (from_form.pk, from_api.pk)


def test_it_stores_an_overlong_key_by_its_hash(world, submit):
    key = "x" * 300
    first, _ = submit(channel="api", idempotency_key=key)
    again, _ = submit(channel="api", idempotency_key=key)
    assert again.pk == first.pk
    assert first.idempotency_key.startswith("api:#") and len(first.idempotency_key) <= 100


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": "abc", "longitude": "105.8"}, "latitude"),
        ({"latitude": "91", "longitude": "105.8"}, "latitude"),
        ({"latitude": "21.0", "longitude": ""}, "latitude"),
        ({"latitude": "nan", "longitude": "nan"}, "latitude"),
        ({"description": "   "}, "description"),
        ({"consent": False}, "consent"),
        ({"kind": "complaint", "contact_name": ""}, "contact_name"),
        ({"kind": "denunciation", "is_anonymous": True}, "is_anonymous"),
        ({"kind": "nonsense"}, "kind"),
        ({"channel": "hotline"}, "channel"),
        ({"received_at": timezone.now() - timedelta(days=1)}, "received_at"),
    ],
)
def test_it_rejects_bad_input_and_stores_nothing(world, submit, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        submit(**overrides)
    assert error.value.field == field
    assert not Ticket.objects.exists() and not TicketEvent.objects.exists()


def test_it_requires_a_location_where_the_category_asks_for_one(world, submit):
    with pytest.raises(ValidationFailed):
        submit(category=world.water_cat)
    ticket, _ = submit(category=world.water_cat, latitude="21.028511", longitude="105.854167")
    assert str(ticket.latitude) == "21.028511"


def test_it_refuses_future_receipt_times_even_from_staff(world, submit):
    with pytest.raises(ValidationFailed):
        submit(
            channel="paper",
            entered_by=world.officer_a,
            received_at=timezone.now() + timedelta(hours=2),
        )


def test_it_keeps_a_denunciation_confidential_and_private(world, submit):
    ticket, _ = submit(kind="denunciation", category=world.denunciations, is_public=True)
    assert ticket.is_confidential and not ticket.is_public


def test_it_never_publishes_a_complaint_whoever_files_it(world, submit):
    # The rule lives in the workflow, so the API and the forms cannot differ.
    ticket, _ = submit(kind="complaint", category=world.complaints, is_public=True)
    assert not ticket.is_public and not ticket.is_confidential
    feedback, _ = submit(is_public=True)
    assert feedback.is_public


def test_it_drops_contact_details_of_anonymous_feedback(world, submit):
    ticket, _ = submit(is_anonymous=True)
    assert (ticket.contact_name, ticket.contact_email, ticket.contact_phone) == ("", "", "")
    assert ticket.consent_at is None


def test_it_merges_a_duplicate_into_the_original(world, submit):
    original, _ = bring_to(S.IN_PROGRESS, submit, world)
    duplicate, _ = bring_to(S.ROUTED, submit, world)
    workflow.ticket_merge(duplicate, actor=world.officer_a, into=original)
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == S.REJECTED and duplicate.duplicate_of == original
    assert original.supporter_count == 1
    with pytest.raises(ValidationFailed):
        workflow.ticket_merge(original, actor=world.officer_a, into=original)


def _merge_state(*tickets):
    return [
        (t.status, t.duplicate_of_id, t.supporter_count, t.events.count())
        for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("pk")
    ]


def test_it_will_not_merge_into_another_offices_ticket_it_cannot_see(world, submit):
    ours, _ = bring_to(S.ROUTED, submit, world)
    theirs, _ = bring_to(
        S.ROUTED, submit, world, unit=world.ward_b, kind="complaint", category=world.complaints
    )
    assert theirs.office == world.office_b and not theirs.is_public
    before = _merge_state(ours, theirs)
    with pytest.raises(NotFound) as raised:
        workflow.ticket_merge(ours, actor=world.officer_a, into=theirs)
    # The same answer as for a code that does not exist.
    assert raised.value.message == "Không tìm thấy phản ánh." and raised.value.field == "into"
    assert _merge_state(ours, theirs) == before
    assert theirs.code not in "".join(ours.events.values_list("message", flat=True))


def test_it_will_not_merge_into_a_ticket_the_actor_may_only_read(world, submit):
    # officer_b typed in a call that was routed to office A: they follow it,
    # but it is not theirs to write on.
    followed, _ = submit(channel="hotline", entered_by=world.officer_b, consent=False)
    followed = workflow.ticket_route(followed)
    ours, _ = bring_to(S.ROUTED, submit, world, unit=world.ward_b)
    assert ours.office == world.office_b and followed.office == world.office_a
    before = _merge_state(ours, followed)
    with pytest.raises(Forbidden) as raised:
        workflow.ticket_merge(ours, actor=world.officer_b, into=followed)
    assert raised.value.field == "into" and "chuyển" in raised.value.message
    assert _merge_state(ours, followed) == before


def test_an_administrator_may_merge_across_offices(world, submit):
    ours, _ = bring_to(S.ROUTED, submit, world)
    theirs, _ = bring_to(S.ROUTED, submit, world, unit=world.ward_b)
    workflow.ticket_merge(ours, actor=world.admin, into=theirs)
    ours.refresh_from_db()
    assert ours.duplicate_of == theirs


def test_a_read_only_leader_cannot_enter_a_report(world, submit):
    with pytest.raises(Forbidden):
        submit(channel="paper", entered_by=world.leader, consent=False,
               received_at=timezone.now() - timedelta(days=2))  # fmt: skip
    assert not Ticket.objects.exists()


def test_it_raises_not_found_for_a_missing_ticket(world):
    with pytest.raises(NotFound):
        workflow.ticket_route(999_999)


def test_it_keeps_events_append_only(world, submit):
    ticket, _ = submit()
    event = ticket.events.get()
    event.message = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


# --- after commit -------------------------------------------------------------


def test_it_publishes_and_notifies_only_after_commit(
    world, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _ = submit()
    ticket.refresh_from_db()
    # Routing ran in-process after the intake committed.
    assert ticket.status == S.ROUTED and ticket.office == world.office_a
    subjects = [m.subject for m in mail.outbox]
    recipients = [tuple(m.to) for m in mail.outbox]
    assert ("an@example.com",) in recipients
    assert ("head_a@example.com", "officer_a@example.com") in recipients
    assert any(ticket.display_code in s for s in subjects)
    assert not ticket.events.filter(notified_at__isnull=True).exists()


def test_it_queues_delivery_only_for_events_that_may_send_something(
    world, submit, django_capture_on_commit_callbacks
):
    from unittest import mock

    ticket, _ = bring_to(S.IN_PROGRESS, submit, world)
    with mock.patch("feedback.workflow.core.queue_task") as queued:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.ticket_note(ticket, actor=world.officer_a, message="Gọi lại sau.")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.ticket_answer(ticket, actor=world.officer_a, message="Đã cử người.")
    note, answer = ticket.events.filter(kind__in=[E.NOTE, E.ANSWERED]).order_by("id")
    # A note owes nobody a message: stored as delivered, so no sweep re-queues it.
    assert note.notified_at is not None
    assert answer.notified_at is None
    assert [c.args for c in queued.call_args_list] == [("workers.tasks.deliver_event", answer.pk)]


def test_a_correction_writes_only_what_changed_with_an_internal_event(world, submit):
    ticket, _ = bring_to(S.ROUTED, submit, world)
    workflow.ticket_correct(
        ticket, actor=world.officer_a,
        changes={"address": "Số 5 Tràng Tiền", "contact_phone": "0987654321",
                 "title": ticket.title},
    )  # fmt: skip
    ticket.refresh_from_db()
    event = ticket.events.get(kind=TicketEvent.Kind.EDITED)
    assert event.data["fields"] == ["address", "contact_phone"]
    # The identity field is named, its old value is not kept in the timeline.
    assert event.data["before"] == {"address": ""}
    assert "0912345678" not in str(event.data) + event.message
    assert "so 5 trang tien" in ticket.search_text and not event.is_public


@pytest.mark.parametrize(
    "actor,changes,error",
    [
        ("officer_b", {"title": "Khác"}, Forbidden),
        ("leader", {"title": "Khác"}, Forbidden),
        ("officer_a", {"status": "closed"}, ValidationFailed),
        ("officer_a", {"description": "   "}, ValidationFailed),
        ("officer_a", {"latitude": "95", "longitude": "105"}, ValidationFailed),
    ],
)
def test_a_correction_is_refused_whole(world, submit, actor, changes, error):
    ticket, _ = bring_to(S.ROUTED, submit, world)
    before = (ticket.title, ticket.description, ticket.latitude, ticket.status)
    with pytest.raises(error):
        workflow.ticket_correct(ticket, actor=getattr(world, actor), changes=changes)
    ticket.refresh_from_db()
    assert (ticket.title, ticket.description, ticket.latitude, ticket.status) == before
    assert not ticket.events.filter(kind=TicketEvent.Kind.EDITED).exists()


def test_a_complaint_cannot_be_made_public_by_a_correction(world, submit):
    ticket, _ = bring_to(S.ROUTED, submit, world, kind="complaint", category=world.complaints)
    with pytest.raises(ValidationFailed):
        workflow.ticket_correct(ticket, actor=world.admin, changes={"is_public": True})
    ticket.refresh_from_db()
    assert not ticket.is_public
