"""The official calendar's first rows (2025-2027) and the comparison with
the `holidays` package.

The law fixes the holidays (Bộ luật Lao động 2019 art. 112(1)) and says that a
holiday falling on a weekly day off is taken on the next working day
(art. 111(3)); the Government fixes the exact days of Tết and of the second
day of National Day each year (art. 112(3)) and announces one-off swaps of a
working day with a Saturday. The package computes the regular days but not
the swaps, and it already counts 24 November (Ngày Văn hóa Việt Nam) as a day
off, which the Labour Code does not yet say. So the calendar the product
counts by is this table (OfficialDay, editable in the admin); the package is
only the fallback for dates the table does not list.

Where a decision for a year was not yet announced when these rows were
written, the row says so in its source, and docs/deadlines.md lists it.
"""

from __future__ import annotations

from datetime import date

import holidays

# Sources, short.
BLLD_A = "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm a (Tết Dương lịch)"
BLLD_B = "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm b (Tết Âm lịch 05 ngày)"
BLLD_C = "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm c (30/4)"
BLLD_D = "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm d (1/5)"
BLLD_DD = "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm đ (Quốc khánh 02 ngày)"
BLLD_E = "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm e (Giỗ Tổ Hùng Vương 10/3 âm lịch)"
BLLD_BU = "Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)"
TET_2025 = "Thông báo 6150/TB-LĐTBXH năm 2024 về lịch nghỉ Tết Âm lịch và Quốc khánh 2025"
SWAP_2025 = (
    "Hoán đổi ngày làm việc dịp 30/4-1/5/2025 do Chính phủ đồng ý (tháng 4/2025; "
    "số hiệu văn bản chưa được đối chiếu ở đây)"
)
SWAP_2026_JAN = (
    "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ: nghỉ Tết Dương lịch "
    "từ 01/01 đến 04/01/2026, hoán đổi thứ Sáu 02/01/2026 với thứ Bảy 10/01/2026"
)
TET_2026 = (
    "Lịch nghỉ Tết Bính Ngọ của công chức, viên chức: 14/02-22/02/2026 "
    "(05 ngày Tết từ 16/02 đến 20/02/2026)"
)
SWAP_2026_SEP = (
    "Lịch nghỉ Quốc khánh 2026: nghỉ thứ Hai 31/8/2026, làm bù thứ Bảy 22/8/2026 "
    "(theo gói holidays; số hiệu văn bản chưa được đối chiếu ở đây)"
)
CULTURE_DAY = (
    "Nghị quyết 80-NQ/TW (01/2026) chủ trương ngày 24/11 là ngày nghỉ, nhưng Bộ luật Lao động "
    "chưa quy định: tính là ngày làm việc cho đến khi có văn bản (lựa chọn của sản phẩm)"
)
TET_2027 = (
    BLLD_B + "; chưa có quyết định của Thủ tướng về các ngày nghỉ Tết Đinh Mùi 2027: "
    "tạm theo cách tính của gói holidays (04/02-10/02/2027), cần đối chiếu khi có thông báo"
)
SEP_2027 = (
    BLLD_DD + "; chưa công bố ngày liền kề năm 2027: tạm theo gói holidays (03/9/2027), "
    "cần đối chiếu khi có thông báo"
)
NO_SWAP_2027 = "; chưa có thông báo hoán đổi ngày làm việc năm 2027"

OFF, WORK = "day_off", "working_day"

# (date, kind, name, source). Weekend days that are holidays are listed too,
# so that the table reads as the whole official calendar of its years.
SEED: tuple[tuple[date, str, str, str], ...] = (
    # 2025
    (date(2025, 1, 1), OFF, "Tết Dương lịch", BLLD_A),
    *(
        (date(2025, 1, d), OFF, "Tết Nguyên đán Ất Tỵ", f"{BLLD_B}; {TET_2025}")
        for d in (27, 28, 29, 30, 31)
    ),
    (date(2025, 4, 7), OFF, "Giỗ Tổ Hùng Vương", BLLD_E),
    (date(2025, 4, 26), WORK, "Làm bù cho thứ Sáu 02/5/2025", SWAP_2025),
    (date(2025, 4, 30), OFF, "Ngày Chiến thắng", BLLD_C),
    (date(2025, 5, 1), OFF, "Ngày Quốc tế Lao động", BLLD_D),
    (date(2025, 5, 2), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)", SWAP_2025),
    (date(2025, 9, 1), OFF, "Quốc khánh (ngày liền kề)", f"{BLLD_DD}; {TET_2025}"),
    (date(2025, 9, 2), OFF, "Quốc khánh", BLLD_DD),
    # 2026
    (date(2026, 1, 1), OFF, "Tết Dương lịch", BLLD_A),
    (date(2026, 1, 2), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", SWAP_2026_JAN),
    (date(2026, 1, 10), WORK, "Làm bù cho thứ Sáu 02/01/2026", SWAP_2026_JAN),
    *(
        (date(2026, 2, d), OFF, "Tết Nguyên đán Bính Ngọ", f"{BLLD_B}; {TET_2026}")
        for d in (16, 17, 18, 19, 20)
    ),
    (date(2026, 4, 26), OFF, "Giỗ Tổ Hùng Vương (Chủ nhật)", BLLD_E),
    (date(2026, 4, 27), OFF, "Nghỉ bù Giỗ Tổ Hùng Vương", BLLD_BU),
    (date(2026, 4, 30), OFF, "Ngày Chiến thắng", BLLD_C),
    (date(2026, 5, 1), OFF, "Ngày Quốc tế Lao động", BLLD_D),
    (date(2026, 8, 22), WORK, "Làm bù cho thứ Hai 31/8/2026", SWAP_2026_SEP),
    (date(2026, 8, 31), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)", SWAP_2026_SEP),
    (date(2026, 9, 1), OFF, "Quốc khánh (ngày liền kề)", BLLD_DD),
    (date(2026, 9, 2), OFF, "Quốc khánh", BLLD_DD),
    (date(2026, 11, 24), WORK, "Ngày Văn hóa Việt Nam (chưa là ngày nghỉ luật định)", CULTURE_DAY),
    # 2027
    (date(2027, 1, 1), OFF, "Tết Dương lịch", BLLD_A + NO_SWAP_2027),
    *((date(2027, 2, d), OFF, "Tết Nguyên đán Đinh Mùi", TET_2027) for d in (4, 5, 6, 7, 8, 9, 10)),
    (date(2027, 4, 16), OFF, "Giỗ Tổ Hùng Vương", BLLD_E),
    (date(2027, 4, 30), OFF, "Ngày Chiến thắng", BLLD_C),
    (date(2027, 5, 1), OFF, "Ngày Quốc tế Lao động (thứ Bảy)", BLLD_D),
    (date(2027, 5, 3), OFF, "Nghỉ bù Ngày Quốc tế Lao động", BLLD_BU),
    (date(2027, 9, 2), OFF, "Quốc khánh", BLLD_DD),
    (date(2027, 9, 3), OFF, "Quốc khánh (ngày liền kề)", SEP_2027),
    (date(2027, 11, 24), WORK, "Ngày Văn hóa Việt Nam (chưa là ngày nghỉ luật định)", CULTURE_DAY),
)


def seed_rows(model) -> int:
    """Insert the seed rows that are missing (by date); rows an
    administrator edited are left alone. `model` is OfficialDay or its
    historical version in a migration. Returns how many were added."""
    existing = set(model.objects.values_list("date", flat=True))
    rows = [
        model(date=d, kind=kind, name=name, legal_source=source)
        for d, kind, name, source in SEED
        if d not in existing
    ]
    model.objects.bulk_create(rows)
    return len(rows)


def ensure_official_days() -> int:
    from feedback.models import OfficialDay

    return seed_rows(OfficialDay)


def disagreements(years: list[int]) -> list[tuple[date, str, str]]:
    """Where the table and the package see a date differently, for the
    given years: (date, what the table says, what the package says). A
    weekday the package calls a holiday (or a make-up day it knows) that the
    table does not list is named too: the package decides it, and the
    table is meant to hold every official day of the years it covers."""
    from feedback.models import OfficialDay

    rows = {
        d.date: d
        for d in OfficialDay.objects.filter(date__year__in=years).only("date", "kind", "name")
    }
    out: list[tuple[date, str, str]] = []
    for year in sorted(years):
        vn = holidays.Vietnam(years=(year - 1, year, year + 1))
        package_off = {d: name for d, name in vn.items() if d.year == year}
        package_work = {d for d in vn.weekend_workdays if d.year == year}
        days = {d for d in rows if d.year == year} | set(package_off) | package_work
        for d in sorted(days):
            row = rows.get(d)
            if d in package_off:
                package = f"day off ({package_off[d]})"
                package_working = False
            elif d in package_work:
                package, package_working = "working day (make-up)", True
            else:
                package_working = d.weekday() < 5
                package = "working day" if package_working else "weekend"
            if row is None:
                # The package decides an unlisted date; name only the days
                # its answer changes, so the table can be completed.
                if d in package_work or (d in package_off and d.weekday() < 5):
                    out.append((d, "not listed", package))
                continue
            table_working = row.kind == WORK
            if table_working != package_working:
                kind = "working day" if table_working else "day off"
                out.append((d, f"{kind} ({row.name})", package))
    return out
