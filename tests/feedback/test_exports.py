"""feedback.exports: what the CSV and XLSX writers put in the files, read
back as a spreadsheet program would read them."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import translation

from feedback import exports

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _vietnamese():
    """Yes and no are written in the reader's language: here Vietnamese."""
    with translation.override("vi"):
        yield


UTC = ZoneInfo("UTC")


def table(rows):
    return exports.Table(name="thu", header=["Mã", "Tiêu đề", "Lúc", "Số", "Quá hạn"], rows=rows)


ROWS = [
    ["ABC-123", "Rác thải tồn đọng", datetime(2026, 3, 2, 2, 30, tzinfo=UTC), 81.3, True],
    ["ABC-124", '=HYPERLINK("http://x")', None, Decimal("12.5"), False],
    ["ABC-125", "+84 912 345 678", datetime(2026, 3, 2, 9, 0, tzinfo=HANOI), 0, False],
]


def read_csv(chunks) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith("\ufeff".encode())  # Excel reads the UTF-8 as such
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_holds_every_row_in_local_time_with_formulas_disarmed():
    assert read_csv(exports.csv_chunks(table(iter(ROWS)))) == [
        ["Mã", "Tiêu đề", "Lúc", "Số", "Quá hạn"],
        ["ABC-123", "Rác thải tồn đọng", "2026-03-02 09:30", "81.3", "có"],
        ["ABC-124", '\'=HYPERLINK("http://x")', "", "12.5", "không"],
        ["ABC-125", "'+84 912 345 678", "2026-03-02 09:00", "0", "không"],
    ]


def test_the_csv_streams_in_batches(monkeypatch):
    monkeypatch.setattr(exports, "CSV_BATCH", 2)
    chunks = list(exports.csv_chunks(table(iter(ROWS))))
    assert len(chunks) == 3  # the header, two rows, one row
    assert read_csv(chunks)[-1][0] == "ABC-125"


def test_the_xlsx_holds_typed_cells_and_text_that_never_runs_as_a_formula():
    handle = io.BytesIO()
    exports.write_xlsx(table(iter(ROWS)), handle)
    handle.seek(0)
    sheet = openpyxl.load_workbook(handle).active
    assert sheet.title == "thu"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Mã", "Tiêu đề", "Lúc", "Số", "Quá hạn"],
        ["ABC-123", "Rác thải tồn đọng", datetime(2026, 3, 2, 9, 30), 81.3, "có"],
        ["ABC-124", '=HYPERLINK("http://x")', None, 12.5, "không"],
        ["ABC-125", "+84 912 345 678", datetime(2026, 3, 2, 9, 0), 0, "không"],
    ]
    assert sheet["B3"].data_type == "s"  # a string, not a formula
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_response_is_an_attachment_named_for_the_minute(fmt, settings):
    response = exports.response(table(iter(ROWS)), fmt)
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="thu-20') and disposition.endswith(
        f'.{fmt}"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.streaming  # neither format is built in memory as a whole


def test_an_unknown_format_is_not_found():
    from django.http import Http404

    with pytest.raises(Http404):
        exports.response(table(iter(ROWS)), "pdf")
