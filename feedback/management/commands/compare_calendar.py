"""List where the official calendar (OfficialDay) and the `holidays`
package see a date differently: the table wins, so each line is a day the
product counts differently from the package, or a package holiday the table
does not list yet."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from feedback.models import OfficialDay
from feedback.official_days import disagreements


class Command(BaseCommand):
    help = "List the days where the official calendar table and the holidays package disagree."

    def add_arguments(self, parser):
        parser.add_argument(
            "years",
            nargs="*",
            type=int,
            help="Years to compare (default: every year the table lists).",
        )

    def handle(self, *args, **options):
        years = options["years"] or sorted(
            {d.year for d in OfficialDay.objects.values_list("date", flat=True)}
        )
        if not years:
            raise CommandError("The official calendar is empty: name the years to compare.")
        found = disagreements(years)
        shown = ", ".join(str(y) for y in years)
        if not found:
            self.stdout.write(f"The table and the package agree for {shown}.")
            return
        self.stdout.write(f"{len(found)} days differ for {shown} (the table wins):")
        for day, table, package in found:
            self.stdout.write(f"  {day:%Y-%m-%d} {day:%a}  table: {table}  package: {package}")
