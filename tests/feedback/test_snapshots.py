"""feedback.snapshots: February frozen on the hand-worked world of
tests/feedback/february.py, read back, composed with the live March, kept
when a rule changes, and corrected as a new version."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from feedback import figures, scores, snapshots, workflow
from feedback.models import AdministrativeUnit, FigureSnapshot, Office
from tests.feedback.february import FEB, HANOI, NOW, at

FEBRUARY = date(2026, 2, 1)
FEB_AND_MARCH = dict(start=FEB["start"], end=at(1, 0, month=4), now=NOW)


def snap(office=None, unit=None, month=FEBRUARY) -> FigureSnapshot:
    subject = {"office": office} if office else {"unit": unit}
    return FigureSnapshot.objects.filter(month=month, **subject).order_by("-version").first()


def test_it_freezes_each_office_and_unit_as_figures_computes_them(world, february):
    written = snapshots.freeze(FEBRUARY, now=NOW)
    assert (
        written
        == Office.objects.count() + AdministrativeUnit.objects.filter(is_active=True).count()
    )
    a = snap(office=world.office_a)
    live = figures.compute(figures.Scope.of_office(world.office_a), **FEB)
    assert a.figures == live.as_dict() and a.version == 1 and a.rules == snapshots.RULES
    assert a.figures["received"] == 3 and a.figures["overdue_now"] == 1
    # The exact working minutes, which several months merge: 4 h and 9 h.
    assert a.histograms["ack"] == [[240, 1], [540, 1]]
    city = snap(unit=world.hanoi)
    assert city.figures == figures.compute(figures.Scope.of_unit(world.hanoi), **FEB).as_dict()
    assert city.figures["received"] == 5


def test_a_past_month_reads_its_snapshot_after_a_rule_changes(world, february, monkeypatch):
    snapshots.freeze(FEBRUARY, now=NOW)
    scope = figures.Scope.of_office(world.office_a)
    frozen = snapshots.compute(scope, **FEB)
    assert frozen.satisfaction_rate == 50.0  # a 5 and a 2
    # The city decides that 3 stars and up count as satisfied, and that
    # every resolution counts on time.
    monkeypatch.setitem(
        figures._RATING_AGGREGATES, "satisfied", figures.Count("pk", filter=Q(overall__gte=2))
    )
    monkeypatch.setitem(figures._EVENT_AGGREGATES, "resolved_on_time", figures.Count("pk"))
    assert figures.compute(scope, **FEB).satisfaction_rate == 100.0  # live: rewritten
    again = snapshots.compute(scope, **FEB)
    assert again == frozen and again.satisfaction_rate == 50.0
    assert scores.office_month_numbers(world.office_a, at(1), now=NOW) == frozen
    months = dict(snapshots.monthly(scope, now=NOW))
    assert months[at(1, 0)] == frozen
    ranked = {r.office_id: r for r in scores.office_rankings(**FEB)}[world.office_a.pk]
    assert (ranked.satisfaction_rate, ranked.satisfied) == (50.0, 1)


def test_a_later_correction_of_the_data_does_not_rewrite_the_month(world, february):
    snapshots.freeze(FEBRUARY, now=NOW)
    overdue = february["overdue"]
    # Staff move the overdue ticket's deadline (say, a corrected receipt).
    type(overdue).objects.filter(pk=overdue.pk).update(due_at=at(2, 10, month=4))
    scope = figures.Scope.of_office(world.office_a)
    assert figures.compute(scope, **FEB).overdue_now == 0
    assert snapshots.compute(scope, **FEB).overdue_now == 1


def test_a_correction_is_a_new_version_with_its_reason(world, february, monkeypatch):
    assert snapshots.freeze(FEBRUARY, now=NOW) > 0
    assert snapshots.freeze(FEBRUARY, now=NOW) == 0  # the task ran twice: nothing new
    monkeypatch.setitem(figures._EVENT_AGGREGATES, "reopened", figures.Count("pk", filter=Q(pk=0)))
    count = FigureSnapshot.objects.count()
    written = snapshots.freeze(FEBRUARY, now=NOW, reason="  Sai định nghĩa mở lại  ")
    assert written == count
    a = snap(office=world.office_a)
    assert (a.version, a.reason, a.figures["reopened"]) == (2, "Sai định nghĩa mở lại", 0)
    assert FigureSnapshot.objects.get(office=world.office_a, version=1).figures["reopened"] == 1
    scope = figures.Scope.of_office(world.office_a)
    assert snapshots.compute(scope, **FEB).reopened == 0


def test_what_cannot_be_frozen_is_refused_and_nothing_is_written(world, february):
    with pytest.raises(snapshots.SnapshotError, match="has not ended"):
        snapshots.freeze(date(2026, 3, 1), now=NOW)
    with pytest.raises(snapshots.SnapshotError, match="no snapshot to correct"):
        snapshots.freeze(FEBRUARY, now=NOW, reason="đính chính")
    assert not FigureSnapshot.objects.exists()
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("freeze_figures", month="2026-13")
    with pytest.raises(CommandError, match="give --month"):
        call_command("freeze_figures", reason="đính chính")
    assert not FigureSnapshot.objects.exists()


def test_the_task_freezes_last_month_and_catches_up_what_was_missed(world, february):
    from workers import tasks

    # 20 March: February is frozen, and January (no tickets before
    # February, so nothing earlier); March is live.
    assert tasks.freeze_figures(at=NOW.isoformat()) == 1
    assert set(FigureSnapshot.objects.values_list("month", flat=True)) == {FEBRUARY}
    assert tasks.freeze_figures(at=NOW.isoformat()) == 0
    # The beat was down on 1 April and 1 May: June's run catches up.
    june = datetime(2026, 6, 1, 0, 30, tzinfo=HANOI)
    assert tasks.freeze_figures(at=june.isoformat()) == 3
    assert set(FigureSnapshot.objects.values_list("month", flat=True)) == {
        FEBRUARY,
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    }
    march = snap(office=world.office_a, month=date(2026, 3, 1))
    assert march.figures["received"] == 1 and march.figures["backlog_now"] == 2


def test_a_period_of_frozen_and_live_months_adds_up_as_the_live_figures(world, february):
    snapshots.freeze(FEBRUARY, now=NOW)
    for scope in (figures.Scope.of_office(world.office_a), figures.Scope.of_unit(world.hanoi)):
        composed = snapshots.compute(scope, **FEB_AND_MARCH)
        live = figures.compute(scope, **FEB_AND_MARCH)
        assert composed.counts() == live.counts()
        # Exact percentiles through the merged histograms.
        assert (composed.ack_hours, composed.answer_hours) == (live.ack_hours, live.answer_hours)
    composed = snapshots.by_office(**FEB_AND_MARCH)
    live = figures.by_office(**FEB_AND_MARCH)
    assert {k: v.counts() for k, v in composed.items()} == {k: v.counts() for k, v in live.items()}


def test_a_period_ending_in_a_frozen_month_takes_its_overdue_from_that_month(world, february):
    snapshots.freeze(FEBRUARY, now=NOW)
    january_and_february = dict(start=at(1, 0, month=1), end=FEB["end"], now=NOW)
    scope = figures.Scope.of_office(world.office_a)
    composed = snapshots.compute(scope, **january_and_february)
    assert composed.overdue_now == 1 and composed.received == 3
    assert composed.counts() == figures.compute(scope, **january_and_february).counts()


def test_the_reads_run_a_fixed_number_of_queries(
    world, february, django_assert_num_queries, django_assert_max_num_queries
):
    scope = figures.Scope.of_unit(world.hanoi)
    for month, _f in figures.monthly(scope, now=NOW)[:-1]:
        snapshots.freeze(month.date(), now=NOW)
    # Twelve months: eleven snapshots, March's summary (none), March live.
    with django_assert_num_queries(5):
        months = snapshots.monthly(scope, now=NOW)
    assert len(months) == 12 and months[-2][1].received == 5
    snapshots.refresh_live(now=NOW)
    with django_assert_num_queries(2):
        assert snapshots.monthly(scope, now=NOW) == months
    # Last month: one query.
    last = dict(start=FEB["start"], end=FEB["end"], now=NOW)
    with django_assert_num_queries(1):
        snapshots.compute(scope, **last)
    with django_assert_num_queries(1):
        snapshots.by_office(**last)
    # Three months: the snapshots and March's summary.
    three = dict(start=at(1, 0, month=1), end=at(1, 0, month=4), now=NOW)
    with django_assert_num_queries(2):
        snapshots.compute(scope, **three)
    with django_assert_num_queries(2):
        snapshots.breakdown(scope, **three)
    with django_assert_num_queries(2):
        snapshots.by_office(**three)


def test_the_current_months_summary_is_what_figures_computes(world, february):
    snapshots.freeze(FEBRUARY, now=NOW)
    assert snapshots.refresh_live(now=NOW) == Office.objects.count() + (
        AdministrativeUnit.objects.filter(is_active=True).count()
    )
    march = dict(start=at(1, 0, month=3), end=at(1, 0, month=4), now=NOW)
    for scope in (
        figures.Scope.of_office(world.office_a),
        figures.Scope.of_office(world.dispatch),
        figures.Scope.of_unit(world.hanoi),
        figures.Scope.of_unit(world.ward_a),
    ):
        for period in (march, FEB_AND_MARCH):
            info: dict = {}
            got = snapshots.compute(scope, info=info, **period)
            live = figures.compute(scope, **period)
            assert got.counts() == live.counts(), scope
            assert (got.ack_hours, got.answer_hours) == (live.ack_hours, live.answer_hours)
            assert info["as_of"] == NOW
    # The rankings read the offices' summaries.
    assert {k: v.counts() for k, v in snapshots.by_office(**march).items()} == {
        k: v.counts() for k, v in figures.by_office(**march).items()
    }


def test_a_stale_summary_is_not_read(world, february, settings):
    from feedback.models import LiveFigures

    snapshots.refresh_live(now=NOW)
    scope = figures.Scope.of_office(world.office_a)
    march = dict(start=at(1, 0, month=3), end=at(1, 0, month=4))
    row = LiveFigures.objects.get(office=world.office_a)
    row.figures = {**row.figures, "received": 99}
    row.save()
    assert snapshots.compute(scope, now=NOW, **march).received == 99  # the summary is read
    later = NOW + timedelta(seconds=settings.FEEDBACK_LIVE_FIGURES_MAX_AGE + 1)
    info: dict = {}
    assert snapshots.compute(scope, now=later, info=info, **march).received == 1  # computed
    assert "as_of" not in info


def test_the_categories_and_places_add_up_as_the_live_ones(world, february):
    snapshots.freeze(FEBRUARY, now=NOW)
    snapshots.refresh_live(now=NOW)
    for scope in (figures.Scope.of_unit(world.hanoi), figures.Scope.of_office(world.office_a)):
        for period in (FEB, FEB_AND_MARCH):
            per_category, places = snapshots.breakdown(scope, **period)
            live = figures.grouped("category", scope=scope, **period)
            assert {c: f.counts() for c, f in per_category.items()} == {
                c: f.counts() for c, f in live.items()
            }
            assert {c: f.answer_hours for c, f in per_category.items()} == {
                c: f.answer_hours for c, f in live.items()
            }
            by_unit = {p["unit_id"]: p for p in places}
            for p in figures.places(scope, **period):
                got = by_unit[p["unit_id"]]
                assert (got["received"], got["overdue_now"], got["backlog_now"]) == (
                    p["received"],
                    p["overdue_now"],
                    p["backlog_now"],
                )
                if p["latitude"] is not None:
                    assert got["latitude"] == pytest.approx(p["latitude"])


def test_without_snapshots_the_reads_are_the_live_figures(world, february):
    scope = figures.Scope.of_office(world.office_a)
    assert snapshots.compute(scope, **FEB) == figures.compute(scope, **FEB)
    assert snapshots.monthly(scope, now=NOW) == figures.monthly(scope, now=NOW)
    assert {k: v.counts() for k, v in snapshots.by_office(**FEB).items()} == {
        k: v.counts() for k, v in figures.by_office(**FEB).items()
    }


def test_the_command_freezes_and_corrects(world, february, capsys):
    call_command("freeze_figures", month="2026-02")
    assert snap(office=world.office_a).version == 1
    call_command("freeze_figures", month="2026-02", reason="Nhập lại phiếu giấy")
    assert snap(office=world.office_a).reason == "Nhập lại phiếu giấy"
    with pytest.raises(CommandError, match="has not ended"):
        call_command("freeze_figures", month="2099-01")


def test_paper_forms_typed_in_after_the_freeze_correct_their_month_the_next_day(
    world, february, submit
):
    from workers import tasks

    assert tasks.freeze_figures(at=NOW.isoformat()) == 1  # February frozen
    before = snap(office=world.office_a)
    assert before.figures["received"] == 3
    # Nothing entered since: nothing to correct, and the task stays idle.
    assert snapshots.correct_late_entries(now=NOW) == []
    assert tasks.freeze_figures(at=NOW.isoformat()) == 0
    # An officer types in two paper forms received in February (the system
    # was down), and one received in March, a month not frozen.
    entered, next_day = NOW + timedelta(hours=2), NOW + timedelta(days=1)
    paper = dict(channel="paper", entered_by=world.officer_a, at=entered)
    late = [submit(received_at=at(16), **paper)[0], submit(received_at=at(17), **paper)[0]]
    submit(received_at=at(3, month=3), **paper)
    for ticket in late:
        workflow.ticket_route(ticket, at=entered)

    assert tasks.freeze_figures(at=next_day.isoformat()) == 1  # one month corrected
    after = snap(office=world.office_a)
    assert after.version == 2 and after.figures["received"] == 5
    assert after.reason.startswith("Tự động bổ sung 2 phản ánh tiếp nhận trong tháng")
    assert all(t.display_code in after.reason for t in late)
    assert snap(unit=world.hanoi).figures["received"] == 7
    # The earlier version stays; the dashboard reads the new one.
    assert FigureSnapshot.objects.get(office=world.office_a, version=1).figures["received"] == 3
    scope = figures.Scope.of_office(world.office_a)
    assert snapshots.compute(scope, **FEB).received == 5
    # Done once: the day after finds nothing new.
    assert snapshots.correct_late_entries(now=next_day + timedelta(days=1)) == []
    assert not FigureSnapshot.objects.filter(version=3).exists()


def test_a_late_entry_correction_names_at_most_ten_codes():
    codes = [f"AB{n:02d}CDEF" for n in range(13)]
    reason = snapshots.late_entries_reason(codes)
    assert reason.startswith("Tự động bổ sung 13 phản ánh")
    assert "AB09-CDEF" in reason and "AB10-CDEF" not in reason
    assert reason.endswith(" và 3 phản ánh khác.")


def test_a_late_entry_correction_reads_in_english_where_the_deployment_is_english(settings):
    settings.LANGUAGE_CODE = "en"
    reason = snapshots.late_entries_reason([f"AB{n:02d}CDEF" for n in range(11)])
    assert reason.startswith("Added automatically: 11 reports received in the month")
    assert reason.endswith(" and 1 more.")
