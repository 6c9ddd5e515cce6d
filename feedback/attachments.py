"""Photos and documents that come with a report.

Nothing a client says about a file is trusted: not its name, not its
declared content type. The bytes are sniffed (`filetype`), images are
decoded and re-encoded with Pillow so every metadata block (EXIF with its
GPS position, XMP, comments) is dropped before anything is stored or shown,
and PDFs must start with the PDF magic bytes. Validation happens in full
before the first byte is written, so a bad file among five stores nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from feedback.errors import ValidationFailed
from feedback.models import Attachment, Ticket, TicketEvent

log = logging.getLogger(__name__)

FIELD = "attachments"
# MIME type -> (extension, Pillow format); None: not an image.
ALLOWED: dict[str, tuple[str, str | None]] = {
    "image/jpeg": (".jpg", "JPEG"),
    "image/png": (".png", "PNG"),
    "image/webp": (".webp", "WEBP"),
    "application/pdf": (".pdf", None),
}
# A photo from a phone is about 12-50 megapixels; a decompression bomb is
# far beyond that. Pillow's own guard is raised to an error below.
MAX_PIXELS = 80_000_000
# Stored photos are scaled down to this longest side: enough to see a pothole.
MAX_SIDE = 2560


@dataclass(frozen=True)
class CleanFile:
    """A validated file, ready to store: the bytes are the ones we made."""

    data: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _clean_name(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:255]


def _reject(message: str, name: str) -> ValidationFailed:
    return ValidationFailed(f"{name}: {message}" if name else message, field=FIELD)


def _read(upload, name: str) -> bytes:
    limit = settings.FEEDBACK_MAX_UPLOAD_BYTES
    too_big = _("tệp quá lớn (tối đa %(mb)d MB).") % {"mb": limit // (1024 * 1024)}
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _reject(too_big, name)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _reject(too_big, name)
    if not data:
        raise _reject(_("tệp rỗng."), name)
    return data


def _reencode(data: bytes, fmt: str, name: str) -> bytes:
    """Decode and write a new image from the pixels only: no EXIF (GPS),
    no XMP, no ICC-embedded comments; orientation applied first so the
    photo still stands the right way up without its EXIF tag."""
    bad = _reject(_("không đọc được ảnh (tệp hỏng hoặc không phải ảnh)."), name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != fmt:
                    raise bad
                if probe.width * probe.height > MAX_PIXELS:
                    raise _reject(_("ảnh có kích thước quá lớn."), name)
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.seek(0)  # animated WebP/PNG: the first frame only
                img.load()
                img = ImageOps.exif_transpose(img)
                if img.mode not in ("RGB", "RGBA", "L", "LA"):
                    img = img.convert("RGBA" if "A" in img.getbands() else "RGB")
                if fmt == "JPEG" and img.mode != "RGB" and img.mode != "L":
                    img = img.convert("RGB")
                img.thumbnail((MAX_SIDE, MAX_SIDE))
                # A fresh image holds pixels and nothing else.
                clean = Image.new(img.mode, img.size)
                clean.paste(img)
    except ValidationFailed:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise bad from None
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}.get(fmt, {})
    clean.save(out, format=fmt, **options)
    return out.getvalue()


def validate(upload, *, name: str | None = None) -> CleanFile:
    """Check one uploaded file by content and return a clean copy, or raise
    ValidationFailed (field "attachments") with a message for the citizen."""
    name = _clean_name(name if name is not None else getattr(upload, "name", ""))
    data = _read(upload, name)
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise _reject(
            _("chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF (kiểm tra theo nội dung)."), name
        )
    extension, fmt = ALLOWED[mime]
    if fmt is not None:
        data = _reencode(data, fmt, name)
    elif not data.startswith(b"%PDF-"):
        raise _reject(_("tệp PDF không hợp lệ."), name)
    return CleanFile(data=data, content_type=mime, extension=extension, original_name=name)


def validate_all(uploads: Sequence) -> list[CleanFile]:
    """Every file, or none: the first bad one raises before anything is stored."""
    uploads = [u for u in uploads if u]
    limit = settings.FEEDBACK_MAX_ATTACHMENTS
    if len(uploads) > limit:
        raise ValidationFailed(_("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": limit}, field=FIELD)
    return [validate(u) for u in uploads]


def store(
    ticket: Ticket,
    files: Iterable[CleanFile],
    *,
    event: TicketEvent | None = None,
    uploaded_by=None,
    is_public: bool = True,
) -> list[Attachment]:
    """Write the files and their rows. Call inside the ticket's transaction;
    if anything fails here the files already written are removed, and the
    caller removes them (`discard`) if its transaction fails later."""
    created: list[Attachment] = []
    try:
        for clean in files:
            attachment = Attachment(
                ticket=ticket,
                event=event,
                content_type=clean.content_type,
                extension=clean.extension,
                size=len(clean.data),
                sha256=clean.sha256,
                original_name=clean.original_name,
                is_public=is_public,
                uploaded_by=uploaded_by,
            )
            attachment.file.save(f"upload{clean.extension}", ContentFile(clean.data), save=False)
            created.append(attachment)
            attachment.save()
    except BaseException:
        discard(created)
        raise
    return created


def discard(attachments: Iterable[Attachment]) -> None:
    """Remove stored files whose rows were rolled back."""
    for attachment in attachments:
        name = attachment.file.name
        if not name:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            log.warning("could not remove orphan upload %s", name, exc_info=True)


# Thumbnails: the public list and map show 240 px (a phone should not fetch
# 2,560 px to show 80); the staff ticket page previews at 320 px.
THUMBNAIL_SIDE = 240
PREVIEW_SIDE = 320
IMAGE_TYPES = tuple(mime for mime, (_ext, fmt) in ALLOWED.items() if fmt is not None)


def is_image(attachment: Attachment) -> bool:
    return attachment.content_type in IMAGE_TYPES


def thumbnail(attachment: Attachment, *, side: int = THUMBNAIL_SIDE) -> bytes:
    """A JPEG preview of a stored image, at most `side` pixels on its
    longest side. Stored images were already re-encoded without metadata
    (validate), so this only scales. ValueError for a file that is not an
    image."""
    if not is_image(attachment):
        raise ValueError("not an image")
    try:
        with attachment.file.open("rb") as stored, Image.open(stored) as img:
            img.thumbnail((side, side))
            if img.mode != "RGB":
                # Transparent PNG/WebP on white, as the page shows them.
                rgba = img.convert("RGBA")
                img = Image.new("RGB", img.size, "white")
                img.paste(rgba, mask=rgba.getchannel("A"))
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=80, optimize=True)
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"unreadable image {attachment.pk}") from exc
    return out.getvalue()


# --- files kept across a form error ----------------------------------------------------
#
# A browser empties a file input whenever the page comes back with an error
# (a wrong captcha, a missing ward), and people on a phone do not notice that
# their photos are gone. The checked copies are kept in the cache for an hour,
# under a key derived from the form's token (the idempotency key the page
# carries in a hidden field), and used again when the form is sent without
# new files. The cache forgets them on its own; a filed report forgets them
# at once. The token itself never appears in a URL: it can replay the
# submission, so previews are addressed by `kept_id`, an HMAC of it.

KEPT_SECONDS = 3600


def kept_id(token: str) -> str:
    return salted_hmac("feedback.attachments.kept", token).hexdigest()[:32]


def _kept_key(ident: str) -> str:
    return f"kept-files:{ident}"


def keep(token: str, files: Sequence[CleanFile]) -> None:
    if not token:
        return
    if files:
        cache.set(_kept_key(kept_id(token)), list(files), KEPT_SECONDS)
    else:
        forget(token)


def kept(token: str) -> list[CleanFile]:
    return kept_by_id(kept_id(token)) if token else []


def kept_by_id(ident: str) -> list[CleanFile]:
    return cache.get(_kept_key(ident)) or []


def forget(token: str) -> None:
    if token:
        cache.delete(_kept_key(kept_id(token)))
