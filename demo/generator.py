"""A year of demo tickets, played through the workflow (see demo.story),
and the work on the persona offices' desks today. Deterministic: the same
tickets on every machine, and an interrupted run resumes where it stopped.
The generator is usable outside the command (benchmarks build their data
with it)."""

from __future__ import annotations

import contextlib
import math
import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from demo import data as D
from demo import texts as T
from demo.reference import SEED, person
from demo.story import Stop, Story
from feedback import deadlines, routing, workflow
from feedback.models import AdministrativeUnit, Category, Membership, Office, Ticket

# Every demo ticket has an idempotency key in this scope, so a second run
# finds what the first made: "demo:00042" for the year's tickets and
# "demo:now-<office>-<state>-<n>" for today's workload.
SCOPE = "demo"
WORKLOAD_KEY = "now-"
BATCH = 250


# What the persona offices have on their desks today, on top of what the
# year left open: tickets received over the last two weeks or so in every
# open state (warned and overdue ones too, which a fast office's history
# rarely has), so that the inboxes a visitor opens first show a working
# office even after a small --tickets run.
# (office code, ((state, how many), ...)); the states are those of Story.current().
WORKLOAD = (
    (
        "ubnd-00070",
        (
            ("new", 2),
            ("in_progress", 1),
            ("assigned", 2),
            ("awaiting", 1),
            ("reopened", 1),
            ("due_soon", 2),
            ("overdue", 2),
        ),
    ),
    (
        "ubnd-00004",
        (
            ("new", 2),
            ("in_progress", 1),
            ("assigned", 1),
            ("awaiting", 1),
            ("reopened", 1),
            ("due_soon", 2),
            ("overdue", 2),
        ),
    ),
    (
        "so-xay-dung",
        (
            ("new", 1),
            ("in_progress", 1),
            ("assigned", 1),
            ("awaiting", 1),
            ("reopened", 1),
            ("due_soon", 2),
            ("overdue", 2),
        ),
    ),
    (D.DISPATCH, (("triage", 2),)),
)
# The persona wards get a busy year: a few hundred tickets each.
UNIT_WEIGHTS = {"00070": 60.0, "00004": 50.0}


class TicketGenerator:
    """Plays a year of tickets through the workflow. One random.Random(2026)
    draws a seed per ticket, so the data is the same on every machine and a
    run that was interrupted resumes where it stopped."""

    def __init__(self, city: AdministrativeUnit, stdout):
        self.wf = workflow
        self.deadlines = deadlines
        self.cal = deadlines.calendar()
        self.stdout = stdout
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.units = list(
            AdministrativeUnit.objects.filter(parent=city, is_active=True).order_by("code")
        )
        self.unit_weights = [_unit_weight(u) for u in self.units]
        # Reference rows are loaded once, with what the workflow reads from
        # them (a category's policies and parent, an office's parent), and
        # lent to every ticket: the workflow's lock() keeps the caller's loaded
        # related objects, so deadlines and escalations cost no query.
        cats = {
            c.code: c
            for c in Category.objects.select_related("deadline_policy", "urgent_deadline_policy")
        }
        by_pk = {c.pk: c for c in cats.values()}
        parent = Category._meta.get_field("parent")
        for c in cats.values():
            if c.parent_id in by_pk:
                parent.set_cached_value(c, by_pk[c.parent_id])
        self.categories = [cats[row[0]] for row in D.CATEGORIES if row[8] and row[0] in cats]
        self.category_weights = [row[8] for row in D.CATEGORIES if row[8] and row[0] in cats]
        self.top_code = {c.pk: c.path.strip("/").split("/")[0] for c in cats.values()}
        self.offices = {o.pk: o for o in Office.objects.select_related("parent", "unit")}
        self.office_by_code = {o.code: o for o in self.offices.values()}
        self.committee_of = {
            o.unit_id: o for o in self.offices.values() if o.kind == Office.Kind.COMMITTEE
        }
        self.staff: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for m in Membership.objects.select_related("user").filter(
            role__in=(Membership.Role.OFFICER, Membership.Role.HEAD)
        ):
            self.staff[m.office_id][m.role].append(m.user)
        for by_role in self.staff.values():
            for users in by_role.values():
                users.sort(key=lambda u: u.username)
        dispatch = self.office_by_code.get(D.DISPATCH)
        self.dispatcher = self.staff[dispatch.pk]["officer"][0] if dispatch else None
        # Each office's pace and care, stable across runs: a few are slow,
        # a few excellent, most in between, so rankings have a story.
        self.pace, self.care = {}, {}
        for office in sorted(self.offices.values(), key=lambda o: o.code):
            orng = random.Random(f"{SEED}:{office.code}")
            self.pace[office.pk] = math.exp(orng.gauss(math.log(0.55), 0.45))
            self.care[office.pk] = min(1.0, max(0.4, orng.gauss(0.8, 0.12)))
        for code, pace in (("ubnd-00070", 0.3), ("ubnd-00004", 0.6), ("so-xay-dung", 1.05)):
            if code in self.office_by_code:
                self.pace[self.office_by_code[code].pk] = pace
        self.recent: dict[tuple[int, int], list[Ticket]] = defaultdict(list)

    def run(self, count: int) -> int:
        done = _stored_keys(f"{SCOPE}:")
        master = random.Random(SEED)
        seeds = [master.getrandbits(64) for _ in range(count)]
        # Tickets are played in order of receipt, so a duplicate can point
        # at an earlier report of the same problem.
        starts = sorted(
            (self.received_at(random.Random(seed)), i, seed) for i, seed in enumerate(seeds)
        )
        todo = [(r, i, seed) for r, i, seed in starts if f"{SCOPE}:{i:05d}" not in done]
        made = 0
        for start in range(0, len(todo), BATCH):
            # This is history, not news: nobody is owed an email or a push
            # about a report answered months ago, and routing is played here.
            with self.wf.replaying_history(), transaction.atomic():
                ids = []
                for received, i, seed in todo[start : start + BATCH]:
                    rng = random.Random(seed)
                    # Past the draws that placed the ticket in time: were the
                    # story to start from them again, its first draw (the
                    # unit) would follow the date, and each ward would get
                    # all its tickets in the same few weeks of the year.
                    self.received_at(rng)
                    ticket = self.play(i, received, rng)
                    ids.append(ticket.pk)
            made += len(ids)
            self.stdout.write(f"  tickets: {made}/{len(todo)}")
        return made

    def received_at(self, rng: random.Random) -> datetime:
        # More reports lately (the portal grows): density rises toward now.
        days = 365 * (1 - math.sqrt(rng.random())) ** 1.0
        t = self.now - timedelta(days=days)
        hour = rng.choices(
            range(24), [1] * 6 + [3, 6, 9, 9, 8, 7, 6, 7, 8, 8, 7, 6, 6, 6, 5, 4, 3, 2]
        )[0]
        return min(t.replace(hour=hour, minute=rng.randrange(60)), self.now - timedelta(hours=1))

    # One ticket's story ---------------------------------------------------------

    def play(self, i: int, received: datetime, rng: random.Random) -> Ticket:
        ticket, secret, created = self.submit(f"{i:05d}", received, rng)
        story = Story(self, ticket, secret, rng, created)
        with contextlib.suppress(Stop):
            story.play()
        story.sweep(self.now)
        self.recent[(story.ticket.category_id, story.ticket.unit_id)].append(story.ticket)
        return story.ticket

    def submit(
        self,
        key: str,
        received: datetime,
        rng: random.Random,
        *,
        unit: AdministrativeUnit | None = None,
        category: Category | None = None,
        channel: str | None = None,
        urgent: bool | None = None,
        anonymous: bool | None = None,
    ) -> tuple[Ticket, str, datetime]:
        """File one ticket through the workflow: (ticket, reporter's secret,
        when it was entered). What is not given is drawn from `rng`."""
        if unit is None:
            unit = rng.choices(self.units, self.unit_weights)[0]
        if category is None:
            category = rng.choices(self.categories, self.category_weights)[0]
        kind = category.default_kind
        if channel is None:
            channel = rng.choices(
                ["web", "hotline", "social", "walk_in", "paper", "email", "api"],
                [55, 14, 10, 8, 7, 3, 3],
            )[0]
        if kind != "feedback" and channel in ("social", "api"):
            channel = "web"
        entered_by, created = None, received
        if channel not in ("web", "api"):
            if channel in ("walk_in", "paper"):
                office = self.committee_of.get(unit.pk)
                entered_by = self.staff[office.pk]["officer"][0] if office else self.dispatcher
            else:
                entered_by = self.dispatcher
            delay = {"hotline": 10, "walk_in": 20, "social": 240, "email": 300, "paper": 1800}
            created = min(received + timedelta(minutes=rng.uniform(2, delay[channel])), self.now)
        place, lat, lng = _place(unit, rng)
        title, body = rng.choice(T.TEXTS[category.code])
        title, body = title.format(place=place), body.format(place=place)
        if anonymous is None:
            anonymous = kind == "feedback" and rng.random() < 0.15
        contact = {} if anonymous else _contact(rng, unit)
        extra = _extra(category, rng)
        located = category.location_required or rng.random() < 0.3
        if urgent is None:
            urgent = category.code in D.URGENT_CATEGORIES and rng.random() < 0.25
        source_ref = ""
        if channel == "paper":
            source_ref = (
                f"000.00.{unit.code[-2:]}.H26-{received:%y%m%d}-{rng.randrange(1, 9999):04d}"
            )
        elif channel == "social":
            source_ref = (
                f"https://www.facebook.com/groups/hanoi.phananh/posts/{rng.getrandbits(50)}"
            )
        elif channel == "api":
            source_ref = f"IHN-{received:%Y%m%d}-{rng.randrange(100000):06d}"
        filed = self.wf.ticket_submit(
            kind=kind,
            category=category,
            unit=unit,
            title=title,
            description=body,
            channel=channel,
            received_at=received if entered_by else None,
            entered_by=entered_by,
            priority="urgent" if urgent else "normal",
            is_complex=kind != "feedback" and rng.random() < 0.2,
            latitude=lat if located else None,
            longitude=lng if located else None,
            address=f"{place}, {unit.name}, Hà Nội",
            extra=extra,
            source_ref=source_ref,
            source_data={"demo": True} if channel == "api" else None,
            consent=bool(contact),
            is_anonymous=anonymous,
            is_confidential=kind == "denunciation",
            is_public=kind == "feedback",
            idempotency_key=key,
            idempotency_scope=SCOPE,
            at=created,
            **contact,
        )
        return filed.ticket, filed.secret, created

    # Today's workload -------------------------------------------------------------

    def run_workload(self) -> int:
        """Play WORKLOAD: each ticket is filed, routed and worked up to its
        state through the workflow, backdated, with a key of its own."""
        done = _stored_keys(f"{SCOPE}:{WORKLOAD_KEY}")
        self.routes: dict[tuple[int, int], Office] = {}
        made = 0
        with self.wf.replaying_history(), transaction.atomic():
            for code, states in WORKLOAD:
                office = self.office_by_code.get(code)
                if office is None:
                    continue
                for state, count in states:
                    for n in range(1, count + 1):
                        key = f"{WORKLOAD_KEY}{code}-{state}-{n}"
                        if f"{SCOPE}:{key}" not in done:
                            self.play_current(office, state, key, random.Random(f"{SEED}:{key}"))
                            made += 1
        return made

    def route_of(self, category: Category, unit: AdministrativeUnit) -> Office:
        """Where routing would send such a ticket (a read, nothing saved)."""
        key = (category.pk, unit.pk)
        if key not in self.routes:
            self.routes[key] = routing.pick_office(Ticket(category=category, unit=unit)).office
        return self.routes[key]

    def subject(
        self, office: Office, state: str, rng: random.Random
    ) -> tuple[AdministrativeUnit, Category]:
        """A unit and a category that route to `office` (for the dispatch
        office: to a department first, which the ward will also refuse)."""
        if office.peer_group == Office.PeerGroup.WARDS:
            unit, codes = office.unit, None
        else:
            unit = rng.choice([u for u in self.units if u.code in T.WARD_PLACES])
            # Only categories with a city-wide rule can reach a department.
            codes = {
                cat
                for cat, where, to, *_ in D.ROUTING_RULES
                if where is None and (to == office.code or office.kind == Office.Kind.DISPATCH)
            }
        committee = self.committee_of.get(unit.pk)
        pairs = []
        for category, weight in zip(self.categories, self.category_weights, strict=True):
            if codes is not None and category.code not in codes:
                continue
            if state in ("due_soon", "overdue") and category.default_kind != "feedback":
                continue  # statutory periods run a month or more: not "recent"
            target = self.route_of(category, unit)
            if office.kind == Office.Kind.DISPATCH:
                fits = committee is not None and target.kind == Office.Kind.DEPARTMENT
            else:
                fits = target.pk == office.pk
            if fits:
                pairs.append((category, weight))
        category = rng.choices([c for c, _ in pairs], [w for _, w in pairs])[0]
        return unit, category

    def play_current(self, office: Office, state: str, key: str, rng: random.Random) -> None:
        unit, category = self.subject(office, state, rng)
        urgent = state == "overdue" and category.code in D.URGENT_CATEGORIES
        received, plan = self.plan(state, category, unit, urgent, rng)
        ticket, secret, created = self.submit(
            key,
            received,
            rng,
            unit=unit,
            category=category,
            channel=rng.choice(["web", "web", "web", "hotline"]),
            urgent=urgent,
            anonymous=False if state == "awaiting" else None,
        )
        story = Story(self, ticket, secret, rng, created, warn=True)
        with contextlib.suppress(Stop):
            story.current(state, plan)
        story.sweep(self.now)

    def plan(
        self,
        state: str,
        category: Category,
        unit: AdministrativeUnit,
        urgent: bool,
        rng: random.Random,
    ) -> tuple[datetime, dict[str, datetime]]:
        """When the ticket came in and when each step was taken, such that
        all of it lies in the past (office hours, holidays and the time of
        day the command runs permitting) and the deadlines put the ticket
        where its state says: warned but not yet due, overdue, or neither."""
        minutes = lambda lo, hi: timedelta(minutes=rng.uniform(lo, hi))  # noqa: E731
        ages = {  # days ago, at the first attempt
            "new": (0.05, 1.0),
            "triage": (0.3, 2.0),
            "in_progress": (1.0, 5.0),
            "assigned": (1.0, 5.0),
            "awaiting": (2.0, 6.0),
            "reopened": (6.0, 10.0),
            "due_soon": (8.0, 8.3),
            "overdue": (1.0, 1.5) if urgent else (14.0, 15.0),
        }
        lo, hi = ages[state]
        for attempt in range(60):
            received = self.now - timedelta(days=rng.uniform(lo, hi) + attempt * 0.25)
            received = received.replace(second=0, microsecond=0)
            t = {"route": received + minutes(11, 14)}
            if state == "triage":
                t["refuse1"] = self.office_after(t["route"] + minutes(20, 180), rng)
                t["route2"] = t["refuse1"] + minutes(1, 20)
                t["refuse2"] = self.office_after(t["route2"] + minutes(20, 180), rng)
                t["route3"] = t["refuse2"] + minutes(1, 20)
            elif state != "new":
                t["ack"] = self.office_after(t["route"] + minutes(20, 240), rng)
                if state == "assigned":
                    t["assign"] = t["ack"] + minutes(5, 60)
                elif state == "awaiting":
                    t["ask"] = self.office_after(t["ack"] + minutes(30, 480), rng)
                elif state == "reopened":
                    t["answer"] = self.office_after(t["ack"] + minutes(600, 3000), rng)
                    t["resolve"] = t["answer"] + minutes(1, 30)
                    t["reopen"] = t["resolve"] + minutes(120, 60 * 48)
            if max(t.values()) > self.now - timedelta(minutes=5):
                continue
            due, warn = self.deadlines_for(category, unit, urgent, received)
            if state == "overdue":
                fits = due + timedelta(minutes=30) < self.now
            elif state == "due_soon":
                fits = warn is not None and warn + timedelta(minutes=20) < self.now
                fits = fits and self.now < due - timedelta(hours=2)
            else:
                fits = warn is None or self.now < warn
            if fits:
                return received, t
        return received, t  # a calendar with no office day for weeks: as far as it goes

    def office_after(self, t: datetime, rng: random.Random) -> datetime:
        return self.cal.when_elapsed(t, 0.0, "working_hours") + timedelta(
            minutes=rng.uniform(0, 25)
        )

    def deadlines_for(
        self, category: Category, unit: AdministrativeUnit, urgent: bool, received: datetime
    ) -> tuple[datetime, datetime | None]:
        """(due, warning time) of a ticket received then: the workflow's own
        rules, applied to an unsaved ticket."""
        probe = Ticket(
            kind=category.default_kind,
            category=category,
            unit=unit,
            priority="urgent" if urgent else "normal",
            received_at=received,
        )
        probe.due_at = self.deadlines.compute_due(probe).due_at
        return probe.due_at, self.deadlines.warn_at(probe)


def _stored_keys(prefix: str) -> set[str]:
    return set(
        Ticket.objects.filter(idempotency_key__startswith=prefix).values_list(
            "idempotency_key", flat=True
        )
    )


# --- generators for one ticket's content ------------------------------------------


def _unit_weight(unit: AdministrativeUnit) -> float:
    if unit.code in UNIT_WEIGHTS:
        return UNIT_WEIGHTS[unit.code]
    if unit.code in T.WARD_PLACES:
        return 8.0
    return 3.0 if unit.kind == AdministrativeUnit.Kind.WARD else 1.0


def _place(unit: AdministrativeUnit, rng: random.Random) -> tuple[str, float, float]:
    known = T.WARD_PLACES.get(unit.code)
    if known:
        lat, lng, streets = known
        place = f"số {rng.randrange(1, 300)} {rng.choice(streets)}"
    else:
        # No surveyed centre for this unit: a stable spot inside the city box.
        urng = random.Random(f"{SEED}:{unit.code}")
        lat, lng = urng.uniform(20.96, 21.09), urng.uniform(105.76, 105.89)
        if unit.kind == AdministrativeUnit.Kind.COMMUNE:
            place = rng.choice(T.VILLAGES)
        else:
            place = f"Tổ dân phố số {rng.randrange(1, 30)}"
    lat = min(21.10, max(20.95, lat + rng.uniform(-0.006, 0.006)))
    lng = min(105.90, max(105.75, lng + rng.uniform(-0.006, 0.006)))
    return place, round(lat, 6), round(lng, 6)


def _contact(rng: random.Random, unit: AdministrativeUnit) -> dict[str, str]:
    first, last = person(rng)
    contact = {
        "contact_name": f"{last} {first}",
        "contact_phone": "09" + "".join(str(rng.randrange(10)) for _ in range(8)),
    }
    if rng.random() < 0.3:
        user = f"{T.ASCII_GIVEN[first]}.{rng.randrange(1000)}"
        contact["contact_email"] = f"{user}@example.com"
    if rng.random() < 0.4:
        contact["contact_address"] = f"Số {rng.randrange(1, 200)}, {unit.name}, Hà Nội"
    return contact


def _extra(category: Category, rng: random.Random) -> dict:
    extra = {}
    for field in category.extra_fields or []:
        if field.get("datatype") == "singlevaluelist" and (
            field.get("required") or rng.random() < 0.6
        ):
            extra[field["code"]] = rng.choice(field["values"])["key"]
        elif field.get("datatype") == "number" and rng.random() < 0.5:
            extra[field["code"]] = rng.choice([10, 20, 30, 40, 50])
    return extra
