"""`python -m bench.profile [path ...]`: queries, SQL time and CPU time of each page, in one process.

The same data as `make bench` (production settings, PostgreSQL when reachable), requests through
Django's test client: what a page costs, without the noise of a loaded machine's wall clock.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from . import stack

ROUNDS = 20


def main(paths: list[str]) -> None:
    with stack.var_dir() as var_dir, stack.database(var_dir) as (database_url, database), stack.redis(var_dir) as redis_url:
        env = stack.production_env(var_dir, database_url, redis_url)
        os.environ.update(env, ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="studyapp.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from .prepare import make_learners, prepare
        from .targets import plan

        print(f"database: {database}")
        prepare()
        learners, _ = make_learners()
        for name, answers, target in plan(learners, 16):
            if not target.plain_get or (paths and target.path not in paths and name not in paths):
                continue
            client = Client()
            if target.cookie:
                for part in target.cookie.split("; "):
                    key, _, value = part.partition("=")
                    client.cookies[key] = value
            client.get(target.path)
            cpu, wall = [], []
            for _ in range(ROUNDS):
                with CaptureQueriesContext(connection) as queries:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    response = client.get(target.path)
                    wall.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                assert response.status_code == 200, (target.path, response.status_code)
            sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
            print(f"{name:24s} {answers if answers is not None else '':>6} {len(queries):3d} queries {sql_ms:7.1f} ms SQL "
                  f"{statistics.median(cpu) * 1000:7.1f} ms CPU {statistics.median(wall) * 1000:7.1f} ms wall", flush=True)
            if os.environ.get("CPROFILE") and name in os.environ["CPROFILE"]:
                show_profile(client, target.path)
            if os.environ.get("SHOW_SQL") and name in os.environ["SHOW_SQL"]:
                for query in queries.captured_queries:
                    print(f"   {float(query['time']) * 1000:6.1f} {query['sql'][:300]}")


def show_profile(client, path: str) -> None:
    """The functions that take the page's CPU (cProfile over ROUNDS requests), by own time then cumulative."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(ROUNDS):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main(sys.argv[1:])
