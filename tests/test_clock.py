"""The suite's moved clock (FEEDBACK_TEST_CLOCK): a process started with it
lives at that moment, ticking on, and a value without an offset is refused
with a message that says what to write."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOW_NOW = (
    "import time; from datetime import datetime, timezone; "
    "print(datetime.now(timezone.utc).isoformat()); time.sleep(0.2); "
    "print(datetime.now(timezone.utc).isoformat())"
)


def python(code: str, clock: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_TEST_CLOCK")}
    env.update(FEEDBACK_TEST_CLOCK=clock, PYTHONPATH=str(ROOT / "tests" / "clock"))
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_child_process_lives_at_the_moved_moment_and_its_clock_ticks():
    done = python(SHOW_NOW, "2027-02-05T20:00+07:00")
    assert done.returncode == 0, done.stderr
    first, second = (datetime.fromisoformat(line) for line in done.stdout.split())
    then = datetime.fromisoformat("2027-02-05T13:00+00:00")
    assert then <= first < then + timedelta(minutes=1)
    assert second > first


def test_a_moment_without_an_offset_is_refused_clearly():
    done = python("print('ran')", "2026-12-31T23:30")
    assert done.returncode != 0
    assert "FEEDBACK_TEST_CLOCK needs an offset" in done.stderr
    assert "ran" not in done.stdout
