"""feedback.intake_csv: a batch of paper forms, all or nothing, with a
row-by-row error report."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from feedback import deadlines, intake_csv
from feedback.models import Ticket, TicketEvent

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def make_csv(rows: list[dict], *, columns=None, delimiter=",", bom=True) -> bytes:
    columns = columns or intake_csv.COLUMN_NAMES
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


@pytest.fixture
def row(world):
    when = (timezone.localtime() - timedelta(days=2)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    def _row(**overrides):
        data = {
            "so_ho_so": "HS-001",
            "thoi_diem_tiep_nhan": when.strftime("%d/%m/%Y %H:%M"),
            "ly_do_nhap_bu": "Mất điện",
            "loai": "phan_anh",
            "linh_vuc": world.waste.code,
            "phuong_xa": world.ward_a.code,
            "dia_chi": "Ngõ 12 Hàng Bài",
            "noi_dung": "Rác tồn đọng.",
            "ho_ten": "Trần Thị Bình",
            "dien_thoai": "0987654321",
        }
        data.update(overrides)
        return data

    _row.when = when
    return _row


def test_it_imports_every_row_with_the_true_receipt_time(row, world):
    raw = make_csv([row(), row(so_ho_so="HS-002", noi_dung="Đèn hỏng.")])
    result = intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert result.ok, result.errors
    assert len(result.tickets) == 2
    ticket = Ticket.objects.get(source_ref="HS-001")
    assert ticket.channel == Ticket.Channel.PAPER
    assert ticket.received_at == row.when
    assert ticket.created_by == world.officer_a
    assert ticket.source_data["backfill_reason"] == "Mất điện"
    assert not ticket.is_public
    received = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    assert received.at == row.when
    assert received.data["entered_by"] == world.officer_a.pk
    assert deadlines.compute_due(ticket).due_at > row.when


def test_a_bad_row_stores_nothing_and_every_problem_is_listed(row, world):
    raw = make_csv(
        [
            row(),
            row(so_ho_so="", phuong_xa="99999"),
            row(so_ho_so="HS-3", thoi_diem_tiep_nhan="hôm qua", vi_do="200"),
            row(so_ho_so="HS-4", loai="khieu_nai", ho_ten=""),
        ]
    )
    result = intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert not result.ok
    assert result.tickets == []
    assert Ticket.objects.count() == 0
    found = {(e.row, e.column) for e in result.errors}
    assert (3, "so_ho_so") in found
    assert (3, "phuong_xa") in found
    assert (4, "thoi_diem_tiep_nhan") in found
    assert (4, "vi_do") in found
    assert all(e.message for e in result.errors)


def test_the_workflows_own_rules_are_reported_by_row_and_column(row, world):
    raw = make_csv([row(), row(so_ho_so="HS-4", loai="khieu_nai", ho_ten="", dien_thoai="")])
    result = intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert [(e.row, e.column) for e in result.errors] == [(3, "ho_ten")]
    assert "Khiếu nại và tố cáo cần họ tên" in result.errors[0].message
    assert Ticket.objects.count() == 0


def test_a_future_receipt_time_is_refused(row, world):
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    result = intake_csv.import_csv(
        make_csv([row(thoi_diem_tiep_nhan=future)]), entered_by=world.officer_a
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "thoi_diem_tiep_nhan")]


def test_a_missing_or_unknown_column_is_reported_on_the_header(row, world):
    columns = [c for c in intake_csv.COLUMN_NAMES if c != "noi_dung"] + ["ghi_chu"]
    data = row()
    data.pop("noi_dung")
    data["ghi_chu"] = "x"
    result = intake_csv.import_csv(make_csv([data], columns=columns), entered_by=world.officer_a)
    assert {(e.row, e.column) for e in result.errors} == {(1, "noi_dung"), (1, "ghi_chu")}


def test_it_reads_semicolons_and_files_without_a_bom(row, world):
    raw = make_csv([row()], delimiter=";", bom=False)
    assert intake_csv.import_csv(raw, entered_by=world.officer_a).ok


def test_a_file_that_is_not_utf8_gets_a_clear_message(row, world):
    raw = make_csv([row()], bom=False).decode("utf-8").encode("utf-16")
    result = intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert "UTF-8" in result.errors[0].message


def test_an_empty_file_and_a_header_only_file_are_errors(world):
    assert not intake_csv.import_csv(b"", entered_by=world.officer_a).ok
    assert not intake_csv.import_csv(make_csv([]), entered_by=world.officer_a).ok


def test_the_same_dossier_twice_in_one_file_is_an_error(row, world):
    result = intake_csv.import_csv(make_csv([row(), row()]), entered_by=world.officer_a)
    assert [(e.row, e.column) for e in result.errors] == [(3, "so_ho_so")]


def test_importing_the_same_file_again_creates_nothing_new(row, world):
    raw = make_csv([row(), row(so_ho_so="HS-002")])
    intake_csv.import_csv(raw, entered_by=world.officer_a)
    again = intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert again.ok
    assert Ticket.objects.count() == 2


def test_iso_dates_are_read_in_hanoi_time(row, world):
    raw = make_csv([row(thoi_diem_tiep_nhan=row.when.strftime("%Y-%m-%d %H:%M"))])
    intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert Ticket.objects.get().received_at == datetime(
        row.when.year, row.when.month, row.when.day, 9, 30, tzinfo=HANOI
    )


def test_the_template_has_every_column_and_a_bom():
    text = intake_csv.template_csv()
    assert text.startswith("\ufeff")
    assert text.strip("\ufeff\r\n").split(",") == intake_csv.COLUMN_NAMES
