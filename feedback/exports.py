"""Tables as CSV or XLSX files, built row by row so that memory does not
grow with the number of rows: CSV is streamed (StreamingHttpResponse over a
generator fed by QuerySet.iterator()); XLSX is written by openpyxl in
write-only mode into a temporary file on disk and sent with FileResponse.
Every export is computed when asked, so it is current to the minute.

What may be exported is the caller's business (they pass a queryset that
went through feedback.permissions); which identity fields a row may carry
is permissions.can_export_contact's."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import permissions
from feedback.selectors_public import category_label

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_BATCH = 500  # rows per chunk of the streamed CSV
ITERATOR_CHUNK = 2000  # rows fetched from the database at a time
# A cell that starts with one of these is a formula to a spreadsheet
# program; people's text (a ticket's title) must never run as one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    name: str  # the file name's stem, ASCII
    header: Sequence[str]
    rows: Iterable[Sequence]  # read once, lazily


def _plain(value):
    """A cell's value as both formats want it: local wall-clock times
    without a zone (a spreadsheet has none), yes/no in words, Decimal as a
    number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_cell(value) -> str | int | float:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so that Excel reads Vietnamese right."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow([str(h) for h in table.header])).encode()
    batch: list[str] = []
    for row in table.rows:
        batch.append(writer.writerow([_csv_cell(v) for v in row]))
        if len(batch) >= CSV_BATCH:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def write_xlsx(table: Table, handle) -> None:
    # openpyxl (about 16 MB) is imported by the first export a process writes.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31])
    sheet.append([str(h) for h in table.header])
    for row in table.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_plain(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even "=..."
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(handle)


def response(table: Table, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    filename = f"{table.name}-{stamp}.{fmt}"
    if fmt == "csv":
        answer: HttpResponseBase = StreamingHttpResponse(
            csv_chunks(table), content_type="text/csv; charset=utf-8"
        )
    else:
        # Deleted when closed, i.e. once the response has been sent.
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
        write_xlsx(table, handle)
        handle.seek(0)
        answer = FileResponse(handle, content_type=XLSX_TYPE)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer["Cache-Control"] = "no-store"
    return answer


# --- the tables -------------------------------------------------------------------


def ticket_table(user, tickets, *, name: str = "phan-anh", now: datetime | None = None) -> Table:
    """One row per ticket of `tickets` (already limited to what `user` may
    see, with category, unit, office and assignee selected). Contact
    details only where permissions.can_export_contact allows; what people
    wrote beyond the title is not exported."""
    now = now or timezone.now()
    header = [
        _("Mã"),
        _("Tiêu đề"),
        _("Loại"),
        _("Lĩnh vực"),
        _("Địa bàn"),
        _("Cơ quan xử lý"),
        _("Kênh"),
        _("Trạng thái"),
        _("Tiếp nhận lúc"),
        _("Hạn giải quyết"),
        _("Quá hạn"),
        _("Giải quyết lúc"),
        _("Đóng lúc"),
        _("Cán bộ xử lý"),
        _("Họ tên người gửi"),
        _("Điện thoại"),
        _("Thư điện tử"),
    ]

    def rows() -> Iterator[list]:
        for t in tickets.iterator(chunk_size=ITERATOR_CHUNK):
            contact = permissions.can_export_contact(user, t)
            yield [
                t.display_code,
                t.title,
                t.get_kind_display(),
                category_label(t.category) if t.category_id else "",
                t.unit.name if t.unit_id else "",
                t.office.name if t.office_id else "",
                t.get_channel_display(),
                t.get_status_display(),
                t.received_at,
                t.due_at,
                t.is_overdue(now),
                t.resolved_at,
                t.closed_at,
                (t.assignee.get_full_name() or t.assignee.get_username()) if t.assignee_id else "",
                t.contact_name if contact else "",
                t.contact_phone if contact else "",
                t.contact_email if contact else "",
            ]

    return Table(name=name, header=header, rows=rows())
