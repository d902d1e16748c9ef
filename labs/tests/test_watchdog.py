"""No stuck spinners: the watchdog picks up work whose task was lost (a killed worker, a Redis restart), a sandbox restart
is noticed on ready runs, a teardown that gave up lists what is left and is tried again. Each fault ends with the run
ready or torn down, and nothing of it left."""

import dataclasses
import time
from datetime import timedelta

import botocore.exceptions
import pytest
import requests
from django.utils import timezone

from labs import runs, sweep, tasks
from labs.aws import Clients
from labs.models import Lab, LabRun
from studyapp.testing.services import CeleryWorker, database_url

from .test_faults import black_hole  # noqa: F401
from .test_runs import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def launch(alice, connection) -> LabRun:
    return runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)


def nothing_left(run: LabRun) -> bool:
    return runs.leftovers(run, Clients(run.connection)) == []


def test_a_launch_whose_worker_was_sigkilled_is_picked_up_by_the_watchdog_in_minutes(alice, loaded_labs, sandbox_connection, celery_worker_process,
                                                                                     black_hole, settings):  # noqa: F811
    from django.db import connection as database

    doomed = CeleryWorker(database_url(database.settings_dict), queues="watchdog-kill", env={"AWS_SANDBOX_URL": black_hole})
    doomed.start()
    run = launch(alice, sandbox_connection)
    try:
        tasks.launch_run.apply_async((run.id,), queue="watchdog-kill")
        wait_for(run, {LabRun.LAUNCHING})  # the worker took the task and hangs on AWS
    finally:
        doomed.kill()  # its task stays unacknowledged for the broker's visibility timeout (an hour)
    settings.LABS_WATCHDOG_MINUTES = 0.01  # "a few minutes" shortened to under a second
    time.sleep(1)
    assert tasks.watchdog() == 1
    run = wait_for(run, {LabRun.READY, LabRun.FAILED}, timeout=60)
    assert run.state == LabRun.READY, run.failure
    assert run.events.filter(message__startswith="No progress for a few minutes").exists()
    settings.LABS_WATCHDOG_MINUTES = 3
    tasks.teardown_run.delay(run.id)
    wait_for(run, {LabRun.DELETED}, timeout=60)
    assert nothing_left(run)


def test_a_launch_asked_for_while_redis_is_down_gets_a_message_and_starts_when_redis_is_back(alice_client, alice, loaded_labs, sandbox_connection,
                                                                                             redis_server, celery_worker_process, settings):
    redis_server.stop()
    try:
        response = alice_client.post("/labs/setup/launch", {"connection": sandbox_connection.id}, follow=True)
    finally:
        redis_server.start()
    assert response.status_code == 200
    assert "The task queue is not reachable right now" in response.content.decode()
    run = LabRun.objects.get(user=alice)
    assert run.state == LabRun.REQUESTED
    celery_worker_process.wait_until_ready()
    LabRun.objects.filter(id=run.id).update(progress_at=timezone.now() - timedelta(minutes=5))
    assert tasks.watchdog() == 1
    run = wait_for(run, {LabRun.READY, LabRun.FAILED}, timeout=60)
    assert run.state == LabRun.READY, run.failure
    tasks.teardown_run.delay(run.id)
    wait_for(run, {LabRun.DELETED}, timeout=60)
    assert nothing_left(run)


def test_a_ready_run_notices_a_sandbox_restart_says_relaunch_and_keeps_its_key(alice_client, alice, loaded_labs, sandbox_connection,
                                                                                celery_worker_process, aws_sandbox):
    run = launch(alice, sandbox_connection)
    tasks.launch_run.delay(run.id)
    run = wait_for(run, {LabRun.READY, LabRun.FAILED})
    assert run.state == LabRun.READY, run.failure
    sandbox_connection.refresh_from_db()
    old_key = sandbox_connection.access_key_id
    assert tasks.watchdog() == 0  # nothing wrong yet

    requests.post(f"{aws_sandbox}/moto-api/reset", timeout=60)  # a restart leaves nothing; slow on a busy machine
    assert tasks.watchdog() == 1
    run.refresh_from_db()
    sandbox_connection.refresh_from_db()
    assert run.state == LabRun.FAILED and run.failure == runs.SANDBOX_RESTARTED
    # The learner's key is the app's (the gateway checks it), so it outlives the emulator's state.
    assert sandbox_connection.access_key_id == old_key
    assert "relaunch the lab" in alice_client.get(f"/labs/runs/{run.id}/status").content.decode()
    tasks.reap_expired_runs()  # a failed run is torn down
    wait_for(run, {LabRun.DELETED})
    assert nothing_left(run)


def test_an_unreachable_sandbox_during_the_connection_check_is_retried_not_failed(alice, loaded_labs, sandbox_connection, settings):
    run = launch(alice, sandbox_connection)
    real = settings.AWS_SANDBOX_URL
    settings.AWS_SANDBOX_URL = "http://127.0.0.1:9"  # restarting: nothing listens
    with pytest.raises(runs.Transient):
        runs.start_launch(run)
    run.refresh_from_db()
    assert run.state == LabRun.LAUNCHING and not run.failure
    settings.AWS_SANDBOX_URL = real  # back: the retried task goes on
    assert runs.start_launch(run)
    assert runs.teardown(run) and nothing_left(run)


def test_a_teardown_that_gave_up_lists_what_is_left_and_is_tried_again_with_backoff(alice_client, alice, loaded_labs, sandbox_connection,
                                                                                     celery_worker_process, settings, monkeypatch):
    run = launch(alice, sandbox_connection)
    assert runs.start_launch(run) and runs.poll_launch(run) == "ready"
    table = f"{run.prefix}-orders"
    Clients(sandbox_connection)("dynamodb").create_table(TableName=table, BillingMode="PAY_PER_REQUEST", KeySchema=[
        {"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    denied = botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "DeleteTable")

    def refuse(clients, name):
        raise denied

    # In this process only: the worker, which the watchdog's retry reaches, is allowed again.
    monkeypatch.setitem(sweep.BY_LABEL, "DynamoDB table", dataclasses.replace(sweep.BY_LABEL["DynamoDB table"], delete=refuse))
    settings.LABS_TEARDOWN_ATTEMPTS = 1
    assert tasks.teardown_run(run.id) == "gave up"
    run.refresh_from_db()
    assert run.state == LabRun.TEARING_DOWN and run.remaining == [f"DynamoDB table {table}"]
    assert run.events.filter(message__contains=f"still there: DynamoDB table {table}").exists()
    page = alice_client.get(f"/labs/runs/{run.id}/status").content.decode()
    assert table in page and "Nothing of this run is left" not in page

    assert tasks.teardown_backoff(run) == 2 * settings.LABS_WATCHDOG_MINUTES  # doubling from here
    assert tasks.watchdog() == 0  # not before the backoff has passed
    LabRun.objects.filter(id=run.id).update(progress_at=timezone.now() - timedelta(minutes=tasks.teardown_backoff(run) + 1))
    assert tasks.watchdog() == 1
    run = wait_for(run, {LabRun.DELETED}, timeout=60)
    assert run.remaining == [] and nothing_left(run)
    assert "Nothing of this run is left" in alice_client.get(f"/labs/runs/{run.id}/status").content.decode()


def test_the_teardown_backoff_doubles_up_to_its_ceiling(settings):
    settings.LABS_TEARDOWN_ATTEMPTS, settings.LABS_WATCHDOG_MINUTES, settings.LABS_TEARDOWN_BACKOFF_MAX_MINUTES = 10, 3, 60
    assert [tasks.teardown_backoff(LabRun(teardown_attempts=n)) for n in (2, 10, 11, 12, 20)] == [3, 6, 12, 24, 60]


def test_the_watchdog_runs_every_minute(settings):
    assert {"task": "labs.tasks.watchdog", "schedule": 60.0} in settings.CELERY_BEAT_SCHEDULE.values()
