"""A refused form (CSRF) gets a page in the reader's language that says how
to get out, and the citizen's forms pass the check when a browser sends them
with their real Origin. Every public form that succeeds answers a redirect
(Post/Redirect/Get), so a refresh never sends it twice."""

from __future__ import annotations

import pytest
from django.test import Client

from feedback import workflow
from feedback.models import Rating, Ticket

ORIGIN = "http://testserver"


@pytest.fixture
def browser_like():
    """A client that checks CSRF tokens the way the site does for a browser."""
    return Client(enforce_csrf_checks=True)


def token(client: Client, url: str) -> str:
    assert client.get(url).status_code == 200
    return client.cookies["csrftoken"].value


@pytest.fixture
def resolved(submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom xong.")
    return ticket, secret, f"/tra-cuu/{ticket.code}/{secret}/"


def test_it_refuses_a_post_from_a_page_whose_origin_the_browser_hid(browser_like, resolved):
    # What Chromium sent under <meta name="referrer" content="no-referrer">.
    ticket, _, url = resolved
    csrf = token(browser_like, url)
    r = browser_like.post(
        url, {"csrfmiddlewaretoken": csrf, "action": "rate", "overall": "5"}, HTTP_ORIGIN="null"
    )
    assert r.status_code == 403
    assert not Rating.objects.filter(ticket=ticket).exists()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED


def test_it_accepts_the_private_pages_post_with_its_own_origin(browser_like, resolved):
    ticket, _, url = resolved
    csrf = token(browser_like, url)
    r = browser_like.post(
        url,
        {"csrfmiddlewaretoken": csrf, "action": "rate", "overall": "5"},
        HTTP_ORIGIN=ORIGIN,
        HTTP_REFERER=ORIGIN + url,
    )
    assert r.status_code == 302
    assert r["Location"] == url
    assert Rating.objects.get(ticket=ticket).overall == 5


def test_the_refusal_page_is_in_vietnamese_and_says_to_reload(browser_like, resolved):
    ticket, _, url = resolved
    r = browser_like.post(url, {"action": "rate", "overall": "5"}, HTTP_REFERER=ORIGIN + url)
    assert r.status_code == 403
    html = r.content.decode()
    assert '<html lang="vi">' in html
    assert "Chưa gửi được biểu mẫu" in html
    assert "Hãy tải lại trang rồi gửi lại." in html
    assert f'href="{ORIGIN}{url}"' in html  # back to the form's own page
    assert "CSRF" not in html and "Forbidden" not in html
    assert not Rating.objects.filter(ticket=ticket).exists()


def test_the_refusal_page_follows_the_readers_language(browser_like, resolved):
    _, _, url = resolved
    browser_like.cookies["django_language"] = "en"
    r = browser_like.post(url, {"action": "rate", "overall": "5"})
    html = r.content.decode()
    assert r.status_code == 403
    assert '<html lang="en">' in html
    assert "Reload the page and send it again." in html
    assert "Chưa gửi được" not in html


def test_the_refusal_page_never_links_to_another_site(browser_like, resolved):
    _, _, url = resolved
    r = browser_like.post(url, {"action": "reply"}, HTTP_REFERER="https://evil.example/x")
    assert r.status_code == 403
    assert 'href="/"' in r.content.decode() and "evil.example" not in r.content.decode()


def test_a_staff_form_refused_leads_back_to_the_inbox(browser_like, world, routed):
    ticket = routed()
    browser_like.force_login(world.officer_a)
    r = browser_like.post(f"/staff/tickets/{ticket.code}/acknowledge/")
    assert r.status_code == 403
    html = r.content.decode()
    assert "Hãy tải lại trang rồi gửi lại." in html and 'href="/staff/"' in html
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ROUTED


def test_every_public_form_redirects_after_it_succeeds(browser_like, report_form, submit, world):
    """Post/Redirect/Get on every public form, sent as a browser sends it."""

    def post(url, data, page=None):
        csrf = token(browser_like, page or url)
        return browser_like.post(url, {"csrfmiddlewaretoken": csrf, **data}, HTTP_ORIGIN=ORIGIN)

    r = post("/gui-phan-anh/", report_form())
    assert r.status_code == 302
    filed = Ticket.objects.get()
    assert r["Location"].startswith(f"/tra-cuu/{filed.code}/")

    workflow.ticket_route(filed)
    r = post(f"/tra-cuu/{filed.code}/cung-phan-anh/", {}, page=f"/tra-cuu/{filed.code}/")
    assert r.status_code == 302 and r["Location"] == f"/tra-cuu/{filed.code}/"

    ticket, secret = submit()
    url = f"/tra-cuu/{ticket.code}/{secret}/"
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Xin số nhà.")
    assert post(url, {"action": "reply", "message": "Số 12."})["Location"] == url
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.")
    assert post(url, {"action": "rate", "overall": "2"})["Location"] == url
    assert post(url, {"action": "reopen", "reason": "Vẫn còn rác."})["Location"] == url
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REOPENED

    r = post("/i18n/setlang/", {"language": "en", "next": url}, page=url)
    assert r.status_code == 302 and r["Location"] == url
