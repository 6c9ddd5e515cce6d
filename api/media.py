"""Fetching a partner's `media_url`: the server makes a request on a
client's word, so it refuses what could reach inside the network (loopback,
private, link-local and reserved addresses, checked on the address actually
connected to, so a DNS answer cannot change between check and use), stops
reading past the upload limit, and hands the bytes to the same checks as an
upload (feedback.attachments.validate: content sniffing, re-encoding)."""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from feedback import attachments
from feedback.attachments import CleanFile
from feedback.errors import ValidationFailed

FIELD = "media_url"
MAX_URL = 2000
MAX_REDIRECTS = 3


def check_url(url: str) -> str:
    """The URL's shape, checked when the report is filed."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(_("Địa chỉ tệp phải là một URL http hoặc https."), field=FIELD)
    return url


def _public_address(host: str, port: int) -> tuple[str, int]:
    """Resolve `host` and return an address we may connect to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise ValidationFailed(_("Không tìm thấy máy chủ của tệp."), field=FIELD) from None
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if settings.FEEDBACK_MEDIA_ALLOW_PRIVATE or address.is_global:
            return sockaddr[0], port
    raise ValidationFailed(_("Không tải tệp từ địa chỉ nội bộ."), field=FIELD)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def fetch(url: str) -> CleanFile:
    """Download `url` and return the checked file; ValidationFailed when the
    file or its address is refused, OSError when the network failed."""
    limit = settings.FEEDBACK_MAX_UPLOAD_BYTES
    for _hop in range(MAX_REDIRECTS + 1):
        url = check_url(url)
        parts = urlsplit(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address, port = _public_address(parts.hostname or "", port)
        connection_class = _PinnedHTTPS if https else _PinnedHTTP
        connection = connection_class(parts.hostname, port, address, timeout=15)
        try:
            path = parts.path or "/"
            if parts.query:
                path += f"?{parts.query}"
            connection.request("GET", path, headers={"User-Agent": "phananh-hanoi-media/1"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = response.getheader("Location", "")
                if url.startswith("/"):
                    url = f"{parts.scheme}://{parts.netloc}{url}"
                continue
            if response.status != 200:
                raise OSError(f"HTTP {response.status} from {parts.hostname}")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise ValidationFailed(
                    _("tệp quá lớn (tối đa %(mb)d MB).") % {"mb": limit // (1024 * 1024)},
                    field=FIELD,
                )
            data = response.read(limit + 1)
        finally:
            connection.close()
        name = parts.path.rsplit("/", 1)[-1]
        return attachments.validate(io.BytesIO(data), name=name)
    raise ValidationFailed(_("Địa chỉ tệp chuyển hướng quá nhiều lần."), field=FIELD)
