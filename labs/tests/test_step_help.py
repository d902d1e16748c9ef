"""Step-level help on the run page: a failed check's own hint, a step's solution on request (recorded), the score."""

import shutil

import pytest

from labs.catalog import read_catalog
from labs.models import AwsConnection, CheckResult, Lab, LabEvent, LabRun
from labs.tests.conftest import CATALOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(alice, loaded_labs):
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    return LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-help0001", state=LabRun.READY,
                                 outputs={"BucketName": "dea-help0001-course"}, expires_at="2030-01-01T00:00:00Z")


def result(run, step, check, passed, reason="", needs_real_aws=False):
    CheckResult.objects.create(user=run.user, run=run, step=step, check_id=check, passed=passed, reason=reason, needs_real_aws=needs_real_aws, fidelity="emulated")


def test_a_failed_check_shows_its_own_hint_and_a_passed_one_does_not(alice_client, run):
    result(run, "folders", "raw-folder", False, "bucket dea-help0001-course has no folder rawData/ yet")
    result(run, "folders", "athena-folder", True)
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert "Hint:</strong> Folder names are key prefixes and S3 keys are case-sensitive" in page
    assert "Athena&#x27;s results go there" not in page and "Athena's results go there" not in page


def test_show_me_the_solution_reveals_the_steps_commands_once_and_records_it(alice_client, run):
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert 'class="cli"><code>for folder in' not in page and page.count("Show me the solution") == 2
    response = alice_client.post(f"/labs/runs/{run.id}/solution", {"step": "folders"})
    assert response.status_code == 302 and response["Location"].endswith("#step-folders")
    alice_client.post(f"/labs/runs/{run.id}/solution", {"step": "folders"})
    assert LabEvent.objects.filter(run=run, kind="solution").count() == 1
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert "aws s3api put-object --bucket dea-help0001-course" in page and page.count("Show me the solution") == 1
    assert "1 solution shown" in page


def test_the_solution_form_refuses_unknown_steps_and_other_learners_runs(alice_client, client, bob, run):
    assert alice_client.post(f"/labs/runs/{run.id}/solution", {"step": "nope"}).status_code == 400
    client.force_login(bob)
    assert client.post(f"/labs/runs/{run.id}/solution", {"step": "folders"}).status_code == 404
    assert not LabEvent.objects.filter(run=run, kind="solution").exists()


def test_the_score_counts_checks_hints_and_solutions_and_says_when_the_lab_is_complete(alice_client, run):
    checks = [(s["id"], c["id"]) for s in run.lab.definition["steps"] for c in s["checks"]]
    result(run, *checks[0], False, "not yet")
    for step, check in checks[1:]:
        result(run, step, check, True)
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert "Score: 7 of 8 checks passed · 1 check hint shown · 0 solutions shown" in page and "Lab complete" not in page
    result(run, *checks[0], True)  # the latest result counts
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert "Score: 8 of 8 checks passed" in page and "Lab complete." in page


def test_a_check_hint_must_be_text_and_check_keys_are_known(tmp_path):
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG / "setup", root / "broken")
    lab = root / "broken" / "lab.yaml"
    text = lab.read_text()
    lab.write_text(text.replace("args: {bucket: \"{BucketName}\", prefix: tmpDir/}", "args: {bucket: \"{BucketName}\", prefix: tmpDir/}, hint: \"\"")
                   .replace("args: {bucket: \"{BucketName}\", prefix: processedData/}", "args: {bucket: \"{BucketName}\", prefix: processedData/}, tip: x"))
    errors = [str(e) for data in read_catalog(root) for e in data.errors]
    assert len(errors) == 2
    assert any("a check's hint (shown when the check fails) must be non-empty text" in e for e in errors)
    assert any("unknown check key 'tip'" in e for e in errors)


def test_every_shipped_check_hint_is_text():
    labs = read_catalog(CATALOG)
    hints = [c["hint"] for lab in labs for s in lab.definition["steps"] for c in s["checks"] if "hint" in c]
    assert len(hints) >= 20 and all(isinstance(h, str) and h.strip() for h in hints)


def test_the_score_from_the_page_steps_equals_the_score_from_the_database(run):
    from labs import step_help
    from labs.views import _steps

    checks = [(s["id"], c["id"]) for s in run.lab.definition["steps"] for c in s["checks"]]
    for step, check in checks:
        result(run, step, check, False, "not yet")
        result(run, step, check, True)
    step_help.reveal_solution(run, checks[0][0])
    steps = _steps(run)
    assert step_help.hints_shown(run, steps) == step_help.hints_shown(run) != set()
    assert step_help.revealed_steps(run, steps) == step_help.revealed_steps(run) == {checks[0][0]}


def test_the_navigation_shows_the_learners_own_running_labs_only(alice_client, client, bob, run):
    page = alice_client.get("/lessons/").content.decode()
    assert f'class="running-labs" href="/labs/runs/{run.id}/"' in page and "1 running · $" in page
    assert f"{run.lab.title}: 0 h 00 min" in page
    client.force_login(bob)
    assert "running-labs" not in client.get("/lessons/").content.decode()


def test_instructions_rendered_once_show_each_runs_own_values_escaped():
    from labs.instructions import _render_tokenized, render_instructions

    _render_tokenized.cache_clear()
    text = "Create `{Prefix}-stream`, then open **{BucketName}**."
    first = render_instructions(text, {"BucketName": "dea-aaaa0001-course"}, "dea-aaaa0001")
    second = render_instructions(text, {"BucketName": "x <img src=x onerror=alert(1)>"}, "dea-bbbb0002")
    assert _render_tokenized.cache_info().hits == 1  # one rendering served both runs
    assert "dea-aaaa0001-stream" in first and "dea-aaaa0001-course" in first and "dea-bbbb" not in first
    assert "dea-bbbb0002-stream" in second and "&lt;img src=x onerror=alert(1)&gt;" in second and "<img" not in second and "aaaa" not in second


def test_each_check_shows_its_latest_status_to_eyes_and_screen_readers(alice_client, run):
    result(run, "folders", "raw-folder", True)
    result(run, "folders", "processed-folder", False, "no processedData/ yet")
    result(run, "folders", "script-folder", False, "the sandbox cannot tell", needs_real_aws=True)
    html = alice_client.get(f"/labs/runs/{run.id}/status").content.decode()

    def check(check_id: str) -> str:
        start = html.index(f'data-check="{check_id}"')
        return html[html.rindex("<li", 0, start):html.index("</li>", start)]

    assert 'class="check pass"' in check("raw-folder") and "✓" in check("raw-folder") and "Passed:" in check("raw-folder")
    failed = check("processed-folder")
    assert 'class="check fail"' in failed and "✗" in failed and "Failed:" in failed and "no processedData/ yet" in failed
    not_here = check("script-folder")
    assert 'class="check na"' in not_here and "–" in not_here and "Needs real AWS:" in not_here and "the sandbox cannot tell" in not_here
    unchecked = check("tmp-folder")
    assert 'class="check "' in unchecked and "○" in unchecked and "Not checked yet:" in unchecked and "reason" not in unchecked
