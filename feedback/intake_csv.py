"""Backfill a batch of paper forms from a CSV file (after an outage, or a
day of reception outside the office).

All or nothing: every row is checked, then every ticket is created in one
transaction; if any row fails (here or in the workflow's own rules) the
whole batch is rolled back and the officer gets one report listing every
problem by row number and column. Tickets are created by
workflow.ticket_submit, with the true receipt time, so deadlines run from it.
Each row gets an idempotency key from its dossier number and receipt time,
so importing the same file twice does not create the tickets twice.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import selectors_public, workflow
from feedback.coordinates import parse_coordinate
from feedback.errors import DomainError
from feedback.models import Category, Ticket

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024

# (column, required, what it holds) — the template and the page's help use this.
COLUMNS: list[tuple[str, bool, Any]] = [
    ("so_ho_so", True, gettext_lazy("Số hồ sơ / số đơn trên giấy")),
    (
        "thoi_diem_tiep_nhan",
        True,
        gettext_lazy("Ngày giờ tiếp nhận thực tế: 2025-07-15 09:30 hoặc 15/07/2025 09:30"),
    ),
    ("ly_do_nhap_bu", True, gettext_lazy("Lý do nhập bù, ví dụ: mất điện")),
    (
        "loai",
        False,
        gettext_lazy("phan_anh (mặc định), khieu_nai hoặc to_cao"),
    ),
    ("linh_vuc", True, gettext_lazy("Mã lĩnh vực")),
    ("phuong_xa", True, gettext_lazy("Mã phường, xã (mã hành chính)")),
    ("dia_chi", False, gettext_lazy("Địa chỉ nơi xảy ra sự việc")),
    ("tieu_de", False, gettext_lazy("Tiêu đề ngắn")),
    ("noi_dung", True, gettext_lazy("Nội dung đơn")),
    ("ho_ten", False, gettext_lazy("Họ tên người gửi (bắt buộc với khiếu nại, tố cáo)")),
    ("dien_thoai", False, gettext_lazy("Số điện thoại")),
    ("email", False, gettext_lazy("Thư điện tử")),
    ("dia_chi_lien_he", False, gettext_lazy("Địa chỉ liên hệ")),
    ("an_danh", False, gettext_lazy("1 nếu người gửi không ghi tên (chỉ phản ánh)")),
    ("vi_do", False, gettext_lazy("Vĩ độ, ví dụ 21.0285")),
    ("kinh_do", False, gettext_lazy("Kinh độ, ví dụ 105.8542")),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]
REQUIRED = {c[0] for c in COLUMNS if c[1]}
KINDS = {
    "phan_anh": Ticket.Kind.FEEDBACK,
    "kien_nghi": Ticket.Kind.FEEDBACK,
    "feedback": Ticket.Kind.FEEDBACK,
    "khieu_nai": Ticket.Kind.COMPLAINT,
    "complaint": Ticket.Kind.COMPLAINT,
    "to_cao": Ticket.Kind.DENUNCIATION,
    "denunciation": Ticket.Kind.DENUNCIATION,
}
# workflow field -> CSV column, to put the workflow's errors in the right cell.
FIELD_COLUMNS = {
    "kind": "loai",
    "category": "linh_vuc",
    "unit": "phuong_xa",
    "description": "noi_dung",
    "address": "dia_chi",
    "latitude": "vi_do",
    "longitude": "kinh_do",
    "received_at": "thoi_diem_tiep_nhan",
    "contact_name": "ho_ten",
    "contact_phone": "dien_thoai",
    "contact_email": "email",
    "contact_address": "dia_chi_lien_he",
}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")
TRUE = {"1", "x", "co", "có", "yes", "true"}
FALSE = {"", "0", "khong", "không", "no", "false"}


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file; the header is row 1
    column: str
    message: str


@dataclass
class ImportResult:
    tickets: list[Ticket] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_csv() -> str:
    """The header line the import expects (with a BOM so Excel reads UTF-8)."""
    out = io.StringIO()
    csv.writer(out).writerow(COLUMN_NAMES)
    return "\ufeff" + out.getvalue()


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            _("Tệp không phải UTF-8. Trong Excel chọn “Lưu dưới dạng” → “CSV UTF-8”.")
        ) from None


def _parse_time(value: str) -> datetime:
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            naive = datetime.strptime(value, fmt)  # noqa: DTZ007 (made aware below)
        except ValueError:
            continue
        return timezone.make_aware(naive, timezone.get_default_timezone())
    raise ValueError(_("Ngày giờ không đúng dạng (ví dụ 2025-07-15 09:30 hoặc 15/07/2025 09:30)."))


def parse(raw: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Check a file and turn each row into ticket_submit arguments.
    Returns (rows as (row number, kwargs), errors)."""
    if len(raw) > MAX_BYTES:
        return [], [RowError(0, "", _("Tệp quá lớn (tối đa 5 MB)."))]
    try:
        text = _decode(raw)
    except ValueError as exc:
        return [], [RowError(0, "", str(exc))]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [RowError(1, "", _("Tệp rỗng."))]
    errors: list[RowError] = []
    missing = [c for c in COLUMN_NAMES if c in REQUIRED and c not in header]
    unknown = [h for h in header if h and h not in COLUMN_NAMES]
    for column in missing:
        errors.append(RowError(1, column, _("Thiếu cột bắt buộc.")))
    for column in unknown:
        errors.append(RowError(1, column, _("Cột không có trong tệp mẫu.")))
    if errors:
        return [], errors

    categories = {c.code: c for c in Category.objects.filter(is_active=True)}
    units = {u.code: u for u in selectors_public.reporting_units()}
    rows: list[tuple[int, dict[str, Any]]] = []
    seen_keys: dict[str, int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(RowError(number, "", _("Quá 1.000 dòng: hãy chia thành nhiều tệp.")))
            break
        if len(values) > len(header):
            errors.append(RowError(number, "", _("Dòng có nhiều ô hơn số cột.")))
            continue
        row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        row_errors: list[RowError] = []

        def need(column: str, row=row, row_errors=row_errors, number=number) -> str:
            value = row.get(column, "")
            if not value:
                row_errors.append(RowError(number, column, _("Không được để trống.")))
            return value

        dossier = need("so_ho_so")
        reason = need("ly_do_nhap_bu")
        description = need("noi_dung")
        received_at = None
        if need("thoi_diem_tiep_nhan"):
            try:
                received_at = _parse_time(row["thoi_diem_tiep_nhan"])
            except ValueError as exc:
                row_errors.append(RowError(number, "thoi_diem_tiep_nhan", str(exc)))
        kind = KINDS.get((row.get("loai") or "phan_anh").lower())
        if kind is None:
            row_errors.append(
                RowError(number, "loai", _("Loại phải là phan_anh, khieu_nai hoặc to_cao."))
            )
        category = categories.get(need("linh_vuc"))
        if row.get("linh_vuc") and category is None:
            row_errors.append(RowError(number, "linh_vuc", _("Không có lĩnh vực mã này.")))
        unit = units.get(need("phuong_xa"))
        if row.get("phuong_xa") and unit is None:
            row_errors.append(
                RowError(number, "phuong_xa", _("Không có phường, xã đang hoạt động mã này."))
            )
        anonymous = (row.get("an_danh") or "").lower()
        if anonymous not in TRUE | FALSE:
            row_errors.append(RowError(number, "an_danh", _("Ghi 1 (ẩn danh) hoặc để trống.")))
        coords = {}
        for column, axis in (("vi_do", "latitude"), ("kinh_do", "longitude")):
            try:
                coords[column] = parse_coordinate(row.get(column, ""), axis)
            except DomainError as exc:
                row_errors.append(RowError(number, column, exc.message))
        if row_errors:
            errors.extend(row_errors)
            continue
        key = f"{dossier}:{received_at:%Y%m%d%H%M}"
        if key in seen_keys:
            errors.append(
                RowError(
                    number,
                    "so_ho_so",
                    _("Trùng với dòng %(row)d (cùng số hồ sơ và thời điểm).")
                    % {"row": seen_keys[key]},
                )
            )
            continue
        seen_keys[key] = number
        rows.append(
            (
                number,
                dict(
                    kind=kind,
                    category=category,
                    unit=unit,
                    title=row.get("tieu_de", ""),
                    description=description,
                    address=row.get("dia_chi", ""),
                    latitude=coords["vi_do"],
                    longitude=coords["kinh_do"],
                    received_at=received_at,
                    contact_name=row.get("ho_ten", ""),
                    contact_phone=row.get("dien_thoai", ""),
                    contact_email=row.get("email", ""),
                    contact_address=row.get("dia_chi_lien_he", ""),
                    is_anonymous=anonymous in TRUE,
                    is_public=False,
                    source_ref=dossier,
                    source_data={"backfill_reason": reason, "import": "csv"},
                    idempotency_key=key,
                    idempotency_scope="paper-csv",
                ),
            )
        )
    if not rows and not errors:
        errors.append(RowError(2, "", _("Tệp không có dòng dữ liệu nào.")))
    return rows, errors


class _Rollback(Exception):
    pass


def import_csv(raw: bytes, *, entered_by) -> ImportResult:
    """Parse and create every ticket, or none."""
    rows, errors = parse(raw)
    result = ImportResult(errors=errors)
    if errors:
        return result
    try:
        with transaction.atomic():
            for number, kwargs in rows:
                try:
                    ticket = workflow.ticket_submit(
                        channel=Ticket.Channel.PAPER, entered_by=entered_by, **kwargs
                    ).ticket
                except DomainError as exc:
                    column = FIELD_COLUMNS.get(exc.field or "", "")
                    result.errors.append(RowError(number, column, exc.message))
                    continue
                result.tickets.append(ticket)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.tickets = []
    return result
