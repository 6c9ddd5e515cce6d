"""config/gunicorn.py, imported for real in a child process with a
controlled environment, as gunicorn imports it on a server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_of(**env: str) -> dict:
    done = run(
        "import json, config.gunicorn as g; print(json.dumps({k: getattr(g, k) for k in "
        "('bind', 'workers', 'timeout', 'max_requests', 'max_requests_jitter', 'loglevel', "
        "'forwarded_allow_ips', 'GC_YOUNG_THRESHOLD')}))",
        **env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_empty_values_are_the_defaults_as_docker_compose_passes_them():
    """docker-compose.yml passes `${GUNICORN_TIMEOUT:-}` and the like as
    empty strings when the operator left them out of .env."""
    got = settings_of(
        GUNICORN_WORKERS="",
        GUNICORN_TIMEOUT="",
        GUNICORN_MAX_REQUESTS="",
        GUNICORN_BIND="",
        GUNICORN_FORWARDED_ALLOW_IPS="",
        GUNICORN_GC_YOUNG_THRESHOLD="",
        LOG_LEVEL="",
    )
    assert got == {
        "bind": "0.0.0.0:8000",
        "workers": os.cpu_count() or 2,
        "timeout": 60,
        "max_requests": 10000,
        "max_requests_jitter": 1000,
        "loglevel": "info",
        "forwarded_allow_ips": "*",
        "GC_YOUNG_THRESHOLD": 10000,
    }


def test_set_values_are_taken():
    got = settings_of(GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="30", GUNICORN_MAX_REQUESTS="0")
    assert (got["workers"], got["timeout"], got["max_requests"]) == (3, 30, 0)
    assert settings_of(WEB_CONCURRENCY="5")["workers"] == 5


def test_a_bad_number_stops_the_server_with_its_name():
    done = run("import config.gunicorn", GUNICORN_TIMEOUT="soon")
    assert done.returncode != 0
    assert "GUNICORN_TIMEOUT must be a whole number, not 'soon'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_compose_web_service_starts_with_the_operators_defaults():
    """gunicorn reads WEB_CONCURRENCY itself, as an int, when it is imported:
    the compose file must never hand it an empty string. `gunicorn
    --check-config` loads the settings and the application as the web
    container does, with every variable the compose file gives it empty."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    env = web["environment"]
    assert "WEB_CONCURRENCY" not in env
    assert env["GUNICORN_WORKERS"] == "${WEB_CONCURRENCY:-}"
    empty = {
        name: ""
        for name, value in env.items()
        if isinstance(value, str) and value.startswith("${") and value.endswith(":-}")
    }
    assert "GUNICORN_TIMEOUT" in empty and "GUNICORN_MAX_REQUESTS" in empty
    done = subprocess.run(
        [str(BIN / "gunicorn"), *web["command"][1:], "--check-config"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **empty},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_a_worker_freezes_what_it_loaded_before_its_first_request():
    """post_worker_init: the views are imported and everything alive is in
    the collector's permanent generation, with the larger young generation."""
    done = run(
        "import gc, sys, django; django.setup(); import config.gunicorn as g; "
        "assert 'feedback.views_dashboard' not in sys.modules; "
        "g.post_worker_init(None); "
        "print(gc.get_freeze_count(), gc.get_threshold()[0], "
        "'feedback.views_dashboard' in sys.modules)",
        GUNICORN_GC_YOUNG_THRESHOLD="12345",
    )
    assert done.returncode == 0, done.stderr
    frozen, young, views = done.stdout.split()
    assert int(frozen) > 100_000
    assert (young, views) == ("12345", "True")
