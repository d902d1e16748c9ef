"""Faults: a worker dying mid-launch, AWS throttling, a stack CloudFormation refuses or rolls back."""

import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.stub import Stubber
from django.utils import timezone

from labs import aws, runs
from labs.aws import Clients
from labs.models import AwsConnection, Lab, LabRun
from studyapp.testing.services import CeleryWorker, database_url

from .test_runs import wait_for

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
THROTTLED = (f'<ErrorResponse xmlns="{STS_NS}"><Error><Type>Sender</Type><Code>Throttling</Code>'
             "<Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>")
IDENTITY = (f'<GetCallerIdentityResponse xmlns="{STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/learner</Arn>'
            "<UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account></GetCallerIdentityResult>"
            "<ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetCallerIdentityResponse>")


@pytest.fixture
def throttling_aws(settings):
    """A stand-in AWS endpoint on loopback that throttles the first two calls, then answers."""
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            calls.append(time.monotonic())
            body = (THROTTLED if len(calls) <= 2 else IDENTITY).encode()
            self.send_response(400 if len(calls) <= 2 else 200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.AWS_SANDBOX_URL = f"http://127.0.0.1:{server.server_port}"
    yield calls
    server.shutdown()


@pytest.mark.django_db
def test_aws_throttling_is_retried_with_backoff_until_it_answers(alice, throttling_aws):
    connection = AwsConnection(user=alice, kind=AwsConnection.SANDBOX, name="sandbox")
    assert aws.caller_account(connection) == "111122223333"
    assert len(throttling_aws) == 3  # two throttled calls, retried by botocore, then the answer


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_launch_whose_worker_died_after_it_began_resumes_when_the_task_is_redelivered(alice, loaded_labs, celery_worker_process):
    from labs import tasks

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)
    # The worker moved the run to launching, then died before creating the stack.
    assert runs.move(run, (LabRun.REQUESTED,), LabRun.LAUNCHING)
    tasks.launch_run.delay(run.id)  # acks_late: the broker hands the unacknowledged task to another worker
    run = wait_for(run, {LabRun.READY, LabRun.FAILED})
    assert run.state == LabRun.READY, run.failure
    assert run.events.filter(message="Resuming the launch.").exists()
    tasks.teardown_run.delay(run.id)
    wait_for(run, {LabRun.DELETED})
    assert runs.leftovers(run, Clients(connection)) == []


@pytest.fixture
def black_hole():
    """An endpoint that accepts connections and never answers: an AWS call to it hangs until its worker dies."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_worker_killed_in_the_middle_of_a_launch_leaves_it_to_another_worker_that_finishes_it(alice, loaded_labs, redis_server, aws_sandbox, black_hole):
    from django.db import connection as database

    from labs import tasks

    url, queue, visibility = database_url(database.settings_dict), "kill-test", 3
    doomed = CeleryWorker(url, queues=queue, env={"AWS_SANDBOX_URL": black_hole})
    doomed.start()
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)
    try:
        tasks.launch_run.apply_async((run.id,), queue=queue)
        wait_for(run, {LabRun.LAUNCHING})  # the worker took the task and is now waiting on AWS
        time.sleep(0.5)
    finally:
        doomed.kill()
    assert not run.events.filter(message__startswith="Connection checked").exists()

    time.sleep(visibility)  # the broker hands an unacknowledged task back once its visibility timeout has passed
    rescuer = CeleryWorker(url, queues=f"{queue},celery", env={"CELERY_VISIBILITY_TIMEOUT": str(visibility)})
    rescuer.start()
    try:
        run = wait_for(run, {LabRun.READY, LabRun.FAILED}, timeout=60)
        assert run.state == LabRun.READY, run.failure
        assert run.events.filter(message="Resuming the launch.").exists()
        tasks.teardown_run.apply_async((run.id,), queue=queue)
        wait_for(run, {LabRun.DELETED}, timeout=60)
    finally:
        rescuer.stop()
    assert runs.leftovers(run, Clients(connection)) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_launch_stuck_after_its_worker_died_is_failed_and_torn_down_by_the_reaper(alice, loaded_labs, celery_worker_process):
    from labs.tasks import reap_expired_runs

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), connection, confirmed_cost=False)
    assert runs.start_launch(run)  # the stack exists, but no poll task survived
    LabRun.objects.filter(id=run.id).update(created_at=timezone.now() - timedelta(hours=1))
    assert reap_expired_runs() == 1
    run = wait_for(run, {LabRun.DELETED})
    assert "did not finish in time" in run.failure
    assert runs.leftovers(run, Clients(connection)) == []


@pytest.fixture
def broken_lab(settings, tmp_path, db):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "template.yaml").write_text(
        "Parameters:\n  Prefix: {Type: String}\nResources:\n  Subnet:\n    Type: AWS::EC2::Subnet\n"
        "    Properties: {VpcId: vpc-00000000missing, CidrBlock: 10.0.0.0/24}\n")
    settings.LABS_CATALOG_DIR = tmp_path
    return Lab.objects.create(slug="broken", title="Broken", summary="s", cost_per_hour=0, prices_read="2026-11-01", minutes=5,
                              sandbox_support="full", definition={"templates": ["template.yaml"], "steps": []})


def test_a_stack_cloudformation_refuses_shows_its_reason_and_is_cleaned_up(alice, broken_lab, sandbox_connection):
    run = runs.request_run(alice, broken_lab, sandbox_connection, confirmed_cost=False)
    assert not runs.start_launch(run)
    run.refresh_from_db()
    assert run.state == LabRun.FAILED and "vpc-00000000missing does not exist" in run.failure
    assert runs.teardown(run)
    assert LabRun.objects.get(id=run.id).state == LabRun.DELETED
    assert runs.leftovers(run, Clients(sandbox_connection)) == []


def test_a_rolled_back_stack_reports_the_resource_that_failed():
    import boto3

    cloudformation = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stack = {"StackId": "arn:aws:cloudformation:us-east-1:111122223333:stack/dea-1-template/1", "StackName": "dea-1-template",
             "StackStatus": "ROLLBACK_COMPLETE", "CreationTime": timezone.now()}
    with Stubber(cloudformation) as stub:
        stub.add_response("describe_stack_events", {"StackEvents": [
            {"StackId": stack["StackId"], "EventId": "2", "StackName": stack["StackName"], "Timestamp": timezone.now(),
             "LogicalResourceId": stack["StackName"], "ResourceStatus": "ROLLBACK_COMPLETE"},
            {"StackId": stack["StackId"], "EventId": "1", "StackName": stack["StackName"], "Timestamp": timezone.now(),
             "LogicalResourceId": "Bucket", "ResourceStatus": "CREATE_FAILED", "ResourceStatusReason": "dea-1-course already exists"},
        ]})
        assert runs.failure_reason(cloudformation, stack) == "Bucket: dea-1-course already exists"


def test_tasks_acknowledge_late_and_retry_transient_errors_with_backoff():
    from labs import tasks

    for task in (tasks.launch_run, tasks.poll_run, tasks.verify_run, tasks.teardown_run):
        assert task.acks_late and task.retry_backoff and task.max_retries
        assert tasks.TRANSIENT == task.autoretry_for


def test_throttling_that_outlasts_botocores_retries_makes_the_task_retry_instead_of_failing_the_run(alice, broken_lab, sandbox_connection,
                                                                                                  monkeypatch):
    import botocore.exceptions

    from labs import tasks

    run = runs.request_run(alice, broken_lab, sandbox_connection, confirmed_cost=False)
    throttled = botocore.exceptions.ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "CreateStack")

    class ThrottledClients(Clients):
        def __call__(self, service):
            client = super().__call__(service)
            if service == "cloudformation":
                monkeypatch.setattr(client, "create_stack", lambda **kwargs: (_ for _ in ()).throw(throttled))
            return client

    monkeypatch.setattr(runs, "Clients", ThrottledClients)
    with pytest.raises(runs.Transient):
        runs.start_launch(run)
    run.refresh_from_db()
    assert run.state == LabRun.LAUNCHING and not run.failure  # the redelivered task resumes it
    assert runs.Transient in tasks.launch_run.autoretry_for
