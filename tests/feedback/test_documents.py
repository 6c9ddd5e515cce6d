"""Case documents: issued from the case, numbered per office and year, dated,
on the timeline, and downloadable as a PDF whose text is Vietnamese."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from feedback import workflow
from feedback.errors import Forbidden, InvalidTransition, ValidationFailed
from feedback.models import CaseDocument, Membership, TicketEvent
from feedback.templatetags.events import event_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=VN)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def pdf_url(document: CaseDocument) -> str:
    return reverse("staff:document_pdf", args=[document.ticket.code, document.pk])


def test_it_issues_a_numbered_dated_receipt_slip_on_the_timeline(world, routed):
    ticket = routed()

    slip = workflow.document_issue(ticket, kind="receipt", actor=world.officer_a, at=at(2026, 3, 2))

    assert (slip.office, slip.year, slip.number) == (world.office_a, 2026, 1)
    assert slip.reference == "1/PTN-UBND-HOAN-KIEM"
    assert slip.source_event.kind == TicketEvent.Kind.RECEIVED
    event = ticket.events.get(kind=TicketEvent.Kind.DOCUMENT)
    assert event.is_public
    assert event.data["document"] == slip.pk
    assert event.message == "Ban hành Phiếu tiếp nhận số 1/PTN-UBND-HOAN-KIEM ngày 02/03/2026."
    with translation.override("en"):
        assert event_text(event) == "Issued Receipt slip no. 1/PTN-UBND-HOAN-KIEM on 02/03/2026."


def test_it_numbers_per_office_and_restarts_each_year(world, routed):
    first = workflow.document_issue(
        routed(), kind="receipt", actor=world.officer_a, at=at(2026, 12, 30)
    )
    second = workflow.document_issue(
        routed(), kind="receipt", actor=world.officer_a, at=at(2026, 12, 31)
    )
    elsewhere = workflow.document_issue(
        routed(unit=world.ward_b), kind="receipt", actor=world.officer_b, at=at(2026, 12, 31)
    )
    next_year = workflow.document_issue(
        routed(), kind="receipt", actor=world.officer_a, at=at(2027, 1, 4)
    )
    assert [first.number, second.number, elsewhere.number, next_year.number] == [1, 2, 1, 1]
    assert next_year.year == 2027


def test_it_returns_the_same_document_when_issued_twice_for_one_act(world, routed):
    ticket = routed()
    one = workflow.document_issue(ticket, kind="receipt", actor=world.officer_a)
    again = workflow.document_issue(ticket, kind="receipt", actor=world.officer_a)
    assert again.pk == one.pk
    assert ticket.events.filter(kind=TicketEvent.Kind.DOCUMENT).count() == 1
    assert workflow.issuable_documents(ticket) == []


def test_it_refuses_a_document_the_case_does_not_support_and_writes_nothing(world, routed):
    report = routed()
    with pytest.raises(InvalidTransition, match="Chưa thể ban hành"):
        # A report has no decision on a complaint (Luật Khiếu nại art. 31).
        workflow.document_issue(report, kind="complaint_decision", actor=world.officer_a)
    with pytest.raises(ValidationFailed):
        workflow.document_issue(report, kind="bogus", actor=world.officer_a)
    with pytest.raises(Forbidden):
        workflow.document_issue(report, kind="receipt", actor=world.officer_b)
    assert not CaseDocument.objects.exists()
    assert not report.events.filter(kind=TicketEvent.Kind.DOCUMENT).exists()


def test_it_prints_the_receipt_slip_in_vietnamese(world, routed, client_as):
    ticket = routed()
    slip = workflow.document_issue(ticket, kind="receipt", actor=world.officer_a, at=at(2026, 3, 2))

    response = client_as(world.officer_a).get(pdf_url(slip))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU TIẾP NHẬN",
        "Số: 1/PTN-UBND-HOAN-KIEM",
        "Hà Nội, ngày 02 tháng 03 năm 2026",
        "UBND Phường Hoàn Kiếm đã tiếp nhận phản ánh, kiến nghị",
        f"Mã tra cứu: {ticket.display_code}",
        "Người gửi: Nguyễn Văn An",
        "Rác thải tồn đọng",
    ):
        assert expected in text, expected


def test_it_lets_no_other_office_download_a_document(world, routed, client_as):
    slip = workflow.document_issue(routed(), kind="receipt", actor=world.officer_a)
    assert client_as(world.officer_b).get(pdf_url(slip)).status_code == 404
    assert client_as(world.outsider).get(pdf_url(slip)).status_code == 403
    assert client_as(None).get(pdf_url(slip)).status_code == 302  # to the login page
    # The city's leader reads the case file of every ward.
    assert client_as(world.leader).get(pdf_url(slip)).status_code == 200


def test_it_prints_an_extension_decision_and_keeps_the_denouncer_secret(world, routed, client_as):
    """Luật Tố cáo 2018 art. 30(2): an extension is decided in writing;
    art. 9: the denouncer's identity is secret."""
    ticket = routed(
        kind="denunciation", category=world.denunciations, title="Tố cáo cán bộ", is_complex=True
    )
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)  # accepted: its period runs
    workflow.ticket_extend(ticket, actor=world.head_a, reason="Vụ việc phức tạp, cần xác minh")
    decision = workflow.document_issue(ticket, kind="extension", actor=world.head_a)

    assert decision.reference == "1/QĐ-UBND-HOAN-KIEM"
    text = pdf_text(client_as(world.officer_a).get(pdf_url(decision)).content)
    assert "QUYẾT ĐỊNH" in text
    assert "Về việc gia hạn giải quyết tố cáo" in text
    assert "Lý do gia hạn: Vụ việc phức tạp, cần xác minh" in text
    assert "Căn cứ Luật Tố cáo ngày 12 tháng 6 năm 2018;" in text
    assert "Nguyễn Văn An" not in text
    assert "được giữ bí mật theo Điều 9 Luật Tố cáo 2018" in text


def test_it_prints_a_decision_on_a_complaint_from_its_resolution(world, routed, client_as):
    ticket = routed(kind="complaint", category=world.complaints, title="Khiếu nại quyết định")
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)  # accepted (thụ lý) first
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Giữ nguyên quyết định.")
    assert "complaint_decision" in workflow.issuable_documents(ticket)

    client = client_as(world.officer_a)
    response = client.post(
        reverse("staff:document_issue", args=[ticket.code]), {"kind": "complaint_decision"}
    )

    assert response.status_code == 302
    decision = CaseDocument.objects.get(ticket=ticket, kind="complaint_decision")
    text = pdf_text(client.get(pdf_url(decision)).content)
    assert "Về việc giải quyết khiếu nại" in text
    assert "Kết quả giải quyết: Giữ nguyên quyết định." in text
    page = client.get(reverse("staff:ticket", args=[ticket.code])).content.decode()
    assert pdf_url(decision) in page


def test_it_offers_issuing_only_to_the_handling_office(world, routed, client_as):
    ticket = routed()
    url = reverse("staff:ticket", args=[ticket.code])
    assert 'name="kind"' in client_as(world.officer_a).get(url).content.decode()
    Membership.objects.create(user=world.officer_b, office=world.city, role="leader")
    assert 'name="kind"' not in client_as(world.officer_b).get(url).content.decode()


def test_the_reporter_downloads_the_documents_of_their_case(world, submit, client):
    ticket, secret = submit()
    ticket = workflow.ticket_route(ticket)
    slip = workflow.document_issue(ticket, kind="receipt", actor=world.officer_a)
    url = reverse("public:private_document", args=[ticket.code, secret, slip.pk])

    page = client.get(reverse("public:private", args=[ticket.code, secret])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "PHIẾU TIẾP NHẬN" in text and "Người gửi: Nguyễn Văn An" in text
    wrong = reverse("public:private_document", args=[ticket.code, "x" * len(secret), slip.pk])
    assert client.get(wrong).status_code == 404


def test_it_decides_an_extension_only_of_the_resolution_period(world, routed):
    """A screening extension (Luật Tố cáo art. 24(1)) is recorded as EXTENDED
    with data.deadline = "ack"; no decision to extend (art. 30) follows from it."""
    from feedback.workflow.core import record

    ticket = routed(kind="denunciation", category=world.denunciations)
    record(ticket, TicketEvent.Kind.EXTENDED, at=ticket.received_at, data={"deadline": "ack"})
    assert "extension" not in workflow.issuable_documents(ticket)
    with pytest.raises(InvalidTransition):
        workflow.document_issue(ticket, kind="extension", actor=world.head_a)
