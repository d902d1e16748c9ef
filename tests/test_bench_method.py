"""How `make bench` turns wrk runs into figures: each page against the floor measured beside it (bench/README.md)."""

import bench.__main__ as bench_main
from bench import load, targets


def _result(rps: float, p99_ms: float = 10.0, errors: int = 0, seconds: float = 2.0) -> load.Result:
    return load.Result(rps=rps, p50_ms=p99_ms / 2, p95_ms=p99_ms * 0.8, p99_ms=p99_ms, errors=errors,
                       requests=round(rps * seconds), seconds=seconds)


def test_runs_combine_into_throughput_over_their_whole_time_and_the_worst_p99():
    both = load.combined([_result(100, p99_ms=20, seconds=1), _result(400, p99_ms=50, errors=2, seconds=3)])
    assert both.rps == 1300 / 4 and both.requests == 1300 and both.seconds == 4
    assert both.p99_ms == 50 and both.errors == 2


def test_a_page_alternates_with_the_floor_and_is_held_against_those_floor_runs(monkeypatch):
    ran = []
    page_rps, floor_runs = iter([500, 600, 700]), iter([(2000, 40), (2200, 12)])
    floor_before = _result(1800, p99_ms=11)

    def fake_run(base_url, target, connections, seconds):
        ran.append(target.name)
        if target.name == targets.FLOOR:
            rps, p99 = next(floor_runs, (2400, 13))
            return _result(rps, p99_ms=p99)
        return _result(next(page_rps), p99_ms=30)

    monkeypatch.setattr(load, "run", fake_run)
    monkeypatch.setattr(bench_main, "ROUNDS", 3)
    page, beside, last_floor = bench_main.alternating("http://x", load.Target("module list", "/lessons/"), 16, floor_before)
    assert ran == ["module list", targets.FLOOR] * 3
    assert page.rps == 600
    assert beside.rps == (1800 + 2000 + 2200 + 2400) / 4
    assert beside.p99_ms == (12 + 13) / 2  # the floor runs' middle p99, not the 40 ms stall
    assert last_floor.rps == 2400


def test_ratios_use_the_floor_beside_each_page_and_its_errors_count():
    report = {"timings": {"sync_content_first_s": 1, "sync_content_unchanged_s": 0.1}, "pages": [
        {"page": targets.FLOOR, "answers": None, "connections": 16, **vars(_result(3000))},
        {"page": "module list", "answers": None, "connections": 16, **vars(_result(1100, p99_ms=30)),
         "floor_beside": vars(_result(2000, p99_ms=10))},
        {"page": "lesson (longest)", "answers": None, "connections": 16, **vars(_result(1100)),
         "floor_beside": vars(_result(2000, errors=3))},
    ]}
    targets.add_ratios(report)
    floor, module_list, lesson = report["pages"]
    assert module_list["ratio"] == 0.55 and module_list["p99_vs_floor"] == 3.0 and module_list["ok"]
    assert not lesson["ok"]
    assert report["failures"] == ["lesson (longest) (None answers, 16 conn): 3 errors on the floor runs beside it"]


def test_each_round_of_a_scripted_target_has_its_own_script():
    answering = load.Target("answer (POST)", "/practice/", round_lua=("first = 1", "first = 51", "first = 101"))
    assert [answering.for_round(n).lua for n in range(3)] == ["first = 1", "first = 51", "first = 101"]
    assert not answering.plain_get and not answering.for_round(1).plain_get
    assert load.Target("lesson", "/lessons/x/").plain_get
