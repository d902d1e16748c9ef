"""`make bench`: the production stack under load, each page as a share of the framework's floor.

Starts PostgreSQL's benchmark database (or SQLite), Redis and gunicorn with production settings
on free loopback ports, generates learners with 0, 2,000 and 10,000 answers, drives every page
with wrk at 16 and 64 connections, and writes bench/results.json. The floor is the anonymous
landing page (a template render, no queries), measured in the same run, so ratios compare
across machines. See bench/README.md for the targets.
"""

import json
import os
import re
import statistics
import sys
import urllib.request
from dataclasses import replace
from pathlib import Path

from . import load, stack, targets
from .prepare import fresh_board_ms, make_learners, prepare

SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))  # per run; a page runs ROUNDS times, each followed by a run of the floor
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP_SECONDS = 3
CONCURRENCY = tuple(int(c) for c in os.environ.get("BENCH_CONNECTIONS", "16,64").split(","))
# BENCH_ONLY="lesson|search": a quick look at the pages whose names match (and the floor); results.json is left as it is.
ONLY = re.compile(os.environ["BENCH_ONLY"]) if os.environ.get("BENCH_ONLY") else None

RESULTS = Path(__file__).resolve().parent / "results.json"


def main() -> None:
    load.wrk_binary()
    with stack.var_dir() as var_dir, stack.database(var_dir) as (database_url, database), stack.redis(var_dir) as redis_url:
        env = stack.production_env(var_dir, database_url, redis_url)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "studyapp.settings"
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        print(f"database: {database}\nredis: {redis_url}\nserver: gunicorn, {stack.GUNICORN_WORKERS} workers, production settings\n"
              f"load: wrk runs of {SECONDS} s, {ROUNDS} per page, alternating with runs of the floor")
        report = {"database": database, "seconds_per_run": SECONDS, "rounds": ROUNDS, "gunicorn_workers": stack.GUNICORN_WORKERS, "timings": prepare(), "pages": []}
        learners, report["timings"]["mock_assembly_ms"] = make_learners()
        report["timings"]["dashboard_fresh_ms"] = fresh_board_ms(learners)
        with stack.gunicorn(env, var_dir / "gunicorn.log") as base_url:
            # Unmeasured: the workers' first seconds (imports, connections) would otherwise land in the floor's p99.
            load.run(base_url, targets.FLOOR_TARGET, CONCURRENCY[0], WARM_UP_SECONDS)
            for connections in CONCURRENCY:
                floor_before = None
                for name, answers, target in targets.plan(learners, connections, ROUNDS):
                    if ONLY and name != targets.FLOOR and not ONLY.search(name):
                        continue
                    warm(base_url, target)
                    row = {"page": name, "answers": answers, "connections": connections}
                    if name == targets.FLOOR:
                        result = floor_before = load.run(base_url, target, connections, SECONDS * ROUNDS)
                    else:
                        result, floor_beside, floor_before = alternating(base_url, target, connections, floor_before)
                        row["floor_beside"] = vars(floor_beside)
                    report["pages"].append({**row, **vars(result)})
                    print(f"  {connections:3d} conn  {name:34s} {answers if answers is not None else '':>6} {result.rps:8.0f} req/s  p99 {result.p99_ms:7.1f} ms"
                          + (f"   floor beside it {row['floor_beside']['rps']:6.0f} req/s" if "floor_beside" in row else ""), flush=True)
        if ONLY:
            targets.add_ratios(report)
            print(targets.table(report))
            return
        from . import labs_bench

        report["lab"] = labs_bench.measure()
        print(f"lab: {report['lab']}", flush=True)
    targets.add_ratios(report)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(targets.table(report))
    print(f"written to {RESULTS}")
    sys.exit(0 if report["all_within_limits"] else 1)


def alternating(base_url: str, target: load.Target, connections: int, floor_before: load.Result):
    """The page and the floor in turns (floor, page, floor, page, ...): the machine's speed drifts and jumps within a
    run, so a page is compared with the floor measured in the same seconds, not minutes away. Returns the page's runs
    combined, the floor runs around them combined, and the last floor run (the next page's first)."""
    pages, floors = [], [floor_before]
    for number in range(ROUNDS):
        pages.append(load.run(base_url, target.for_round(number), connections, SECONDS))
        floors.append(load.run(base_url, targets.FLOOR_TARGET, connections, SECONDS))
    # The floor's usual p99 (the middle run's), against the page's worst: a stall during a floor run must not excuse the page's.
    floor_beside = replace(load.combined(floors), p99_ms=statistics.median(run.p99_ms for run in floors))
    return load.combined(pages), floor_beside, floors[-1]


def warm(base_url: str, target: load.Target) -> None:
    """A few requests first (each worker imports and connects; the previous run's backlog drains); a GET must answer 200."""
    if not target.plain_get:
        return
    for _ in range(stack.GUNICORN_WORKERS * 2):
        request = urllib.request.Request(base_url + target.path, headers={"Cookie": target.cookie} if target.cookie else {})
        with urllib.request.urlopen(request, timeout=300) as response:
            if response.status != 200:
                raise SystemExit(f"{target.path} answered {response.status}")


if __name__ == "__main__":
    main()
