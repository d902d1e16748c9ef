"""Schema, content, static files and the generated learners of a benchmark database (after django.setup())."""

import random
import statistics
import time

HISTORIES = (0, 2_000, 10_000)


def prepare() -> dict:
    """Schema, content (timed: first and unchanged sync), static files, and the mock exam assembly."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    timings = {}
    for label in ("sync_content_first_s", "sync_content_unchanged_s"):
        started = time.perf_counter()
        call_command("sync_content", verbosity=0)
        timings[label] = round(time.perf_counter() - started, 3)
        print(f"{label}: {timings[label]:.2f} s", flush=True)
    return timings


def make_learners() -> dict:
    from django.contrib.auth.models import User

    from quizzes import exam

    from . import data

    rng = random.Random(18)
    learners = {answers: data.learner(answers, rng) for answers in HISTORIES}
    user = User.objects.create_user("bench-mock", "mock@example.org", "unused-password-1")
    samples = []
    for seed in range(10):
        started = time.perf_counter()
        exam.start_mock(user, seed=seed)
        samples.append(time.perf_counter() - started)
    assembly_ms = round(statistics.median(samples) * 1000, 1)
    print(f"mock exam assembly: {assembly_ms} ms (median of 10)", flush=True)
    _analyze()
    return learners, assembly_ms


def fresh_board_ms(learners: dict) -> dict:
    """What a dashboard costs when its kept board was just dropped (the first view after studying): dashboard.gather,
    median of 10, per history size. The wrk rows measure the page as learners reload it, from the kept board."""
    from studyapp import dashboard

    figures = {}
    for answers, learner in learners.items():
        samples = []
        for _ in range(10):
            started = time.perf_counter()
            dashboard.gather(learner.user)
            samples.append(time.perf_counter() - started)
        figures[str(answers)] = round(statistics.median(samples) * 1000, 1)
    print(f"dashboard board made afresh: {figures} ms by answers (median of 10)", flush=True)
    return figures


def _analyze() -> None:
    """Table statistics for the planner, as PostgreSQL's autovacuum keeps them on a server that has been running:
    without them the freshly generated histories are planned as a few dozen rows (nested loops over 10,000)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


