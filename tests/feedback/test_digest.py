"""feedback.digest: the weekly digest's content for a head and a leader,
worked out by hand; the opt-out by preference and by the one-click link;
the recipient's language; one digest a week however often the task runs.
Clock fixed: Monday 16 March 2026, 07:00."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from feedback import digest, workflow
from feedback.models import StaffPreference

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 16, 7, 0, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def _small_sample(settings):
    settings.FEEDBACK_MIN_SAMPLE = 2
    settings.SITE_URL = "https://phananh.example.vn"


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=HANOI)


@pytest.fixture
def weeks(world, submit):
    """The week is 9-16 March (07:00), the week before 2-9 March.

    Office A: a report of 2 February still open (overdue since 23 February:
    Tết 2026 closed offices 16-20 February); two of 3 February resolved
    late this week; one received this week, open, not due. This week: 1
    received, 2 resolved, 0 on time, 1 overdue; the week before: nothing.
    Office B: two received and resolved this week, on time; one received the
    week before, open. This week: 2 received, 2 resolved, 100 % on time."""

    def file(received, **extra):
        ticket, _ = submit(at=received, **extra)
        return workflow.ticket_route(ticket, at=received)

    old = file(datetime(2026, 2, 2, 9, tzinfo=HANOI))
    assert old.due_at < at(1)
    for day in (10, 11):
        late = file(datetime(2026, 2, 3, 9, tzinfo=HANOI))
        workflow.ticket_resolve(late, actor=world.officer_a, message="Xong.", at=at(day))
    file(at(11))
    for day in (10, 11):
        t = file(at(day), unit=world.ward_b)
        workflow.ticket_resolve(t, actor=world.officer_b, message="Xong.", at=at(day, 15))
    file(at(3), unit=world.ward_b)
    return old


def test_a_leader_reads_overdue_work_the_slowest_offices_and_the_changes(world, weeks):
    assert digest.send_all(now=NOW) == 2  # the leader and head A
    to_leader = next(m for m in mail.outbox if m.to == ["leader@example.com"])
    body = to_leader.body
    assert "== Thành phố Hà Nội ==" in body
    assert "Quá hạn hiện nay: 1 phản ánh." in body
    assert weeks.display_code in body
    assert f"https://phananh.example.vn/staff/tickets/{weeks.code}/" in body
    slowest = body.split("Đúng hạn thấp nhất trong tuần:")[1].split("\n\n")[0]
    # A: 0 on time of 2 resolved + 1 overdue; B: 2 of 2.
    a, b = "UBND Phường Hoàn Kiếm: 0,0% (trên 3 phản ánh)", "UBND Phường Ba Đình: 100,0% (trên 2"
    assert slowest.index(a) < slowest.index(b)
    changes = body.split("so với tuần trước")[1]
    assert "UBND Phường Hoàn Kiếm: 0 → 1; 0 → 2" in changes
    assert "UBND Phường Ba Đình: 1 → 2; 0 → 2" in changes
    assert "Nước sạch" not in changes  # nothing changed there


def test_a_head_reads_their_own_office_only(world, weeks):
    digest.send_all(now=NOW)
    body = next(m for m in mail.outbox if m.to == ["head_a@example.com"]).body
    assert "== UBND Phường Hoàn Kiếm ==" in body
    assert "Ba Đình" not in body
    assert "Đúng hạn thấp nhất" not in body  # one office: nothing to compare


def test_officers_and_opted_out_heads_get_nothing(world, weeks):
    StaffPreference.objects.create(user=world.head_a, digest=False)
    assert digest.send_all(now=NOW) == 1
    assert [m.to for m in mail.outbox] == [["leader@example.com"]]


def test_the_one_click_link_stops_it_and_a_get_does_not(world, weeks, client):
    digest.send_all(now=NOW)
    message = next(m for m in mail.outbox if m.to == ["head_a@example.com"])
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    path = link.removeprefix("https://phananh.example.vn")
    assert client.get(path).status_code == 200  # a link checker changes nothing
    assert not StaffPreference.objects.filter(user=world.head_a, digest=False).exists()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert StaffPreference.objects.get(user=world.head_a).digest is False
    assert client.post(path.replace(path.split("/")[-2], "forged"), {}).status_code == 404
    mail.outbox.clear()
    digest.send_all(now=NOW + timedelta(days=7))
    assert [m.to for m in mail.outbox] == [["leader@example.com"]]


def test_it_is_written_in_the_recipients_language(world, weeks):
    StaffPreference.objects.create(user=world.leader, language="en")
    digest.send_all(now=NOW)
    english = next(m for m in mail.outbox if m.to == ["leader@example.com"])
    assert "Overdue now: 1 report." in english.body
    assert "UBND Phường Hoàn Kiếm: 0.0% (of 3 reports)" in english.body
    assert english.subject.startswith("Weekly summary")
    vietnamese = next(m for m in mail.outbox if m.to == ["head_a@example.com"])
    assert "Quá hạn hiện nay" in vietnamese.body


def test_one_digest_a_week_however_often_it_runs(world, weeks):
    assert digest.send_all(now=NOW) == 2
    assert digest.send_all(now=NOW + timedelta(hours=1)) == 0
    assert digest.send_all(now=NOW + timedelta(days=7)) == 2
    assert len(mail.outbox) == 4


def test_the_settings_page_turns_it_off_and_on(world, client_as):
    client = client_as(world.head_a)
    assert client.get("/staff/thu-tong-hop/").status_code == 200
    client.post("/staff/thu-tong-hop/", {"language": "en"})  # unticked: off
    pref = StaffPreference.objects.get(user=world.head_a)
    assert (pref.digest, pref.language) == (False, "en")
    client.post("/staff/thu-tong-hop/", {"digest": "on", "language": "vi"})
    pref.refresh_from_db()
    assert (pref.digest, pref.language) == (True, "vi")
