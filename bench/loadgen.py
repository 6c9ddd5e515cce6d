#!/usr/bin/env python3
"""Target-agnostic, bounded HTTP load generator (loopback only).

The peer harness's engine (shared/peer-helpdesk/loadgen/loadgen.py), kept
here so that `make bench` runs on a machine without that folder and both
systems are driven by the same code. One addition: --cpu-pg, the CPU of
the PostgreSQL backends of one database only (the cluster may serve
others meanwhile).

    loadgen.py --base-url http://127.0.0.1:8001 --adapter adapters/helpdesk.py \
               --scenario create --requests 2000 --concurrency 16 --time-cap 120

What the target looks like is entirely in the adapter (a small Python file):
how to log in / get a CSRF token, and for each scenario how to build request
number i (method, path, query, form or JSON body, headers, expected status).
The engine only sends what the adapter builds and times it.

Adapter contract (see adapters/TEMPLATE.py):
    def get_scenarios(opts: dict[str, str]) -> dict[str, Scenario]
    class Scenario:
        description: str
        async def setup(self, http: Http) -> state      # once, before warm-up
        def build(self, i: int, state) -> Req            # request number i

Bounds: a fixed request count (--requests), a wall-clock cap (--time-cap;
no new request starts after it), a per-request timeout, and a refusal to
run against anything that does not resolve to a loopback address.

Output: one JSON object (stdout, and --out FILE): throughput of successful
requests and latency percentiles (ms), from request start to last body byte,
so queueing inside the server counts, as a user would see it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import ipaddress
import json
import math
import os
import platform
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp


@dataclass
class Req:
    method: str
    path: str
    params: dict | None = None
    data: dict | None = None  # form-encoded body
    json: Any = None  # JSON body
    headers: dict | None = None
    expect: tuple = (200,)
    allow_redirects: bool = False


@dataclass
class Resp:
    status: int
    headers: Any
    text: str


class Http:
    """What adapters use during setup(): a cookie-keeping client bound to the base URL."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str):
        self.session = session
        self.base_url = base_url.rstrip("/")

    async def request(self, method: str, path: str, **kw) -> Resp:
        kw.setdefault("allow_redirects", False)
        async with self.session.request(method, self.base_url + path, **kw) as r:
            return Resp(r.status, r.headers, await r.text())

    async def get(self, path: str, **kw) -> Resp:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw) -> Resp:
        return await self.request("POST", path, **kw)

    def cookie(self, name: str) -> str | None:
        for c in self.session.cookie_jar:
            if c.key == name:
                return c.value
        return None


def assert_loopback(base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        sys.exit(f"loadgen: bad base URL {base_url!r}")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as e:
        sys.exit(f"loadgen: cannot resolve {parts.hostname!r}: {e}")
    addrs = {info[4][0] for info in infos}
    bad = [a for a in addrs if not ipaddress.ip_address(a.split("%")[0]).is_loopback]
    if bad or not addrs:
        sys.exit(f"loadgen: refusing non-loopback target {parts.hostname} -> {sorted(addrs)}")


def load_adapter(spec: str):
    p = Path(spec)
    if p.suffix == ".py" and p.exists():
        mod_spec = importlib.util.spec_from_file_location(f"loadgen_adapter_{p.stem}", p)
        mod = importlib.util.module_from_spec(mod_spec)
        sys.modules[mod_spec.name] = mod
        mod_spec.loader.exec_module(mod)
        return mod
    return importlib.import_module(spec)


_CLK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: int, with_children: bool) -> float:
    """utime+stime (+ reaped children's) of one process, seconds; 0 if gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields[0] is state (field 3); utime=14, stime=15, cutime=16, cstime=17
    t = int(fields[11]) + int(fields[12])
    if with_children:
        t += int(fields[13]) + int(fields[14])
    return t / _CLK


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def tree_cpu(root: int) -> float:
    """CPU seconds of a server process tree: the root, its reaped children, and
    its live children (gunicorn master + workers; postmaster + backends)."""
    return _proc_cpu(root, True) + sum(_proc_cpu(c, False) for c in _children(root))


def pg_backends(dsn: str) -> list[int]:
    """PIDs of the server processes connected to the database of `dsn`."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


class PgCpu:
    """CPU seconds of one database's backends between two reads. A backend
    that ends in between is counted up to its last sample, so the servers
    measured should hold their connections (persistent or pooled)."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def sample(self) -> None:
        for pid in pg_backends(self.dsn):
            cpu = _proc_cpu(pid, False)
            self.start.setdefault(pid, 0.0 if self.last else cpu)
            self.last[pid] = cpu

    def begin(self) -> None:
        self.start, self.last = {}, {}
        self.sample()
        self.start = dict(self.last)

    def seconds(self, exclude: set[int] = frozenset()) -> float:
        self.sample()
        return sum(self.last[p] - self.start.get(p, 0.0) for p in self.last if p not in exclude)


def pct(sorted_vals: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, math.ceil(q / 100 * len(sorted_vals)) - 1))
    return sorted_vals[k]


async def run(args, scenario) -> dict:
    timeout = aiohttp.ClientTimeout(total=args.timeout)
    # limit = concurrency: one connection per in-flight request, as C separate clients
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=args.force_close)
    jar = aiohttp.CookieJar(unsafe=True)  # keep cookies set by 127.0.0.1
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=jar
    ) as session:
        http = Http(session, args.base_url)
        state = await scenario.setup(http)
        base = http.base_url

        lat_ok: list[float] = []
        statuses: Counter = Counter()
        errors: Counter = Counter()
        sample_errors: list[str] = []
        counter = iter(range(10**12))

        async def one(i: int, record: bool):
            req = scenario.build(i, state)
            t0 = time.perf_counter()
            try:
                async with session.request(
                    req.method,
                    base + req.path,
                    params=req.params,
                    data=req.data,
                    json=req.json,
                    headers=req.headers,
                    allow_redirects=req.allow_redirects,
                ) as r:
                    body = await r.read()
                    dt = time.perf_counter() - t0
                    status = r.status
            except Exception as e:  # timeouts, resets: counted, not fatal
                if record:
                    errors[type(e).__name__] += 1
                    if len(sample_errors) < 5:
                        sample_errors.append(f"{type(e).__name__}: {e}")
                return
            if not record:
                return
            statuses[status] += 1
            if status in req.expect:
                lat_ok.append(dt)
            else:
                errors[f"http_{status}"] += 1
                if len(sample_errors) < 5:
                    sample_errors.append(f"HTTP {status}: {body[:300]!r}")

        async def worker(limit: int, deadline: float, record: bool):
            while True:
                i = next(counter)
                if i >= limit or time.perf_counter() >= deadline:
                    return
                await one(i, record)

        # warm-up (not recorded): same concurrency, own small budget
        if args.warmup:
            wd = time.perf_counter() + min(args.time_cap, 60)
            await asyncio.gather(*(worker(args.warmup, wd, False) for _ in range(args.concurrency)))
        counter = iter(range(args.warmup, 10**12))
        limit = args.warmup + args.requests

        cpu0 = {name: tree_cpu(pid) for name, pid in args.cpu_pids.items()}
        pg = {name: PgCpu(dsn) for name, dsn in args.cpu_pgs.items()}
        for meter in pg.values():
            meter.begin()
        stop_sampling = asyncio.Event()

        async def sample_pg():
            # Backends opened during the run are caught by these samples.
            while not stop_sampling.is_set():
                for meter in pg.values():
                    await asyncio.to_thread(meter.sample)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop_sampling.wait(), 0.5)

        sampler = asyncio.create_task(sample_pg()) if pg else None
        self0 = time.process_time()
        t_start = time.perf_counter()
        deadline = t_start + args.time_cap
        await asyncio.gather(*(worker(limit, deadline, True) for _ in range(args.concurrency)))
        wall = time.perf_counter() - t_start
        cpu = {name: round(tree_cpu(pid) - cpu0[name], 3) for name, pid in args.cpu_pids.items()}
        stop_sampling.set()
        if sampler is not None:
            await sampler
        cpu.update({name: round(meter.seconds(), 3) for name, meter in pg.items()})
        cpu["loadgen"] = round(time.process_time() - self0, 3)

    lat = sorted(x * 1000 for x in lat_ok)
    done = len(lat) + sum(errors.values())
    return {
        "scenario": args.scenario,
        "description": getattr(scenario, "description", ""),
        "adapter": args.adapter,
        "base_url": args.base_url,
        "concurrency": args.concurrency,
        "requests_planned": args.requests,
        "requests_done": done,
        "ok": len(lat),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "error_samples": sample_errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "time_capped": done < args.requests,
        "wall_s": round(wall, 3),
        "throughput_rps": round(len(lat) / wall, 2) if wall > 0 else None,
        "latency_ms": {
            "mean": round(sum(lat) / len(lat), 2) if lat else None,
            "p50": round(pct(lat, 50), 2) if lat else None,
            "p90": round(pct(lat, 90), 2) if lat else None,
            "p95": round(pct(lat, 95), 2) if lat else None,
            "p99": round(pct(lat, 99), 2) if lat else None,
            "max": round(lat[-1], 2) if lat else None,
        },
        "cpu_s": cpu,
        "cpu_ms_per_ok": {
            k: (round(v * 1000 / len(lat), 3) if lat else None) for k, v in cpu.items()
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "label": args.label,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--adapter", required=True, help="adapter .py file or module")
    ap.add_argument("--scenario", help="scenario name (see --list)")
    ap.add_argument(
        "--opt", action="append", default=[], metavar="KEY=VALUE", help="adapter option"
    )
    ap.add_argument("--requests", type=int, default=2000, help="measured requests (fixed count)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=0, help="unrecorded requests first")
    ap.add_argument(
        "--time-cap", type=float, default=120.0, help="seconds; no new request after this"
    )
    ap.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    ap.add_argument("--force-close", action="store_true", help="no keep-alive on the client side")
    ap.add_argument("--out", help="also write the JSON result here")
    ap.add_argument("--label", default="")
    ap.add_argument(
        "--cpu-pid",
        action="append",
        default=[],
        metavar="NAME=PID",
        help="server process tree whose CPU to report (/proc), e.g. app=<gunicorn master pid>",
    )
    ap.add_argument(
        "--cpu-pg",
        action="append",
        default=[],
        metavar="NAME=DSN",
        help="report the CPU of the PostgreSQL backends connected to this database",
    )
    ap.add_argument("--list", action="store_true", help="list the adapter's scenarios")
    args = ap.parse_args(argv)

    if (
        args.requests < 1
        or args.requests > 1_000_000
        or args.concurrency < 1
        or args.concurrency > 1024
    ):
        ap.error("--requests must be 1..1e6 and --concurrency 1..1024")
    if not (0 < args.time_cap <= 3600):
        ap.error("--time-cap must be in (0, 3600] seconds")
    assert_loopback(args.base_url)
    args.cpu_pids = {k: int(v) for k, v in (x.split("=", 1) for x in args.cpu_pid)}
    args.cpu_pgs = dict(x.split("=", 1) for x in args.cpu_pg)

    opts = dict(kv.split("=", 1) for kv in args.opt)
    adapter = load_adapter(args.adapter)
    scenarios = adapter.get_scenarios(opts)
    if args.list or not args.scenario:
        for name, sc in scenarios.items():
            print(f"{name:18s} {getattr(sc, 'description', '')}")
        return 0
    if args.scenario not in scenarios:
        ap.error(f"unknown scenario {args.scenario!r}; have {sorted(scenarios)}")

    res = asyncio.run(run(args, scenarios[args.scenario]))
    text = json.dumps(res, indent=2)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n")
    print(text)
    lat = res["latency_ms"]
    print(
        f"[{res['scenario']}] ok={res['ok']} err={res['errors']} c={res['concurrency']} "
        f"{res['throughput_rps']} req/s  p50={lat['p50']} p95={lat['p95']} p99={lat['p99']} ms"
        f"  cpu ms/req {res['cpu_ms_per_ok']}"
        f"{'  (TIME-CAPPED)' if res['time_capped'] else ''}",
        file=sys.stderr,
    )
    return 0 if res["ok"] > 0 else 1


if __name__ == "__main__":
    # adapters do `from loadgen import Req`; make that this very module
    sys.modules.setdefault("loadgen", sys.modules["__main__"])
    sys.exit(main())
