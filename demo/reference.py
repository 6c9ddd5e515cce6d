"""The demo's reference rows: offices, categories with their response
templates, routing rules, and the staff who work them (the personas people
sign in as, and an officer and a head for every other office). Each loader
is idempotent and returns how many rows it created."""

from __future__ import annotations

import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password

from demo import data as D
from demo import texts as T
from feedback.models import (
    AdministrativeUnit,
    Category,
    Membership,
    Office,
    ResponseTemplate,
    RoutingRule,
)

PASSWORD = "demo12345!"  # noqa: S105 (the documented demo login)
SEED = 2026

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
                    first_name=person_name(rng),
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


def person(rng: random.Random) -> tuple[str, str]:
    """(given name, family + middle name)."""
    family = rng.choices(T.FAMILY_NAMES, T.FAMILY_WEIGHTS)[0]
    return rng.choice(T.GIVEN_NAMES), f"{family} {rng.choice(T.MIDDLE_NAMES)}"


def person_name(rng: random.Random) -> str:
    """A full name in Vietnamese order: family, middle, given."""
    given, family = person(rng)
    return f"{family} {given}"
