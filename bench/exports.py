"""Memory of the CSV and XLSX exports as the number of rows grows: the
claim is that it does not grow (feedback/exports.py). Never run as a test.

    python bench/exports.py                       # the writers, 10k / 100k / 1M rows
    python bench/exports.py --rows 1000 1000000   # other sizes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fb_bulk \\
    python bench/exports.py --database            # the real inbox export view

Each (format, size) runs in a fresh process, which reports its peak
resident memory (ru_maxrss) and the time taken; the baseline is the same
process with zero rows. Without --database the rows are made in Python,
shaped like the inbox export's (17 cells: code, title, names, times), so
what is measured is the writer and the streaming. With --database the
inbox export of an administrator (`/staff/inbox/export.<fmt>?status=all`,
every ticket, through Django's test client, the CSV consumed as it
streams) reads the tickets of that database: fill it first with
bench/bulkgen.py (1,000,000 tickets) and say so in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def synthetic_rows(n: int):
    start = datetime(2026, 1, 1, 8, 0)
    for i in range(n):
        at = start + timedelta(minutes=i)
        yield [
            f"K{i:08d}",
            f"Rác thải tồn đọng ở ngõ {i % 997} phố Hàng Bài, bốc mùi nhiều ngày",
            "Phản ánh, kiến nghị",
            "Môi trường / Rác thải",
            "Phường Hoàn Kiếm",
            "UBND Phường Hoàn Kiếm",
            "Trực tuyến",
            "Đang xử lý",
            at,
            at + timedelta(days=10),
            i % 7 == 0,
            None,
            None,
            "Nguyễn Văn An",
            "",
            "",
            "",
        ]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(fmt: str, rows: int, database: bool) -> dict:
    import django

    django.setup()
    import tempfile

    from feedback import exports

    before = peak_mb()
    began = time.perf_counter()
    written = 0
    if database:
        from django.contrib.auth import get_user_model
        from django.test import Client

        admin = get_user_model().objects.filter(is_superuser=True).first()
        if admin is None:
            admin = get_user_model().objects.create_superuser("bench-exports", password="x")
        client = Client()
        client.force_login(admin)
        from feedback import selectors

        office = selectors.workplaces(admin)[0].office
        response = client.get(f"/staff/inbox/export.{fmt}", {"status": "all", "office": office.pk})
        for chunk in response.streaming_content:
            written += len(chunk)
        rows = -1  # whatever the database holds
    else:
        table = exports.Table(
            name="bench", header=[str(i) for i in range(17)], rows=synthetic_rows(rows)
        )
        with tempfile.TemporaryFile() as handle:
            if fmt == "csv":
                for chunk in exports.csv_chunks(table):
                    written += len(chunk)
            else:
                exports.write_xlsx(table, handle)
                written = handle.tell()
    return {
        "format": fmt,
        "rows": rows,
        "seconds": round(time.perf_counter() - began, 1),
        "bytes": written,
        "peak_mb": round(peak_mb(), 1),
        "peak_before_mb": round(before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[0, 10_000, 100_000, 1_000_000])
    parser.add_argument("--formats", nargs="*", default=["csv", "xlsx"])
    parser.add_argument("--database", action="store_true", help="export the database's tickets")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.database)))
        return
    sizes = [0] if args.database else args.rows
    print(f"{'format':<6} {'rows':>10} {'seconds':>8} {'MB out':>8} {'peak RSS MB':>12}")
    for fmt in args.formats:
        for rows in sizes:
            command = [sys.executable, __file__, "--child", fmt, str(rows)]
            if args.database:
                command.append("--database")
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(
                f"{r['format']:<6} {r['rows']:>10} {r['seconds']:>8} "
                f"{r['bytes'] / 1e6:>8.1f} {r['peak_mb']:>12}"
            )


if __name__ == "__main__":
    main()
