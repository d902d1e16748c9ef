"""A sandbox lab's launch + verify + teardown through the app, against a bare boto3 replay of the same AWS calls.

The app's path (labs/runs.py, what the Celery tasks call, here without the queue) is run once with
every botocore call recorded; the same calls, with the same parameters, are then replayed with
plain boto3 clients into the same sandbox account once the app's run is gone. The ratio of the two times is what the app adds
(database writes, events, check bookkeeping) to the AWS work itself.
"""

import logging
import time
from collections import Counter

import boto3
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from studyapp.devstack import free_port

LAB = "setup"


def measure() -> dict:
    from django.conf import settings
    from django.contrib.auth.models import User

    from labs import aws
    from labs.models import AwsConnection, LabRun
    from studyapp import sandbox

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the sandbox's access log
    port = free_port()
    server = sandbox.start(port)
    url = f"http://127.0.0.1:{port}"
    try:
        sandbox.warm_up(url)
        settings.AWS_SANDBOX_URL = url
        user = User.objects.create_user("bench-lab", "lab@example.org", "unused-password-1")
        connection = AwsConnection.objects.create(user=user, kind=AwsConnection.SANDBOX, name="AWS sandbox")
        _app_run(user, connection)  # once untimed: a worker is a long-running process, its imports and clients warm
        calls, app_errors = [], Counter()
        original = BaseClient._make_api_call

        def recording(client, operation, params):
            calls.append((client.meta.service_model.service_name, client.meta.region_name, operation, params))
            try:
                return original(client, operation, params)
            except ClientError as error:
                app_errors[f"{operation}: {error.response['Error'].get('Code')}"] += 1
                raise

        BaseClient._make_api_call = recording
        try:
            started = time.perf_counter()
            run = _app_run(user, connection)
            app_s = time.perf_counter() - started
        finally:
            BaseClient._make_api_call = original
        run.refresh_from_db()
        assert run.state == LabRun.DELETED, run.state

        # Same account (the app's run left nothing there), so account-derived names (the bucket) match;
        # ids the sandbox generates (VPC parts) differ, so the replay's deletes of those fail fast: it is a floor.
        bare_s, errors = _replay(calls, url, aws.sandbox_account(user.id))
        return {"lab": LAB, "aws_calls": len(calls), "app_s": round(app_s, 2), "bare_s": round(bare_s, 2),
                "ratio": round(app_s / bare_s, 2), "app_errors": dict(app_errors), "replay_errors": errors}
    finally:
        server.stop()


def _app_run(user, connection):
    """What the Celery tasks do for a run, step by step, without the queue."""
    from labs import runs
    from labs.models import Lab, LabRun

    run = runs.request_run(user, Lab.objects.get(slug=LAB), connection, confirmed_cost=False)
    assert runs.start_launch(run), run.failure
    while runs.poll_launch(run) == "wait":
        pass
    run.refresh_from_db()
    assert runs.move(run, (LabRun.READY,), LabRun.VERIFYING)
    runs.verify(run)
    runs.move(run, (LabRun.VERIFYING,), LabRun.READY)
    run.refresh_from_db()
    for _ in range(10):
        if runs.teardown(run):
            break
        run.refresh_from_db()
    return run


def _replay(calls: list, url: str, account: str) -> tuple[float, dict]:
    session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test")
    clients, errors = {}, Counter()
    started = time.perf_counter()
    for service, region, operation, params in calls:
        key = (service, region)
        if key not in clients:
            client = session.client(service, region_name=region, endpoint_url=url)
            client.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
            clients[key] = client
        try:
            BaseClient._make_api_call(clients[key], operation, params)
        except ClientError as error:  # the app met the same answers (e.g. "not found" while checking and sweeping)
            errors[f"{operation}: {error.response['Error'].get('Code')}"] += 1
    return time.perf_counter() - started, dict(errors)
