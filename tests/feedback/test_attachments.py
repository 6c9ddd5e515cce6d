"""feedback.attachments: files are judged by content, cleaned, and stored
with the ticket or not at all."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback import attachments
from feedback.errors import ValidationFailed
from feedback.models import Attachment, Ticket
from tests.feedback.uploads import disguised, has_gps, image_bytes, oversize, pdf


@pytest.mark.parametrize(
    "fmt,mime,ext",
    [("JPEG", "image/jpeg", ".jpg"), ("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")],
)
def test_it_reencodes_images_without_exif_or_gps(fmt, mime, ext):
    raw = image_bytes(fmt)
    assert has_gps(raw)  # the test file really carries a position

    clean = attachments.validate(SimpleUploadedFile("x.bin", raw, content_type="text/plain"))

    assert clean.content_type == mime
    assert clean.extension == ext
    assert not has_gps(clean.data)
    with Image.open(io.BytesIO(clean.data)) as img:
        assert img.format == fmt
        assert img.size == (64, 48)


def test_it_accepts_pdfs_by_their_magic_bytes():
    clean = attachments.validate(pdf("đơn.pdf"))
    assert clean.content_type == "application/pdf"
    assert clean.extension == ".pdf"
    assert clean.original_name == "đơn.pdf"


def test_it_rejects_html_named_and_typed_as_a_photo():
    with pytest.raises(ValidationFailed) as err:
        attachments.validate(disguised())
    assert err.value.field == "attachments"
    assert "photo.jpg" in err.value.message


def test_it_rejects_a_truncated_jpeg():
    raw = image_bytes("JPEG")[:40]
    with pytest.raises(ValidationFailed):
        attachments.validate(SimpleUploadedFile("x.jpg", raw))


def test_it_rejects_files_over_the_size_limit(settings):
    settings.FEEDBACK_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationFailed) as err:
        attachments.validate(oversize(2048))
    assert "MB" in err.value.message


def test_it_rejects_an_empty_file():
    with pytest.raises(ValidationFailed):
        attachments.validate(SimpleUploadedFile("empty.jpg", b""))


def test_it_rejects_a_gif_even_though_it_is_an_image():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(ValidationFailed):
        attachments.validate(SimpleUploadedFile("a.gif", out.getvalue()))


def test_it_rejects_a_file_that_claims_pdf_but_is_not():
    with pytest.raises(ValidationFailed):
        attachments.validate(SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"))


def test_it_rejects_more_files_than_allowed(settings):
    settings.FEEDBACK_MAX_ATTACHMENTS = 2
    with pytest.raises(ValidationFailed) as err:
        attachments.validate_all([pdf(), pdf(), pdf()])
    assert "2" in err.value.message


def test_it_keeps_only_the_base_of_a_path_like_name():
    clean = attachments.validate(pdf("../../etc/pass\x00wd.pdf"))
    assert clean.original_name == "passwd.pdf"


def test_it_stores_files_with_the_ticket_in_one_transaction(submit, media_files):
    files = attachments.validate_all([SimpleUploadedFile("a.jpg", image_bytes()), pdf()])

    ticket, _ = submit(attachments=files)

    stored = list(ticket.attachments.order_by("id"))
    assert [a.content_type for a in stored] == ["image/jpeg", "application/pdf"]
    assert all(a.is_public for a in stored)
    assert stored[0].event.kind == "received"
    assert len(media_files()) == 2
    assert not has_gps(stored[0].file.read())
    # Random names, not the citizen's ("a.jpg").
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored[0].file.name)


def test_it_marks_files_of_a_private_ticket_private(submit, world):
    files = attachments.validate_all([pdf()])
    ticket, _ = submit(kind="denunciation", category=world.denunciations, attachments=files)
    assert ticket.attachments.get().is_public is False


def test_a_rejected_ticket_leaves_no_file_behind(submit, media_files):
    files = attachments.validate_all([pdf()])
    with pytest.raises(ValidationFailed):
        submit(description="   ", attachments=files)
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert media_files() == []


def test_a_replayed_submission_stores_its_files_once(submit, media_files):
    files = attachments.validate_all([pdf()])
    first, _ = submit(idempotency_key="k-1234567890abcdef", attachments=files)
    again, _ = submit(idempotency_key="k-1234567890abcdef", attachments=files)
    assert again.pk == first.pk
    assert Attachment.objects.count() == 1
    assert len(media_files()) == 1


def test_a_failure_while_storing_removes_the_files_already_written(
    submit, media_files, monkeypatch
):
    files = attachments.validate_all([pdf(), pdf()])
    real_save = Attachment.save
    calls = {"n": 0}

    def flaky_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", flaky_save)
    with pytest.raises(RuntimeError):
        submit(attachments=files)
    assert media_files() == []
    assert Ticket.objects.count() == 0
