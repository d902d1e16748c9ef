"""Scale-out: two worker processes on one Redis launch, verify and tear down 30 sandbox runs at once.

Every run must reach each state exactly once (no task lost, none run twice to effect), both workers
must take part, and the teardown sweep must find nothing left of any run.
"""

import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from labs import runs, tasks
from labs.aws import Clients
from labs.models import AwsConnection, Lab, LabRun
from studyapp.testing.services import CeleryWorker, database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.timeout(600)]

RUNS = 30
CHECKS_PER_VERIFY = 8  # the setup lab's checks


def _wait_all(ids: list[int], states: set[str], timeout: float) -> list[LabRun]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(LabRun.objects.filter(id__in=ids))
        if all(run.state in states for run in found):
            return found
        time.sleep(0.25)
    late = Counter(run.state for run in LabRun.objects.filter(id__in=ids) if run.state not in states)
    raise AssertionError(f"runs still not in {states} after {timeout}s: {dict(late)}")


def _tasks_done(worker: CeleryWorker) -> int:
    return len(re.findall(r"Task labs\.tasks\.\w+\[[0-9a-f-]+\] succeeded", Path(worker.log.name).read_text()))


def test_two_workers_launch_verify_and_tear_down_30_runs_exactly_once(loaded_labs, redis_server, aws_sandbox):
    from django.db import connection as database

    queue = f"scale-{os.getpid()}"  # these two workers only: tasks they re-schedule stay on this queue
    # Threads: a lab task mostly waits on AWS, so each process overlaps a few of them (as a deployment would run it).
    workers = [CeleryWorker(database_url(database.settings_dict), queues=queue, env={"CELERY_TASK_DEFAULT_QUEUE": queue}, pool="threads", concurrency=4)
               for _ in range(2)]
    lab = Lab.objects.get(slug="setup")
    learners = []
    for i in range(RUNS):
        user = User.objects.create_user(f"learner{i}", f"learner{i}@example.org", "unused-password-1")
        connection = AwsConnection.objects.create(user=user, kind=AwsConnection.SANDBOX, name="AWS sandbox")
        learners.append((runs.request_run(user, lab, connection, confirmed_cost=False), connection))
    ids = [run.id for run, _ in learners]
    try:
        for worker in workers:
            worker.start()
        for run_id in ids:
            tasks.launch_run.apply_async((run_id,), queue=queue)
        ready = _wait_all(ids, {LabRun.READY, LabRun.FAILED}, timeout=240)
        assert [run.failure for run in ready if run.state != LabRun.READY] == []

        for run in ready:
            assert runs.move(run, (LabRun.READY,), LabRun.VERIFYING)
            tasks.verify_run.apply_async((run.id, None), queue=queue)
        _wait_all(ids, {LabRun.READY}, timeout=120)

        for run_id in ids:
            tasks.teardown_run.apply_async((run_id,), queue=queue)
        deleted = _wait_all(ids, {LabRun.DELETED}, timeout=240)
        done = [_tasks_done(worker) for worker in workers]
    finally:
        for worker in workers:
            worker.stop()

    for run in deleted:
        states = Counter(message for message in run.events.values_list("message", flat=True) if message.startswith("State: "))
        assert states["State: ready."] == 2 and states["State: verifying."] == 1 and states["State: deleted."] == 1, (run.id, states)
        assert states["State: launching."] == 1 and states["State: tearing down."] == 1, (run.id, states)
        assert run.check_results.count() == CHECKS_PER_VERIFY  # verified once: a duplicated task would store the checks twice
    assert all(count > 0 for count in done), f"tasks done per worker: {done}"
    # A run is only marked deleted once its teardown sweep came back empty; list again, independently, for a sample.
    for run, connection in learners[::6]:
        assert runs.leftovers(LabRun.objects.get(id=run.id), Clients(connection)) == []
