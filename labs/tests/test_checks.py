"""Every check kind, for pass and for fail with a reason, against moto."""

import json

import pytest

from labs import checks
from labs.checks import KINDS, NEEDS_REAL_AWS, run_check
from labs.tests.conftest import outcome


def test_there_are_at_least_15_kinds_each_with_a_fidelity():
    assert len(KINDS) >= 15
    assert {k.fidelity for k in KINDS.values()} <= {checks.EMULATED, checks.CONFIG_ONLY, checks.REAL_AWS_ONLY}


def test_s3_prefix_and_object_checks(moto_clients):
    s3 = moto_clients("s3")
    s3.create_bucket(Bucket="course-bucket")
    assert outcome("s3_prefix_exists", moto_clients, bucket="course-bucket", prefix="rawData/").reason == "bucket course-bucket has no folder rawData/ yet"
    s3.put_object(Bucket="course-bucket", Key="rawData/")
    assert outcome("s3_prefix_exists", moto_clients, bucket="course-bucket", prefix="rawData/").passed
    missing = outcome("s3_object_exists", moto_clients, bucket="course-bucket", key="rawData/x.csv")
    assert not missing.passed and missing.reason.startswith("s3://course-bucket/rawData/x.csv does not exist")
    s3.put_object(Bucket="course-bucket", Key="rawData/x.csv", Body=b"1\n2\n")
    assert outcome("s3_object_exists", moto_clients, bucket="course-bucket", key="rawData/x.csv", min_lines=2).passed
    short = outcome("s3_object_exists", moto_clients, bucket="course-bucket", key="rawData/x.csv", min_lines=3)
    assert short.reason == "s3://course-bucket/rawData/x.csv has 2 lines; expected at least 3"
    assert not outcome("s3_objects_under_prefix", moto_clients, bucket="course-bucket", prefix="out/").passed
    s3.put_object(Bucket="course-bucket", Key="out/part-0", Body=b"x")
    assert outcome("s3_objects_under_prefix", moto_clients, bucket="course-bucket", prefix="out/").passed


TEMPLATE = json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}, "Outputs": {"QueueUrl": {"Value": {"Ref": "Q"}}}})


def test_stack_checks(moto_clients):
    assert outcome("stack_status", moto_clients, stack="s").reason.startswith("stack s does not exist")
    moto_clients("cloudformation").create_stack(StackName="s", TemplateBody=TEMPLATE)
    assert outcome("stack_status", moto_clients, stack="s").passed
    assert outcome("stack_output", moto_clients, stack="s", output="QueueUrl").passed
    assert outcome("stack_output", moto_clients, stack="s", output="Nope").reason == "stack s has no output Nope"


def test_glue_catalog_checks(moto_clients):
    glue = moto_clients("glue")
    assert outcome("glue_database_exists", moto_clients, database="raw_data").reason.startswith("the Data Catalog has no database raw_data")
    glue.create_database(DatabaseInput={"Name": "raw_data"})
    assert outcome("glue_database_exists", moto_clients, database="raw_data").passed
    columns = {"customerid": "int", "firstname": "string"}
    assert outcome("glue_table_columns", moto_clients, database="raw_data", table="customers", columns=columns).reason.startswith("database raw_data has no table customers")
    glue.create_table(DatabaseName="raw_data", TableInput={"Name": "customers", "StorageDescriptor": {"Columns": [
        {"Name": "customerid", "Type": "int"}, {"Name": "fistname", "Type": "string"}]}})
    assert outcome("glue_table_columns", moto_clients, database="raw_data", table="customers", columns=columns).reason == "table customers has no column firstname (it has customerid, fistname)"
    glue.update_table(DatabaseName="raw_data", TableInput={"Name": "customers", "StorageDescriptor": {"Columns": [
        {"Name": "customerid", "Type": "string"}, {"Name": "firstname", "Type": "string"}]}})
    assert "is string; expected int" in outcome("glue_table_columns", moto_clients, database="raw_data", table="customers", columns=columns).reason
    glue.update_table(DatabaseName="raw_data", TableInput={"Name": "customers", "StorageDescriptor": {"Columns": [
        {"Name": "customerid", "Type": "int"}, {"Name": "firstname", "Type": "string"}]}})
    assert outcome("glue_table_columns", moto_clients, database="raw_data", table="customers", columns=columns).passed


def test_glue_crawler_job_and_trigger_checks(moto_clients):
    glue = moto_clients("glue")
    assert not outcome("glue_crawler_config", moto_clients, crawler="c", path_contains="rawData/employees", database="raw_data").passed
    glue.create_crawler(Name="c", Role="r", DatabaseName="raw_data", Targets={"S3Targets": [{"Path": "s3://b/rawData/orders/"}]})
    assert "none of them contains rawData/employees" in outcome("glue_crawler_config", moto_clients, crawler="c", path_contains="rawData/employees", database="raw_data").reason
    assert outcome("glue_crawler_config", moto_clients, crawler="c", path_contains="rawData/orders", database="raw_data").passed
    assert outcome("glue_job_config", moto_clients, job="j").reason.startswith("there is no Glue job j")
    glue.create_job(Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/scriptLocation/j.py"}, WorkerType="G.1X", NumberOfWorkers=2)
    assert outcome("glue_job_config", moto_clients, job="j", worker_type="G.1X").passed
    assert "uses G.1X workers; expected G.2X" in outcome("glue_job_config", moto_clients, job="j", worker_type="G.2X").reason
    assert not outcome("glue_trigger", moto_clients, trigger="t", type="SCHEDULED", job="j").passed
    glue.create_trigger(Name="t", Type="SCHEDULED", Schedule="cron(0 6 * * ? *)", Actions=[{"JobName": "j"}])
    assert outcome("glue_trigger", moto_clients, trigger="t", type="SCHEDULED", job="j").passed
    assert "is SCHEDULED; expected CONDITIONAL" in outcome("glue_trigger", moto_clients, trigger="t", type="CONDITIONAL", job="j").reason


def test_real_aws_only_checks_never_pass_in_the_sandbox(moto_clients):
    for kind in [k for k in KINDS.values() if k.fidelity == checks.REAL_AWS_ONLY]:
        result = run_check(kind.name, moto_clients, {}, sandbox=True)
        assert not result.passed and result.needs_real_aws and result.reason == NEEDS_REAL_AWS


def test_athena_workgroup_check(moto_clients):
    assert not outcome("athena_workgroup_output", moto_clients, workgroup="w", output_prefix="s3://b/athena/").passed
    moto_clients("athena").create_work_group(Name="w", Configuration={"ResultConfiguration": {"OutputLocation": "s3://b/athena/"}})
    assert outcome("athena_workgroup_output", moto_clients, workgroup="w", output_prefix="s3://b/athena/").passed
    assert "expected a location under s3://other/" in outcome("athena_workgroup_output", moto_clients, workgroup="w", output_prefix="s3://other/").reason


def test_kinesis_checks(moto_clients):
    kinesis = moto_clients("kinesis")
    assert outcome("kinesis_stream_active", moto_clients, stream="customers_stream").reason.startswith("there is no stream customers_stream")
    kinesis.create_stream(StreamName="customers_stream", ShardCount=1)
    assert outcome("kinesis_stream_active", moto_clients, stream="customers_stream").passed
    assert "holds 0 matching record(s)" in outcome("kinesis_records_present", moto_clients, stream="customers_stream", min_records=3).reason
    for i in range(3):
        kinesis.put_record(StreamName="customers_stream", Data=json.dumps({"customerid": i}).encode(), PartitionKey=str(i))
    assert outcome("kinesis_records_present", moto_clients, stream="customers_stream", min_records=3, contains="customerid").passed


def test_firehose_check(moto_clients):
    moto_clients("s3").create_bucket(Bucket="course-bucket")
    assert not outcome("firehose_to_s3", moto_clients, delivery_stream="f", bucket="course-bucket", prefix="fh/").passed
    moto_clients("firehose").create_delivery_stream(DeliveryStreamName="f", ExtendedS3DestinationConfiguration={
        "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::course-bucket", "Prefix": "fh/"})
    assert outcome("firehose_to_s3", moto_clients, delivery_stream="f", bucket="course-bucket", prefix="fh/").passed
    assert not outcome("firehose_to_s3", moto_clients, delivery_stream="f", bucket="other", prefix="fh/").passed


def test_dynamodb_checks(moto_clients):
    ddb = moto_clients("dynamodb")
    args = {"table": "orders", "partition_key": "customerid", "sort_key": "orderdate", "gsi": "by-employee", "lsi": "by-total"}
    assert outcome("dynamodb_table_keys", moto_clients, **args).reason.startswith("there is no DynamoDB table orders")
    ddb.create_table(
        TableName="orders", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("customerid", "orderdate", "totaldue")],
        KeySchema=[{"AttributeName": "customerid", "KeyType": "HASH"}, {"AttributeName": "orderdate", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{
            "IndexName": "by-total", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "customerid", "KeyType": "HASH"}, {"AttributeName": "totaldue", "KeyType": "RANGE"}],
        }],
    )
    assert outcome("dynamodb_table_keys", moto_clients, **args).reason == "table orders has no global secondary index by-employee (its global secondary indexes: none)"
    ddb.update_table(TableName="orders", AttributeDefinitions=[{"AttributeName": "employeeid", "AttributeType": "S"}], GlobalSecondaryIndexUpdates=[
        {"Create": {"IndexName": "by-employee", "KeySchema": [{"AttributeName": "employeeid", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}}])
    assert outcome("dynamodb_table_keys", moto_clients, **args).passed
    assert "holds 0 item(s)" in outcome("dynamodb_item_count", moto_clients, table="orders", min_items=1).reason
    ddb.put_item(TableName="orders", Item={"customerid": {"S": "293"}, "orderdate": {"S": "2014-05-01"}})
    assert outcome("dynamodb_item_count", moto_clients, table="orders", min_items=1).passed


def test_redshift_emr_stepfunctions_opensearch_checks(moto_clients):
    assert outcome("redshift_cluster_available", moto_clients, cluster="c").reason.startswith("there is no Redshift cluster c")
    moto_clients("redshift").create_cluster(ClusterIdentifier="c", NodeType="ra3.large", MasterUsername="admin", MasterUserPassword="Passw0rd1", ClusterType="single-node")
    assert outcome("redshift_cluster_available", moto_clients, cluster="c").passed
    assert outcome("state_machine_exists", moto_clients, name="m").reason.startswith("there is no state machine m")
    definition = json.dumps({"StartAt": "RunSpark", "States": {"RunSpark": {"Type": "Pass", "End": True}}})
    moto_clients("stepfunctions").create_state_machine(name="m", definition=definition, roleArn="arn:aws:iam::123456789012:role/r")
    assert outcome("state_machine_exists", moto_clients, name="m", contains_state="RunSpark").passed
    assert "has no state Terminate" in outcome("state_machine_exists", moto_clients, name="m", contains_state="Terminate").reason
    assert not outcome("opensearch_domain_exists", moto_clients, domain="movies").passed
    moto_clients("opensearch").create_domain(DomainName="movies")
    assert outcome("opensearch_domain_exists", moto_clients, domain="movies").passed


def test_iam_role_trust_check(moto_clients):
    assert outcome("iam_role_trusts", moto_clients, role="glue-role", service="glue.amazonaws.com").reason.startswith("there is no IAM role glue-role")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    moto_clients("iam").create_role(RoleName="glue-role", AssumeRolePolicyDocument=json.dumps(policy))
    assert outcome("iam_role_trusts", moto_clients, role="glue-role", service="glue.amazonaws.com").reason == "role glue-role does not trust glue.amazonaws.com"
    policy["Statement"][0]["Principal"]["Service"] = "glue.amazonaws.com"
    moto_clients("iam").update_assume_role_policy(RoleName="glue-role", PolicyDocument=json.dumps(policy))
    assert outcome("iam_role_trusts", moto_clients, role="glue-role", service="glue.amazonaws.com").passed


@pytest.mark.parametrize(("kind", "args", "setup"), [
    ("glue_job_succeeded", {"job": "j"}, "job"),
    ("athena_query_succeeded", {"workgroup": "primary", "pattern": "customers"}, "athena"),
])
def test_real_aws_only_checks_fail_with_a_reason_in_an_account_without_the_work(moto_clients, kind, args, setup):
    if setup == "job":
        moto_clients("glue").create_job(Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    result = outcome(kind, moto_clients, **args)
    assert not result.passed and result.reason
