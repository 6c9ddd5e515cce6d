"""/staff/intake/nhap-csv/: upload a batch of paper forms; the template."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from feedback import intake_csv
from feedback.models import Ticket


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("batch.csv", text.encode("utf-8"), content_type="text/csv")


def good_csv(world, rows=1) -> str:
    header = ",".join(intake_csv.COLUMN_NAMES)
    lines = [header]
    for i in range(rows):
        values = dict.fromkeys(intake_csv.COLUMN_NAMES, "")
        values.update(
            so_ho_so=f"HS-{i}",
            ly_do_nhap_bu="Mất điện",
            linh_vuc=world.waste.code,
            phuong_xa=world.ward_a.code,
            noi_dung="Rác",
        )
        lines.append(",".join(values[c] for c in intake_csv.COLUMN_NAMES))
    return "\n".join(lines)


def with_time(text: str, when: str) -> str:
    lines = text.split("\n")
    col = intake_csv.COLUMN_NAMES.index("thoi_diem_tiep_nhan")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[col] = when
        out.append(",".join(cells))
    return "\n".join(out)


def recent() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")


def test_the_template_downloads_as_csv(client, world):
    client.force_login(world.officer_a)
    r = client.get("/staff/intake/nhap-csv/mau.csv")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    assert "so_ho_so" in r.content.decode("utf-8-sig")


def test_it_imports_a_good_file(client, world):
    client.force_login(world.officer_a)
    r = client.post(
        "/staff/intake/nhap-csv/", {"file": upload(with_time(good_csv(world, 3), recent()))}
    )
    assert r.status_code == 200
    assert Ticket.objects.filter(channel="paper").count() == 3
    assert "Đã nhập 3 đơn" in r.content.decode()


def test_a_bad_file_shows_the_error_table_and_stores_nothing(client, world):
    client.force_login(world.officer_a)
    text = with_time(good_csv(world, 2), recent()).replace(world.ward_a.code, "99999", 1)
    r = client.post("/staff/intake/nhap-csv/", {"file": upload(text)})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Chưa nhập đơn nào" in html
    assert "<td>2</td><td>phuong_xa</td>" in html
    assert Ticket.objects.count() == 0


def test_script_in_a_csv_cell_is_shown_as_text(client, world):
    client.force_login(world.officer_a)
    # An unknown column's name is echoed in the error table.
    text = good_csv(world).replace("so_ho_so,", "so_ho_so,<script>alert(1)</script>,", 1)
    html = client.post("/staff/intake/nhap-csv/", {"file": upload(text)}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_only_staff_may_import(client, world):
    client.force_login(world.outsider)
    assert (
        client.post("/staff/intake/nhap-csv/", {"file": upload(good_csv(world))}).status_code == 403
    )
    assert client.get("/staff/intake/nhap-csv/mau.csv").status_code == 403
