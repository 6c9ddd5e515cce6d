"""manage.py load_units: the official unit tree, loaded once however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback.models import AdministrativeUnit as U


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_34_provinces_and_126_hanoi_units_with_official_codes():
    run()
    root = U.objects.get(code="VN")
    assert root.kind == U.Kind.COUNTRY and root.name == "Việt Nam"
    assert U.objects.filter(parent=root).count() == 34
    hanoi = U.objects.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội" and hanoi.kind == U.Kind.CITY
    assert U.objects.filter(parent=hanoi).count() == 126
    hoan_kiem = U.objects.get(code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.kind == U.Kind.WARD
    assert hoan_kiem.path == "/VN/01/00070/"
    kinds = set(U.objects.filter(parent=hanoi).values_list("kind", flat=True))
    assert kinds == {U.Kind.WARD, U.Kind.COMMUNE}


@pytest.mark.django_db
def test_it_changes_nothing_on_a_second_run():
    run()
    before = list(U.objects.values_list("pk", "code", "name", "path", "parent_id"))
    out = run()
    assert "already loaded: 34 provinces, 126 units of Thành phố Hà Nội; nothing changed" in out
    assert list(U.objects.values_list("pk", "code", "name", "path", "parent_id")) == before


@pytest.mark.django_db
def test_it_renames_a_unit_the_package_renamed():
    run()
    U.objects.filter(code="00070").update(name="Phường Cũ")
    out = run()
    assert "1 updated" in out
    assert U.objects.get(code="00070").name == "Phường Hoàn Kiếm"


@pytest.mark.django_db
def test_it_reports_but_keeps_units_gone_from_the_package():
    run()
    U.objects.create(
        code="99999", name="Phường Đã Giải Thể", kind=U.Kind.WARD, parent=U.objects.get(code="01")
    )
    out = run()
    assert "99999 Phường Đã Giải Thể" in out
    assert U.objects.filter(code="99999").exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_province_and_writes_nothing():
    with pytest.raises(CommandError, match="Unknown province code '99'"):
        run("--province", "99")
    assert not U.objects.exists()


@pytest.mark.django_db
def test_it_loads_another_province_by_code():
    run("--province", "79")
    assert U.objects.filter(parent__code="79").count() > 100
    assert not U.objects.filter(parent__code="01").exists()
