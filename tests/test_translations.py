"""The English translation: the committed catalogue is complete, the shipped
.mo matches it, and pages rendered in English carry no Vietnamese interface
text (names and what people wrote stay as they are)."""

from __future__ import annotations

import ast
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from feedback import workflow
from feedback.models import AdministrativeUnit, Category, Office, TicketEvent
from feedback.reporter_link import reporter_secret
from feedback.views_intake import CHANNEL_SLUGS

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"

# Letters only Vietnamese uses (plain ASCII vowels are left out on purpose).
VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I
)


# --- the catalogue ------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: context, id, plural, strings by index, flags.
    Enough of the format for what makemessages writes; obsolete (#~) entries
    are skipped."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None

    def flush():
        if entry is not None and entry.get("id") is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"ctx": None, "id": None, "plural": None, "str": {}, "flags": set()}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "str":
                entry["str"][field[1]] += value
            else:
                entry[field[0]] += value
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if keyword == "msgctxt":
            entry["ctx"], field = value, ("ctx",)
        elif keyword == "msgid":
            entry["id"], field = value, ("id",)
        elif keyword == "msgid_plural":
            entry["plural"], field = value, ("plural",)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry["str"][index], field = value, ("str", index)
    flush()
    return [e for e in entries if e["id"] and not e.get("obsolete")]


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_po(PO)


def label(entry: dict) -> str:
    return f"{entry['ctx']}|{entry['id']}" if entry["ctx"] else entry["id"]


def test_it_reads_enough_of_the_catalogue_to_mean_something(catalogue):
    assert len(catalogue) > 500
    assert any(e["plural"] for e in catalogue)
    assert any(e["ctx"] for e in catalogue)


def test_every_entry_of_the_english_catalogue_is_translated(catalogue):
    empty = [label(e) for e in catalogue if not e["str"] or not all(e["str"].values())]
    assert empty == []


def test_no_entry_of_the_english_catalogue_is_fuzzy(catalogue):
    assert [label(e) for e in catalogue if "fuzzy" in e["flags"]] == []


def test_every_translation_keeps_the_placeholders_of_its_source(catalogue):
    def holders(text):
        return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", text))

    wrong = [
        label(e)
        for e in catalogue
        for text in e["str"].values()
        if holders(text) != holders(e["id"])
    ]
    assert wrong == []


def test_the_shipped_mo_says_what_the_po_says(catalogue):
    """A fresh machine has no gettext tools: the committed .mo is what runs,
    so it must hold every translation of the .po, unchanged."""
    with MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for e in catalogue:
        if e["plural"] is not None:
            for n, index in ((1, 0), (2, 1)):
                if e["ctx"]:
                    got = mo.npgettext(e["ctx"], e["id"], e["plural"], n)
                else:
                    got = mo.ngettext(e["id"], e["plural"], n)
                if got != e["str"][index]:
                    stale.append(label(e))
        else:
            got = mo.pgettext(e["ctx"], e["id"]) if e["ctx"] else mo.gettext(e["id"])
            if got != e["str"][0]:
                stale.append(label(e))
    assert stale == []


# --- pages in English ----------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes and the attributes browsers
    show or read aloud, plus the words the countdown script shows."""

    SHOWN = {"title", "placeholder", "aria-label", "alt", "value"} | {
        "data-left",
        "data-over",
        "data-day",
        "data-hour",
        "data-minute",
        "data-also",
        "data-done",
        "data-tile-error",
        "data-locate-error",
        "data-pin-title",
    }

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "value" and not (tag == "button" or attrs.get("type") == "submit"):
                continue
            if name in self.SHOWN and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def data_strings(*tickets) -> list[str]:
    """Proper names and what people wrote: these stay in Vietnamese."""
    names = [
        *AdministrativeUnit.objects.values_list("name", flat=True),
        *Office.objects.values_list("name", flat=True),
        *Category.objects.values_list("name", flat=True),
        "Tiếng Việt",  # the language switch names each language in itself
        "Hà Nội",
        "Hàng Bài",  # a street in the form's example address
        "766/QĐ-TTg",  # the number of a legal document
    ]
    for ticket in tickets:
        ticket.refresh_from_db()
        names += [ticket.title, ticket.description, ticket.address, ticket.contact_name]
        names += [ticket.routing_reason]  # stored when routed, in the server's language
        # Messages on the timeline are stored text (written by people, or by
        # the system in the language of the moment they happened).
        names += list(TicketEvent.objects.filter(ticket=ticket).values_list("message", flat=True))
    return sorted({n for n in names if n}, key=len, reverse=True)


def leftover_vietnamese(html: str, allowed: list[str]) -> list[str]:
    text = visible_text(html)
    for name in allowed:
        text = text.replace(name, "")
    return [line for line in text.splitlines() if VIETNAMESE.search(line)]


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_home_page_in_english_has_no_vietnamese_interface_text(world, routed, client):
    ticket = routed()  # public by default: it shows among the recent reports
    r = english(client).get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<html lang="en">' in html
    assert ticket.title in html
    assert leftover_vietnamese(html, data_strings(ticket)) == []
    for word in ("Phản ánh", "Gửi phản ánh", "Tra cứu"):
        assert word not in visible_text(html).replace("Tiếng Việt", "")


def test_the_other_public_pages_in_english_have_no_vietnamese_interface_text(world, routed, client):
    ticket = routed()
    secret = reporter_secret(ticket)
    client = english(client)
    for url in (
        "/gui-phan-anh/",
        "/tra-cuu/",
        "/phan-anh/",
        "/minh-bach/",
        "/minh-bach/phuong-phap/",
        f"/tra-cuu/{ticket.code}/",
        f"/tra-cuu/{ticket.code}/{secret}/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert leftover_vietnamese(r.content.decode(), data_strings(ticket)) == [], url


def test_the_reporters_email_reads_in_english_when_rendered_in_english(world, routed):
    from django.template.loader import render_to_string
    from django.utils import translation

    ticket = routed()
    event = ticket.events.filter(kind=TicketEvent.Kind.ROUTED).get()
    context = {
        "event": event,
        "ticket": ticket,
        "site_url": "http://x",
        "private_url": "http://x/p",
    }
    with translation.override("en"):
        body = render_to_string("emails/reporter_update.txt", context)
        subject = render_to_string("emails/reporter_update_subject.txt", context)
    assert body.startswith(f"Dear {ticket.contact_name},")
    assert "Your report" in body and "Public tracking page" in body
    assert subject.startswith(f"[Report {ticket.display_code}]")
    allowed = data_strings(ticket)
    for text in (body, subject):
        for name in allowed:
            text = text.replace(name, "")
        assert not VIETNAMESE.search(text), text


def test_the_staff_inbox_in_english_has_no_vietnamese_interface_text(world, routed, client_as):
    ticket = routed()
    r = english(client_as(world.officer_a)).get("/staff/")
    html = r.content.decode()
    assert r.status_code == 200
    assert ticket.display_code in html
    assert leftover_vietnamese(html, data_strings(ticket)) == []
    text = visible_text(html)
    for word in ("Hộp thư", "Trạng thái", "Đăng xuất", "Lĩnh vực", "Thụ lý", "Phân công"):
        assert word not in text
    assert "Inbox" in text and "Log out" in text


def test_the_staff_ticket_page_in_english_has_no_vietnamese_interface_text(
    world, routed, client_as
):
    ticket = routed()
    workflow.ticket_acknowledge(ticket, actor=world.head_a)
    r = english(client_as(world.head_a)).get(f"/staff/tickets/{ticket.code}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert leftover_vietnamese(html, data_strings(ticket)) == []
    text = visible_text(html)
    for word in ("Dòng thời gian", "Trạng thái", "Người phản ánh", "Hạn giải quyết", "Nội bộ"):
        assert word not in text
    assert "Timeline" in text and "Due in" in text


def test_the_office_numbers_and_intake_pages_in_english_have_no_vietnamese_interface_text(
    world, routed, client_as
):
    ticket = routed()
    client = english(client_as(world.head_a))
    for url in (
        "/staff/office/",
        "/staff/intake/",
        "/staff/intake/nhap-csv/",
        *(f"/staff/intake/{slug}/" for slug in CHANNEL_SLUGS),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert leftover_vietnamese(r.content.decode(), data_strings(ticket)) == [], url


def test_a_vietnamese_reader_still_gets_vietnamese(world, routed, client_as):
    ticket = routed()
    html = client_as(world.officer_a).get(f"/staff/tickets/{ticket.code}/").content.decode()
    assert "Dòng thời gian" in html and "Timeline" not in html


def test_the_dashboard_in_english_has_no_vietnamese_interface_text(world, routed, client_as):
    ticket = routed(latitude="21.0285", longitude="105.8542")
    workflow.ticket_acknowledge(ticket, actor=world.head_a)
    for persona, query in (
        ("leader", {}),
        ("head_a", {}),
        ("leader", {"from": "2026-02-30", "to": "x"}),  # the error message too
    ):
        r = english(client_as(getattr(world, persona))).get("/staff/dashboard/", query)
        assert r.status_code == 200
        html = r.content.decode()
        assert leftover_vietnamese(html, data_strings(ticket)) == [], (persona, query)
        assert "Dashboard" in visible_text(html)
    figure = english(client_as(world.head_a)).get(
        "/staff/", {"figure": "received", "from": "2026-01-01", "to": "2026-12-31"}
    )
    assert leftover_vietnamese(figure.content.decode(), data_strings(ticket)) == []
