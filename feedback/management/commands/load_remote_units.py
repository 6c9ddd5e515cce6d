"""Mark the remote and especially difficult communes (vùng sâu, vùng xa) from
a CSV file of official unit codes, so the longer legal periods apply to the
tickets located there (Luật Khiếu nại 2011 art. 28 and 37: 45/60 days for a
first-instance complaint, 60/70 for a second; see docs/deadlines.md).

The file is the whole list: a `code` column (official codes such as 10105;
leading zeros lost by a spreadsheet are put back), any other columns (name,
source) are ignored. Units in the file are marked, units marked before but
missing from it are unmarked (unless --keep-others). All or nothing: an
unknown code, a file without a `code` column or without any code writes
nothing. Running it again with the same file changes nothing and says so.
The flag is read when a ticket's clock starts, so open tickets keep the
deadlines they have.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from feedback.models import AdministrativeUnit

CODE_WIDTH = 5  # ward and commune codes: "00070"


class Command(BaseCommand):
    help = "Mark remote and especially difficult communes from a CSV file of official codes."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a 'code' column (UTF-8).")
        parser.add_argument(
            "--keep-others",
            action="store_true",
            help="Only mark the units in the file; leave every other unit as it is.",
        )

    def handle(self, *args, **options):
        codes = read_codes(Path(options["file"]))
        by_code = dict(AdministrativeUnit.objects.values_list("code", "pk"))
        wanted, unknown = set(), []
        for line, code in codes:
            if code in by_code:
                wanted.add(by_code[code])
            elif code.isdigit() and code.zfill(CODE_WIDTH) in by_code:
                wanted.add(by_code[code.zfill(CODE_WIDTH)])
            else:
                unknown.append(f"line {line}: {code!r}")
        if unknown:
            raise CommandError(
                "Unknown unit codes, nothing was changed (load the units first with "
                "load_units, or correct the file): " + "; ".join(unknown)
            )
        with transaction.atomic():
            units = AdministrativeUnit.objects.select_for_update()
            marked = list(units.filter(pk__in=wanted, is_remote=False).order_by("code"))
            unmarked = (
                []
                if options["keep_others"]
                else list(units.filter(is_remote=True).exclude(pk__in=wanted).order_by("code"))
            )
            AdministrativeUnit.objects.filter(pk__in=[u.pk for u in marked]).update(is_remote=True)
            AdministrativeUnit.objects.filter(pk__in=[u.pk for u in unmarked]).update(
                is_remote=False
            )
        if not marked and not unmarked:
            self.stdout.write(f"{len(wanted)} remote units already marked; nothing changed.")
            return
        self.stdout.write(
            f"{len(wanted)} remote units in the file: {len(marked)} marked, "
            f"{len(unmarked)} no longer remote."
        )
        for unit in marked:
            self.stdout.write(f"  + {unit.code} {unit.name}")
        for unit in unmarked:
            self.stdout.write(f"  - {unit.code} {unit.name}")


def read_codes(path: Path) -> list[tuple[int, str]]:
    """(line number, code) for every non-empty code in the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or ()}
    if "code" not in columns:
        raise CommandError(f"{path} has no 'code' column (the first line must name the columns).")
    codes = []
    for row in reader:
        code = (row.get(columns["code"]) or "").strip()
        if code:
            codes.append((reader.line_num, code))
    if not codes:
        raise CommandError(f"{path} lists no unit codes; nothing was changed.")
    return codes
