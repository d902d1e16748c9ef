"""The workbench is bounded (issue 20, item 3 and 8): result bytes, one query per learner, a host-wide cap, no paths."""

import pytest
from django.test import Client

from workbench import slots
from workbench.models import Exercise

pytestmark = pytest.mark.django_db

HUGE = "SELECT repeat('x', 10000) AS filler FROM range(20000)"


@pytest.fixture
def run_as(workbench, alice_client):
    def run(sql: str) -> str:
        response = alice_client.post("/sql/run", {"sql": sql}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.content.decode()
    return run


def test_a_huge_result_is_cut_by_size(run_as, settings):
    settings.WORKBENCH_RESULT_BYTES = 200_000
    html = run_as(HUGE)
    assert len(html) < 1_000_000 and "the result is larger than the workbench shows" in html


def test_an_exercise_check_of_a_huge_result_is_bounded(alice_client, loaded_exercises):
    exercise = Exercise.objects.filter(retired=False).first()
    response = alice_client.post(f"/sql/exercises/{exercise.slug}/check", {"sql": HUGE}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and len(response.content) < 5_000_000  # was 200 MB
    assert "far larger than the answer" in response.content.decode()


def test_one_running_query_per_learner(run_as, alice):
    with slots.claim(alice.id):  # as if another tab's query were still running
        assert "You already have a query running" in run_as("SELECT 1")
    assert "1 row" in run_as("SELECT 1")


def test_exercise_checks_count_as_the_learners_query(alice_client, alice, loaded_exercises):
    exercise = Exercise.objects.filter(retired=False).first()
    with slots.claim(alice.id):
        response = alice_client.post(f"/sql/exercises/{exercise.slug}/check", {"sql": "SELECT 1"}, headers={"HX-Request": "true"})
    assert "You already have a query running" in response.content.decode()


def test_a_host_wide_cap_on_running_queries(run_as, bob, settings):
    settings.WORKBENCH_MAX_RUNNING = 1
    with slots.claim(bob.id):
        assert "busy with other learners" in run_as("SELECT 1")
    assert "1 row" in run_as("SELECT 1")


def test_timestamptz_values_are_shown(run_as):
    html = run_as("SELECT now() AS at, TIMESTAMPTZ '2026-03-01 10:00:00+00' AS fixed")
    assert "2026-03-01T10:00:00+00:00" in html and "sql-error" not in html


@pytest.mark.parametrize("sql", ["PRAGMA database_list", "SELECT * FROM duckdb_settings()", "SELECT * FROM duckdb_databases()",
                                 "SELECT current_setting('temp_directory') AS t", "SELECT current_database() AS d"])
def test_server_paths_and_ids_are_not_shown(run_as, workbench, alice, sql):
    html = run_as(sql)
    assert "sql-error" not in html
    assert str(workbench) not in html and "/root" not in html and "learners/" not in html
    assert f"{alice.id}.duckdb" not in html


def test_the_learners_catalog_is_named_alike_for_everyone(run_as, alice, bob, workbench):
    bobs = Client()
    bobs.force_login(bob)
    assert ">learner<" in run_as("SELECT current_database() AS d")
    assert ">learner<" in bobs.post("/sql/run", {"sql": "SELECT current_database() AS d"}, headers={"HX-Request": "true"}).content.decode()
