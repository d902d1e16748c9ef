"""Celery tasks for lab runs. Each takes a run id, does one bounded step, and re-schedules itself
with a short countdown while AWS works, so no worker ever sleeps on a waiter."""

import botocore.exceptions
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import runs
from .models import LabRun

TRANSIENT = (botocore.exceptions.ConnectionError, botocore.exceptions.ReadTimeoutError, botocore.exceptions.EndpointConnectionError)
COMMON = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True, "max_retries": 5}


def _poll_countdown(run: LabRun) -> int:
    return 1 if run.connection.kind == run.connection.SANDBOX else settings.LABS_POLL_SECONDS


@shared_task(**COMMON)
def launch_run(run_id: int) -> str:
    run = LabRun.objects.select_related("lab", "connection").filter(id=run_id).first()
    if run is None or run.state not in (LabRun.REQUESTED, LabRun.LAUNCHING):
        return "nothing to do"
    if runs.start_launch(run):
        poll_run.apply_async((run.id,), countdown=_poll_countdown(run))
        return "launching"
    teardown_run.delay(run.id)  # a failed launch is cleaned up
    return "failed"


@shared_task(**COMMON)
def poll_run(run_id: int) -> str:
    run = LabRun.objects.select_related("lab", "connection").filter(id=run_id).first()
    if run is None or run.state != LabRun.LAUNCHING:
        return "nothing to do"
    status = runs.poll_launch(run)
    if status == "wait":
        poll_run.apply_async((run.id,), countdown=_poll_countdown(run))
    elif status == "failed":
        teardown_run.delay(run.id)
    return status


@shared_task(**COMMON)
def verify_run(run_id: int, step_id: str | None = None) -> str:
    run = LabRun.objects.select_related("lab", "connection").filter(id=run_id).first()
    if run is None or run.state != LabRun.VERIFYING:  # the view moved it to verifying when the learner asked
        return "nothing to do"
    try:
        results = runs.verify(run, step_id)
    finally:
        runs.move(run, (LabRun.VERIFYING,), LabRun.READY)
    return f"{sum(r.passed for r in results)}/{len(results)} passed"


@shared_task(**COMMON)
def teardown_run(run_id: int) -> str:
    run = LabRun.objects.select_related("lab", "connection").filter(id=run_id).first()
    if run is None or run.state == LabRun.DELETED:
        return "nothing to do"
    if runs.teardown(run):
        return "deleted"
    if run.teardown_attempts < settings.LABS_TEARDOWN_ATTEMPTS:
        teardown_run.apply_async((run.id,), countdown=_poll_countdown(run) * 2)
        return "retrying"
    runs.event(run, "Teardown gave up after several attempts: delete the listed resources by hand.", kind="aws_error")
    return "gave up"


@shared_task(acks_late=True)
def reap_expired_runs() -> int:
    """Beat: tear down every run past its expiry, so no lab outlives its time."""
    # Runs already tearing down are included: teardown is idempotent, and a lost task must not leave a run behind.
    expired = LabRun.objects.filter(state__in=LabRun.ACTIVE, expires_at__lte=timezone.now())
    count = 0
    for run in expired:
        runs.event(run, "The run expired; tearing it down.")
        teardown_run.delay(run.id)
        count += 1
    return count
