"""Freeze monthly figures by hand (feedback.snapshots): catch up the ended
months that have no snapshot and correct the frozen ones that have reports
entered since (what the daily task does), freeze one month, or correct one
with a reason (a new version; the old one stays)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from feedback import snapshots


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise CommandError(f"--month must be YYYY-MM, not {value!r}") from exc


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM: this month only")
        parser.add_argument(
            "--reason", default="", help="with --month: a correction, the next version"
        )
        parser.add_argument(
            "--months",
            type=int,
            default=snapshots.CATCH_UP_MONTHS,
            help="without --month: how many months back to catch up",
        )

    def handle(self, *args, month=None, reason="", months=0, **options):
        if reason and not month:
            raise CommandError("--reason corrects one month: give --month too")
        if month:
            try:
                written = snapshots.freeze(_month(month), reason=reason)
            except snapshots.SnapshotError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{month}: {written} snapshot rows written")
            return
        if months < 1:
            raise CommandError("--months must be at least 1")
        done = snapshots.freeze_missing(months=months)
        frozen = ", ".join(f"{m:%Y-%m}" for m in done) or "none"
        self.stdout.write(f"months frozen: {frozen}")
        late = snapshots.correct_late_entries(months=months)
        corrected = ", ".join(f"{m:%Y-%m}" for m in late) or "none"
        self.stdout.write(f"months corrected for reports entered late: {corrected}")
