"""Celery tasks for lab runs. Each takes a run id, does one bounded step, and re-schedules itself
with a short countdown while AWS works, so no worker ever sleeps on a waiter."""

from datetime import timedelta

import botocore.exceptions
import kombu.exceptions
from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import runs
from .aws import ConnectionInvalid
from .models import LabRun

TRANSIENT = (runs.Transient, botocore.exceptions.ConnectionError, botocore.exceptions.ReadTimeoutError,
             botocore.exceptions.EndpointConnectionError)
# No task's result is read (the database holds the run's state), so none is stored: sending a task then needs the broker only.
COMMON = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True, "max_retries": 5, "ignore_result": True}


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
    try:
        if runs.teardown(run):
            return "deleted"
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        # Keep going: a run must never be left half torn down because one call failed.
        code = error.response.get("Error", {}).get("Code", "error") if isinstance(error, botocore.exceptions.ClientError) else type(error).__name__
        runs.event(run, f"Teardown interrupted by AWS ({code}); trying again shortly.", kind="aws_error")
    run.refresh_from_db()
    if run.teardown_attempts < settings.LABS_TEARDOWN_ATTEMPTS:
        teardown_run.apply_async((run.id,), countdown=_poll_countdown(run) * 2)
        return "retrying"
    left = ", ".join(run.remaining) or "nothing listed yet"
    runs.event(run, f"The teardown has not finished after {run.teardown_attempts} attempts; still there: {left}. "
                    f"It is tried again in {teardown_backoff(run)} minutes; you may also delete these by hand.", kind="aws_error")
    return "gave up"


def teardown_backoff(run: LabRun) -> float:
    """Minutes the watchdog waits before trying a teardown again: the usual wait, doubling once the attempts ran out."""
    beyond = run.teardown_attempts - settings.LABS_TEARDOWN_ATTEMPTS
    if beyond < 0:
        return settings.LABS_WATCHDOG_MINUTES
    return min(settings.LABS_WATCHDOG_MINUTES * 2 ** (beyond + 1), settings.LABS_TEARDOWN_BACKOFF_MAX_MINUTES)


def enqueue(task, *args) -> bool:
    """Send a task; False (not an error page) when the broker is down: the watchdog sends it once the broker is back."""
    try:
        task.delay(*args)
    except kombu.exceptions.OperationalError:
        return False
    return True


@shared_task(acks_late=True)
def watchdog() -> int:
    """Beat, every minute: send again the task of every launch, check or teardown that made no progress for
    LABS_WATCHDOG_MINUTES (its worker was killed, or Redis restarted and lost it; each is idempotent), and notice ready
    sandbox runs whose sandbox restarted. Returns how many runs it acted on."""
    now, count = timezone.now(), 0
    last = Q(progress_at__lte=now - timedelta(minutes=settings.LABS_WATCHDOG_MINUTES))
    lost = Q(progress_at__isnull=True, created_at__lte=now - timedelta(minutes=settings.LABS_WATCHDOG_MINUTES))
    for run in LabRun.objects.filter(last | lost, state__in=(LabRun.REQUESTED, LabRun.LAUNCHING, LabRun.VERIFYING)):
        runs.event(run, "No progress for a few minutes: picking the work up again.")
        if run.state == LabRun.VERIFYING:
            verify_run.delay(run.id)
        else:
            launch_run.delay(run.id)
        count += 1
    for run in LabRun.objects.filter(state=LabRun.TEARING_DOWN):
        if (run.progress_at or run.created_at) <= now - timedelta(minutes=teardown_backoff(run)):
            runs.event(run, "Trying the teardown again.")
            teardown_run.delay(run.id)
            count += 1
    for run in LabRun.objects.select_related("lab", "connection").filter(state=LabRun.READY, connection__kind="sandbox"):
        try:
            count += runs.sandbox_lost(run)
        except (ConnectionInvalid, botocore.exceptions.BotoCoreError):
            break  # the sandbox is down right now: look again next minute
    return count


@shared_task(**COMMON)
def delete_lookalikes(run_id: int, rechecks: int = 0) -> str:
    """The learner's one click on resources made without the run's prefix; clusters take minutes to go, so look again a few times."""
    run = LabRun.objects.select_related("connection").filter(id=run_id).first()
    if run is None or not run.lookalikes:
        return "nothing to do"
    still = runs.delete_lookalikes(run)
    if still and rechecks < settings.LABS_TEARDOWN_ATTEMPTS:
        delete_lookalikes.apply_async((run.id, rechecks + 1), countdown=_poll_countdown(run) * 2)
    return f"{len(still)} still there"


@shared_task(acks_late=True)
def reap_expired_runs() -> int:
    """Beat: tear down every run past its expiry or stuck launching, so no lab outlives its time."""
    now = timezone.now()
    stuck_since = now - timedelta(minutes=getattr(settings, "LABS_LAUNCH_TIMEOUT_MINUTES", 45))
    for run in LabRun.objects.filter(state__in=(LabRun.REQUESTED, LabRun.LAUNCHING), created_at__lte=stuck_since):
        runs.fail(run, "The launch did not finish in time (its worker may have stopped); tearing it down.")
    # Runs already tearing down or failed are included: teardown is idempotent, and a lost task must not leave a run behind.
    expired = LabRun.objects.filter(Q(expires_at__lte=now) | Q(state=LabRun.FAILED), state__in=(*LabRun.ACTIVE, LabRun.FAILED)).exclude(
        teardown_attempts__gte=settings.LABS_TEARDOWN_ATTEMPTS)  # given up: the run page lists what to delete by hand
    count = 0
    for run in expired:
        runs.event(run, "The launch failed; tearing it down." if run.state == LabRun.FAILED else "The run expired; tearing it down.")
        teardown_run.delay(run.id)
        count += 1
    return count
