"""Bulk data for the benchmark: N tickets with their events and ratings,
written with PostgreSQL's COPY, not through the workflow (which costs about
0.3 s a ticket: a million would take days). A million takes a few minutes.

    DATABASE_URL=postgres://.../feedback_bench python bench/bulkgen.py --tickets 1000000

What it writes is what the workflow would have written, so every figure
reads it as it reads real data:

- the reference rows first, by the project's own commands (`load_units`,
  then `load_demo --tickets 0`: offices, categories, routing rules, users);
- tickets spread over the last 24 months (more recent than old), in wards
  weighted as the demo weights them, routed by `routing.pick_office`, due
  dates from each category's policy on the deployment's calendar
  (`deadlines`), and the working minutes to acknowledgement and answer
  exactly as `workflow.core.save` stores them;
- the lifecycle: most old tickets resolved and closed, some on time and
  some late, some reopened and resolved again, some rejected; recent ones
  open, some of them overdue or waiting for the citizen;
- events for each step (RECEIVED, ROUTED, ACKNOWLEDGED, ANSWERED, RESOLVED
  with `data.on_time`, RATED, REOPENED, CLOSED), delivered (notified_at set);
- ratings for about a third of the resolutions.

Timestamps fall on whole hours, so the working time between two of them
is a difference of a precomputed running total of working seconds, with
no holiday calendar walked per ticket. Deterministic for a given --seed.

- the SIPAS-style survey's answers (issue 11) for about one resolved
  ticket in eight, five questions on 1-5, now and then one left blank.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from bisect import bisect_right
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOUR = timedelta(hours=1)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def reference_rows() -> None:
    for args in (["load_units"], ["load_demo", "--tickets", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )


class Clock:
    """Working seconds up to each whole hour of [start, end) in local time:
    working time between two whole hours is a subtraction."""

    def __init__(self, start: datetime, end: datetime):
        from feedback import deadlines

        self.cal = deadlines.calendar()
        self.start = start
        self.total = [0.0]
        t = start
        while t < end:
            self.total.append(self.total[-1] + self.cal.working_seconds(t, t + HOUR))
            t += HOUR
        self.hours = len(self.total) - 1

    def index(self, t: datetime) -> int:
        return int((t - self.start).total_seconds() // 3600)

    def minutes(self, a: datetime, b: datetime) -> int:
        return round((self.total[self.index(b)] - self.total[self.index(a)]) / 60)

    def after_working_hours(self, a: datetime, hours: float) -> datetime:
        """The first whole hour by which `hours` of working time have run since a."""
        want = self.total[self.index(a)] + hours * 3600
        i = bisect_right(self.total, want - 1e-6)
        return self.start + HOUR * min(max(i, self.index(a) + 1), self.hours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.tickets <= 0:
        sys.exit("--tickets must be positive")
    setup()
    started = time.monotonic()
    reference_rows()
    print(f"bulkgen: reference rows in {time.monotonic() - started:.0f} s", flush=True)
    Generator(args.seed, args.months).run(args.tickets)
    print(f"bulkgen: done in {time.monotonic() - started:.0f} s", flush=True)


class Generator:
    def __init__(self, seed: int, months: int):
        from django.utils import timezone

        from feedback.models import AdministrativeUnit, Category, Office

        self.rng = random.Random(seed)
        tz = timezone.get_current_timezone()
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        self.now = now
        self.first = (now - timedelta(days=30 * months)).replace(hour=0).astimezone(tz)
        # Due dates and answers reach beyond now.
        self.clock = Clock(self.first, now + timedelta(days=120))
        from demo import data as demo_data

        city = AdministrativeUnit.objects.get(code=demo_data.CITY_UNIT)
        wards = AdministrativeUnit.objects.filter(
            is_active=True,
            path__startswith=city.path,
            kind__in=(AdministrativeUnit.Kind.WARD, AdministrativeUnit.Kind.COMMUNE),
        )
        from demo import generator as demo

        self.wards = list(wards.order_by("code"))
        if not self.wards:
            sys.exit("bulkgen: no wards; load_units did not run?")
        self.ward_weights = [demo._unit_weight(u) for u in self.wards]
        self.places = {u.pk: demo._place(u, random.Random(u.code))[1:] for u in self.wards}
        self.categories = list(
            Category.objects.filter(is_active=True, children__isnull=True)
            .exclude(default_kind=Category.Kind.DENUNCIATION)
            .select_related("parent")
        )
        self.offices = {o.pk: o for o in Office.objects.all()}
        self.staff = self._staff()
        self.route_cache: dict = {}
        self.policy_cache: dict = {}
        self.due_cache: dict = {}
        self.timings = [0.0, 0.0]

    def _staff(self) -> dict[int, list[int]]:
        from feedback.models import Membership

        staff: dict[int, list[int]] = {}
        for office_id, user_id in Membership.objects.filter(
            role__in=(Membership.Role.OFFICER, Membership.Role.HEAD)
        ).values_list("office_id", "user_id"):
            staff.setdefault(office_id, []).append(user_id)
        return staff

    def route(self, category, unit) -> int:
        key = (category.pk, unit.pk)
        if key not in self.route_cache:
            from feedback import routing
            from feedback.models import Ticket

            ticket = Ticket(category=category, unit=unit, kind=category.default_kind)
            self.route_cache[key] = routing.pick_office(ticket).office.pk
        return self.route_cache[key]

    def policy(self, category, unit):
        key = (category.pk, unit.is_remote)
        if key not in self.policy_cache:
            from feedback import deadlines
            from feedback.models import Ticket

            ticket = Ticket(category=category, unit=unit, kind=category.default_kind)
            self.policy_cache[key] = deadlines.policy_for(ticket)
        return self.policy_cache[key]

    def due(self, policy, received: datetime) -> tuple[datetime, datetime]:
        key = (policy.pk, received)
        found = self.due_cache.get(key)
        if found is None:
            cal = self.clock.cal
            found = (
                cal.add(received, policy.ack_amount, policy.ack_unit),
                cal.add(received, policy.resolve_amount, policy.resolve_unit),
            )
            self.due_cache[key] = found
        return found

    def received_at(self) -> datetime:
        # More recent than old: the square root of a uniform leans late.
        span = self.clock.index(self.now) - 1
        hour = int(span * (self.rng.random() ** 0.6))
        t = self.first + HOUR * hour
        # People write in the day; the hotline works office hours.
        local = t.hour
        if local < 6 or local > 21:
            t += HOUR * self.rng.choice((8, 9, 10, 14))
        return min(t, self.now - HOUR)

    def later(self, t: datetime, working_hours: float) -> datetime:
        return self.clock.after_working_hours(t, working_hours)

    def run(self, count: int) -> None:
        from django.db import connection

        from feedback.models import Rating, SurveyResponse, Ticket, TicketEvent

        with connection.cursor() as cur:
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM feedback_ticket")
            next_ticket = cur.fetchone()[0] + 1
            cur.execute("SELECT code FROM feedback_ticket")
            codes = {row[0] for row in cur.fetchall()}
        batch = 50_000
        made = 0
        started = time.monotonic()
        while made < count:
            n = min(batch, count - made)
            tickets, events, ratings, self.surveys = [], [], [], []
            t0 = time.monotonic()
            for i in range(n):
                self.one(next_ticket + made + i, codes, tickets, events, ratings)
            t1 = time.monotonic()
            self.copy(Ticket, TICKET_COLUMNS, tickets)
            self.copy(TicketEvent, EVENT_COLUMNS, events)
            self.copy(Rating, RATING_COLUMNS, ratings)
            self.copy(SurveyResponse, SURVEY_COLUMNS, self.surveys)
            self.timings[0] += t1 - t0
            self.timings[1] += time.monotonic() - t1
            made += n
            rate = made / (time.monotonic() - started)
            print(
                f"bulkgen: {made:,} tickets ({len(events):,} events, {len(ratings):,} "
                f"ratings in the last batch), {rate:,.0f} a second; "
                f"making {self.timings[0]:.0f} s, COPY {self.timings[1]:.0f} s",
                flush=True,
            )
        with connection.cursor() as cur:
            tables = (
                "feedback_ticket",
                "feedback_ticketevent",
                "feedback_rating",
                "feedback_surveyresponse",
            )
            for table in tables:
                cur.execute(
                    # Three literal table names, nothing from outside.
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
            # Every table, the reference rows too, as autovacuum would have
            # by the time the data were real (it is off on some machines: a
            # units table without statistics had PostgreSQL guess one unit
            # for the city's 127); the visibility map lets index-only scans
            # skip the heap.
            cur.execute("VACUUM (ANALYZE)")

    def copy(self, model, columns: list[str], rows: list[tuple]) -> None:
        """COPY the rows; columns the model has beyond those written here
        (added by later work) get their field's default."""
        import json

        from django.db import connection, transaction

        if not rows:
            return
        table = model._meta.db_table
        extra = [
            f for f in model._meta.concrete_fields if f.column not in columns and f.column != "id"
        ]
        if extra:
            defaults = []
            for f in extra:
                value = f.get_default() if f.has_default() else None
                if value is None and not f.null:
                    sys.exit(f"bulkgen: {table}.{f.column} needs a value; teach bench/bulkgen.py")
                defaults.append(json.dumps(value) if isinstance(value, dict | list) else value)
            columns = [*columns, *(f.column for f in extra)]
            rows = [(*row, *defaults) for row in rows]
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cur:
            # The rows are consistent by construction: no foreign-key
            # trigger per row (a superuser's setting, for this transaction).
            cur.execute("SET LOCAL session_replication_role = replica")
            with cur.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)

    def code(self, codes: set[str]) -> str:
        from feedback.models import new_tracking_code

        while True:
            code = new_tracking_code()
            if code not in codes:
                codes.add(code)
                return code

    def one(self, pk, codes, tickets, events, ratings) -> None:
        from feedback.text import fold

        rng = self.rng
        unit = rng.choices(self.wards, self.ward_weights)[0]
        category = rng.choice(self.categories)
        kind = category.default_kind
        office = self.route(category, unit)
        policy = self.policy(category, unit)
        received = self.received_at()
        ack_due, due = self.due(policy, received)
        lat, lng = self.places[unit.pk]
        lat = round(lat + rng.uniform(-0.004, 0.004), 6)
        lng = round(lng + rng.uniform(-0.004, 0.004), 6)
        code = self.code(codes)
        title = f"{category.name} tại {unit.name}"
        description = f"Đề nghị xem xét, xử lý: {category.name.lower()} ({unit.name})."
        staff = self.staff.get(office) or [None]
        assignee = rng.choice(staff)

        ev = []

        def event(kind_, at, frm, to, *, public=False, data="{}", office_=office, actor=None):
            ev.append(
                (
                    pk,
                    kind_,
                    at,
                    actor,
                    "system" if actor is None else "",
                    office_,
                    frm,
                    to,
                    public,
                    "",
                    data,
                    at,
                    at,
                )
            )

        event("received", received, "", "received", public=True, office_=None)
        routed = received
        event("routed", routed, "received", "routed", public=True)
        age_days = (self.now - received).days
        fate = rng.random()
        status, acknowledged, answered, resolved, closed = "routed", None, None, None, None
        paused, round_ = None, 1
        ack_minutes = answer_minutes = None
        if fate < 0.03:
            status = "rejected"
            event("rejected", self.later(received, 2), "routed", "rejected", actor=assignee)
        else:
            ack_delay = rng.choice((1, 2, 3, 4, 6, 8, 8, 12, 16))
            acknowledged = self.later(received, ack_delay)
            if acknowledged < self.now and (age_days > 1 or rng.random() < 0.7):
                status = "in_progress"
                ack_minutes = self.clock.minutes(received, acknowledged)
                event("acknowledged", acknowledged, "routed", "in_progress", actor=assignee)
                # Resolved within 1-15 working days, most on time.
                work = rng.choice((6, 12, 20, 30, 45, 60, 75, 90, 120))
                done = self.later(acknowledged, work)
                open_chance = 0.9 if age_days < 10 else 0.15 if age_days < 45 else 0.03
                if done < self.now and rng.random() > open_chance:
                    resolved, answered = done, done
                    answer_minutes = self.clock.minutes(received, answered)
                    on_time = done <= due
                    status = "resolved"
                    event(
                        "resolved",
                        done,
                        "in_progress",
                        "resolved",
                        public=True,
                        actor=assignee,
                        data=f'{{"round": 1, "on_time": {str(on_time).lower()}, '
                        f'"due_at": "{due.isoformat()}"}}',
                    )
                    rate = rng.random()
                    if rate < 0.35:
                        overall = rng.choices((5, 4, 3, 2, 1), (40, 30, 12, 10, 8))[0]
                        rated = done + timedelta(hours=rng.randrange(2, 96))
                        if rated < self.now:
                            ratings.append((pk, 1, office, overall, None, None, None, "", rated))
                            event("rated", rated, "resolved", "resolved", actor=None)
                            if overall <= 2 and rng.random() < 0.5:
                                reopened = rated + HOUR
                                round_ = 2
                                event(
                                    "reopened",
                                    reopened,
                                    "resolved",
                                    "reopened",
                                    public=True,
                                    data='{"round": 2}',
                                )
                                status, resolved = "reopened", None
                                due = self.clock.cal.add(
                                    reopened, policy.resolve_amount, policy.resolve_unit
                                )
                                again = self.later(reopened, rng.choice((8, 16, 40)))
                                if again < self.now and age_days > 20:
                                    status, resolved = "resolved", again
                                    event(
                                        "resolved",
                                        again,
                                        "reopened",
                                        "resolved",
                                        public=True,
                                        actor=assignee,
                                        data=f'{{"round": 2, "on_time": '
                                        f"{str(again <= due).lower()}, "
                                        f'"due_at": "{due.isoformat()}"}}',
                                    )
                            elif overall >= 4:
                                status, closed = "closed", rated
                                event("closed", rated, "resolved", "closed")
                    if rng.random() < 0.125:
                        answered_at = done + timedelta(hours=rng.randrange(1, 240))
                        if answered_at < self.now:
                            self.surveys.append(
                                (
                                    pk,
                                    office,
                                    *(
                                        None
                                        if _q and rng.random() < 0.04
                                        else rng.choices((5, 4, 3, 2, 1), (35, 35, 15, 8, 7))[0]
                                        for _q in range(5)
                                    ),
                                    "vi",
                                    answered_at,
                                )
                            )
                    if status == "resolved" and resolved + timedelta(days=7) < self.now:
                        status, closed = "closed", resolved + timedelta(days=7)
                        event("closed", closed, "resolved", "closed")
                elif rng.random() < 0.05:
                    status = "awaiting_citizen"
                    paused = self.later(acknowledged, 4)
                    if paused < self.now:
                        event(
                            "info_requested",
                            paused,
                            "in_progress",
                            "awaiting_citizen",
                            public=True,
                            actor=assignee,
                        )
                    else:
                        status, paused = "in_progress", None
            else:
                acknowledged = None
        breached = due if status in OPEN and paused is None and due < self.now else None
        tickets.append(
            (
                pk,
                code,
                kind,
                status,
                "normal",
                False,
                category.pk,
                unit.pk,
                lat,
                lng,
                "",
                title,
                description,
                "{}",
                "web",
                "",
                "{}",
                None,
                "",
                "",
                "",
                "",
                None,
                False,
                kind == "denunciation",
                True,
                "",
                office,
                assignee if status != "routed" else None,
                None,
                "",
                received,
                received,
                None,
                self.now,
                routed,
                acknowledged,
                answered,
                resolved,
                closed,
                ack_due,
                due,
                None,
                paused,
                None,
                breached,
                None,
                0,
                0,
                round_,
                None,
                0,
                None,
                fold(" ".join([code, title, description])),
                ack_minutes,
                answer_minutes,
            )
        )
        events.extend(ev)


OPEN = {"received", "routed", "in_progress", "awaiting_citizen", "reopened"}

TICKET_COLUMNS = [
    "id",
    "code",
    "kind",
    "status",
    "priority",
    "is_complex",
    "category_id",
    "unit_id",
    "latitude",
    "longitude",
    "address",
    "title",
    "description",
    "extra",
    "channel",
    "source_ref",
    "source_data",
    "api_client_id",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_address",
    "consent_at",
    "is_anonymous",
    "is_confidential",
    "is_public",
    "reporter_key",
    "office_id",
    "assignee_id",
    "routing_rule_id",
    "routing_reason",
    "received_at",
    "created_at",
    "created_by_id",
    "updated_at",
    "routed_at",
    "acknowledged_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "ack_due_at",
    "due_at",
    "forward_due_at",
    "paused_since",
    "warned_at",
    "breached_at",
    "escalated_at",
    "extensions",
    "refusals",
    "round",
    "duplicate_of_id",
    "supporter_count",
    "idempotency_key",
    "search_text",
    "ack_minutes",
    "answer_minutes",
]
EVENT_COLUMNS = [
    "ticket_id",
    "kind",
    "at",
    "actor_id",
    "actor_label",
    "office_id",
    "from_status",
    "to_status",
    "is_public",
    "message",
    "data",
    "notified_at",
    "recorded_at",
]
RATING_COLUMNS = [
    "ticket_id",
    "round",
    "office_id",
    "overall",
    "timeliness",
    "attitude",
    "quality",
    "comment",
    "created_at",
]

SURVEY_COLUMNS = [
    "ticket_id",
    "office_id",
    "access",
    "procedure",
    "conduct",
    "result",
    "handling",
    "language",
    "created_at",
]


if __name__ == "__main__":
    main()
