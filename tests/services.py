"""Helpers for tests that stand up or stand in for services."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now: the OS picks it, so parallel test runs
    on this machine are not handed the same one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_redis_url() -> str:
    """A Redis URL where nothing answers: the service is down."""
    return f"redis://127.0.0.1:{free_port()}/0"
