"""A recognisable fake secret key, used for a whole run, never shows up in logs, pages, task arguments, events or errors."""

import logging

import pytest

from labs import aws, runs, tasks
from labs.models import AwsConnection, CheckResult, Lab, LabEvent, LabRun

FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZZCANARYSECRET9"
FAKE_KEY_ID = "AKIAZZZZCANARYKEY009"


@pytest.fixture
def keys_connection(alice, aws_sandbox, monkeypatch):
    """An access-keys connection; AWS_ENDPOINT_URL sends its (real-AWS) clients to the sandbox instead."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_sandbox)
    return AwsConnection.objects.create(user=alice, kind=AwsConnection.KEYS, name="my keys", access_key_id=FAKE_KEY_ID,
                                        secret_encrypted=aws.encrypt_secret(FAKE_SECRET))


def test_the_secret_never_leaves_the_aws_module(alice_client, alice, loaded_labs, keys_connection, monkeypatch, caplog,
                                                 django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    enqueued = []
    monkeypatch.setattr(tasks.launch_run, "delay", lambda *args, **kwargs: enqueued.append((args, kwargs)))
    monkeypatch.setattr(tasks.verify_run, "delay", lambda *args, **kwargs: enqueued.append((args, kwargs)))
    monkeypatch.setattr(tasks.teardown_run, "delay", lambda *args, **kwargs: enqueued.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/labs/setup/launch", {"connection": keys_connection.id})
    run = LabRun.objects.get(user=alice)
    assert runs.start_launch(run) and runs.poll_launch(run) == "ready", run.failure
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/labs/runs/{run.id}/verify")
    run.refresh_from_db()
    runs.verify(run)
    LabRun.objects.filter(id=run.id).update(outputs={"BucketName": "no-such-bucket-anywhere"})  # provoke AWS errors
    run.refresh_from_db()
    runs.verify(run)
    pages = "".join(alice_client.get(url).content.decode() for url in (
        "/labs/", "/labs/connections/", "/labs/setup/", f"/labs/runs/{run.id}/", f"/labs/runs/{run.id}/status"))
    assert runs.teardown(run)
    # Errors raised from the module name the connection, never the key.
    keys_connection.secret_encrypted = b"garbage"
    with pytest.raises(aws.ConnectionInvalid) as raised:
        aws.session(keys_connection)

    scanned = {
        "pages": pages,
        "task arguments": repr(enqueued),
        "events": " ".join(LabEvent.objects.values_list("message", flat=True)),
        "check reasons": " ".join(CheckResult.objects.values_list("reason", flat=True)),
        "failures": " ".join(LabRun.objects.values_list("failure", flat=True)),
        "errors": str(raised.value),
        "logs": caplog.text,
    }
    assert enqueued and CheckResult.objects.filter(reason__contains="AWS answered").exists()
    for where, text in scanned.items():
        assert FAKE_SECRET not in text, where
        assert FAKE_SECRET[:20] not in text, where
    assert FAKE_KEY_ID not in pages
    assert Lab.objects.filter(slug="setup").exists()
