"""Partner systems for the API tests: `make_key(...)` creates an API client
and returns (client, key); `api` is DRF's test client."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_key(world):
    from api import clients
    from api.models import ApiClient

    def _make(name="Ứng dụng iHanoi", scopes=("file", "read_public", "read_own"), **fields):
        client = ApiClient(name=name, scopes=list(scopes), **fields)
        key = clients.issue_key(client)
        client.full_clean()
        client.save()
        return client, key

    return _make


@pytest.fixture
def as_key(api):
    """The test client authenticated with an API key."""

    def _as(key):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return api

    return _as


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it receives and
    answers with the next of `script` (statuses), then with `status`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.script: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(receiver.script.pop(0) if receiver.script else receiver.status)
                self.end_headers()

            def do_GET(self):  # noqa: N802
                body = receiver.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.files: dict[str, bytes] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()
