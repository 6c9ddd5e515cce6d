"""manage.py load_remote_units: the remote communes from a file of official codes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback import deadlines
from feedback.models import AdministrativeUnit as U


def run(path, *args: str) -> str:
    out = StringIO()
    call_command("load_remote_units", str(path), *args, stdout=out)
    return out.getvalue()


def remote_codes() -> set[str]:
    return set(U.objects.filter(is_remote=True).values_list("code", flat=True))


@pytest.fixture
def csv_file(tmp_path):
    def _write(text: str):
        path = tmp_path / "remote.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def test_it_marks_the_listed_units_and_unmarks_the_others(world, csv_file):
    assert remote_codes() == {"10105"}  # Xã Ba Vì, marked in the shared world
    path = csv_file("code,name\n00070,Phường Hoàn Kiếm\n00004,Phường Ba Đình\n")

    out = run(path)

    assert remote_codes() == {"00070", "00004"}
    assert "2 remote units in the file: 2 marked, 1 no longer remote." in out
    assert "+ 00070 Phường Hoàn Kiếm" in out
    assert "- 10105 Xã Ba Vì" in out


def test_it_says_nothing_changed_on_a_second_run(world, csv_file):
    path = csv_file("code\n10105\n00070\n")
    run(path)
    assert run(path) == "2 remote units already marked; nothing changed.\n"
    assert remote_codes() == {"10105", "00070"}


def test_it_puts_back_the_leading_zeros_a_spreadsheet_dropped(world, csv_file):
    run(csv_file("\ufeffCode\n70\n10105\n"))
    assert remote_codes() == {"00070", "10105"}


def test_it_keeps_the_others_when_asked(world, csv_file):
    run(csv_file("code\n00004\n"), "--keep-others")
    assert remote_codes() == {"10105", "00004"}


def test_it_refuses_an_unknown_code_and_changes_nothing(world, csv_file):
    path = csv_file("code\n00070\n99999\n")
    with pytest.raises(CommandError, match=r"Unknown unit codes.*line 3: '99999'"):
        run(path)
    assert remote_codes() == {"10105"}


def test_it_refuses_a_file_without_a_code_column(world, csv_file):
    with pytest.raises(CommandError, match="no 'code' column"):
        run(csv_file("ma,ten\n00070,Hoàn Kiếm\n"))
    assert remote_codes() == {"10105"}


def test_it_refuses_a_file_without_codes(world, csv_file):
    with pytest.raises(CommandError, match="lists no unit codes"):
        run(csv_file("code\n\n"))
    assert remote_codes() == {"10105"}


def test_it_gives_a_complaint_in_a_newly_marked_commune_the_remote_period(world, csv_file, routed):
    """Luật Khiếu nại 2011 art. 28: first-instance resolution within 30 days,
    45 in remote and especially difficult areas."""
    complaint = routed(kind="complaint", category=world.complaints, unit=world.ward_b)
    policy = deadlines.policy_for(complaint)
    assert deadlines.resolve_amount(complaint, policy) == 30

    run(csv_file("code\n00004\n"))

    complaint.unit.refresh_from_db()
    assert deadlines.resolve_amount(complaint, policy) == 45


# --- the admin ------------------------------------------------------------------------


def test_it_filters_and_ticks_remote_units_in_the_admin_list(world, client_as):
    from django.urls import reverse

    client = client_as(world.admin)
    url = reverse("admin:feedback_administrativeunit_changelist")
    listed = client.get(url, {"is_remote__exact": "1"}).context["cl"].result_list
    assert [u.code for u in listed] == ["10105"]

    page = client.get(url, {"kind__exact": "ward"})
    units = list(page.context["cl"].result_list)
    data = {
        "form-TOTAL_FORMS": str(len(units)),
        "form-INITIAL_FORMS": str(len(units)),
        "_save": "1",
    }
    for i, unit in enumerate(units):
        data[f"form-{i}-id"] = str(unit.pk)
        if unit.code == "00004":
            data[f"form-{i}-is_remote"] = "on"
    response = client.post(f"{url}?kind__exact=ward", data)

    assert response.status_code == 302
    assert remote_codes() == {"10105", "00004"}
