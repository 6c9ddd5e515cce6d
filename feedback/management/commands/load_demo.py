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
import math
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from feedback import demo_data as D
from feedback.models import (
    AdministrativeUnit,
    Category,
    Membership,
    Office,
    ResponseTemplate,
    RoutingRule,
    Ticket,
)

PASSWORD = "demo12345!"  # noqa: S105 (the documented demo login)
SEED = 2026
KEY_PREFIX = "demo-"
BATCH = 250
_OFFICE = Ticket._meta.get_field("office")

# What the persona offices have on their desks today, on top of what the
# year left open: tickets received over the last two weeks or so in every
# open state (warned and overdue ones too, which a fast office's history
# rarely has), so that the inboxes a visitor opens first show a working
# office even after a small --tickets run.
# (office code, ((state, how many), ...)); the states are Workload.STATES.
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
WORKLOAD_KEY = "demo-now-"
# The persona wards get a busy year: a few hundred tickets each.
UNIT_WEIGHTS = {"00070": 60.0, "00004": 50.0}

# (username, full name, office code or None, role, superuser). Vietnamese
# names run family name first; Django's get_full_name() is "first last", so
# the whole name goes in first_name and last_name stays empty.
PERSONAS = [
    ("admin", "Quản trị hệ thống", None, None, True),
    ("leader", "Trần Quang Minh", D.CITY_COMMITTEE, Membership.Role.LEADER, False),
    ("head.hoankiem", "Lê Thị Hương", "ubnd-00070", Membership.Role.HEAD, False),
    ("officer.hoankiem", "Nguyễn Văn Nam", "ubnd-00070", Membership.Role.OFFICER, False),
    ("officer.baidinh", "Phạm Thùy Linh", "ubnd-00004", Membership.Role.OFFICER, False),
    ("head.xaydung", "Hoàng Tiến Dũng", "so-xay-dung", Membership.Role.HEAD, False),
    ("officer.xaydung", "Vũ Thu Trang", "so-xay-dung", Membership.Role.OFFICER, False),
    ("dispatcher", "Đỗ Thanh Hải", D.DISPATCH, Membership.Role.OFFICER, False),
    ("ward.leader", "Bùi Hồng Sơn", "ubnd-00070", Membership.Role.LEADER, False),
]
PERSONA_NOTES = {
    "admin": "quản trị (superuser)",
    "leader": "lãnh đạo Thành phố: xem mọi phản ánh ở Hà Nội",
    "head.hoankiem": "lãnh đạo UBND Phường Hoàn Kiếm",
    "officer.hoankiem": "cán bộ UBND Phường Hoàn Kiếm",
    "officer.baidinh": "cán bộ UBND Phường Ba Đình",
    "head.xaydung": "lãnh đạo Sở Xây dựng",
    "officer.xaydung": "cán bộ Sở Xây dựng",
    "dispatcher": "cán bộ điều phối",
    "ward.leader": "lãnh đạo theo dõi Phường Hoàn Kiếm",
}


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
            from feedback.deadlines import ensure_presets

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


# --- reference data -------------------------------------------------------------


def load_offices(city: AdministrativeUnit) -> int:
    created = 0
    committee, new = Office.objects.get_or_create(
        code=D.CITY_COMMITTEE,
        defaults=dict(
            name="UBND Thành phố Hà Nội",
            short_name="UBND Thành phố",
            kind=Office.Kind.COMMITTEE,
            peer_group=Office.PeerGroup.CITY,
            unit=city,
            address="79 Đinh Tiên Hoàng, Hoàn Kiếm, Hà Nội",
        ),
    )
    created += new
    _, new = Office.objects.get_or_create(
        code=D.DISPATCH,
        defaults=dict(
            name="Bộ phận điều phối – Trung tâm Phục vụ hành chính công",
            short_name="Điều phối",
            kind=Office.Kind.DISPATCH,
            peer_group=Office.PeerGroup.CITY,
            unit=city,
            parent=committee,
        ),
    )
    created += new
    for code, name, short, kind, peer in D.CITY_OFFICES:
        _, new = Office.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name, short_name=short, kind=kind, peer_group=peer, unit=city, parent=committee
            ),
        )
        created += new
    existing = set(Office.objects.values_list("code", flat=True))
    wards = AdministrativeUnit.objects.filter(parent=city, is_active=True).order_by("code")
    missing = [
        Office(
            code=f"ubnd-{unit.code}",
            name=f"UBND {unit.name}",
            kind=Office.Kind.COMMITTEE,
            peer_group=Office.PeerGroup.WARDS,
            unit=unit,
            parent=committee,
        )
        for unit in wards
        if f"ubnd-{unit.code}" not in existing
    ]
    Office.objects.bulk_create(missing)
    return created + len(missing)


def load_categories(policies: dict) -> int:
    created = 0
    by_code: dict[str, Category] = {}
    for order, (code, parent, name, name_en, kind, policy, loc, extra, _w) in enumerate(
        D.CATEGORIES
    ):
        category, new = Category.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                name_en=name_en,
                parent=by_code.get(parent) if parent else None,
                default_kind=kind,
                deadline_policy=policies[policy] if policy else None,
                urgent_deadline_policy=policies["urgent"] if code in D.URGENT_CATEGORIES else None,
                location_required=loc,
                extra_fields=extra,
                sort_order=order,
            ),
        )
        by_code[code] = category
        created += new
    for code, templates in D.RESPONSE_TEMPLATES.items():
        for title, body in templates:
            _, new = ResponseTemplate.objects.get_or_create(
                category=by_code[code], title=title, defaults={"body": body}
            )
            created += new
    return created


def load_rules() -> int:
    created = 0
    categories = {c.code: c for c in Category.objects.all()}
    offices = {o.code: o for o in Office.objects.all()}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=_rule_units())}
    for cat, unit, office, priority, note in D.ROUTING_RULES:
        if unit and unit not in units:
            continue  # a ward merged away since this list was written
        _, new = RoutingRule.objects.get_or_create(
            category=categories[cat],
            unit=units[unit] if unit else None,
            office=offices[office],
            defaults={"priority": priority, "note": note},
        )
        created += new
    return created


def _rule_units() -> set[str]:
    return {unit for _, unit, *_ in D.ROUTING_RULES if unit}


def load_users() -> int:
    User = get_user_model()
    offices = {o.code: o for o in Office.objects.all()}
    created = 0
    password = None  # hashed once: the hasher is slow on purpose
    for username, name, office, role, superuser in PERSONAS:
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or make_password(PASSWORD)
            user = User(
                username=username,
                first_name=name,
                email=f"{username}@example.com",
                is_staff=superuser,
                is_superuser=superuser,
                password=password,
            )
            user.save()
            created += 1
        if office:
            _, new = Membership.objects.get_or_create(
                user=user, office=offices[office], defaults={"role": role}
            )
            created += new

    # Every office that receives tickets needs an officer and a head to work
    # them. These have no password: the personas above are the demo logins.
    rng = random.Random(SEED)
    have = defaultdict(set)
    for office_id, r in Membership.objects.values_list("office_id", "role"):
        have[office_id].add(r)
    taken = set(User.objects.values_list("username", flat=True))
    new_users, roles = [], []
    for office in sorted(offices.values(), key=lambda o: o.code):
        for role, prefix in ((Membership.Role.OFFICER, "cb"), (Membership.Role.HEAD, "ld")):
            username = f"{prefix}.{office.code}"
            if role in have[office.pk] or username in taken:
                continue
            new_users.append(
                User(
                    username=username,
                    first_name=_person_name(rng),
                    password=UNUSABLE_PASSWORD_PREFIX + "demo",
                )
            )
            roles.append((office, role))
    User.objects.bulk_create(new_users)
    saved = {
        u.username: u for u in User.objects.filter(username__in=[u.username for u in new_users])
    }
    Membership.objects.bulk_create(
        Membership(user=saved[u.username], office=office, role=role)
        for u, (office, role) in zip(new_users, roles, strict=True)
    )
    return created + 2 * len(new_users)


def fix_names() -> int:
    """A database loaded before names were stored family name first has
    first_name "Nam", last_name "Nguyễn Văn" (shown "Nam Nguyễn Văn"): put
    the demo users' names right. Returns how many changed. Events keep the
    actor label they were written with (they are append-only)."""
    User = get_user_model()
    names = {username: name for username, name, *_ in PERSONAS}
    staff = [
        f"{prefix}.{code}"
        for code in Office.objects.values_list("code", flat=True)
        for prefix in ("cb", "ld")
    ]
    changed = []
    for user in User.objects.filter(username__in=[*names, *staff]):
        if user.username in names:
            right = names[user.username]
        elif user.last_name:
            right = f"{user.last_name} {user.first_name}".strip()
        else:
            continue
        if (user.first_name, user.last_name) != (right, ""):
            user.first_name, user.last_name = right, ""
            changed.append(user)
    User.objects.bulk_update(changed, ["first_name", "last_name"], batch_size=500)
    return len(changed)


def _person(rng: random.Random) -> tuple[str, str]:
    """(given name, family + middle name)."""
    family = rng.choices(D.FAMILY_NAMES, D.FAMILY_WEIGHTS)[0]
    return rng.choice(D.GIVEN_NAMES), f"{family} {rng.choice(D.MIDDLE_NAMES)}"


def _person_name(rng: random.Random) -> str:
    """A full name in Vietnamese order: family, middle, given."""
    given, family = _person(rng)
    return f"{family} {given}"


# --- tickets ---------------------------------------------------------------------


class Stop(Exception):
    """The next step of a ticket's story lies in the future: it stays open."""


class TicketGenerator:
    """Plays a year of tickets through the workflow. One random.Random(2026)
    draws a seed per ticket, so the data is the same on every machine and a
    run that was interrupted resumes where it stopped."""

    def __init__(self, city: AdministrativeUnit, stdout):
        from feedback import deadlines, workflow

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
        # lent to every ticket: workflow._lock keeps the caller's loaded
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
        done = set(
            Ticket.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list(
                "idempotency_key", flat=True
            )
        )
        master = random.Random(SEED)
        seeds = [master.getrandbits(64) for _ in range(count)]
        # Tickets are played in order of receipt, so a duplicate can point
        # at an earlier report of the same problem.
        starts = sorted(
            (self.received_at(random.Random(seed)), i, seed) for i, seed in enumerate(seeds)
        )
        todo = [(r, i, seed) for r, i, seed in starts if f"{KEY_PREFIX}{i:05d}" not in done]
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
        ticket, secret, created = self.submit(f"{KEY_PREFIX}{i:05d}", received, rng)
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
        title, body = rng.choice(D.TEXTS[category.code])
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
        ticket, secret = self.wf.ticket_submit(
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
            at=created,
            **contact,
        )
        return ticket, secret, created

    # Today's workload -------------------------------------------------------------

    def run_workload(self) -> int:
        """Play WORKLOAD: each ticket is filed, routed and worked up to its
        state through the workflow, backdated, with a key of its own."""
        done = set(
            Ticket.objects.filter(idempotency_key__startswith=WORKLOAD_KEY).values_list(
                "idempotency_key", flat=True
            )
        )
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
                        if key not in done:
                            self.play_current(office, state, key, random.Random(f"{SEED}:{key}"))
                            made += 1
        return made

    def route_of(self, category: Category, unit: AdministrativeUnit) -> Office:
        """Where routing would send such a ticket (a read, nothing saved)."""
        from feedback import routing

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
            unit = rng.choice([u for u in self.units if u.code in D.WARD_PLACES])
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


class Story:
    """The life of one ticket after intake, step by step in time."""

    def __init__(
        self,
        gen: TicketGenerator,
        ticket: Ticket,
        secret: str,
        rng,
        t: datetime,
        *,
        warn: bool = False,
    ):
        self.gen, self.wf, self.ticket, self.secret, self.rng = gen, gen.wf, ticket, secret, rng
        self.t = t
        # Whether the sweep's "due soon" warning is played too (the current
        # workload, where the inboxes show it).
        self.warn = warn

    @property
    def ticket(self) -> Ticket:
        return self._ticket

    @ticket.setter
    def ticket(self, ticket: Ticket) -> None:
        # The next action reuses the generator's loaded office (and its parent).
        office = self.gen.offices.get(ticket.office_id)
        if office is not None:
            _OFFICE.set_cached_value(ticket, office)
        self._ticket = ticket

    # time ---------------------------------------------------------------------

    def later(self, minutes: float) -> datetime:
        return self.t + timedelta(minutes=minutes)

    def office_time(self, t: datetime) -> datetime:
        """Staff act in office hours: an instant inside them at or after t."""
        t = self.gen.cal.when_elapsed(t, 0.0, "working_hours")
        return t + timedelta(minutes=self.rng.uniform(0, 25))

    def step(self, when: datetime) -> datetime:
        """Advance to `when`, letting the deadline sweep run first; stop the
        story if it lies in the future."""
        when = max(when, self.t + timedelta(seconds=30))
        if when > self.gen.now:
            raise Stop
        self.sweep(when)
        self.t = when
        return when

    def sweep(self, until: datetime) -> None:
        """What the periodic deadline sweep would have done before `until`."""
        tk = self.ticket
        if not tk.is_open or tk.due_at is None or tk.paused_since or tk.breached_at:
            return
        if self.warn and tk.warned_at is None:
            warn = self.gen.deadlines.warn_at(tk)
            if warn is not None:
                warn += timedelta(minutes=self.rng.uniform(1, 15))
                if warn < until and warn <= tk.due_at:
                    self.ticket = tk = self.wf.ticket_warn(tk, at=warn)
        swept = tk.due_at + timedelta(minutes=self.rng.uniform(1, 15))
        if swept >= until:
            return
        self.ticket = self.wf.ticket_mark_breached(tk, at=swept)
        escalate = getattr(self.wf, "ticket_escalate", None)
        if escalate is not None and swept + timedelta(minutes=5) < until:
            self.ticket = escalate(self.ticket, at=swept + timedelta(minutes=5))

    # people -------------------------------------------------------------------

    def officer(self):
        staff = self.gen.staff[self.ticket.office_id]
        return self.rng.choice(staff["officer"] or staff["head"])

    def head(self):
        staff = self.gen.staff[self.ticket.office_id]
        return (staff["head"] or staff["officer"])[0]

    # the story ----------------------------------------------------------------

    def play(self) -> None:
        wf, rng, gen = self.wf, self.rng, self.gen
        self.ticket = wf.ticket_route(self.ticket, at=self.step(self.later(rng.uniform(0.5, 3))))
        self.triage()
        pace = gen.pace[self.ticket.office_id]
        roll = rng.random()
        if roll < 0.02:
            self.ticket = wf.ticket_reject(
                self.ticket, actor=self.officer(), reason=D.SPAM_REASON, at=self.step(self.ack_at())
            )
            return
        if roll < 0.05 and self.merge():
            return
        if roll < 0.10 and self.ticket.routing_rule_id:
            # The rule's office says "not ours"; routing tries the next one.
            self.ticket = wf.ticket_not_ours(
                self.ticket,
                actor=self.officer(),
                reason=rng.choice(D.NOT_OURS_REASONS),
                at=self.step(self.ack_at()),
            )
            self.ticket = wf.ticket_route(self.ticket, at=self.step(self.later(rng.uniform(1, 20))))
            self.triage()
        elif roll < 0.14:
            target = self.transfer_target()
            if target is not None:
                self.ticket = wf.ticket_transfer(
                    self.ticket,
                    actor=self.officer(),
                    to_office=target,
                    reason=rng.choice(D.TRANSFER_REASONS),
                    at=self.step(self.ack_at()),
                )
        self.work(stall=rng.random() < 0.01 + 0.05 * max(0.0, pace - 0.6))
        self.after_resolution()

    def triage(self) -> None:
        """A ticket no office claimed waits for the dispatcher, who sends it on."""
        office = self.gen.offices[self.ticket.office_id]
        if office.kind != Office.Kind.DISPATCH:
            return
        target = self.transfer_target() or self.gen.committee_of.get(self.ticket.unit_id)
        self.ticket = self.wf.ticket_transfer(
            self.ticket,
            actor=self.officer(),
            to_office=target,
            reason="Điều phối: chuyển cơ quan có thẩm quyền.",
            at=self.step(self.office_time(self.later(self.rng.uniform(20, 240)))),
        )

    def ack_at(self) -> datetime:
        hours = math.exp(self.rng.gauss(math.log(2.5), 0.8)) * self.gen.pace[self.ticket.office_id]
        return self.office_time(self.gen.cal.when_elapsed(self.t, hours, "working_hours"))

    def resolve_at(self) -> datetime:
        """A share of the time left before the due date: offices with a slow
        pace often overrun it."""
        tk = self.ticket
        span = (tk.due_at - self.t) if tk.due_at and tk.due_at > self.t else timedelta(days=5)
        share = math.exp(self.rng.gauss(math.log(self.gen.pace[tk.office_id]), 0.45))
        return self.office_time(self.t + span * share)

    def merge(self) -> bool:
        tk = self.ticket
        for other in reversed(self.gen.recent[(tk.category_id, tk.unit_id)]):
            if other.received_at < tk.received_at - timedelta(days=60):
                break
            if other.office_id == tk.office_id and other.status != Ticket.Status.REJECTED:
                self.ticket = self.wf.ticket_merge(
                    tk, actor=self.officer(), into=other.pk, at=self.step(self.ack_at())
                )
                return True
        return False

    def transfer_target(self) -> Office | None:
        tk, gen = self.ticket, self.gen
        office = gen.offices[tk.office_id]
        if office.kind == Office.Kind.COMMITTEE and office.peer_group == Office.PeerGroup.WARDS:
            code = D.TRANSFER_TO_DEPARTMENT.get(gen.top_code[tk.category_id])
            target = gen.office_by_code.get(code) if code else None
        else:
            target = gen.committee_of.get(tk.unit_id)
        return target if target is not None and target.pk != tk.office_id else None

    def work(self, *, stall: bool) -> None:
        wf, rng = self.wf, self.rng
        if stall and rng.random() < 0.3:
            raise Stop  # never even acknowledged
        if rng.random() < 0.25 and self.gen.staff[self.ticket.office_id]["head"]:
            head = self.head()
            self.ticket = wf.ticket_acknowledge(
                self.ticket, actor=head, at=self.step(self.ack_at())
            )
            self.ticket = wf.ticket_assign(
                self.ticket,
                actor=head,
                assignee=self.officer(),
                at=self.step(self.later(rng.uniform(5, 90))),
            )
        else:
            self.ticket = wf.ticket_acknowledge(
                self.ticket, actor=self.officer(), at=self.step(self.ack_at())
            )
        if stall:
            raise Stop
        tk = self.ticket
        if rng.random() < 0.08 and not tk.is_anonymous and (tk.contact_phone or tk.contact_email):
            self.ticket = wf.ticket_request_info(
                tk,
                actor=self.officer(),
                message=rng.choice(D.INFO_REQUESTS),
                at=self.step(self.office_time(self.later(rng.uniform(30, 600)))),
            )
            if rng.random() < 0.25:
                raise Stop  # the citizen never answered
            self.ticket = wf.ticket_citizen_reply(
                self.ticket,
                secret=self.secret,
                message=rng.choice(D.CITIZEN_REPLIES),
                at=self.step(self.later(rng.uniform(60, 60 * 24 * 5))),
            )
        if self.ticket.kind == "denunciation" and self.ticket.is_complex and rng.random() < 0.5:
            self.ticket = wf.ticket_extend(
                self.ticket,
                actor=self.head(),
                reason="Vụ việc phức tạp, cần xác minh thêm: gia hạn giải quyết 30 ngày.",
                at=self.step(self.office_time(self.later(60 * 24 * 14))),
            )
        self.resolve()

    def resolve(self) -> None:
        wf, rng = self.wf, self.rng
        actor = self.officer()
        message = rng.choice(
            [
                body
                for _, body in D.RESPONSE_TEMPLATES.get(
                    self.gen.top_code[self.ticket.category_id], []
                )
            ]
            or D.ANSWERS["default"]
        )
        self.ticket = wf.ticket_answer(
            self.ticket, actor=actor, message=message, at=self.step(self.resolve_at())
        )
        self.ticket = wf.ticket_resolve(
            self.ticket,
            actor=actor,
            message=rng.choice(D.ANSWERS["default"]),
            at=self.step(self.later(rng.uniform(1, 30))),
        )

    def after_resolution(self) -> None:
        """The citizen rates, reopens or stays quiet; quiet tickets close."""
        wf, rng, tk = self.wf, self.rng, self.ticket
        window = tk.resolved_at + timedelta(days=7)
        on_time = tk.due_at is None or tk.resolved_at <= tk.due_at
        care = self.gen.care[tk.office_id]
        if tk.round == 1 and rng.random() < 0.03:
            self.reopen(window)
            return
        if rng.random() < (0.6 if tk.contact_phone or tk.contact_email else 0.35):
            when = self.step(self.later(rng.uniform(30, 60 * 24 * 5)))
            satisfied = rng.random() < care * (0.95 if on_time else 0.6)
            overall = rng.choice([4, 5, 5]) if satisfied else rng.choice([1, 2, 2, 3, 3])
            aspects = {}
            if rng.random() < 0.7:
                aspects = {
                    "timeliness": max(
                        1, min(5, (overall if on_time else overall - 1) + rng.choice([-1, 0, 0, 1]))
                    ),
                    "attitude": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
                    "quality": max(1, min(5, overall + rng.choice([-1, 0, 0]))),
                }
            rating = wf.ticket_rate(
                tk,
                secret=self.secret,
                overall=overall,
                comment=rng.choice(D.RATING_COMMENTS[overall]) if rng.random() < 0.5 else "",
                at=when,
                **aspects,
            )
            self.ticket = rating.ticket  # as ticket_rate left it (closed if satisfied)
            if satisfied:
                return
            if tk.round == 1 and rng.random() < 0.4:
                self.reopen(window)
                return
        self.ticket = wf.ticket_close(
            self.ticket, at=self.step(window + timedelta(minutes=rng.uniform(5, 60)))
        )

    # today's workload -------------------------------------------------------------

    def current(self, state: str, t: dict[str, datetime]) -> None:
        """Work the ticket up to `state` at the times `t` planned."""
        wf, rng = self.wf, self.rng
        self.ticket = wf.ticket_route(self.ticket, at=self.step(t["route"]))
        if state == "new":
            return
        if state == "triage":
            # Two offices say "not ours": the dispatcher has to decide.
            for n in (1, 2):
                self.ticket = wf.ticket_not_ours(
                    self.ticket,
                    actor=self.officer(),
                    reason=rng.choice(D.NOT_OURS_REASONS),
                    at=self.step(t[f"refuse{n}"]),
                )
                self.ticket = wf.ticket_route(self.ticket, at=self.step(t[f"route{n + 1}"]))
            return
        if state == "assigned" and self.gen.staff[self.ticket.office_id]["head"]:
            head = self.head()
            self.ticket = wf.ticket_acknowledge(self.ticket, actor=head, at=self.step(t["ack"]))
            self.ticket = wf.ticket_assign(
                self.ticket, actor=head, assignee=self.officer(), at=self.step(t["assign"])
            )
        else:
            self.ticket = wf.ticket_acknowledge(
                self.ticket, actor=self.officer(), at=self.step(t["ack"])
            )
        if state == "awaiting":
            self.ticket = wf.ticket_request_info(
                self.ticket,
                actor=self.officer(),
                message=rng.choice(D.INFO_REQUESTS),
                at=self.step(t["ask"]),
            )
        elif state == "reopened":
            actor = self.officer()
            self.ticket = wf.ticket_answer(
                self.ticket,
                actor=actor,
                message=rng.choice(D.ANSWERS["default"]),
                at=self.step(t["answer"]),
            )
            self.ticket = wf.ticket_resolve(
                self.ticket,
                actor=actor,
                message=rng.choice(D.ANSWERS["default"]),
                at=self.step(t["resolve"]),
            )
            self.ticket = wf.ticket_reopen(
                self.ticket,
                secret=self.secret,
                reason=rng.choice(D.REOPEN_REASONS),
                at=self.step(t["reopen"]),
            )

    def reopen(self, window: datetime) -> None:
        wf, rng = self.wf, self.rng
        if self.t > window - timedelta(hours=2):
            self.ticket = wf.ticket_close(self.ticket, at=self.step(window + timedelta(minutes=9)))
            return
        when = min(self.later(rng.uniform(60, 60 * 24 * 3)), window - timedelta(minutes=5))
        self.ticket = wf.ticket_reopen(
            self.ticket, secret=self.secret, reason=rng.choice(D.REOPEN_REASONS), at=self.step(when)
        )
        self.ticket = wf.ticket_acknowledge(
            self.ticket, actor=self.officer(), at=self.step(self.ack_at())
        )
        self.resolve()
        self.after_resolution()


# --- generators for one ticket's content ------------------------------------------


def _unit_weight(unit: AdministrativeUnit) -> float:
    if unit.code in UNIT_WEIGHTS:
        return UNIT_WEIGHTS[unit.code]
    if unit.code in D.WARD_PLACES:
        return 8.0
    return 3.0 if unit.kind == AdministrativeUnit.Kind.WARD else 1.0


def _place(unit: AdministrativeUnit, rng: random.Random) -> tuple[str, float, float]:
    known = D.WARD_PLACES.get(unit.code)
    if known:
        lat, lng, streets = known
        place = f"số {rng.randrange(1, 300)} {rng.choice(streets)}"
    else:
        # No surveyed centre for this unit: a stable spot inside the city box.
        urng = random.Random(f"{SEED}:{unit.code}")
        lat, lng = urng.uniform(20.96, 21.09), urng.uniform(105.76, 105.89)
        if unit.kind == AdministrativeUnit.Kind.COMMUNE:
            place = rng.choice(D.VILLAGES)
        else:
            place = f"Tổ dân phố số {rng.randrange(1, 30)}"
    lat = min(21.10, max(20.95, lat + rng.uniform(-0.006, 0.006)))
    lng = min(105.90, max(105.75, lng + rng.uniform(-0.006, 0.006)))
    return place, round(lat, 6), round(lng, 6)


def _contact(rng: random.Random, unit: AdministrativeUnit) -> dict[str, str]:
    first, last = _person(rng)
    contact = {
        "contact_name": f"{last} {first}",
        "contact_phone": "09" + "".join(str(rng.randrange(10)) for _ in range(8)),
    }
    if rng.random() < 0.3:
        user = f"{D.ASCII_GIVEN[first]}.{rng.randrange(1000)}"
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
