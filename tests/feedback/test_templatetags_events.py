"""The event_text filter: system-written timeline messages are re-said in
the reader's language; everything else is shown as stored."""

from __future__ import annotations

from django.utils import translation

from feedback import workflow
from feedback.models import TicketEvent
from feedback.templatetags.events import event_text

E = TicketEvent.Kind


def event(ticket, kind) -> TicketEvent:
    return ticket.events.select_related("office").filter(kind=kind).latest("pk")


def test_it_says_where_a_ticket_was_sent_in_english_for_an_english_reader(world, routed):
    ticket = routed()
    routed_event = event(ticket, E.ROUTED)
    with translation.override("en"):
        assert event_text(routed_event) == "Forwarded to UBND Phường Hoàn Kiếm"
    with translation.override("vi"):
        assert (
            event_text(routed_event) == routed_event.message == ("Chuyển đến UBND Phường Hoàn Kiếm")
        )


def test_it_re_says_an_acknowledgement_and_a_merge(world, routed):
    first, second = routed(), routed(title="Rác thải lần hai")
    workflow.ticket_acknowledge(first, actor=world.officer_a)
    workflow.ticket_merge(second, actor=world.head_a, into=first)
    with translation.override("en"):
        assert event_text(event(first, E.ACKNOWLEDGED)) == (
            "UBND Phường Hoàn Kiếm has accepted it and is working on it"
        )
        assert event_text(event(second, E.MERGED)) == (f"Duplicate of report {first.display_code}")


def test_it_re_says_a_refusal_and_a_transfer_keeping_the_officers_reason(world, routed):
    refused, moved = routed(), routed(title="Rác thải lần hai")
    workflow.ticket_not_ours(refused, actor=world.head_a, reason="Việc của sở")
    workflow.ticket_transfer(moved, actor=world.head_a, to_office=world.water, reason="Ống nước")
    with translation.override("en"):
        assert event_text(event(refused, E.NOT_OURS)) == (
            "UBND Phường Hoàn Kiếm: not within its competence — Việc của sở"
        )
        assert event_text(event(moved, E.TRANSFERRED)) == (
            "Transferred from UBND Phường Hoàn Kiếm to Công ty Nước sạch Hà Nội: Ống nước"
        )


def test_it_leaves_what_an_officer_wrote_as_written(world, routed):
    ticket = routed()
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_answer(ticket, actor=world.officer_a, message="Chuyển đến tổ dân phố.")
    with translation.override("en"):
        assert event_text(event(ticket, E.ANSWERED)) == "Chuyển đến tổ dân phố."


def test_it_shows_a_message_that_no_longer_matches_its_facts_as_stored(world, routed):
    ticket = routed()
    world.office_a.name = "UBND Phường Hoàn Kiếm (mới)"
    world.office_a.save()
    routed_event = event(ticket, E.ROUTED)
    with translation.override("en"):
        assert event_text(routed_event) == "Chuyển đến UBND Phường Hoàn Kiếm"


def test_the_public_timeline_in_english_uses_it(world, routed, client):
    ticket = routed()
    client.cookies["django_language"] = "en"
    html = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert "Forwarded to UBND Phường Hoàn Kiếm" in html
    assert "Chuyển đến" not in html


def test_it_re_says_a_correction_by_an_english_speaking_administrator(world, routed):
    ticket = routed()
    with translation.override("en"):
        workflow.ticket_correct(
            ticket, actor=world.admin, changes={"title": "Rác ở Hàng Bài", "latitude": "21.02",
                                                "longitude": "105.85"},
        )  # fmt: skip
    edited = event(ticket, E.EDITED)
    assert edited.message == "Sửa hồ sơ: tiêu đề, vĩ độ, kinh độ"
    with translation.override("en"):
        assert event_text(edited) == "Record corrected: title, latitude, longitude"
