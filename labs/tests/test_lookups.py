"""labs.lookups writes the run page's SQL by hand: what it loads must be what a queryset loads, field by field."""

import pytest
from django.http import Http404

from labs import lookups
from labs.aws import encrypt_secret
from labs.models import AwsConnection, CheckResult, Lab, LabRun
from studyapp.testing.instances import assert_loaded_as_orm

pytestmark = pytest.mark.django_db


def test_own_run_loads_the_run_its_lab_and_connection_as_the_orm_does(alice, bob, loaded_labs):
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.KEYS, name="keys", access_key_id="AKIAEXAMPLE",
                                              secret_encrypted=encrypt_secret("not-a-real-secret"), account_id="123456789012")
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-look0001", state=LabRun.READY,
                                outputs={"BucketName": "dea-look0001-course"}, expires_at="2030-01-01T00:00:00Z", lookalikes=[{"kind": "s3", "name": "x"}])
    loaded = lookups.own_run(alice, run.id)
    expected = LabRun.objects.select_related("lab", "connection").get(id=run.id)
    assert_loaded_as_orm(loaded, expected)
    assert_loaded_as_orm(loaded.lab, expected.lab)
    assert_loaded_as_orm(loaded.connection, expected.connection)
    assert bytes(loaded.connection.secret_encrypted) == bytes(expected.connection.secret_encrypted)
    for user, run_id in ((bob, run.id), (alice, run.id + 1)):
        with pytest.raises(Http404):
            lookups.own_run(user, run_id)


def test_check_results_come_oldest_first_as_the_orm_loads_them(alice, loaded_labs):
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-look0002", expires_at="2030-01-01T00:00:00Z")
    for check, passed in (("raw-folder", False), ("athena-folder", True), ("raw-folder", True)):
        CheckResult.objects.create(user=alice, run=run, step="folders", check_id=check, passed=passed, reason="why", fidelity="emulated")
    loaded = lookups.check_results(run)
    expected = list(run.check_results.order_by("checked_at", "id"))
    assert [result.id for result in loaded] == [result.id for result in expected] and len(loaded) == 3
    for got, want in zip(loaded, expected, strict=True):
        assert_loaded_as_orm(got, want)


def test_event_messages_are_the_runs_own_of_that_kind(alice, loaded_labs):
    from labs.models import LabEvent

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    runs = [LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix=f"dea-look000{i}",
                                  expires_at="2030-01-01T00:00:00Z") for i in (3, 4)]
    for run, kind, message in ((runs[0], "solution", "one"), (runs[0], "solution", "two"), (runs[0], "state", "ready"), (runs[1], "solution", "other run")):
        LabEvent.objects.create(user=alice, run=run, kind=kind, message=message)
    assert lookups.event_messages(runs[0], "solution") == {"one", "two"}
    assert lookups.event_messages(runs[1], "state") == set()
