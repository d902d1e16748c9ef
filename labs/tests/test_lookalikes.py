"""Resources made during a run without its prefix: recorded, found at teardown, listed, deleted with one click."""

import pytest
import yaml

from labs import lookalikes, runs, sweep
from labs.aws import Clients
from labs.models import Lab, LabRun

from .conftest import CATALOG
from .test_runs import wait_until

COSTLY = {"emr": "EMR cluster", "redshift": "Redshift cluster", "msk": "MSK cluster", "opensearch": "OpenSearch domain",
          "kinesis": "Kinesis stream", "dynamodb": "DynamoDB table", "glue": "Glue job", "athena": "Glue database"}


@pytest.mark.parametrize(("slug", "label"), sorted(COSTLY.items()))
def test_each_lab_records_what_it_asks_the_learner_to_create(slug, label):
    definition = yaml.safe_load((CATALOG / slug / "lab.yaml").read_text())
    asked = lookalikes.asked(definition, "dea-0000abcd")
    assert label in {kind for kind, _ in asked}
    assert all(name.startswith(("dea-0000abcd", "dea_0000abcd")) for _, name in asked)
    assert all(kind in sweep.BY_LABEL for kind, _ in asked)


class Run:
    def __init__(self, asked, baseline=None):
        self.asked, self.baseline, self.lookalikes = asked, baseline or {}, []


def test_unprefixed_clusters_made_after_launch_are_found_and_deleted(moto_clients):
    redshift, emr = moto_clients("redshift"), moto_clients("emr")
    cluster = {"NodeType": "ra3.large", "MasterUsername": "admin", "MasterUserPassword": "Passw0rd1", "ClusterType": "single-node"}
    redshift.create_cluster(ClusterIdentifier="production-dw", **cluster)  # there before the run
    run = Run([["Redshift cluster", "dea-0000abcd-dw"], ["EMR cluster", "dea-0000abcd-spark"]])
    run.baseline = lookalikes.snapshot(moto_clients, lookalikes.kinds_asked(run))
    redshift.create_cluster(ClusterIdentifier="dw", **cluster)  # the learner forgot the prefix
    redshift.create_cluster(ClusterIdentifier="dea-0000abcd-dw", **cluster)  # the run's own: the sweep's
    redshift.create_cluster(ClusterIdentifier="dea-ffff0000-dw", **cluster)  # another run's
    emr.run_job_flow(Name="spark", ReleaseLabel="emr-7.0.0", JobFlowRole="r", ServiceRole="s",
                     Instances={"InstanceCount": 1, "MasterInstanceType": "m5.xlarge", "KeepJobFlowAliveWhenNoSteps": True})
    run.lookalikes = lookalikes.find(moto_clients, run)
    assert sorted((item["kind"], item["name"]) for item in run.lookalikes) == [("EMR cluster", "spark"), ("Redshift cluster", "dw")]
    problems = []
    assert lookalikes.delete(moto_clients, run, problems.append) == [], problems
    assert sorted(c["ClusterIdentifier"] for c in redshift.describe_clusters()["Clusters"]) == ["dea-0000abcd-dw", "dea-ffff0000-dw", "production-dw"]


def test_a_kind_that_could_not_be_listed_at_launch_is_not_compared(stubbed):
    stubbed.stub("dynamodb").add_client_error("list_tables", service_error_code="AccessDeniedException")
    assert lookalikes.snapshot(stubbed, ["DynamoDB table"]) == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_teardown_lists_a_look_alike_until_the_learner_deletes_it(alice_client, alice, loaded_labs, sandbox_connection, celery_worker_process):
    glue = Clients(sandbox_connection)("glue")
    glue.create_database(DatabaseInput={"Name": "legacy"})  # the learner's, from before
    run = runs.request_run(alice, Lab.objects.get(slug="setup"), sandbox_connection, confirmed_cost=False)
    LabRun.objects.filter(id=run.id).update(asked=[["Glue database", f"{run.prefix.replace('-', '_')}_raw_data"]])
    run.refresh_from_db()
    assert runs.start_launch(run)
    assert run.baseline == {"Glue database": ["legacy"]}
    assert runs.poll_launch(run) == "ready"
    glue.create_database(DatabaseInput={"Name": "raw_data"})  # step 2 done without the prefix

    assert runs.teardown(run)
    run.refresh_from_db()
    assert run.state == LabRun.DELETED and run.lookalikes == [{"kind": "Glue database", "id": "raw_data", "name": "raw_data"}]
    page = alice_client.get(f"/labs/runs/{run.id}/status").content.decode()
    assert "raw_data" in page and 'id="delete-lookalikes"' in page and "Nothing of this run is left" not in page

    assert alice_client.post(f"/labs/runs/{run.id}/lookalikes", {"action": "forge"}).status_code == 400
    alice_client.post(f"/labs/runs/{run.id}/lookalikes", {"action": "delete"})
    wait_until(lambda: not LabRun.objects.get(id=run.id).lookalikes)
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["legacy"]
    assert "Nothing of this run is left" in alice_client.get(f"/labs/runs/{run.id}/status").content.decode()


@pytest.mark.django_db
def test_another_learner_cannot_act_on_the_look_alikes(client, bob, alice, loaded_labs, sandbox_connection):
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=sandbox_connection, prefix="dea-0000abcd",
                                state=LabRun.DELETED, expires_at="2030-01-01T00:00:00Z", lookalikes=[{"kind": "Glue database", "id": "x", "name": "x"}])
    client.force_login(bob)
    assert client.post(f"/labs/runs/{run.id}/lookalikes", {"action": "keep"}).status_code == 404
    assert LabRun.objects.get(id=run.id).lookalikes
