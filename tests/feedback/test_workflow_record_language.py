"""Text stored on a ticket is written in the site's language (Vietnamese),
whatever language the officer's pages are in: the timeline is a shared
record. Errors still speak the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from feedback import workflow
from feedback.errors import InvalidTransition
from feedback.models import TicketEvent

E = TicketEvent.Kind


def message_of(ticket, kind) -> str:
    return ticket.events.filter(kind=kind).latest("pk").message


def test_routing_done_while_english_is_active_is_recorded_in_vietnamese(world, submit):
    ticket, _secret = submit()
    with translation.override("en"):
        ticket = workflow.ticket_route(ticket)
    assert message_of(ticket, E.ROUTED) == "Chuyển đến UBND Phường Hoàn Kiếm"
    assert ticket.routing_reason.startswith("Không có quy tắc phù hợp")


def test_an_english_reading_officer_writes_vietnamese_to_the_timeline(world, routed):
    ticket = routed()
    with translation.override("en"):
        workflow.ticket_acknowledge(ticket, actor=world.officer_a)
        workflow.ticket_transfer(
            ticket, actor=world.head_a, to_office=world.water, reason="Ống nước vỡ"
        )
    ticket.refresh_from_db()
    assert message_of(ticket, E.ACKNOWLEDGED) == "UBND Phường Hoàn Kiếm đã tiếp nhận, đang xử lý"
    assert message_of(ticket, E.TRANSFERRED) == (
        "Chuyển từ UBND Phường Hoàn Kiếm đến Công ty Nước sạch Hà Nội: Ống nước vỡ"
    )
    assert ticket.routing_reason == "Chuyển từ UBND Phường Hoàn Kiếm: Ống nước vỡ"


def test_a_refusal_and_a_merge_in_english_are_recorded_in_vietnamese(world, routed):
    first, second = routed(), routed(title="Rác thải lần hai")
    with translation.override("en"):
        workflow.ticket_merge(second, actor=world.head_a, into=first)
        workflow.ticket_not_ours(first, actor=world.head_a, reason="Việc của sở")
    first.refresh_from_db()
    assert message_of(first, E.NOT_OURS) == (
        "UBND Phường Hoàn Kiếm: không thuộc thẩm quyền — Việc của sở"
    )
    assert message_of(second, E.MERGED) == f"Trùng với phản ánh {first.display_code}"


def test_errors_still_speak_the_readers_language(world, routed):
    ticket = routed()
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã dọn xong.")
    with translation.override("en"), pytest.raises(InvalidTransition) as caught:
        workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    assert caught.value.message.startswith("Cannot accept while the report is")
