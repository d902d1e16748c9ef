"""The sweep against the sandbox server: every page of a long listing, resources found by their tag alone, Data Quality rulesets."""

import json

import pytest

from labs import sweep
from labs.aws import Clients

PREFIX = "dea-d15c0ver"
TAG = [{"Key": sweep.TAG_KEY, "Value": PREFIX}]
ROLE = "arn:aws:iam::123456789012:role/r"


@pytest.fixture
def clients(sandbox_connection):
    return Clients(sandbox_connection)


@pytest.mark.django_db
def test_the_runs_stream_is_swept_from_an_account_holding_105_other_streams(clients):
    from moto.kinesis.models import kinesis_backends

    from labs.aws import sandbox_account

    kinesis = clients("kinesis")
    others = [f"analytics-{i:03d}" for i in range(105)]
    backend = kinesis_backends[sandbox_account(clients.connection.user_id)]["us-east-1"]
    for name in others:  # straight into the in-process sandbox: 105 API calls would cost seconds
        backend.create_stream(name, 1)
    kinesis.create_stream(StreamName=f"{PREFIX}-customers_stream", ShardCount=1)  # sorts after every other stream: the last page
    assert kinesis.list_streams()["HasMoreStreams"]  # the sandbox pages, like Kinesis
    problems = []
    assert sweep.sweep(clients, PREFIX, problems.append) == [], problems
    names = [item.name for item in sweep.BY_LABEL["Kinesis stream"].list_all(clients)]
    assert f"{PREFIX}-customers_stream" not in names and sorted(names) == others


@pytest.mark.django_db
def test_resources_named_without_the_prefix_are_found_and_deleted_by_the_runs_tag(clients):
    clients("s3").create_bucket(Bucket="renamed-bucket")
    clients("s3").put_bucket_tagging(Bucket="renamed-bucket", Tagging={"TagSet": TAG})
    clients("dynamodb").create_table(TableName="orders", BillingMode="PAY_PER_REQUEST", Tags=TAG,
                                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    clients("glue").create_job(Name="to-parquet", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}, Tags={sweep.TAG_KEY: PREFIX})
    clients("athena").create_work_group(Name="course", Tags=TAG)
    clients("firehose").create_delivery_stream(DeliveryStreamName="to-s3", Tags=TAG, S3DestinationConfiguration={
        "RoleARN": ROLE, "BucketARN": "arn:aws:s3:::renamed-bucket"})
    clients("stepfunctions").create_state_machine(name="trips", roleArn=ROLE, tags=[{"key": sweep.TAG_KEY, "value": PREFIX}],
                                                  definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))
    clients("emr").run_job_flow(Name="spark", ReleaseLabel="emr-7.0.0", JobFlowRole="r", ServiceRole="s", Tags=TAG,
                                Instances={"InstanceCount": 1, "MasterInstanceType": "m5.xlarge", "KeepJobFlowAliveWhenNoSteps": True})
    clients("opensearch").create_domain(DomainName="movies", TagList=TAG)
    clients("redshift").create_cluster(ClusterIdentifier="dw", NodeType="ra3.large", MasterUsername="admin", MasterUserPassword="Passw0rd1",
                                       ClusterType="single-node", Tags=TAG)
    # untagged and unprefixed: someone else's, left alone
    clients("dynamodb").create_table(TableName="production", BillingMode="PAY_PER_REQUEST",
                                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    clients("opensearch").create_domain(DomainName="logs")

    found = sweep.find_all(clients, PREFIX)
    assert {label: len(ids) for label, ids in found.items()} == {label: 1 for label in (
        "bucket", "DynamoDB table", "Glue job", "Athena workgroup", "Firehose stream", "state machine", "EMR cluster", "OpenSearch domain", "Redshift cluster")}
    problems = []
    assert sweep.sweep(clients, PREFIX, problems.append) == [], problems
    assert clients("dynamodb").list_tables()["TableNames"] == ["production"]
    assert [d["DomainName"] for d in clients("opensearch").list_domain_names()["DomainNames"]] == ["logs"]


@pytest.mark.django_db
def test_the_sandbox_lacking_data_quality_counts_as_nothing_to_sweep(clients):
    assert sweep.list_kind(sweep.BY_LABEL["Glue Data Quality ruleset"], clients) == []  # not "could not list", which would block every teardown


def test_data_quality_rulesets_are_listed_page_by_page_and_deleted(stubbed):
    glue = stubbed.stub("glue")
    glue.add_response("list_data_quality_rulesets", {"Rulesets": [{"Name": "production-rules"}], "NextToken": "t1"}, {})
    glue.add_response("list_data_quality_rulesets", {"Rulesets": [{"Name": f"{PREFIX}-orders-rules"}]}, {"NextToken": "t1"})
    glue.add_response("delete_data_quality_ruleset", {}, {"Name": f"{PREFIX}-orders-rules"})
    kind = sweep.BY_LABEL["Glue Data Quality ruleset"]
    mine = [item.id for item in kind.list_all(stubbed) if item.name.startswith(PREFIX)]
    assert mine == [f"{PREFIX}-orders-rules"]
    sweep.delete(stubbed, kind.label, mine[0], print)


def test_firehose_streams_are_listed_past_the_first_page(stubbed):
    firehose = stubbed.stub("firehose")
    first = [f"stream-{i}" for i in range(10)]
    firehose.add_response("list_delivery_streams", {"DeliveryStreamNames": first, "HasMoreDeliveryStreams": True}, {})
    firehose.add_response("list_delivery_streams", {"DeliveryStreamNames": [f"{PREFIX}-to-s3"], "HasMoreDeliveryStreams": False},
                          {"ExclusiveStartDeliveryStreamName": "stream-9"})
    assert [item.name for item in sweep.BY_LABEL["Firehose stream"].list_all(stubbed)] == [*first, f"{PREFIX}-to-s3"]


def test_a_tag_search_that_is_refused_counts_as_left_over(stubbed):
    stubbed.stub("resourcegroupstaggingapi").add_client_error("get_resources", service_error_code="AccessDeniedException")
    with pytest.raises(sweep.Unlisted, match="AccessDeniedException"):
        sweep.tagged(stubbed, PREFIX)


def test_arns_name_the_type_and_the_resource():
    assert sweep.arn_key("arn:aws:s3:::my-bucket") == (("s3", ""), "my-bucket")
    assert sweep.arn_key("arn:aws:glue:us-east-1:1:dataQualityRuleset/r1") == (("glue", "dataQualityRuleset"), "r1")
    assert sweep.arn_key("arn:aws:cloudformation:us-east-1:1:stack/dea-1-setup/abc") == (("cloudformation", "stack"), "dea-1-setup")
    assert sweep.arn_key("arn:aws:redshift:us-east-1:1:cluster:dw") == (("redshift", "cluster"), "dw")
