"""The settings module is imported for real, in a child process with a
controlled environment: these are the errors an operator sees at start."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "DJANGO_ALLOWED_HOSTS": "phananh.example.vn",
    "SITE_URL": "https://phananh.example.vn",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def setup(**env: str) -> subprocess.CompletedProcess:
    return run(["-c", "import django; django.setup()"], **env)


def settings_variables() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r"\b(?:env|env_bool|env_list|required)\(\s*\"([A-Z0-9_]+)\"", source))


def test_it_starts_in_production_with_the_required_values():
    result = setup(**PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_it_refuses_production_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = setup(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_database_url_it_cannot_use():
    result = setup(DATABASE_URL="mysql://feedback@db.example.vn/feedback")
    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:// or postgres:// (got 'mysql')" in result.stderr


def test_it_reports_a_configuration_error_in_one_line_from_manage_py():
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    result = run(["manage.py", "check"], **env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Configuration error: SITE_URL must be set when DJANGO_DEBUG=0 (see .env.example)"
    )


def test_it_reports_an_unreachable_database_in_one_line():
    result = run(["manage.py", "check_database"], DATABASE_URL="postgres://x@127.0.0.1:1/feedback")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "CommandError: cannot reach the postgresql database at 127.0.0.1:1/feedback" in (
        result.stderr
    )


def test_it_documents_every_variable_in_env_example():
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert settings_variables() - documented == set()


def test_it_passes_every_variable_to_the_compose_services():
    compose = (ROOT / "docker-compose.yml").read_text()
    missing = {name for name in settings_variables() if f"{name}:" not in compose}
    assert missing == {"FEEDBACK_TESTING"}


# --- transparency: the published weights of the service score ---------------------

WEIGHTS = "from django.conf import settings; print(sorted(settings.FEEDBACK_SCORE_WEIGHTS.items()))"


def weights(value: str) -> subprocess.CompletedProcess:
    return run(["-c", f"import django; django.setup(); {WEIGHTS}"], FEEDBACK_SCORE_WEIGHTS=value)


def test_it_reads_the_score_weights_as_key_value_pairs_or_json():
    plain = weights("on_time=0.7, satisfaction=0.3")
    assert plain.stdout.strip() == "[('on_time', 0.7), ('satisfaction', 0.3)]", plain.stderr
    as_json = weights('{"on_time": 1, "reopen": 0.5}')
    assert as_json.stdout.strip() == "[('on_time', 1.0), ('reopen', 0.5)]", as_json.stderr


def test_it_refuses_score_weights_it_cannot_use():
    for bad in ("ontime=1", "on_time=abc", "on_time=0,satisfaction=0", "on_time=-1", "[1, 2]"):
        result = weights(bad)
        assert result.returncode != 0, bad
        assert "FEEDBACK_SCORE_WEIGHTS" in result.stderr, bad


SETUP_AND_LIST = (
    "import sys, django; django.setup(); from django.conf import settings; "
    "print(settings.INSTALLED_APPS[0], 'twisted' in sys.modules)"
)


def test_only_runserver_loads_daphne_and_twisted():
    """runserver keeps its WebSockets (daphne's app, listed first so it
    replaces the command); gunicorn and the workers do not carry Twisted."""
    served = run(["-c", f"import sys; sys.argv = ['manage.py', 'runserver']; {SETUP_AND_LIST}"])
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == ["daphne", "True"]
    other = run(["-c", f"import sys; sys.argv = ['gunicorn']; {SETUP_AND_LIST}"])
    assert other.returncode == 0, other.stderr
    assert other.stdout.split()[1] == "False" and "daphne" not in other.stdout
