"""Load Vietnam's administrative units from the vietnam-provinces package.

The tree is VN -> 34 provinces/cities -> the wards and communes of one
province (Hà Nội by default), with official codes ("01", "00070"). Running it
again changes only what the package changed, and never deletes: a unit that
disappeared from the package keeps its tickets and history, so it is only
reported (an administrator retires or merges it).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from feedback.models import AdministrativeUnit

Kind = AdministrativeUnit.Kind

ROOT_CODE = "VN"
ROOT_NAME = "Việt Nam"

KIND_BY_DIVISION = {
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: Kind.CITY,
    VietNamDivisionType.TINH: Kind.PROVINCE,
    VietNamDivisionType.PHUONG: Kind.WARD,
    VietNamDivisionType.XA: Kind.COMMUNE,
    VietNamDivisionType.DAC_KHU: Kind.SPECIAL_ZONE,
}


def province_code(value: int) -> str:
    return f"{value:02d}"


def ward_code(value: int) -> str:
    return f"{value:05d}"


class Command(BaseCommand):
    help = "Load the 34 provinces and one province's wards and communes (official codes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            default="01",
            help="Official code of the province whose wards and communes to load (default 01, "
            "Hà Nội).",
        )
        parser.add_argument(
            "--all-wards",
            action="store_true",
            help="Load the wards and communes of every province (3,321 units).",
        )

    def handle(self, *args, **options):
        provinces = sorted(Province.iter_all(), key=lambda p: p.code.value)
        by_code = {province_code(p.code.value): p for p in provinces}
        wanted = (options["province"] or "").strip()
        if wanted.isdigit() and len(wanted) <= 2:
            wanted = wanted.zfill(2)
        if wanted not in by_code:
            raise CommandError(
                f"Unknown province code {options['province']!r}: use a two-digit official code "
                f"such as 01 (Thành phố Hà Nội) or 79 (Thành phố Hồ Chí Minh)."
            )
        ward_provinces = provinces if options["all_wards"] else [by_code[wanted]]
        ward_province_codes = {p.code for p in ward_provinces}
        wards = sorted(
            (w for w in Ward.iter_all() if w.province_code in ward_province_codes),
            key=lambda w: w.code.value,
        )

        with transaction.atomic():
            loader = _Loader()
            root = loader.upsert(ROOT_CODE, ROOT_NAME, Kind.COUNTRY, None)
            province_units = {}
            for p in provinces:
                province_units[p.code] = loader.upsert(
                    province_code(p.code.value), p.name, KIND_BY_DIVISION[p.division_type], root
                )
            for w in wards:
                loader.upsert(
                    ward_code(w.code.value),
                    w.name,
                    KIND_BY_DIVISION[w.division_type],
                    province_units[w.province_code],
                )
            gone = loader.gone(
                {province_code(p.code.value) for p in provinces},
                {ward_code(w.code.value) for w in wards},
                [province_units[p.code] for p in ward_provinces],
            )

        if len(ward_provinces) == 1:
            scope = f"{len(wards)} units of {ward_provinces[0].name}"
        else:
            scope = f"{len(wards)} wards and communes of {len(ward_provinces)} provinces"
        if loader.created or loader.updated:
            self.stdout.write(
                f"loaded {len(provinces)} provinces, {scope}: "
                f"{loader.created} created, {loader.updated} updated"
            )
            for line in loader.changes:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write(
                f"already loaded: {len(provinces)} provinces, {scope}; nothing changed"
            )
        if gone:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(gone)} units are in the database but no longer in the package; "
                    "kept for their history (retire or merge them in the admin):"
                )
            )
            for unit in gone:
                self.stdout.write(f"  {unit.code} {unit.name}")


class _Loader:
    """Create-or-update by official code, counting what really changed."""

    def __init__(self):
        self.existing = {u.code: u for u in AdministrativeUnit.objects.all()}
        self.created = 0
        self.updated = 0
        self.changes: list[str] = []

    def upsert(self, code, name, kind, parent) -> AdministrativeUnit:
        unit = self.existing.get(code)
        if unit is None:
            unit = AdministrativeUnit(code=code, name=name, kind=kind, parent=parent)
            unit.save()
            self.existing[code] = unit
            self.created += 1
            return unit
        parent_id = parent.pk if parent else None
        if unit.name == name and unit.kind == kind and unit.parent_id == parent_id:
            return unit
        if unit.name != name:
            self.changes.append(f"{code}: renamed {unit.name!r} -> {name!r}")
        if unit.kind != kind:
            self.changes.append(f"{code}: kind {unit.kind} -> {kind}")
        if unit.parent_id != parent_id:
            self.changes.append(f"{code}: moved under {parent.code if parent else '(root)'}")
        unit.name, unit.kind, unit.parent = name, kind, parent
        unit.save()
        self.updated += 1
        return unit

    def gone(self, province_codes, ward_codes, loaded_provinces) -> list[AdministrativeUnit]:
        """Active units under VN (provinces) or under the loaded provinces
        (wards) that the package no longer lists."""
        root = self.existing[ROOT_CODE]
        result = [
            u
            for u in AdministrativeUnit.objects.filter(parent=root, is_active=True)
            if u.code not in province_codes
        ]
        for province in loaded_provinces:
            result += [
                u
                for u in AdministrativeUnit.objects.filter(
                    path__startswith=province.path, is_active=True
                ).exclude(pk=province.pk)
                if u.code not in ward_codes
            ]
        return result
