"""A lab run end to end through Redis and a real Celery worker, against the sandbox."""

import time

import pytest

from labs import runs
from labs.aws import Clients
from labs.models import AwsConnection, LabEvent, LabRun

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(run: LabRun, states: set[str], timeout: float = 30) -> LabRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in states:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run stayed {run.state}; events: {list(run.events.values_list('message', flat=True))}")


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(0.2)


def test_launch_verify_solve_and_teardown_through_the_worker(alice_client, alice, loaded_labs, celery_worker_process):
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    response = alice_client.post("/labs/setup/launch", {"connection": connection.id})
    run = LabRun.objects.get(user=alice)
    assert response["Location"] == f"/labs/runs/{run.id}/"
    run = wait_for(run, {LabRun.READY, LabRun.FAILED})
    assert run.state == LabRun.READY, run.failure
    assert run.outputs["BucketName"].startswith(run.prefix)

    alice_client.post(f"/labs/runs/{run.id}/verify")
    wait_for(run, {LabRun.READY})
    time.sleep(0.5)
    assert run.check_results.count() == 8 and not run.check_results.filter(passed=True).exists()
    assert "has no folder rawData/ yet" in alice_client.get(f"/labs/runs/{run.id}/").content.decode()

    runs.solve(run)  # the learner's work, done with boto3
    run.check_results.all().delete()
    alice_client.post(f"/labs/runs/{run.id}/verify", {"step": "folders"})
    deadline = time.monotonic() + 20
    while run.check_results.count() < 5 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run.check_results.filter(passed=True).count() == 5

    alice_client.post(f"/labs/runs/{run.id}/teardown")
    run = wait_for(run, {LabRun.DELETED})
    assert runs.leftovers(run, Clients(connection)) == []
    messages = list(LabEvent.objects.filter(run=run).values_list("message", flat=True))
    assert "State: ready." in messages and "State: deleted." in messages


def test_the_status_fragment_polls_only_while_work_is_under_way(alice_client, alice, loaded_labs):
    from labs.models import Lab

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-poll0001",
                                state=LabRun.LAUNCHING, expires_at="2030-01-01T00:00:00Z")
    assert 'hx-trigger="every 2s"' in alice_client.get(f"/labs/runs/{run.id}/status").content.decode()
    LabRun.objects.filter(id=run.id).update(state=LabRun.READY)
    assert "hx-trigger" not in alice_client.get(f"/labs/runs/{run.id}/status").content.decode()


def test_a_runs_steps_name_its_own_resources(alice_client, alice, loaded_labs):
    from labs.models import Lab

    lab = Lab.objects.get(slug="setup")
    lab.definition["steps"][0].update(instructions="Create `{Prefix}-stream`, then open {BucketName}.", hint="Look in {BucketName} ({Missing}).")
    lab.save()
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = LabRun.objects.create(user=alice, lab=lab, connection=connection, prefix="dea-fill0001", state=LabRun.READY,
                                outputs={"BucketName": "dea-fill0001-course"}, expires_at="2030-01-01T00:00:00Z")
    response = alice_client.get(f"/labs/runs/{run.id}/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "<code>dea-fill0001-stream</code>, then open dea-fill0001-course." in page
    assert "Look in dea-fill0001-course (&lt;Missing&gt;)." in page


def test_expired_runs_are_reaped(alice, loaded_labs, celery_worker_process):
    from django.utils import timezone

    from labs.models import Lab
    from labs.tasks import reap_expired_runs

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)
    assert runs.start_launch(run) and runs.poll_launch(run) == "ready"
    LabRun.objects.filter(id=run.id).update(expires_at=timezone.now())
    assert reap_expired_runs() == 1
    wait_for(run, {LabRun.DELETED})


def test_tasks_take_only_ids_so_no_secret_travels_through_the_broker():
    import inspect

    from labs import tasks

    for task in (tasks.launch_run, tasks.poll_run, tasks.verify_run, tasks.teardown_run):
        parameters = list(inspect.signature(task.run).parameters)
        assert parameters[0] == "run_id" and set(parameters) <= {"run_id", "step_id"}


def test_a_failed_check_offers_related_flashcards(alice_client, alice, loaded_labs, settings):
    from labs.models import CheckResult, Lab
    from quizzes.models import Flashcard

    Flashcard.objects.create(cid="card-s3-prefixes", front_html="<p>What is an S3 folder?</p>", back_html="<p>A key prefix.</p>", task="1.1",
                             lesson="basics/welcome#how-lessons-work")
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-cards001",
                                state=LabRun.READY, expires_at="2030-01-01T00:00:00Z")
    assert "refresh the ideas" not in alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    CheckResult.objects.create(run=run, user=alice, step="folders", check_id="raw-folder", passed=False, reason="no folder", fidelity="emulated")
    html = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert "refresh the ideas" in html and "What is an S3 folder?" in html


def test_deleting_an_account_waits_until_its_labs_are_torn_down(alice, loaded_labs, aws_sandbox, monkeypatch):
    from django.contrib.auth.models import User

    from labs.models import Lab
    from studyapp.tasks import delete_account

    class ComeBackLater(Exception):
        pass

    enqueued = []
    monkeypatch.setattr("labs.account.teardown_run.delay", enqueued.append)
    monkeypatch.setattr(delete_account, "retry", lambda **kwargs: ComeBackLater())
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)
    assert runs.start_launch(run) and runs.poll_launch(run) == "ready"
    with pytest.raises(ComeBackLater):  # a lab is still alive: its teardown is asked for, and the task comes back later
        delete_account.run(alice.id)
    assert enqueued == [run.id] and User.objects.filter(id=alice.id).exists()
    runs.teardown(LabRun.objects.get(id=run.id))
    assert delete_account.run(alice.id) == "deleted"
    assert not User.objects.filter(id=alice.id).exists() and not LabRun.objects.filter(id=run.id).exists()


def test_an_account_whose_labs_cannot_be_torn_down_is_given_back_then_deletable_by_accepting_what_is_left(
        alice, alice_client, loaded_labs, aws_sandbox, monkeypatch):
    from django.contrib.auth.models import User

    from labs.models import Lab
    from studyapp.tasks import delete_account

    monkeypatch.setattr("labs.account.teardown_run.delay", lambda run_id: None)  # a teardown that never finishes
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)
    assert runs.start_launch(run) and runs.poll_launch(run) == "ready"
    page = alice_client.get("/accounts/delete/").content.decode()
    assert run.prefix in page and 'name="leave_resources"' in page

    User.objects.filter(id=alice.id).update(is_active=False)
    monkeypatch.setattr(delete_account, "max_retries", 0)  # the last try
    assert delete_account.run(alice.id) == "gave up: labs still being torn down; account reactivated"
    assert User.objects.get(id=alice.id).is_active and LabRun.objects.filter(id=run.id).exists()  # nothing lost

    # The session's real worker must not run the task beside this test's own run of it (they raced the flush).
    queued = []
    monkeypatch.setattr("studyapp.views.data.delete_account.delay", lambda *args, **kwargs: queued.append((args, kwargs)))
    response = alice_client.post("/accounts/delete/", {"password": "alice-password-1", "leave_resources": "yes"})
    assert response.status_code == 200 and queued == [((alice.id,), {"leave_resources": True})]
    assert delete_account.run(alice.id, leave_resources=True) == "deleted"
    assert not User.objects.filter(id=alice.id).exists() and not LabRun.objects.filter(id=run.id).exists()
