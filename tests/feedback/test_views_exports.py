"""/staff/inbox/export.csv|xlsx (the inbox as filtered, every row) and
/minh-bach/xuat.csv|xlsx (the transparency tables): content, permissions,
protected identities and a fixed number of queries."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback import workflow
from feedback.models import Ticket


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response) -> list[list]:
    body = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def inbox(world, routed):
    """Office A: an open report, an overdue hotline report, a resolved one;
    office B: one report."""
    from datetime import timedelta

    from django.utils import timezone

    fresh = routed(title="Rác ở Hàng Bài")
    received = timezone.now() - timedelta(days=30)
    late = routed(
        title="Đèn hỏng",
        channel="hotline",
        entered_by=world.officer_a,
        received_at=received,
    )
    done = routed(title="Ổ gà")
    workflow.ticket_resolve(done, actor=world.officer_a, message="Đã vá.")
    theirs = routed(unit=world.ward_b, title="Rác Ba Đình")
    return fresh, late, done, theirs


def test_it_exports_every_open_ticket_of_the_inbox_as_csv(world, inbox, client_as):
    fresh, late, done, theirs = inbox
    r = client_as(world.officer_a).get("/staff/inbox/export.csv")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="phan-anh-ubnd-hoan-kiem-' in r["Content-Disposition"]
    rows = csv_rows(r)
    assert rows[0][:3] == ["Mã", "Tiêu đề", "Loại"]
    codes = [row[0] for row in rows[1:]]
    # Soonest due first, like the inbox; resolved and other offices' left out.
    assert codes == [late.display_code, fresh.display_code]
    by_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_code[late.display_code]["Quá hạn"] == "có"
    assert by_code[fresh.display_code]["Quá hạn"] == "không"
    assert by_code[fresh.display_code]["Họ tên người gửi"] == "Nguyễn Văn An"  # their own office
    assert by_code[fresh.display_code]["Cơ quan xử lý"] == "UBND Phường Hoàn Kiếm"


def test_it_applies_the_inbox_filters_to_the_xlsx(world, inbox, client_as):
    fresh, late, done, theirs = inbox
    client = client_as(world.officer_a)
    overdue = xlsx_rows(client.get("/staff/inbox/export.xlsx", {"due": "overdue"}))
    assert [row[0] for row in overdue[1:]] == [late.display_code]
    everything = xlsx_rows(client.get("/staff/inbox/export.xlsx", {"status": "all"}))
    assert {row[0] for row in everything[1:]} == {
        fresh.display_code,
        late.display_code,
        done.display_code,
    }
    row = next(r for r in everything if r[0] == done.display_code)
    assert row[7] == "Đã giải quyết" and row[11] is not None  # status, resolved at


def test_a_leader_exports_the_units_tickets_without_the_contact_details(world, inbox, client_as):
    fresh, late, done, theirs = inbox
    r = client_as(world.leader).get("/staff/inbox/export.csv", {"office": world.city.pk})
    rows = csv_rows(r)
    assert {row[0] for row in rows[1:]} >= {fresh.display_code, theirs.display_code}
    for row in rows[1:]:
        assert row[-3:] == ["", "", ""]  # a leader reads, but is not the handling office
    assert "an@example.com" not in str(rows)


def test_a_denouncers_identity_is_never_exported_even_to_the_assigned_head(
    world, routed, client_as
):
    ticket = routed(kind="denunciation", category=world.denunciations, title="Tố cáo cán bộ")
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.head_a)
    page = client_as(world.head_a).get(f"/staff/tickets/{ticket.code}/").content.decode()
    assert "Nguyễn Văn An" in page  # the head may read it on the page...
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client_as(world.head_a).get(f"/staff/inbox/export.{fmt}"))
        row = next(r for r in rows if r[0] == ticket.display_code)
        assert "Nguyễn Văn An" not in row and "an@example.com" not in row  # ...not take it away
        assert row[1] == "Tố cáo cán bộ"


def test_it_refuses_other_offices_and_non_staff(world, inbox, client_as):
    assert client_as(world.outsider).get("/staff/inbox/export.csv").status_code == 403
    r = client_as(world.officer_b).get("/staff/inbox/export.csv", {"office": world.office_a.pk})
    assert [row[0] for row in csv_rows(r)[1:]] == [inbox[3].display_code]  # their own only
    assert client_as(world.officer_a).get("/staff/inbox/export.pdf").status_code == 404


def test_it_reads_the_tickets_in_a_fixed_number_of_queries(world, routed, client_as):
    def count() -> int:
        client = client_as(world.officer_a)
        with CaptureQueriesContext(connection) as queries:
            r = client.get("/staff/inbox/export.csv", {"status": "all"})
            rows = csv_rows(r)  # the rows are read while streaming
        return len(queries), len(rows)

    routed()
    few, n = count()
    for _ in range(4):
        routed()
    more, m = count()
    assert (n, m) == (2, 6) and few == more


def test_the_transparency_tables_download_for_anyone(client, world, routed):
    ticket = routed()
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.")
    r = client.get("/minh-bach/xuat.csv", {"ky": "this_month"})
    assert r.status_code == 200 and 'filename="xep-hang-this_month-' in r["Content-Disposition"]
    rows = csv_rows(r)
    assert rows[0][:3] == ["Khối", "Hạng", "Cơ quan"]
    row = next(r for r in rows if r[2] == "UBND Phường Hoàn Kiếm")
    assert row[0] == "Khối phường, xã"  # the peer group, by name
    assert (row[4], row[8], row[9]) == ("100.0", "1", "1")  # on time %, resolved, on time
    assert all(r[2] != "UBND Thành phố Hà Nội" for r in rows)  # the city group is not ranked
    sheet = xlsx_rows(client.get("/minh-bach/xuat.xlsx", {"ky": "nonsense"}))
    assert sheet[0] == rows[0] and len(sheet) == len(rows)
    assert Ticket.objects.count() == 1


def test_the_pages_link_to_their_exports_with_their_filters(client, world, client_as):
    html = client_as(world.officer_a).get("/staff/", {"due": "overdue"}).content.decode()
    assert f"/staff/inbox/export.csv?due=overdue&amp;office={world.office_a.pk}" in html
    assert f"/staff/inbox/export.xlsx?due=overdue&amp;office={world.office_a.pk}" in html
    page = client.get("/minh-bach/", {"ky": "last_month"}).content.decode()
    assert (
        "/minh-bach/xuat.csv?ky=last_month" in page and "/minh-bach/xuat.xlsx?ky=last_month" in page
    )
