"""Submit-to-routed latency at a sustained submit rate, on PostgreSQL and
Redis with real Celery workers. Never run as a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fb_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 \\
    python bench/routing.py --rate 20 --seconds 60 --workers 2

Migrates the database it is given, adds a small world (units, offices,
categories, rules) if missing, starts `--workers` worker processes of one
pool process each, submits tickets through feedback.workflow.ticket_submit
(what the web and API views call: store, then queue route_ticket on
commit) at `--rate` per second, and reads routed_at - created_at from the
database. Prints median, 95th percentile and maximum.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from loadgen import PgCpu, tree_cpu  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20, help="tickets submitted per second")
    parser.add_argument("--seconds", type=float, default=60, help="how long to submit")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://... (a database the benchmark may fill)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("set REDIS_URL=redis://... (the broker the workers listen on)")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    world = make_world()
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    workers = [start_worker(n) for n in range(args.workers)]
    try:
        run(world, args, [w.pid for w in workers])
    finally:
        for proc in workers:
            proc.terminate()  # warm shutdown: the main process lets its pool finish
        for proc in workers:
            proc.wait(timeout=30)


def start_worker(n: int) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    cmd = [str(celery), "-A", "config", "worker", "-P", "prefork", "-c", "1", "-l", "warning"]
    cmd += ["-n", f"bench{n}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FEEDBACK_INLINE_SWEEPS": "0"}
    env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)


def make_world():
    from feedback import deadlines
    from feedback.models import AdministrativeUnit as U
    from feedback.models import Category, Office, RoutingRule

    deadlines.ensure_presets()
    existing = reference_world()
    if existing:
        return existing
    vn, _ = U.objects.get_or_create(
        code="VN", defaults={"name": "Việt Nam", "kind": U.Kind.COUNTRY}
    )
    hanoi, _ = U.objects.get_or_create(
        code="01", defaults={"name": "Thành phố Hà Nội", "kind": U.Kind.CITY, "parent": vn}
    )
    wards = []
    for i in range(20):
        ward, _ = U.objects.get_or_create(
            code=f"B{i:04d}", defaults={"name": f"Phường {i}", "kind": U.Kind.WARD, "parent": hanoi}
        )
        Office.objects.get_or_create(
            code=f"bench-ubnd-{i}",
            defaults={
                "name": f"UBND Phường {i}",
                "kind": Office.Kind.COMMITTEE,
                "peer_group": Office.PeerGroup.WARDS,
                "unit": ward,
            },
        )
        wards.append(ward)
    Office.objects.get_or_create(
        code="bench-dispatch",
        defaults={
            "name": "Bộ phận điều phối",
            "kind": Office.Kind.DISPATCH,
            "peer_group": Office.PeerGroup.CITY,
            "unit": hanoi,
        },
    )
    water_office, _ = Office.objects.get_or_create(
        code="bench-water",
        defaults={
            "name": "Công ty Nước sạch",
            "kind": Office.Kind.AGENCY,
            "peer_group": Office.PeerGroup.AGENCIES,
            "unit": hanoi,
        },
    )
    waste, _ = Category.objects.get_or_create(code="bench-waste", defaults={"name": "Rác thải"})
    water, _ = Category.objects.get_or_create(code="bench-water", defaults={"name": "Cấp nước"})
    RoutingRule.objects.get_or_create(category=water, defaults={"office": water_office})
    return {"wards": wards, "categories": [waste, water]}


def reference_world():
    """The wards and categories of a database that has the real reference
    rows (load_units + the demo's offices and rules, as bench/bulkgen.py
    leaves them), so routing runs against the real rules."""
    from feedback.models import AdministrativeUnit as U
    from feedback.models import Category, Office

    wards = list(
        U.objects.filter(
            kind=U.Kind.WARD, is_active=True, offices__kind=Office.Kind.COMMITTEE
        ).order_by("code")[:20]
    )
    categories = list(
        Category.objects.filter(is_active=True, children__isnull=True, location_required=False)
        .exclude(code__startswith="bench-")
        .order_by("pk")[:4]
    )
    if len(wards) < 5 or len(categories) < 2:
        return None
    return {"wards": wards, "categories": categories}


def run(world, args, worker_pids: list[int]) -> None:
    from django.db import connection

    from feedback import workflow
    from feedback.models import Ticket, TicketEvent

    total = int(args.rate * args.seconds)
    db = PgCpu(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1))
    time.sleep(2)  # the workers' connections are open once they are ready
    db.begin()
    own = connection.cursor().connection.info.backend_pid
    workers0 = sum(tree_cpu(pid) for pid in worker_pids)
    # Backends that come and go during the run are caught by sampling.
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.5):
            db.sample()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.monotonic()
    ids = []
    late = 0.0
    for n in range(total):
        due = start + n / args.rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            late = max(late, -pause)
        ticket = workflow.ticket_submit(
            kind="feedback",
            category=world["categories"][n % len(world["categories"])],
            unit=world["wards"][n % len(world["wards"])],
            description=f"Bench ticket {n}: rác thải, nước sạch.",
            address="1 Tràng Tiền",
            channel="web",
        ).ticket
        ids.append(ticket.pk)
    submitted = time.monotonic() - start
    deadline = time.monotonic() + 300
    pending = Ticket.objects.filter(pk__in=ids, routed_at__isnull=True)
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    # The deliveries each route queues are part of a ticket's cost.
    owed = TicketEvent.objects.filter(ticket_id__in=ids, notified_at__isnull=True)
    while owed.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    worker_cpu = sum(tree_cpu(pid) for pid in worker_pids) - workers0
    sampling.set()
    sampler.join()
    db_cpu = db.seconds(exclude={own})
    rows = Ticket.objects.filter(pk__in=ids, routed_at__isnull=False).values_list(
        "created_at", "routed_at"
    )
    latencies = sorted((routed - created).total_seconds() * 1000 for created, routed in rows)
    connection.close()
    if not latencies:
        sys.exit("nothing was routed: are the workers running?")
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    print(
        f"submitted {total} tickets in {submitted:.1f} s ({total / submitted:.1f}/s, "
        f"submitter at most {late * 1000:.0f} ms behind schedule); "
        f"routed {len(latencies)} with {args.workers} workers"
    )
    print(
        f"submit-to-routed latency: median {statistics.median(latencies):.0f} ms, "
        f"p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms"
    )
    figures = {
        "rate": args.rate,
        "workers": args.workers,
        "tickets": total,
        "routed": len(latencies),
        "median_ms": statistics.median(latencies),
        "p95_ms": p95,
        "max_ms": latencies[-1],
        # Routing, its two deliveries and the live updates, per ticket.
        "worker_cpu_ms": worker_cpu * 1000 / len(latencies),
        # The workers' PostgreSQL backends (the submitter's own excluded).
        "db_cpu_ms": db_cpu * 1000 / len(latencies),
    }
    print(
        f"per routed ticket: worker CPU {figures['worker_cpu_ms']:.1f} ms, "
        f"PostgreSQL CPU {figures['db_cpu_ms']:.1f} ms"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
