"""Case documents: what each kind says, which act it records, and the PDF.

The layout follows the shape every administrative document has under
Decree 30/2020/NĐ-CP on clerical work (the issuing body top left with the
number and symbol, the national title top right, place and date, the name
of the document, the body, the recipients and the signer), and the content
follows the forms annexed to Decree 124/2020/NĐ-CP (complaints: notices of
acceptance or refusal, the decision on a complaint) and Decree 31/2019/NĐ-CP
(denunciations: notice of acceptance, decision to extend, conclusion). The
receipt slip (phiếu tiếp nhận) has no national form; its content is the
product's choice. The form numbers of the decrees are not reproduced: the
documents carry their content, not a facsimile.

Issuing (numbering, the timeline) is feedback/workflow/documents.py; this
module only describes and lays out, from the content frozen at issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from feedback.models import CaseDocument, Ticket, TicketEvent

K = CaseDocument.Kind
E = TicketEvent.Kind
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
# Stored text and the PDF are in Vietnamese, the language of the record.
IDENTITY_WITHHELD = "(Danh tính người tố cáo được giữ bí mật theo Điều 9 Luật Tố cáo 2018)"


@dataclass(frozen=True)
class Spec:
    title: str
    subject: str  # "Về việc ..." under the title
    symbol: str  # the type's abbreviation in the number (Decree 30/2020 annex III)
    ticket_kinds: frozenset[str]
    # The events this kind of document records; the newest is used.
    acts: frozenset[str]
    legal_basis: tuple[str, ...]


COMPLAINT_LAW = (
    "Luật Khiếu nại ngày 11 tháng 11 năm 2011",
    "Nghị định số 124/2020/NĐ-CP ngày 19 tháng 10 năm 2020 của Chính phủ quy định chi tiết "
    "một số điều và biện pháp thi hành Luật Khiếu nại",
)
DENUNCIATION_LAW = (
    "Luật Tố cáo ngày 12 tháng 6 năm 2018",
    "Nghị định số 31/2019/NĐ-CP ngày 10 tháng 4 năm 2019 của Chính phủ quy định chi tiết "
    "một số điều và biện pháp tổ chức thi hành Luật Tố cáo",
)
ALL_KINDS = frozenset(Ticket.Kind.values)
STATUTORY = frozenset({Ticket.Kind.COMPLAINT, Ticket.Kind.DENUNCIATION})

SPECS: dict[str, Spec] = {
    K.RECEIPT: Spec(
        title="PHIẾU TIẾP NHẬN",
        subject="Về việc tiếp nhận đơn, phản ánh, kiến nghị",
        symbol="PTN",
        ticket_kinds=ALL_KINDS,
        acts=frozenset({E.RECEIVED}),
        legal_basis=(),
    ),
    # Acceptance (thụ lý) is recorded as the office's acknowledgement of a
    # complaint or a denunciation (Luật Khiếu nại art. 27; Luật Tố cáo art. 29).
    K.ACCEPTANCE: Spec(
        title="THÔNG BÁO",
        subject="Về việc thụ lý giải quyết",
        symbol="TB",
        ticket_kinds=STATUTORY,
        acts=frozenset({E.ACKNOWLEDGED, "accepted"}),
        legal_basis=(),
    ),
    K.REFUSAL: Spec(
        title="THÔNG BÁO",
        subject="Về việc không thụ lý giải quyết",
        symbol="TB",
        ticket_kinds=STATUTORY,
        acts=frozenset({"refused"}),
        legal_basis=(),
    ),
    K.EXTENSION: Spec(
        title="QUYẾT ĐỊNH",
        subject="Về việc gia hạn giải quyết tố cáo",
        symbol="QĐ",
        ticket_kinds=frozenset({Ticket.Kind.DENUNCIATION}),
        acts=frozenset({E.EXTENDED}),
        legal_basis=(*DENUNCIATION_LAW, "Điều 30 Luật Tố cáo 2018 về thời hạn giải quyết tố cáo"),
    ),
    K.COMPLAINT_DECISION: Spec(
        title="QUYẾT ĐỊNH",
        subject="Về việc giải quyết khiếu nại",
        symbol="QĐ",
        ticket_kinds=frozenset({Ticket.Kind.COMPLAINT}),
        acts=frozenset({E.RESOLVED}),
        legal_basis=(*COMPLAINT_LAW, "Điều 31 Luật Khiếu nại 2011 về quyết định giải quyết"),
    ),
    K.DENUNCIATION_CONCLUSION: Spec(
        title="KẾT LUẬN",
        subject="Nội dung tố cáo",
        symbol="KL",
        ticket_kinds=frozenset({Ticket.Kind.DENUNCIATION}),
        acts=frozenset({E.RESOLVED}),
        legal_basis=(*DENUNCIATION_LAW, "Điều 35 Luật Tố cáo 2018 về kết luận nội dung tố cáo"),
    ),
}


def law_for(ticket: Ticket) -> tuple[str, ...]:
    if ticket.kind == Ticket.Kind.COMPLAINT:
        return COMPLAINT_LAW
    if ticket.kind == Ticket.Kind.DENUNCIATION:
        return DENUNCIATION_LAW
    return ("Quyết định số 1207/QĐ-UBND năm 2025 của Ủy ban nhân dân thành phố Hà Nội",)


def act_for(kind: str, ticket: Ticket, events: list[TicketEvent]) -> TicketEvent | None:
    """The newest event this kind of document can record on this ticket."""
    spec = SPECS[kind]
    if ticket.kind not in spec.ticket_kinds:
        return None
    found = [e for e in events if e.kind in spec.acts]
    if kind == K.EXTENSION:
        # An extension of a denunciation's screening (Luật Tố cáo art. 24(1))
        # is recorded as EXTENDED too, marked as the receipt deadline's; the
        # decision to extend is about the resolution period (art. 30).
        found = [e for e in found if (e.data or {}).get("deadline") != "ack"]
    return found[-1] if found else None


def office_symbol(office) -> str:
    return office.code.upper()


def _when(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _day(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"


def build_content(kind: str, ticket: Ticket, act: TicketEvent, *, issued_at, signer) -> dict:
    """What the document says, frozen at issue (Vietnamese: the record's
    language). The identity lines are kept apart so that a reader without
    the right to see the identity gets the document without them."""
    spec = SPECS[kind]
    office = ticket.office
    kind_label = {
        Ticket.Kind.COMPLAINT: "đơn khiếu nại",
        Ticket.Kind.DENUNCIATION: "đơn tố cáo",
    }.get(ticket.kind, "phản ánh, kiến nghị")
    subject = spec.subject
    if kind in (K.ACCEPTANCE, K.REFUSAL):
        subject += " khiếu nại" if ticket.kind == Ticket.Kind.COMPLAINT else " tố cáo"
    facts = [
        f"Mã tra cứu: {ticket.display_code}",
        f"Tiếp nhận lúc: {_when(ticket.received_at)}; kênh: {ticket.get_channel_display()}",
        f"Lĩnh vực: {ticket.category.name}; địa bàn: {ticket.unit.name}",
        f"Nội dung: {ticket.title or ticket.description[:300]}",
    ]
    body: list[str] = []
    if kind == K.RECEIPT:
        body.append(f"{office.name} đã tiếp nhận {kind_label} với các thông tin sau:")
        body += facts
        if ticket.ack_due_at:
            body.append(f"Hạn tiếp nhận, thụ lý: {_when(ticket.ack_due_at)}")
        if ticket.due_at:
            body.append(f"Hạn giải quyết dự kiến: {_when(ticket.due_at)}")
        body.append("Người gửi tra cứu kết quả bằng mã tra cứu trên cổng phản ánh của thành phố.")
    elif kind == K.ACCEPTANCE:
        body.append(f"Ngày {_when(act.at)}, {office.name} đã thụ lý giải quyết {kind_label}:")
        body += facts
        if ticket.due_at:
            body.append(f"Thời hạn giải quyết: đến {_when(ticket.due_at)}.")
    elif kind == K.REFUSAL:
        body.append(f"{office.name} không thụ lý giải quyết {kind_label}:")
        body += facts
        # The refusal's text names the law's grounds, one a line.
        body += act.message.splitlines()
    elif kind == K.EXTENSION:
        data = act.data or {}
        body.append(f"Gia hạn thời hạn giải quyết tố cáo mã {ticket.display_code}.")
        body.append(f"Lý do gia hạn: {act.message}")
        if data.get("new_due"):
            new_due = datetime.fromisoformat(data["new_due"])
            body.append(f"Thời hạn giải quyết mới: đến {_when(new_due)}.")
        body.append(f"Số lần gia hạn: {ticket.extensions}.")
    elif kind == K.COMPLAINT_DECISION:
        body.append(f"Giải quyết {kind_label}:")
        body += facts
        body.append(f"Kết quả giải quyết: {act.message}")
        body.append(
            "Trong thời hạn theo Điều 33 Luật Khiếu nại 2011, nếu không đồng ý với quyết định này, "
            "người khiếu nại có quyền khiếu nại đến người có thẩm quyền giải quyết khiếu nại lần "
            "hai hoặc khởi kiện vụ án hành chính tại Tòa án."
        )
    elif kind == K.DENUNCIATION_CONCLUSION:
        body.append(f"Kết luận nội dung {kind_label}:")
        body += facts
        body.append(f"Kết luận: {act.message}")
    return {
        "parent_office": office.parent.name if office.parent_id else "",
        "office": office.name,
        "place": _place(ticket),
        "date": _day(issued_at),
        "title": spec.title,
        "subject": subject,
        "legal_basis": [*spec.legal_basis] or [*law_for(ticket)],
        "identity": _identity(ticket),
        "body": body,
        "recipients": [
            "Người gửi đơn" if ticket.kind in STATUTORY else "Người phản ánh",
            "Lưu: VT",
        ],
        "signer": (signer.get_full_name() or signer.get_username()) if signer else "",
        "signer_title": "THỦ TRƯỞNG CƠ QUAN" if kind != K.RECEIPT else "CÁN BỘ TIẾP NHẬN",
    }


def _place(ticket: Ticket) -> str:
    """The city of the unit (Hà Nội), for "Hà Nội, ngày ..."."""
    from feedback.models import AdministrativeUnit

    paths = ticket.unit.ancestors_paths()
    for unit in AdministrativeUnit.objects.filter(path__in=paths).order_by("depth"):
        if unit.kind in (AdministrativeUnit.Kind.CITY, AdministrativeUnit.Kind.PROVINCE):
            return unit.name.replace("Thành phố ", "").replace("Tỉnh ", "")
    return ""


def _identity(ticket: Ticket) -> list[str]:
    if ticket.is_anonymous:
        return ["Người gửi: ẩn danh"]
    lines = [f"Người gửi: {ticket.contact_name or '—'}"]
    if ticket.contact_address:
        lines.append(f"Địa chỉ: {ticket.contact_address}")
    if ticket.contact_phone:
        lines.append(f"Điện thoại: {ticket.contact_phone}")
    return lines


# --- the PDF ---------------------------------------------------------------------------


# After each block of text, go back to the left margin on the next line
# (fpdf2 otherwise stays to the right of the block; it takes the names of
# its XPos and YPos values).
_NEXT = {"new_x": "LMARGIN", "new_y": "NEXT"}


def _new_pdf():
    """An A4 page with the Vietnamese serif font. fpdf2 (with fontTools under
    it, about 44 MB) is imported by the first PDF a process makes, not by
    every web and worker process at start."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVuSerif", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("DejaVuSerif", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def render_pdf(document: CaseDocument, *, show_identity: bool) -> bytes:
    """The document as a PDF. Without `show_identity` the sender's identity
    lines of a denunciation are replaced by the secrecy notice (Luật Tố cáo
    art. 9); other kinds show who wrote in to the readers who see the case."""
    c = document.content
    pdf = _new_pdf()
    pdf.set_title(f"{c['title']} {document.reference}")
    pdf.set_creation_date(document.issued_at)
    pdf.add_page()
    # The issuing body on the left, the national title on the right, as
    # official documents are laid out.
    width = pdf.epw * 0.42
    right = pdf.epw - width
    top = pdf.get_y()
    pdf.set_font("DejaVuSerif", "", 10)
    if c.get("parent_office"):
        pdf.multi_cell(width - 4, 5, c["parent_office"].upper(), align="C", **_NEXT)
    pdf.set_font("DejaVuSerif", "B", 10)
    pdf.multi_cell(width - 4, 5, c["office"].upper(), align="C", **_NEXT)
    pdf.set_font("DejaVuSerif", "", 10)
    pdf.multi_cell(width - 4, 6, f"Số: {document.reference}", align="C", **_NEXT)
    left_end = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width, top)
    pdf.set_font("DejaVuSerif", "B", 10)
    pdf.multi_cell(right, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", **_NEXT)
    pdf.set_x(pdf.l_margin + width)
    pdf.multi_cell(right, 5, "Độc lập - Tự do - Hạnh phúc", align="C", **_NEXT)
    pdf.set_x(pdf.l_margin + width)
    pdf.set_font("DejaVuSerif", "", 10)
    place = f"{c['place']}, {c['date']}" if c.get("place") else c["date"].capitalize()
    pdf.multi_cell(right, 6, place, align="C", **_NEXT)
    pdf.set_y(max(left_end, pdf.get_y()) + 6)

    pdf.set_font("DejaVuSerif", "B", 13)
    pdf.multi_cell(0, 7, c["title"], align="C", **_NEXT)
    pdf.set_font("DejaVuSerif", "B", 11)
    pdf.multi_cell(0, 6, c["subject"], align="C", **_NEXT)
    pdf.ln(4)
    pdf.set_font("DejaVuSerif", "", 11)
    for law in c.get("legal_basis", []):
        pdf.multi_cell(0, 6, f"Căn cứ {law};", **_NEXT)
    if c.get("legal_basis"):
        pdf.ln(2)
    identity = c.get("identity", []) if show_identity else [IDENTITY_WITHHELD]
    for line in identity:
        pdf.multi_cell(0, 6, line, **_NEXT)
    for line in c.get("body", []):
        pdf.multi_cell(0, 6, line, **_NEXT)
    pdf.ln(8)

    top = pdf.get_y()
    pdf.set_font("DejaVuSerif", "B", 10)
    pdf.multi_cell(width, 5, "Nơi nhận:", **_NEXT)
    pdf.set_font("DejaVuSerif", "", 10)
    for recipient in c.get("recipients", []):
        pdf.multi_cell(width, 5, f"- {recipient};", **_NEXT)
    left_end = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width, top)
    pdf.set_font("DejaVuSerif", "B", 10)
    pdf.multi_cell(right, 5, c.get("signer_title", ""), align="C", **_NEXT)
    pdf.set_x(pdf.l_margin + width)
    pdf.ln(14)
    pdf.set_x(pdf.l_margin + width)
    pdf.multi_cell(right, 5, c.get("signer", ""), align="C", **_NEXT)
    pdf.set_y(max(left_end, pdf.get_y()))
    return bytes(pdf.output())
