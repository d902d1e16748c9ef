"""Teardown's sweep: whatever a learner created under the run's prefix is found, deleted, and looked for again."""

import json

from labs import sweep

PREFIX = "dea-5weep001"
ROLE_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def create_one_of_everything(clients, prefix: str) -> None:
    clients("s3").create_bucket(Bucket=f"{prefix}-course")
    clients("s3").put_object(Bucket=f"{prefix}-course", Key="rawData/customers/customers.csv", Body=b"1,a\n")
    glue, underscored = clients("glue"), prefix.replace("-", "_")
    glue.create_database(DatabaseInput={"Name": f"{underscored}_raw_data"})
    glue.create_job(Name=f"{prefix}-to-parquet", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    glue.create_crawler(Name=f"{prefix}-crawler", Role="r", DatabaseName=f"{underscored}_raw_data", Targets={"S3Targets": [{"Path": "s3://b/"}]})
    glue.create_workflow(Name=f"{prefix}-flow")
    glue.create_trigger(Name=f"{prefix}-nightly", Type="SCHEDULED", Schedule="cron(0 2 * * ? *)", Actions=[{"JobName": f"{prefix}-to-parquet"}])
    clients("athena").create_work_group(Name=f"{prefix}-wg")
    clients("kinesis").create_stream(StreamName=f"{prefix}-customers_stream", ShardCount=1)
    clients("firehose").create_delivery_stream(DeliveryStreamName=f"{prefix}-to-s3", S3DestinationConfiguration={
        "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": f"arn:aws:s3:::{prefix}-course"})
    clients("dynamodb").create_table(TableName=f"{prefix}-orders", BillingMode="PAY_PER_REQUEST",
                                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    clients("stepfunctions").create_state_machine(name=f"{prefix}-trips", roleArn="arn:aws:iam::123456789012:role/r",
                                                  definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))
    clients("emr").run_job_flow(Name=f"{prefix}-spark", ReleaseLabel="emr-7.0.0", JobFlowRole="r", ServiceRole="s",
                                Instances={"InstanceCount": 1, "MasterInstanceType": "m5.xlarge", "KeepJobFlowAliveWhenNoSteps": True})
    clients("redshift").create_cluster(ClusterIdentifier=f"{prefix}-dw", NodeType="ra3.large", MasterUsername="admin",
                                       MasterUserPassword="Passw0rd1", ClusterType="single-node")
    clients("opensearch").create_domain(DomainName=f"{prefix}-movies")
    iam = clients("iam")
    iam.create_role(RoleName=f"{prefix}-glue", AssumeRolePolicyDocument=ROLE_POLICY)
    iam.put_role_policy(RoleName=f"{prefix}-glue", PolicyName="read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    managed = iam.create_policy(PolicyName=f"{prefix}-managed", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=f"{prefix}-glue", PolicyArn=managed)
    ec2 = clients("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": sweep.TAG_KEY, "Value": prefix}]}])["Vpc"]
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    ec2.create_security_group(GroupName=f"{prefix}-brokers", Description="lab", VpcId=vpc["VpcId"])
    iam.create_instance_profile(InstanceProfileName=f"{prefix}-emr-ec2")
    iam.add_role_to_instance_profile(InstanceProfileName=f"{prefix}-emr-ec2", RoleName=f"{prefix}-glue")
    clients("kafka").create_cluster(ClusterName=f"{prefix}-msk", KafkaVersion="3.8.x", NumberOfBrokerNodes=2,
                                    BrokerNodeGroupInfo={"InstanceType": "kafka.t3.small", "ClientSubnets": [subnet]})


def test_the_sweep_finds_and_deletes_every_kind_of_resource_under_the_prefix(moto_clients):
    create_one_of_everything(moto_clients, PREFIX)
    found = {kind.label for kind in sweep.KINDS if kind.find(moto_clients, PREFIX)}
    assert found == {kind.label for kind in sweep.KINDS} - {"stack", "Glue Data Quality ruleset"}  # the emulator has no Data Quality
    problems = []
    assert sweep.sweep(moto_clients, PREFIX, problems.append) == [], problems
    assert sweep.leftovers(moto_clients, PREFIX) == []


def test_the_sweep_leaves_other_runs_and_other_learners_alone(moto_clients):
    create_one_of_everything(moto_clients, "dea-other001")
    assert sweep.sweep(moto_clients, PREFIX, print) == []
    assert len(sweep.leftovers(moto_clients, "dea-other001")) == len(sweep.KINDS) - 2


def test_a_kind_the_sweep_cannot_list_counts_as_left_over(moto_clients, monkeypatch):
    import botocore.exceptions

    denied = botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "ListTables")
    monkeypatch.setattr(moto_clients("dynamodb"), "list_tables", lambda **kwargs: (_ for _ in ()).throw(denied))
    assert sweep.sweep(moto_clients, PREFIX, print) == ["DynamoDB table (could not list: AccessDenied)"]
