"""Demo data for Hà Nội: offices, categories, routing rules, deadline
presets, one user per role, and a year of tickets made through the workflow.

Every ticket is filed and worked with feedback.workflow's actions, backdated
with `at=`, so its events are exactly what the live site would have written
and every number on the dashboard can be traced back to them. Each stage runs
in its own transaction and is idempotent: a second run adds nothing.
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings

from demo import data as D
from demo.generator import TicketGenerator
from demo.reference import (
    PASSWORD,
    PERSONA_NOTES,
    PERSONAS,
    fix_names,
    load_categories,
    load_offices,
    load_rules,
    load_users,
)
from feedback.deadlines import ensure_presets
from feedback.models import AdministrativeUnit, Membership, Ticket


class Command(BaseCommand):
    help = "Load Hà Nội demo data (run load_units first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets", type=int, default=5000, help="Demo tickets over the last 12 months."
        )

    def handle(self, *args, tickets: int, **options):
        if tickets < 0:
            raise CommandError("--tickets must be 0 or more")
        city = AdministrativeUnit.objects.filter(code=D.CITY_UNIT).first()
        if city is None or not AdministrativeUnit.objects.filter(parent=city).exists():
            raise CommandError(
                "No administrative units for Hà Nội: run `python manage.py load_units` first."
            )
        # Inline tasks log every run at INFO: thousands of lines of no news.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        started = time.monotonic()
        with transaction.atomic():
            self.say("offices", load_offices(city))
        with transaction.atomic():
            policies = ensure_presets()
        with transaction.atomic():
            self.say("categories", load_categories(policies))
        with transaction.atomic():
            self.say("routing rules", load_rules())
        with transaction.atomic():
            self.say("users", load_users())
        with transaction.atomic():
            renamed = fix_names()
        if renamed:
            self.stdout.write(f"users: {renamed} renamed (family name first)")
        with bulk_mode():
            generator = TicketGenerator(city, self.stdout)
            made = generator.run(tickets)
            self.stdout.write(f"tickets: {made} created in {time.monotonic() - started:.1f}s")
            current = generator.run_workload() if tickets else 0
        if current:
            self.stdout.write(f"current workload: {current} open tickets created")
        self.stdout.write(f"\nLogins (password for all: {PASSWORD}):")
        open_now = open_counts()
        for username, _name, office, role, _superuser in PERSONAS:
            note = PERSONA_NOTES[username]
            if role in (Membership.Role.OFFICER, Membership.Role.HEAD):
                note += f" — {open_now.get(office, 0)} phản ánh đang mở"
            self.stdout.write(f"  {username:<18} {note}")

    def say(self, what: str, created: int) -> None:
        if created:
            self.stdout.write(f"{what}: {created} created")
        else:
            self.stdout.write(f"{what}: already loaded, nothing changed")


@contextlib.contextmanager
def bulk_mode():
    """With DEBUG on, Django keeps every SQL statement in memory and, on
    SQLite, runs one more query per statement to format it for that log:
    tens of thousands of statements of no use to this command."""
    with override_settings(DEBUG=False):
        yield


def open_counts() -> dict[str, int]:
    """Open tickets per persona office, for the summary."""
    codes = {office for _, _, office, _, _ in PERSONAS if office}
    rows = (
        Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES, office__code__in=codes)
        .values_list("office__code")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
