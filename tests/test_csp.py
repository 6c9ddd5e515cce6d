"""Content-Security-Policy: every page carries it, map tiles are the one
outside origin, other people's files keep their stricter policy, and no
template holds what the policy forbids (inline scripts, on*= handlers,
style attributes or blocks), so pages added later follow the rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize(
    "url", ["/", "/gui-phan-anh/", "/tra-cuu/", "/phan-anh/", "/minh-bach/", "/staff/login/"]
)
def test_every_page_forbids_inline_scripts_and_outside_origins(client, world, url):
    r = client.get(url)
    assert r.status_code == 200
    p = policy(r)
    assert p["default-src"] == ["'self'"]
    assert p["script-src"] == ["'self'"] and p["style-src"] == ["'self'"]
    assert p["connect-src"] == ["'self'"]  # the WebSockets are this host's
    assert p["object-src"] == ["'none'"] and p["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in r["Content-Security-Policy"]


def test_map_tiles_are_the_one_outside_origin_for_images(client, world):
    p = policy(client.get("/gui-phan-anh/"))
    assert p["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert p["media-src"] == ["'self'"]  # the captcha read aloud


def test_staff_pages_and_the_private_page_carry_it_too(client_as, world, submit):
    ticket, secret = submit()
    client = client_as(world.officer_a)
    for url in ("/staff/", f"/staff/tickets/{ticket.code}/", f"/tra-cuu/{ticket.code}/{secret}/"):
        assert policy(client.get(url))["script-src"] == ["'self'"], url


def test_a_tile_server_with_subdomains_is_allowed_by_wildcard():
    from config.settings import _tile_origin

    assert _tile_origin("https://{s}.tile.example.vn/{z}/{x}/{y}.png") == (
        "https://*.tile.example.vn"
    )


def test_a_citizens_file_keeps_its_own_sandboxed_policy(client, submit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from feedback import attachments, workflow
    from tests.feedback.uploads import image_bytes

    upload = SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")
    ticket, secret = submit(attachments=attachments.validate_all([upload]))
    workflow.ticket_route(ticket)
    pk = ticket.attachments.get().pk
    r = client.get(f"/tra-cuu/{ticket.code}/{secret}/tep/{pk}/")
    assert r.status_code == 200
    assert r["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"


FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on*= event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_holds_what_the_policy_forbids():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text("utf-8")
        for pattern, what in FORBIDDEN:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "the CSP would block these (docs/architecture.md):\n" + "\n".join(found)
