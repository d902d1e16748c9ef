"""What the benchmark measures, the limits each figure must meet, and the printed table."""

from . import load

FLOOR = "landing page (floor)"
FLOOR_TARGET = load.Target(FLOOR, "/")
# What a signed-in page costs before its own work (bench/urls.py): measured beside the floor, no limit.
REFERENCES = {"signed in: empty response": "/bench/signed-in-empty/", "signed in: base layout only": "/bench/signed-in-layout/"}
# Throughput as a share of the floor's, 16 connections (issue 18).
MIN_RATIO = {
    "lesson (longest)": 0.5, "module list": 0.5, "practice question": 0.5, "answer (POST)": 0.5,
    "flashcard reveal + rating (GET, POST)": 0.5, "mock exam question": 0.5, "lab status fragment": 0.5, "search": 0.3,
}
DASHBOARD_MIN_RATIO = {0: 0.25, 2_000: 0.25, 10_000: 0.15}
MAX_P99_FACTOR = 4
MAX_SYNC_FIRST_S, MAX_SYNC_UNCHANGED_S = 3.0, 1.0
MAX_LAB_RATIO = 1.5


def plan(learners: dict, connections: int, rounds: int = 1):
    """(page, answers, wrk target) in the order they run; answering attempts are made fresh for each concurrency, and
    each of a page's `rounds` runs answers its own share of them."""
    from django.db.models.functions import Length

    from studyapp.models import Lesson

    from . import data

    lesson = Lesson.objects.filter(retired=False).order_by(Length("html").desc()).first()
    yield FLOOR, None, FLOOR_TARGET
    yield "static file", None, load.Target("static file", "/static/vendor/htmx-2.0.11.min.js")
    reader = learners[2_000]
    for name, path in (*REFERENCES.items(), ("module list", "/lessons/"), ("lesson (longest)", lesson.get_absolute_url()), ("search", "/lessons/search/?q=partition"),
                       ("workbench", "/sql/"), ("lab status fragment", reader.run_status_url)):
        yield name, None, load.Target(name, path, cookie=reader.cookie)
    for answers, learner in learners.items():
        yield "practice question", answers, load.Target("practice question", learner.practice_url, cookie=learner.cookie)
        chains = data.answering_attempts(learner.user, load.WRK_THREADS)
        tokens = data.answer_tokens([attempt for chain in chains for attempt in chain])
        chain = ", ".join(f"{{{attempt}, {{{', '.join(map(load.lua_value, tokens[attempt]))}}}}}" for one in chains for attempt in one)
        per_round = len(chains[0]) // rounds
        round_lua = tuple(load.per_thread([{"first": 1 + i * len(chains[0]) + number * per_round} for i in range(len(chains))])
                          + load.ANSWER % {"chain": chain, "size": data.POST_ATTEMPT_SIZE} for number in range(rounds))
        yield "answer (POST)", answers, load.Target("answer (POST)", "/practice/", cookie=learner.cookie, csrf=learner.csrf, round_lua=round_lua)
        threads = [{"cookie": cookie, "card": ref} for cookie, ref in zip(data.extra_sessions(learner, connections),
                                                                         data.rating_cards(learner.user, connections), strict=True)]
        yield "flashcard reveal + rating (GET, POST)", answers, load.Target(
            "flashcard reveal + rating (GET, POST)", "/flashcards/review", thread_per_connection=True,
            lua=load.per_thread(threads) + load.REVEAL_AND_RATE % {"csrf": learner.csrf})
        yield "mock exam question", answers, load.Target("mock exam question", learner.mock_url, cookie=learner.cookie)
        yield "dashboard", answers, load.Target("dashboard", "/progress/", cookie=learner.cookie)
    # The floor again, last: a machine that slows down or speeds up during the run shows as two different floors. Each
    # page's ratio is to the floor runs alternating with its own (bench/__main__.py, alternating()).
    yield FLOOR, None, FLOOR_TARGET


def add_ratios(report: dict) -> None:
    """Each page's ratio to the floor measured beside it, and whether every figure is within its limit. The floor's own
    first and last runs are shown against the faster of the two."""
    floors = {}
    for row in report["pages"]:
        if row["page"] == FLOOR and row["rps"] > floors.get(row["connections"], {"rps": -1})["rps"]:
            floors[row["connections"]] = row
    failures = []
    for row in report["pages"]:
        floor = row.get("floor_beside") or floors[row["connections"]]
        row["ratio"] = round(row["rps"] / floor["rps"], 3)
        row["p99_vs_floor"] = round(row["p99_ms"] / floor["p99_ms"], 2) if floor["p99_ms"] else None
        limit = DASHBOARD_MIN_RATIO.get(row["answers"]) if row["page"] == "dashboard" else MIN_RATIO.get(row["page"])
        row["min_ratio"] = limit if row["connections"] == 16 else None
        problems = []
        if row["min_ratio"] is not None and row["ratio"] < row["min_ratio"]:
            problems.append(f"ratio {row['ratio']} < {row['min_ratio']}")
        if row["p99_vs_floor"] is not None and row["p99_vs_floor"] > MAX_P99_FACTOR and row["page"] not in REFERENCES:
            problems.append(f"p99 {row['p99_vs_floor']}x the floor's")
        if row["errors"]:
            problems.append(f"{row['errors']} errors")
        if row.get("floor_beside", {}).get("errors"):
            problems.append(f"{row['floor_beside']['errors']} errors on the floor runs beside it")
        row["ok"] = not problems
        failures += [f"{row['page']} ({row['answers']} answers, {row['connections']} conn): {p}" for p in problems]
    timings = report["timings"]
    if timings["sync_content_first_s"] > MAX_SYNC_FIRST_S:
        failures.append(f"first sync_content {timings['sync_content_first_s']} s > {MAX_SYNC_FIRST_S} s")
    if timings["sync_content_unchanged_s"] > MAX_SYNC_UNCHANGED_S:
        failures.append(f"unchanged sync_content {timings['sync_content_unchanged_s']} s > {MAX_SYNC_UNCHANGED_S} s")
    lab = report.get("lab") or {}
    if lab.get("ratio") is not None and lab["ratio"] > MAX_LAB_RATIO:
        failures.append(f"lab launch+verify+teardown {lab['ratio']}x the bare boto3 script > {MAX_LAB_RATIO}")
    report["failures"] = failures
    report["all_within_limits"] = not failures


def table(report: dict) -> str:
    lines = [f"database: {report['database']}",
             "| conn | page | answers | req/s | floor beside | ratio | min | p50 ms | p95 ms | p99 ms | p99/floor | errors | ok |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in report["pages"]:
        floor_beside = f"{row['floor_beside']['rps']:.0f}" if "floor_beside" in row else ""
        lines.append(f"| {row['connections']} | {row['page']} | {_answers(row)} | {row['rps']:.0f} | {floor_beside} | "
                     f"{row['ratio']:.2f} | {row['min_ratio'] or ''} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
                     f"{row['p99_vs_floor']} | {row['errors']} | {'yes' if row['ok'] else 'NO'} |")
    timings = report["timings"]
    lines.append("")
    lines.append(f"sync_content: first {timings['sync_content_first_s']:.2f} s (max {MAX_SYNC_FIRST_S}), "
                 f"unchanged {timings['sync_content_unchanged_s']:.2f} s (max {MAX_SYNC_UNCHANGED_S})")
    lines.append(f"mock exam assembly: {timings.get('mock_assembly_ms')} ms (median of 10)")
    if timings.get("dashboard_fresh_ms"):
        lines.append(f"dashboard board made afresh (first view after studying): {timings['dashboard_fresh_ms']} ms by answers (median of 10)")
    lab = report.get("lab") or {}
    if lab:
        lines.append(f"sandbox lab launch+verify+teardown: app {lab.get('app_s')} s, bare boto3 {lab.get('bare_s')} s, ratio {lab.get('ratio')} "
                     f"(max {MAX_LAB_RATIO}){' - ' + lab['note'] if lab.get('note') else ''}")
    lines.append("")
    lines.append("all within limits" if report["all_within_limits"] else "NOT within limits:\n  " + "\n  ".join(report["failures"]))
    return "\n".join(lines)


def _answers(row: dict) -> str:
    return "" if row["answers"] is None else f"{row['answers']:,}"
