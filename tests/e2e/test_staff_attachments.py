"""An officer opens a PDF a citizen attached: real Chromium downloads it
instead of showing it inside the site (a PDF can carry JavaScript), and
the download is the file as stored (issue 9, point 11)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from feedback.models import Attachment
from tests.conftest import PASSWORD
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n"


def test_an_officer_gets_a_pdf_as_a_download(
    desktop, live_server, world, routed, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ticket = off_the_loop(routed)
    pdf = Attachment(
        ticket=ticket, content_type="application/pdf", extension=".pdf", size=len(PDF),
        sha256="2" * 64, original_name="don-to-cao.pdf",
    )  # fmt: skip
    pdf.file.save("don.pdf", ContentFile(PDF), save=True)
    page = desktop

    page.goto(f"{live_server.url}/staff/login/?next=/staff/tickets/{ticket.code}/")
    page.get_by_label("Username").or_(page.get_by_label("Tên đăng nhập")).fill("officer_a")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/staff/tickets/{ticket.code}/")

    with page.expect_response("**/attachments/**") as answer, page.expect_download() as download:
        page.get_by_role("link", name="don-to-cao.pdf").click()
    headers = answer.value.all_headers()
    assert headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in headers["content-security-policy"]
    got = download.value
    assert got.suggested_filename == "don-to-cao.pdf"
    with open(got.path(), "rb") as saved:
        assert saved.read() == PDF
    # The ticket page is still what the browser shows.
    assert page.url.endswith(f"/staff/tickets/{ticket.code}/")
