"""Where a request's time goes: N requests of one scenario through the whole
stack in-process (django.test.Client, production settings, the bench
database), under cProfile, with the SQL statements of the last one.

    BENCH_DATABASE_URL=postgres://... python bench/profile_request.py create -n 200
    python bench/profile_request.py inbox --sort tottime --top 40

Scenarios: hello, create, create_form, inbox, track, transparency_cold
(the same as bench/adapters/feedback.py), and route: what the workers do
for one ticket (route_ticket, then the deliver_event tasks it owes). CPU time is process time, so a
busy machine changes it less than wall time; the figures quoted in
docs/performance.md say which they are.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    bench.django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opts = bench.prepare()
    calls, before = bench.scenario_calls(opts)
    call, prepare = calls[args.scenario], before.get(args.scenario, lambda: None)
    prepare()
    call(0)  # warm: imports, templates, the first connection
    # CPU time, not wall time: other processes on the machine do not count.
    profile = cProfile.Profile(time.process_time)
    cpu = 0.0
    for n in range(1, args.n):
        prepare()
        cpu0 = time.process_time()
        profile.enable()
        response = call(n)
        profile.disable()
        cpu += time.process_time() - cpu0
        if response.status_code != bench.EXPECT.get(args.scenario, 200):
            sys.exit(f"{args.scenario} -> {response.status_code}: {response.content[:300]!r}")
    cpu = cpu * 1000 / (args.n - 1)
    prepare()
    with CaptureQueriesContext(connection) as ctx:
        call(args.n)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    print(f"{args.scenario}: {cpu:.2f} ms of CPU per request in this process (profiler on)")
    print(f"{len(ctx.captured_queries)} SQL statements:")
    for q in ctx.captured_queries:
        print(f"  {q['time']}s  {q['sql'][:300]}")


if __name__ == "__main__":
    main()
