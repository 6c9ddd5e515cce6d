"""Files for upload tests, made on the fly with Pillow."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (21.0, 1.0, 42.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (105.0, 51.0, 15.0),
}


def image_bytes(fmt: str = "JPEG", size=(64, 48), gps: bool = True) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    if gps:
        exif[ExifTags.Base.GPSInfo] = GPS
    out = io.BytesIO()
    img.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        return bool(exif.get_ifd(ExifTags.IFD.GPSInfo)) or "exif" in img.info


def jpeg_with_gps(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def disguised(name: str = "photo.jpg") -> SimpleUploadedFile:
    """HTML with script, named and typed like a photo."""
    return SimpleUploadedFile(
        name, b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )


def oversize(limit: int, name: str = "big.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff" + b"0" * limit, content_type="image/jpeg")
