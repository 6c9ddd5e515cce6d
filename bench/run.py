"""`make bench`: the whole benchmark, one command, bounded, loopback only.

    make bench                      # 1,000,000 tickets, 3 runs, the peer too if present
    BENCH_TICKETS=20000 BENCH_RUNS=1 BENCH_QUICK=1 make bench   # a smoke run

1. Data: the database BENCH_DATABASE_URL (created if missing) is migrated
   and filled by bench/bulkgen.py up to BENCH_TICKETS tickets with their
   events and ratings (or, without bulkgen, the demo generator, which is
   slow: keep BENCH_TICKETS small then). A database that already holds
   them is reused.
2. The production topology on this machine: gunicorn (config/gunicorn.py,
   2 sync workers, as the peer gets) for HTTP and daphne for WebSockets,
   production settings; Celery workers for the routing scenario.
3. Each scenario of bench/adapters/feedback.py BENCH_RUNS times through
   bench/loadgen.py (the peer harness's engine), and the peer's own
   scenarios in the same runs, alternating which system goes first. CPU
   per request: the gunicorn process tree (app) and the PostgreSQL
   backends of the measured database (db).
4. SQL statements per request, counted in-process (second of two calls).
5. Routing: bench/routing.py at 60 tickets a second with 2 workers.
6. A table (stdout, and bench/out/<stamp>/summary.md) with medians over
   the runs, each figure's ratio to the trivial view of the same server in
   the same run, and the targets of issue 14, met or not.

Knobs: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/feedback_bench),
BENCH_REDIS_URL (redis://127.0.0.1:6379/14; the benchmark empties it),
BENCH_TICKETS (1000000), BENCH_RUNS (3), BENCH_PORT (8100, and the next
one), BENCH_QUICK (1: a tenth of the requests), BENCH_PEER (auto: run the
peer when BENCH_PEER_DIR, default ../shared/peer-helpdesk, exists; 0; 1),
BENCH_ROUTING (1; 0 skips it), BENCH_TIME_CAP (120 s per scenario).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

# The environment as given, for the peer's processes: this one adds the
# project's settings to its own (django_setup) once it runs Django.
CLEAN_ENV = dict(os.environ)
ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
PY = sys.executable


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


DB_URL = env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/feedback_bench")
REDIS = env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TICKETS = int(env("BENCH_TICKETS", "1000000"))
RUNS = int(env("BENCH_RUNS", "3"))
PORT = int(env("BENCH_PORT", "8100"))
QUICK = env("BENCH_QUICK", "0") == "1"
TIME_CAP = env("BENCH_TIME_CAP", "120")
PEER_DIR = Path(env("BENCH_PEER_DIR", str(ROOT.parent / "shared" / "peer-helpdesk")))
PEER = env("BENCH_PEER", "auto")
PEER_PORT = PORT + 10
PEER_DSN = "postgresql://bench:bench@127.0.0.1:5432/helpdesk_bench"
STAMP = time.strftime("%Y%m%d-%H%M%S")
OUT = BENCH / "out" / STAMP


def scaled(n: int) -> int:
    return max(20, n // 10) if QUICK else n


# (scenario, requests, concurrency, warm-up)
OURS = [
    ("hello", scaled(5000), 16, 200),
    ("create", scaled(2000), 16, 50),
    ("create_form", scaled(2000), 16, 50),
    ("inbox", scaled(300), 1, 10),
    ("track", scaled(300), 1, 10),
    ("track", scaled(2000), 16, 50),
    ("transparency_cold", scaled(30), 1, 2),
    # Issue 11: the leaders' dashboard and the inbox behind its figures.
    ("dashboard", scaled(100), 1, 3),
    ("dashboard_12m", scaled(30), 1, 2),
    ("drill_received", scaled(100), 1, 3),
    ("drill_overdue", scaled(100), 1, 3),
    ("drill_resolved_on_time", scaled(100), 1, 3),
]
# BENCH_ONLY=dashboard,drill_received: only these of our scenarios.
if os.environ.get("BENCH_ONLY"):
    OURS = [s for s in OURS if s[0] in os.environ["BENCH_ONLY"].split(",")]
PEERS = [
    ("hello", "hello", scaled(5000), 16, 200),
    ("helpdesk", "create", scaled(2000), 16, 50),
    ("helpdesk", "create_form", scaled(2000), 16, 50),
]

# The servers run with production settings; only these are the benchmark's.
SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://127.0.0.1",
    "DATABASE_URL": DB_URL,
    "REDIS_URL": REDIS,
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    # Every request of the load generator comes from one address.
    "FEEDBACK_SUBMIT_RATE": "100000000/h",
    "FEEDBACK_LOOKUP_RATE": "100000000/h",
    "FEEDBACK_SUPPORT_RATE": "100000000/h",
    "AXES_FAILURE_LIMIT": "1000",
    "LOG_LEVEL": "WARNING",
    "FEEDBACK_INLINE_SWEEPS": "0",
}


def log(msg: str) -> None:
    print(f"== {msg}", flush=True)


def loopback_only() -> None:
    for url in (DB_URL, REDIS):
        host = urlsplit(url).hostname or ""
        addrs = {i[4][0] for i in socket.getaddrinfo(host, None)}
        if not addrs or any(not a.startswith(("127.", "::1")) for a in addrs):
            sys.exit(f"bench: {url} is not on this machine (loopback only)")


def manage(*args: str, **extra: str) -> None:
    environ = {**os.environ, **SERVER_ENV, **extra}
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=environ, check=True)


# --- data --------------------------------------------------------------------------


def ensure_database() -> None:
    import psycopg

    parts = urlsplit(DB_URL)
    name = parts.path.lstrip("/")
    admin = DB_URL.replace(parts.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def ticket_count() -> int:
    import psycopg

    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "SELECT count(*) FROM feedback_ticket WHERE title NOT LIKE '[load]%%'"
        ).fetchone()[0]


# Tables whose rows the scenarios update or replace: routing updates a ticket
# and marks its events delivered, and the live summary is rewritten every
# minute. Each leaves dead rows behind.
CHURNED = ("feedback_ticket", "feedback_ticketevent", "feedback_rating", "feedback_livefigures")


def vacuum() -> None:
    """What autovacuum does on a production server, done before each run:
    this machine's PostgreSQL runs with autovacuum off, and without it the
    dead rows of earlier runs doubled routing's PostgreSQL CPU (19.3 ms a
    ticket against 5.7 after a VACUUM) and made the queue fall behind."""
    import psycopg

    if env("BENCH_VACUUM", "1") != "1":
        return
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        for table in CHURNED:
            conn.execute(f"VACUUM (ANALYZE) {table}")  # a fixed name from CHURNED


def build_data() -> float:
    ensure_database()
    manage("migrate", "--noinput", "-v0")
    have = ticket_count()
    started = time.monotonic()
    if have >= TICKETS:
        log(f"data: {have:,} tickets already there")
        freeze_months()
        return 0.0
    bulkgen = BENCH / "bulkgen.py"
    if bulkgen.exists():
        log(f"data: bench/bulkgen.py --tickets {TICKETS - have:,}")
        environ = {**os.environ, **SERVER_ENV}
        subprocess.run(
            [PY, str(bulkgen), "--tickets", str(TICKETS - have)], env=environ, check=True
        )
    else:
        log(f"data: no bench/bulkgen.py; the demo generator, {TICKETS:,} tickets (slow)")
        manage("load_units")
        manage("load_demo", "--tickets", str(TICKETS))
    took = time.monotonic() - started
    log(f"data: {ticket_count():,} tickets, built in {took:.0f} s")
    freeze_months()
    return took


def freeze_months() -> None:
    """Past months frozen as the monthly task would have frozen them
    (feedback.snapshots): the dashboard reads them, not the tickets. Nothing
    to do when they are."""
    started = time.monotonic()
    manage("freeze_figures", "--months", "36")
    log(f"data: monthly snapshots in {time.monotonic() - started:.0f} s")


def django_setup() -> None:
    os.environ.update(SERVER_ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> dict[str, str]:
    """The inbox's officer (the office with most open tickets), and the
    category and ward the creates use."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from feedback.models import AdministrativeUnit, Category, Membership, Office, Ticket

    busiest = (
        Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES, office__isnull=False)
        .values("office")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    user, _ = get_user_model().objects.get_or_create(username="bench.officer")
    # Left alone when already right: a new password hash or membership
    # would sign out a run in progress (bench/profile_request.py calls this too).
    if not user.check_password("bench-officer-pass"):
        user.set_password("bench-officer-pass")
        user.save()
    mine = Membership.objects.filter(user=user)
    if list(mine.values_list("office_id", "role")) != [(busiest["office"], "officer")]:
        mine.delete()
        Membership.objects.create(
            user=user, office_id=busiest["office"], role=Membership.Role.OFFICER
        )
    # A city leader for the dashboard's scenarios.
    city_office = (
        Office.objects.filter(
            is_active=True, peer_group=Office.PeerGroup.CITY, kind=Office.Kind.COMMITTEE
        )
        .select_related("unit")
        .order_by("unit__depth", "pk")
        .first()
    )
    leader, _ = get_user_model().objects.get_or_create(username="bench.leader")
    if not leader.check_password("bench-leader-pass"):
        leader.set_password("bench-leader-pass")
        leader.save()
    Membership.objects.get_or_create(
        user=leader, office=city_office, defaults={"role": Membership.Role.LEADER}
    )
    category = Category.objects.filter(is_active=True, children__isnull=True).order_by("pk").first()
    unit = (
        AdministrativeUnit.objects.filter(is_active=True, kind=AdministrativeUnit.Kind.WARD)
        .order_by("code")
        .first()
    )
    return {
        "dsn": DB_URL.replace("postgres://", "postgresql://", 1),
        "cache_redis": REDIS,
        "user": "bench.officer",
        "password": "bench-officer-pass",
        "category": category.code,
        "unit": unit.code,
        "inbox_open": str(busiest["n"]),
        "leader": "bench.leader",
        "leader_password": "bench-leader-pass",
        "leader_office": str(city_office.pk),
        "city_unit": str(city_office.unit_id),
    }


def scenario_calls(opts: dict[str, str]):
    """Each scenario as one in-process request (django.test.Client through
    the whole stack): {name: call(n)}, plus what must run before a call
    without being counted (emptying the cache for a cold page)."""
    import redis
    from captcha.models import CaptchaStore
    from django.contrib.auth import get_user_model
    from django.test import Client

    from feedback.models import AdministrativeUnit, Category, Ticket

    cache = redis.Redis.from_url(REDIS)
    code = Ticket.objects.filter(is_public=True).order_by("-id").values_list("code", flat=True)[0]
    api = {
        "title": "[load] đếm truy vấn",
        "description": "Đếm số câu lệnh SQL của một lần gửi.",
        "address": "12 Hàng Bài",
        "category": opts["category"],
        "unit": opts["unit"],
    }
    form = {
        "kind": "feedback",
        "category": Category.objects.get(code=opts["category"]).pk,
        "unit": AdministrativeUnit.objects.get(code=opts["unit"]).pk,
        "title": "[load] đếm truy vấn",
        "description": "Đếm số câu lệnh SQL của một lần gửi.",
        "address": "12 Hàng Bài",
        "make_public": "on",
        "captcha_1": "abcde",
    }
    staff = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    staff.force_login(get_user_model().objects.get(username=opts["user"]))
    from leader import dashboard_paths

    leader = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    leader.force_login(get_user_model().objects.get(username=opts["leader"]))
    anon = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    stamp = f"{STAMP}-{time.monotonic_ns()}"

    captchas: list[str] = []

    def new_captcha() -> None:
        # What the form page's GET made for this browser, outside the count.
        key = f"count-{uuid.uuid4().hex[:24]}"  # hashkey holds 40 characters
        CaptchaStore.objects.create(challenge="ABCDE", response="abcde", hashkey=key)
        captchas.append(key)

    def form_post(n: int):
        data = {**form, "captcha_0": captchas.pop(), "idempotency_key": f"count-{stamp}-{n:08d}"}
        return anon.post("/gui-phan-anh/", data)

    def flush_cache() -> None:
        keys = list(cache.scan_iter(match=":1:*", count=1000))
        if keys:
            cache.delete(*keys)

    calls = {
        "hello": lambda n: anon.get("/healthz"),
        "create": lambda n: anon.post("/api/v1/tickets/", api, content_type="application/json"),
        "create_form": form_post,
        "inbox": lambda n: staff.get("/staff/"),
        "track": lambda n: anon.get(f"/tra-cuu/{code}/"),
        "transparency_cold": lambda n: anon.get("/minh-bach/"),
        **{
            name: (lambda n, path=path: leader.get(path))
            for name, path in dashboard_paths(opts).items()
        },
    }
    # A worker's share of one ticket (not an HTTP scenario): routing, then
    # the deliveries it owes, as the route_ticket and deliver_event tasks
    # run them. The ticket is filed beforehand, outside the measurement.
    from feedback import notifications, workflow
    from feedback.models import TicketEvent

    filed: list[int] = []

    def file_one() -> None:
        filed.append(
            workflow.ticket_submit(
                kind="feedback",
                category=Category.objects.get(code=opts["category"]),
                unit=AdministrativeUnit.objects.get(code=opts["unit"]),
                description="[load] định tuyến",
                address="12 Hàng Bài",
                contact_name="Nguyễn Văn An",
                contact_email="an@example.org",
                consent=True,
                channel="api",
            ).ticket.pk
        )

    class Done:
        status_code = 200
        content = b""

    def route(n: int):
        ticket_id = filed.pop()
        workflow.ticket_route(ticket_id)
        for event_id in TicketEvent.objects.filter(
            ticket_id=ticket_id, notified_at__isnull=True
        ).values_list("pk", flat=True):
            notifications.deliver_event(event_id)
        return Done

    calls["route"] = route
    before = {"transparency_cold": flush_cache, "route": file_one, "create_form": new_captcha}
    return calls, before


EXPECT = {"create": 201, "create_form": 302}


def count_queries(opts: dict[str, str]) -> dict[str, int]:
    """Statements per request, through the whole stack in-process (the
    second of two calls, as the peer's count_queries does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calls, before = scenario_calls(opts)
    counts = {}
    for name, call in calls.items():
        for n in range(2):
            before.get(name, lambda: None)()  # not counted
            with CaptureQueriesContext(connection) as ctx:
                response = call(n)
            if response.status_code != EXPECT.get(name, 200):
                raise SystemExit(
                    f"count_queries: {name} -> {response.status_code}: {response.content[:500]!r}"
                )
        counts[name] = len(ctx.captured_queries)
    connection.close()
    return counts


# --- servers -----------------------------------------------------------------------


def answers(url: str) -> bool:
    try:
        req = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def server(name: str, cmd: list[str], url: str, cwd: Path, environ: dict[str, str]):
    logfile = OUT / f"{name}.log"
    with open(logfile, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 90
        while not answers(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"bench: {name} did not start:\n{logfile.read_text()[-2000:]}")
            time.sleep(0.3)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssWatch:
    """The largest resident size any gunicorn worker reaches."""

    def __init__(self, master: int):
        self.master, self.peak = master, 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def watch(self) -> None:
        while not self.stop.wait(0.5):
            for pid in children(self.master):
                self.peak = max(self.peak, rss_mb(pid))


def loadgen(
    base: str, adapter: Path, scenario: str, n: int, c: int, warm: int, out: Path, **cpu
) -> dict:
    cmd = [PY, str(BENCH / "loadgen.py"), "--base-url", base, "--adapter", str(adapter)]
    cmd += ["--scenario", scenario, "--requests", str(n), "--concurrency", str(c)]
    cmd += ["--warmup", str(warm), "--time-cap", TIME_CAP, "--timeout", "130", "--out", str(out)]
    for key, value in cpu.get("opts", {}).items():
        cmd += ["--opt", f"{key}={value}"]
    if "pid" in cpu:
        cmd += ["--cpu-pid", f"app={cpu['pid']}"]
    if "dsn" in cpu:
        cmd += ["--cpu-pg", f"db={cpu['dsn']}"]
    subprocess.run(cmd, cwd=BENCH, stdout=subprocess.DEVNULL, check=False)
    if not out.exists():
        sys.exit(f"bench: loadgen wrote nothing for {scenario}")
    result = json.loads(out.read_text())
    lat = result["latency_ms"]
    print(
        f"   {out.parent.name}/{out.stem:24s} {result['throughput_rps']:>8} req/s  "
        f"p50 {lat['p50']} p95 {lat['p95']} p99 {lat['p99']} ms  "
        f"cpu ms/req {result['cpu_ms_per_ok']}  errors {result['errors']}",
        flush=True,
    )
    return result


def flush_queues() -> None:
    """Creates queue route_ticket and deliver_event tasks; no worker runs
    during the HTTP scenarios (the routing scenario measures them), so
    drop what piled up."""
    import redis

    client = redis.Redis.from_url(REDIS)
    for queue in ("celery", "routing", "delivery", "sweeps"):
        client.delete(queue)


# --- the peer ----------------------------------------------------------------------


def peer_wanted() -> bool:
    if PEER == "0":
        return False
    if not (PEER_DIR / "setup.sh").exists():
        if PEER == "1":
            sys.exit(f"bench: BENCH_PEER=1 but no peer harness at {PEER_DIR}")
        return False
    return True


def peer_setup() -> Path:
    """A writable copy of the peer harness, set up once (its setup.sh)."""
    work = BENCH / "out" / "peer"
    if not (work / "var" / "setup-done").exists():
        log(f"peer: copying {PEER_DIR} and running its setup.sh (once)")
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(PEER_DIR, work, ignore=shutil.ignore_patterns(".venv", "results"))
        for path in work.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        subprocess.run(["bash", "setup.sh"], cwd=work, env=CLEAN_ENV, check=True)
        (work / "var").mkdir(exist_ok=True)
        (work / "var" / "setup-done").write_text(STAMP)
    return work


def run_peer(work: Path, run: int, results: dict) -> None:
    peer_py = str(work / ".venv" / "bin" / "python")
    environ = {**CLEAN_ENV, "BENCH_PORT": str(PEER_PORT)}
    cmd = [peer_py, "-m", "gunicorn", "-c", "../gunicorn.conf.py", "benchsite.wsgi:application"]
    base = f"http://127.0.0.1:{PEER_PORT}"
    with server("peer-gunicorn", cmd, base + "/bench/hello/", work / "project", environ) as proc:
        for adapter, scenario, n, c, warm in PEERS:
            out = OUT / f"run{run}" / f"peer-{scenario}.json"
            results[("peer", scenario, c)].append(
                loadgen(
                    base,
                    work / "loadgen" / "adapters" / f"{adapter}.py",
                    scenario,
                    n,
                    c,
                    warm,
                    out,
                    pid=proc.pid,
                    dsn=PEER_DSN,
                )
            )
    manage_peer = [peer_py, "manage.py", "cleanup_load", "--vacuum"]
    subprocess.run(
        manage_peer, cwd=work / "project", env=CLEAN_ENV, stdout=subprocess.DEVNULL, check=True
    )


# --- our system --------------------------------------------------------------------


def run_ours(run: int, opts: dict[str, str], results: dict, rss: list[float]) -> None:
    environ = {
        **os.environ,
        **SERVER_ENV,
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    cmd = [str(BIN / "gunicorn"), "-c", "python:config.gunicorn", "config.wsgi:application"]
    base = f"http://127.0.0.1:{PORT}"
    with server("gunicorn", cmd, base + "/healthz", ROOT, environ) as proc:
        watch = RssWatch(proc.pid)
        watch.thread.start()
        for scenario, n, c, warm in OURS:
            out = OUT / f"run{run}" / f"ours-{scenario}-c{c}.json"
            results[("ours", scenario, c)].append(
                loadgen(
                    base,
                    BENCH / "adapters" / "feedback.py",
                    scenario,
                    n,
                    c,
                    warm,
                    out,
                    pid=proc.pid,
                    dsn=opts["dsn"],
                    opts={**opts, "run": f"{STAMP}-{run}"},
                )
            )
        watch.stop.set()
        rss.append(watch.peak)
    flush_queues()
    # The same trivial view under daphne, the previous production server.
    cmd = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(PORT + 1), "config.asgi:application"]
    base = f"http://127.0.0.1:{PORT + 1}"
    daphne_env = {**environ, "DATABASE_POOL_SIZE": "4"}
    with server("daphne", cmd, base + "/healthz", ROOT, daphne_env) as proc:
        n, c, warm = scaled(5000), 16, 200
        out = OUT / f"run{run}" / "ours-hello_daphne-c16.json"
        results[("ours", "hello_daphne", c)].append(
            loadgen(
                base,
                BENCH / "adapters" / "feedback.py",
                "hello",
                n,
                c,
                warm,
                out,
                pid=proc.pid,
                opts=opts,
            )
        )


def run_routing() -> dict | None:
    if env("BENCH_ROUTING", "1") == "0":
        return None
    out = OUT / "routing.json"
    environ = {**os.environ, **SERVER_ENV}
    cmd = [PY, str(BENCH / "routing.py"), "--rate", "60", "--seconds", "20" if QUICK else "60"]
    cmd += ["--workers", "2", "--json", str(out)]
    log("routing: 60 tickets a second, 2 workers")
    vacuum()
    subprocess.run(cmd, env=environ, check=True)
    return json.loads(out.read_text())


# --- the table ---------------------------------------------------------------------


def med(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def summarize(results, queries, rss, routing, opts, built_in) -> str:
    from leader import LEADER_SCENARIOS

    rows = []
    hello = {sys_: results.get((sys_, "hello", 16), []) for sys_ in ("ours", "peer")}
    summary: dict = {}
    for (system, scenario, c), runs in sorted(results.items()):
        base = hello[system]
        ratio = [
            r["throughput_rps"] / h["throughput_rps"]
            for r, h in zip(runs, base, strict=False)
            if r["throughput_rps"] and h["throughput_rps"]
        ]
        # App CPU as a multiple of the trivial view's in the same run: what
        # a busy machine changes least.
        cpu_x = [
            r["cpu_ms_per_ok"]["app"] / h["cpu_ms_per_ok"]["app"]
            for r, h in zip(runs, base, strict=False)
            if r["cpu_ms_per_ok"].get("app") and h["cpu_ms_per_ok"].get("app")
        ]
        row = {
            "cpu_x": med(cpu_x),
            "rps": med([r["throughput_rps"] for r in runs]),
            "p50": med([r["latency_ms"]["p50"] for r in runs]),
            "p95": med([r["latency_ms"]["p95"] for r in runs]),
            "p99": med([r["latency_ms"]["p99"] for r in runs]),
            "app": med([r["cpu_ms_per_ok"].get("app") for r in runs]),
            "db": med([r["cpu_ms_per_ok"].get("db") for r in runs]),
            "ratio": med(ratio),
            "errors": sum(r["errors"] for r in runs),
            "sql": queries.get(scenario) if system == "ours" else None,
        }
        summary[f"{system}:{scenario}:c{c}"] = row
        rows.append(
            f"| {system} | {scenario} | {c} | {row['rps']} | {row['p50']} / {row['p95']} / "
            f"{row['p99']} | {row['app']} ({row['cpu_x']}x) | {row['db']} | "
            f"{'' if row['sql'] is None else row['sql']} | {row['ratio']} | {row['errors']} |"
        )

    def get(key: str, field: str):
        return summary.get(key, {}).get(field)

    def ratio_of(a: str, b: str) -> float | None:
        x, y = get(a, "rps"), get(b, "rps")
        return round(x / y, 2) if x and y else None

    checks = [
        ("API create >= 4x the peer's", ratio_of("ours:create:c16", "peer:create:c16"), 4, ">="),
        (
            "form create >= 3x the peer's form",
            ratio_of("ours:create_form:c16", "peer:create_form:c16"),
            3,
            ">=",
        ),
        ("API create p99 < 100 ms (c=16)", get("ours:create:c16", "p99"), 100, "<"),
        ("form create p99 < 100 ms (c=16)", get("ours:create_form:c16", "p99"), 100, "<"),
        ("SQL per API create <= 6", queries.get("create"), 6, "<="),
        ("SQL per form create <= 6", queries.get("create_form"), 6, "<="),
        ("inbox p95 < 50 ms", get("ours:inbox:c1", "p95"), 50, "<"),
        ("inbox app CPU < 10 ms", get("ours:inbox:c1", "app"), 10, "<"),
        ("tracking p95 < 50 ms", get("ours:track:c1", "p95"), 50, "<"),
        ("tracking app CPU < 10 ms", get("ours:track:c1", "app"), 10, "<"),
        ("transparency cold p95 < 300 ms", get("ours:transparency_cold:c1", "p95"), 300, "<"),
        *(
            (f"{name} p95 < 300 ms", get(f"ours:{name}:c1", "p95"), 300, "<")
            for name in LEADER_SCENARIOS
        ),
        # Production HTTP is gunicorn, so its trivial view is the ceiling
        # itself; the server it replaced is measured beside it.
        (
            "daphne (the old HTTP server) trivial / gunicorn trivial >= 0.8",
            ratio_of("ours:hello_daphne:c16", "ours:hello:c16"),
            0.8,
            ">=",
        ),
        ("web worker RSS < 200 MB", round(max(rss), 1) if rss else None, 200, "<"),
    ]
    if routing:
        checks += [
            ("routing worker CPU < 10 ms/ticket", routing.get("worker_cpu_ms"), 10, "<"),
            ("routing PostgreSQL CPU < 10 ms/ticket", routing.get("db_cpu_ms"), 10, "<"),
            ("routing p95 < 1 s at 60/s, 2 workers", routing.get("p95_ms"), 1000, "<"),
        ]
    lines = [
        f"# make bench, {STAMP}",
        "",
        f"{ticket_count():,} tickets (data built in {built_in:.0f} s this time), "
        f"{RUNS} runs, medians; inbox of an office with {opts['inbox_open']} open tickets. "
        f"Load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores.",
        "",
        "| system | scenario | conc. | req/s | p50 / p95 / p99 ms | app CPU ms (x hello's) | "
        "db CPU ms | SQL | ratio to hello | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Largest gunicorn worker RSS: {max(rss) if rss else 0:.0f} MB.",
    ]
    if routing:
        lines.append(
            f"Routing at {routing['rate']}/s, {routing['workers']} workers: median "
            f"{routing['median_ms']:.0f} ms, p95 {routing['p95_ms']:.0f} ms, worker CPU "
            f"{routing['worker_cpu_ms']:.1f} ms and PostgreSQL CPU {routing['db_cpu_ms']:.1f} ms "
            f"per ticket."
        )
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    for name, value, limit, op in checks:
        met = None if value is None else (value >= limit if op == ">=" else value < limit)
        if op == "<=" and value is not None:
            met = value <= limit
        lines.append(f"| {name} | {value} | {'-' if met is None else 'yes' if met else 'NO'} |")
    (OUT / "summary.json").write_text(json.dumps({"rows": summary, "queries": queries}, indent=1))
    return "\n".join(lines) + "\n"


@contextmanager
def summary_refresher():
    """What beat does in production during the runs: the current month's
    summary of the figures (feedback.snapshots.refresh_live) recomputed
    every FEEDBACK_LIVE_FIGURES_SECONDS, on a thread of this process. Its
    cost lands on the machine as it would in production."""
    from django.conf import settings
    from django.db import connection

    from feedback import snapshots

    stop = threading.Event()

    def loop() -> None:
        try:
            while True:
                started = time.monotonic()
                rows = snapshots.refresh_live()
                log(f"summary: {rows} rows in {time.monotonic() - started:.1f} s")
                if stop.wait(settings.FEEDBACK_LIVE_FIGURES_SECONDS):
                    return
        finally:
            connection.close()

    snapshots.refresh_live()  # fresh before the first request
    thread = threading.Thread(target=loop, name="summary-refresher", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=60)


def main() -> None:
    loopback_only()
    OUT.mkdir(parents=True, exist_ok=True)
    built_in = build_data()
    manage("collectstatic", "--noinput", "-v0")
    django_setup()
    opts = prepare()
    from feedback import snapshots

    snapshots.refresh_live()  # as beat keeps it: the dashboard reads it
    queries = count_queries(opts)
    log(f"SQL statements per request: {queries}")
    peer = peer_setup() if peer_wanted() else None
    from collections import defaultdict

    results: dict = defaultdict(list)
    rss: list[float] = []
    with summary_refresher():
        for run in range(1, RUNS + 1):
            log(f"run {run}/{RUNS}")
            (OUT / f"run{run}").mkdir(exist_ok=True)
            vacuum()
            # Alternate which system goes first, so drift hits both alike.
            if peer and run % 2 == 0:
                run_peer(peer, run, results)
            run_ours(run, opts, results, rss)
            if peer and run % 2 == 1:
                run_peer(peer, run, results)
    routing = run_routing()
    table = summarize(results, queries, rss, routing, opts, built_in)
    (OUT / "summary.md").write_text(table)
    print("\n" + table)
    log(f"raw results in {OUT}")


if __name__ == "__main__":
    main()
