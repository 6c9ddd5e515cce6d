# One entry point for developers and CI. `make run` and `make test` are
# the two commands in README.md; .ci/run calls lint, check-deploy,
# compose-check and test.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Written after a successful install; pyproject.toml is the only list of
# dependencies, so editing it triggers a reinstall.
INSTALLED := $(VENV)/.installed
BENCH_INSTALLED := $(VENV)/.bench-installed

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/feedback_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
CHROMIUM := /usr/bin/chromium

.PHONY: install run test test-clock chromium speech lint check-deploy compose-check bench

install: $(INSTALLED) speech

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: $(PYTHON) not found. Install Python 3.11 or run: make PYTHON=/path/to/python3.11 ..." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# Editable install: the pinned dependencies from pyproject.toml plus the
# project's own packages, importable from anywhere (celery -A config).
$(INSTALLED): pyproject.toml | $(PY)
	$(VENV)/bin/pip install --disable-pip-version-check -e '.[dev]'
	@touch $@

# The embedded default: SQLite, no Redis, tasks and sweeps in-process.
run: install
	$(PY) manage.py check_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_units
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver 127.0.0.1:8000

# The suite talks to the real services: PostgreSQL (pytest-django creates
# test_<name> next to the database named in DATABASE_URL) and Redis.
test: install chromium
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The non-browser suite again on a moved clock (FEEDBACK_TEST_CLOCK, read
# by tests/conftest.py), so that no test passes only on a working day. One
# moment per run, picked by a stable rule: the day of the month (UTC) mod 3
# chooses among a Sunday morning, New Year's Eve at 23:30 and the eve of
# Tết 2027 (Hà Nội time); TEST_CLOCK=... chooses by hand. The integration
# tests (real workers, servers and Redis outages, about services rather than
# dates, and the slowest part) run once, in `make test`.
TEST_CLOCKS := 2027-03-07T10:00+07:00 2026-12-31T23:30+07:00 2027-02-05T20:00+07:00
test-clock: install
	@day=$$(date -u +%-d); \
	clock="$${TEST_CLOCK:-$$(echo $(TEST_CLOCKS) | cut -d' ' -f$$((day % 3 + 1)))}"; \
	echo "clock for this run: $$clock (day $$day of the month mod 3 picks from: $(TEST_CLOCKS))"; \
	FEEDBACK_TEST_CLOCK="$$clock" \
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	$(VENV)/bin/pytest -m "not e2e and not integration" $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium, not a Playwright download.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "error: $(CHROMIUM) is missing; install Debian's chromium (sudo apt-get install chromium)" >&2; \
	    exit 1; \
	  fi; \
	fi

# The form's audio challenge reads its digits with Debian's espeak-ng
# (feedback/captcha.py). Without root it is only named: the site runs, with
# no audio offered, and the tests of the audio fail.
speech:
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng; \
	  else \
	    echo "warning: espeak-ng is missing, so the form offers no audio challenge; install it (sudo apt-get install espeak-ng)" >&2; \
	  fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Production settings with throwaway values: every deploy warning fails.
check-deploy: install
	DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY=check-deploy-only-0123456789-abcdefghijklmnopqrstuvwxyz \
	DJANGO_ALLOWED_HOSTS=phananh.example.vn \
	SITE_URL=https://phananh.example.vn \
	$(PY) manage.py check --deploy --fail-level WARNING

# Validates docker-compose.yml; the required variables get throwaway values
# so the check does not depend on a local .env.
compose-check:
	@if ! command -v docker-compose >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose; \
	  else \
	    echo "error: docker-compose is missing; install it (sudo apt-get install docker-compose)" >&2; \
	    exit 1; \
	  fi; \
	fi
	DJANGO_SECRET_KEY=compose-check POSTGRES_PASSWORD=compose-check \
	DJANGO_ALLOWED_HOSTS=phananh.example.vn SITE_URL=https://phananh.example.vn \
	docker-compose config -q

# The benchmark (bench/run.py, docs/performance.md): builds its data,
# starts the production servers on loopback, runs every scenario three
# times, beside the peer when ../shared/peer-helpdesk is there, and prints
# the table. Never part of `make test`. Needs PostgreSQL and Redis running
# (BENCH_DATABASE_URL, BENCH_REDIS_URL).
bench: $(BENCH_INSTALLED)
	$(PY) bench/run.py

$(BENCH_INSTALLED): pyproject.toml | $(INSTALLED)
	$(VENV)/bin/pip install --disable-pip-version-check -e '.[dev,bench]'
	@touch $@
