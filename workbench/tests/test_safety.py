"""Learners' SQL runs on the server: every way out is closed, and the server stays up."""

import pytest

from workbench import database, runner

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_as(workbench, alice_client):
    def run(sql: str) -> str:
        response = alice_client.post("/sql/run", {"sql": sql}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.content.decode()
    return run


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
    ("SELECT * FROM read_text('/etc/passwd')", "file system operations are disabled"),
    ("SELECT * FROM glob('/etc/*')", "file system operations are disabled"),
    ("ATTACH '/tmp/other.duckdb' AS other", "file system operations are disabled"),
    ("COPY customers TO '/tmp/stolen.csv'", "file system operations are disabled"),
    ("INSTALL httpfs", "file system operations are disabled"),
    ("LOAD httpfs", "Loading external extensions is disabled"),
    ("SET enable_external_access = true", "the configuration has been locked"),
    ("SET memory_limit = '64GB'", "the configuration has been locked"),
])
def test_escapes_are_refused_with_a_clear_message(run_as, sql, expected):
    html = run_as(sql)
    assert 'class="sql-error"' in html and expected in html


@pytest.mark.parametrize("sql", [
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    "SELECT count(*) FROM range(1000000) AS a, range(1000000) AS b WHERE a.range + b.range = 7",
])
def test_a_query_that_never_ends_is_stopped(run_as, settings, sql):
    settings.WORKBENCH_TIME_LIMIT_SECONDS = 1
    html = run_as(sql)
    assert "Stopped: the query ran longer than the 1-second limit." in html
    assert "1 row" in run_as("SELECT 1")  # and the server still answers


def test_a_billion_rows_are_cut_at_the_row_limit(run_as, settings):
    settings.WORKBENCH_ROW_LIMIT = 50
    html = run_as("SELECT * FROM range(1000000000)")
    assert "50 rows" in html and "Showing the first 50 rows; the query returned more." in html


def test_errors_show_the_engines_message_with_its_position(run_as):
    html = run_as("SELECT customerid FROM customers WHERE")
    assert "Parser Error" in html and "LINE 1:" in html


def test_oversized_sql_is_refused(run_as):
    assert "run it in smaller parts" in run_as("SELECT 1;" * 3000)


def test_a_database_that_grows_too_big_is_reset(run_as, alice, monkeypatch):
    monkeypatch.setattr(database, "MAX_DATABASE_BYTES", 1)
    html = run_as("CREATE TABLE mine AS SELECT 1 AS a")
    assert "was reset" in html
    assert not database.learner_path(alice.id).exists()


def test_the_runner_returns_the_last_statements_rows(workbench):
    path = database.learner_database(12345)
    result = runner.run(path, "CREATE TABLE t AS SELECT 1 AS a; INSERT INTO t VALUES (2); SELECT a FROM t ORDER BY a")
    assert result.statements == 3 and result.columns == ["a"] and result.rows == [[1], [2]]


def test_a_query_that_needs_gigabytes_is_refused(run_as):
    html = run_as("SELECT repeat('x', 1000000000) AS huge")
    assert 'class="sql-error"' in html and "Out of Memory Error" in html
    assert "1 row" in run_as("SELECT 1")


def test_a_child_that_ignores_the_interrupt_is_killed(run_as, settings, monkeypatch):
    monkeypatch.setattr(runner, "KILL_GRACE_SECONDS", 0)
    settings.WORKBENCH_TIME_LIMIT_SECONDS = 0.05  # shorter than the child's start-up: the parent's hard stop fires
    assert "Stopped: the query ran longer than the 0.05-second limit." in run_as("SELECT 1")


def test_writes_past_the_file_size_limit_fail_cleanly(run_as, alice, monkeypatch):
    run_as("SELECT 1")  # the learner's copy exists
    monkeypatch.setattr(runner, "FILE_SIZE_BYTES", database.learner_path(alice.id).stat().st_size + 1024 * 1024)
    html = run_as("CREATE TABLE big AS SELECT md5(range::VARCHAR) AS s FROM range(500000); CHECKPOINT")
    assert 'class="sql-error"' in html and "File too large" in html and "learners" not in html
    assert "<td>300</td>" in run_as("SELECT count(*) FROM customers")  # the failed transaction left the data as it was
