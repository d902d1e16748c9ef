import duckdb
import pytest
from django.core.cache import caches
from django.utils import timezone

from workbench import database, views
from workbench.models import Exercise, ExerciseCompletion

pytestmark = pytest.mark.django_db


def run(client, sql: str) -> str:
    return client.post("/sql/run", {"sql": sql}, headers={"HX-Request": "true"}).content.decode()


def test_the_workbench_needs_a_login(client):
    assert client.get("/sql/").status_code == 302
    assert client.post("/sql/run", {"sql": "SELECT 1"}).status_code == 302


def test_the_page_shows_the_schema_and_prefills_from_try_it_links(alice_client, workbench):
    html = alice_client.get("/sql/", {"q": "SELECT fullname FROM customers"}).content.decode()
    assert "SELECT fullname FROM customers</textarea>" in html
    for table in ["customers", "employees", "orders", "taxi_trips"]:
        assert f"<code>{table}</code>" in html
    assert "<code>orderdate</code> <span class=\"muted small\">varchar</span>" in html


def test_course_data_is_loaded_with_the_sample_rows(alice_client, workbench):
    html = run(alice_client, "SELECT fullname FROM customers WHERE customerid = 293")
    assert "Catherine Abel" in html and "1 row" in html


def test_a_full_page_post_works_without_javascript(alice_client, workbench):
    html = alice_client.post("/sql/run", {"sql": "SELECT 41 + 1 AS answer"}).content.decode()
    assert "<th scope=\"col\">answer</th>" in html and "<td>42</td>" in html and "<h1>SQL workbench</h1>" in html


def test_each_learner_has_their_own_tables(client, alice, bob, workbench):
    client.force_login(alice)
    run(client, "CREATE TABLE alice_notes AS SELECT 'secret' AS note; DELETE FROM customers")
    assert "alice_notes" in client.get("/sql/").content.decode()
    client.force_login(bob)
    assert "does not exist" in run(client, "SELECT * FROM alice_notes")
    assert "300" in run(client, "SELECT count(*) FROM customers")
    assert "alice_notes" not in client.get("/sql/").content.decode()


def test_reset_restores_the_course_data(alice_client, alice, workbench):
    run(alice_client, "DELETE FROM customers")
    assert "<td>0</td>" in run(alice_client, "SELECT count(*) FROM customers")
    assert alice_client.post("/sql/reset").status_code == 302
    assert "<td>300</td>" in run(alice_client, "SELECT count(*) FROM customers")


def check(client, slug: str, sql: str) -> str:
    return client.post(f"/sql/exercises/{slug}/check", {"sql": sql}, headers={"HX-Request": "true"}).content.decode()


def test_a_right_answer_passes_in_any_order_with_any_column_names(alice_client, alice, loaded_exercises):
    html = check(alice_client, "customers-starting-with-j", "SELECT customerid AS id, fullname AS name FROM customers WHERE fullname LIKE 'J%' ORDER BY name DESC")
    assert "Correct" in html
    assert ExerciseCompletion.objects.filter(user=alice, exercise__slug="customers-starting-with-j").exists()


def test_wrong_answers_say_what_differs(alice_client, alice, loaded_exercises):
    assert "Wrong number of columns: the answer has 2, yours has 1." in check(alice_client, "customers-starting-with-j", "SELECT fullname FROM customers WHERE fullname LIKE 'J%'")
    html = check(alice_client, "customers-starting-with-j", "SELECT customerid, fullname FROM customers WHERE fullname LIKE 'Ja%'")
    assert "expected rows are missing" in html and "Missing, for example" in html
    html = check(alice_client, "customers-starting-with-j", "SELECT customerid, fullname FROM customers WHERE fullname LIKE 'J%' OR customerid = 293")
    assert "should not be there" in html and "Catherine Abel" in html
    assert "did not run" in check(alice_client, "customers-starting-with-j", "SELEC 1")
    assert not ExerciseCompletion.objects.filter(user=alice).exists()


def test_double_counting_is_caught(alice_client, loaded_exercises):
    html = check(alice_client, "total-due-per-employee", "SELECT employeeid, SUM(totaldue) FROM orders GROUP BY employeeid")
    assert "Not yet" in html


def test_order_matters_only_when_the_exercise_says_so(alice_client, loaded_exercises):
    reference = Exercise.objects.get(slug="busiest-customers").reference_sql
    assert "Correct" in check(alice_client, "busiest-customers", reference)
    reversed_sql = f"SELECT * FROM ({reference}) AS top ORDER BY customerid"
    assert "not in the order the exercise asks for" in check(alice_client, "busiest-customers", reversed_sql)


def test_statements_before_the_answer_run_on_a_fresh_copy(alice_client, alice, loaded_exercises):
    run(alice_client, "DELETE FROM customers")  # the learner's own copy is empty...
    sql = "INSERT INTO customers VALUES (999, 'Ada', 'Lovelace', 'Ada Lovelace'); SELECT * FROM customers WHERE customerid = 999"
    assert "Correct" in check(alice_client, "insert-a-customer", sql)  # ...but checking uses fresh data


def test_every_shipped_exercise_accepts_its_own_reference(alice_client, loaded_exercises):
    for exercise in Exercise.objects.all():
        assert "Correct" in check(alice_client, exercise.slug, exercise.reference_sql), exercise.slug
    assert Exercise.objects.count() >= 12


def test_solved_exercises_count_towards_progress(alice_client, alice, loaded_exercises):
    check(alice_client, "customer-names", "SELECT customerid, fullname FROM customers")
    html = alice_client.get("/progress/").content.decode()
    assert "SQL exercises" in html and f"<strong>1</strong> of {Exercise.objects.count()} exercises solved" in html


def test_unknown_exercises_are_404(alice_client, loaded_exercises):
    assert alice_client.get("/sql/exercises/nope/").status_code == 404
    assert alice_client.post("/sql/exercises/nope/check", {"sql": "SELECT 1"}).status_code == 404


def test_a_busy_database_gets_a_clear_message(alice_client, alice, workbench):
    held = duckdb.connect(str(database.learner_database(alice.id)))  # another query of the same learner holds the file
    try:
        html = run(alice_client, "SELECT 1")
    finally:
        held.close()
    assert "Your workbench is busy with another query." in html


def test_a_new_version_of_the_course_data_replaces_the_old_base_database(settings, tmp_path):
    from workbench import database

    settings.VAR_DIR = tmp_path
    stale = database.root() / "base-0123456789abcdef.duckdb"
    stale.write_bytes(b"built from older course data")
    current = database.base_path()
    assert current.exists() and current.name == f"base-{database.data_version()}.duckdb"
    assert not stale.exists()


def test_the_schema_is_read_once_per_state_of_the_learners_database(alice_client, bob, client, workbench, monkeypatch):
    from workbench import runner

    reads = []
    real_run = runner.run

    def counting(path, sql, **kwargs):
        if sql == database.SCHEMA_SQL:
            reads.append(path)
        return real_run(path, sql, **kwargs)

    monkeypatch.setattr(runner, "run", counting)
    alice_client.get("/sql/")
    alice_client.get("/sql/")
    assert len(reads) == 1  # the second page comes from the cache: no DuckDB child process
    kept = caches["shared"].get(views.schema_key(int(alice_client.session["_auth_user_id"])))
    assert kept and "customers" in str(kept)  # in the cache every web worker reads, not one process's own
    run(alice_client, "CREATE TABLE my_notes AS SELECT 1 AS n")
    assert "<code>my_notes</code>" in alice_client.get("/sql/").content.decode()  # the write changed the key
    alice_client.post("/sql/reset")
    assert "<code>my_notes</code>" not in alice_client.get("/sql/").content.decode()
    client.force_login(bob)
    assert "<code>my_notes</code>" not in client.get("/sql/").content.decode()  # never another learner's entry


def test_reference_queries_run_ahead_are_not_run_again_and_failures_are_still_reported(settings, tmp_path, monkeypatch):
    from workbench import exercises, runner

    settings.VAR_DIR = tmp_path
    (tmp_path / "w.yaml").write_text("- id: good\n  reference: SELECT 1\n- id: bad\n  reference: SELEC 1\n- [not a mapping]\n")
    ran = []
    real = runner.run_trusted
    monkeypatch.setattr(runner, "run_trusted", lambda path, sql, **kw: (ran.append(sql), real(path, sql, **kw))[1])
    exercises.keep_references(exercises.reference_results(exercises.unknown_references(tmp_path), {}))  # as sync_content does, here
    assert ran == ["SELECT 1", "SELEC 1"]
    made = [exercises.ExerciseData(id=i, title="t", lesson="x/y", prompt_html="", reference=sql, ordered=False, path="w.yaml", line=n)
            for n, (i, sql) in enumerate([("good", "SELECT 1"), ("bad", "SELEC 1")])]
    errors = []
    exercises.check_references(made, errors)
    assert ran == ["SELECT 1", "SELEC 1", "SELEC 1"]  # the good result was kept; a failure never is, so it runs again
    assert [error.line for error in errors] == [1] and "fails" in errors[0].message


def test_reference_queries_are_checked_and_reported_in_file_order(settings, tmp_path):
    from workbench import exercises

    settings.VAR_DIR = tmp_path
    made = [exercises.ExerciseData(id=f"e{i}", title="t", lesson="x/y", prompt_html="", reference=sql, ordered=False, path="w.yaml", line=i)
            for i, sql in enumerate(["SELECT 1", "SELECT nope FROM nowhere", "SELECT 1 WHERE false", "SELECT 2", "SELEC 3", "SELECT 1 WHERE 1 = 0"])]
    errors = []
    exercises.check_references(made, errors)
    assert [(error.line, error.message.split(" ")[3]) for error in errors] == [(1, "'e1'"), (2, "'e2'"), (4, "'e4'"), (5, "'e5'")]
    assert "fails" in errors[0].message and "returns no rows" in errors[1].message


def test_sync_runs_the_reference_queries_it_has_no_result_for_in_a_process_of_its_own(settings, tmp_path, monkeypatch):
    from studyapp import sources as studyapp_sources
    from workbench import exercises, sources

    settings.VAR_DIR = tmp_path
    settings.WORKBENCH_EXERCISES_DIR = tmp_path / "exercises"
    settings.WORKBENCH_EXERCISES_DIR.mkdir()
    (settings.WORKBENCH_EXERCISES_DIR / "w.yaml").write_text(
        "- id: one\n  reference: SELECT 41 + 1 AS answer\n- id: two\n  reference: SELECT count(*) FROM customers\n")
    monkeypatch.setattr(exercises, "_references", {})
    shipped = []
    monkeypatch.setattr(sources, "in_own_process", lambda work: (shipped.append(work), studyapp_sources.in_own_process(work))[1])
    sources.ExerciseSource().prepare()
    assert [work.args[0] for work in shipped] == [["SELECT 41 + 1 AS answer", "SELECT count(*) FROM customers"]]
    kept = {sql: result for (_, sql), result in exercises._references.items()}
    assert kept["SELECT 41 + 1 AS answer"].rows == [[42]] and kept["SELECT count(*) FROM customers"].rows[0][0] > 0
    assert exercises.unknown_references(settings.WORKBENCH_EXERCISES_DIR) == []
    sources.ExerciseSource().prepare()  # all known now: no process at all
    assert len(shipped) == 1


def test_tables_and_exercises_are_listed_escaped_with_what_the_learner_solved(alice_client, alice, loaded_exercises):
    """The sidebar's tables and the exercise list are built in Python (templatetags/workbench_lists.py)."""
    run(alice_client, """CREATE TABLE "mine<b>" AS SELECT 1 AS "we<i>rd\"""")
    exercise = Exercise.objects.filter(retired=False).order_by("id").first()
    exercise.title = "Joins & <em>friends</em>"
    exercise.save()
    ExerciseCompletion.objects.create(user=alice, exercise=exercise, sql="SELECT 1", completed_at=timezone.now())
    html = alice_client.get("/sql/").content.decode()
    assert '<details><summary><code>mine&lt;b&gt;</code> <span class="badge">yours</span></summary>' in html
    assert '<li><code>we&lt;i&gt;rd</code> <span class="muted small">integer</span></li>' in html
    assert '<details open><summary><code>customers</code></summary>' in html  # the course's own tables start open
    assert (f'<li class="done"><span aria-hidden="true">✓</span> <a href="/sql/exercises/{exercise.slug}/">Joins &amp; &lt;em&gt;friends&lt;/em&gt;</a>'
            '<span class="visually-hidden"> (solved)</span></li>') in html
    unsolved = Exercise.objects.filter(retired=False).exclude(id=exercise.id).order_by("id").first()
    assert f'<li class=""><span aria-hidden="true">○</span> <a href="/sql/exercises/{unsolved.slug}/">' in html
