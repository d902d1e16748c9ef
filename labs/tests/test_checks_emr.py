"""The EMR lab's check kinds (config-only ones against moto, real-aws-only ones against recorded responses) and its teardown kinds."""

import io
import json

import pytest
from botocore.response import StreamingBody

from labs import sweep
from labs.checks import KINDS, NEEDS_REAL_AWS, run_check
from labs.tests.conftest import outcome

PREFIX = "dea-emr00001"
ADD_STEP_SYNC = "arn:aws:states:::elasticmapreduce:addStep.sync"



def cluster(clients, name: str = "trips") -> str:
    return clients("emr").run_job_flow(
        Name=name, ReleaseLabel="emr-7.12.0", Applications=[{"Name": "Spark"}, {"Name": "Hive"}], JobFlowRole="r", ServiceRole="s", AutoScalingRole="a",
        Instances={"KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": [
            {"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
            {"InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 1}]})["JobFlowId"]


def step(name: str, args: list[str]) -> dict:
    return {"Name": name, "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": args}}


def test_emr_step_submitted_check(moto_clients):
    args = {"cluster_name": "trips", "step_name": "to-parquet", "arg_contains": "scripts/taxi_to_parquet.py"}
    assert outcome("emr_step_submitted", moto_clients, **args).reason.startswith("there is no cluster named trips")
    cluster_id = cluster(moto_clients)
    emr = moto_clients("emr")
    assert outcome("emr_step_submitted", moto_clients, **args).reason == "cluster trips has no step named to-parquet"
    emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step("to-parquet", ["hive-script", "--run-hive-script", "s3://b/q.sql"])])
    assert outcome("emr_step_submitted", moto_clients, **args).reason == "step to-parquet does not run spark-submit"
    emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step("to-parquet", ["spark-submit", "s3://b/scripts/other.py"])])
    assert outcome("emr_step_submitted", moto_clients, **args).reason == "step to-parquet does not pass scripts/taxi_to_parquet.py to spark-submit"
    emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step("to-parquet", ["spark-submit", "--deploy-mode", "cluster", "s3://b/scripts/taxi_to_parquet.py"])])
    assert outcome("emr_step_submitted", moto_clients, **args).passed


def scaling_rule(metric: str, adjustment: int) -> dict:
    return {"Name": f"{metric}{adjustment}", "Action": {"SimpleScalingPolicyConfiguration": {"AdjustmentType": "CHANGE_IN_CAPACITY", "ScalingAdjustment": adjustment}},
            "Trigger": {"CloudWatchAlarmDefinition": {"ComparisonOperator": "LESS_THAN" if adjustment > 0 else "GREATER_THAN", "MetricName": metric, "Period": 300,
                                                      "Threshold": 15 if adjustment > 0 else 75}}}


def test_emr_autoscaling_policy_check(moto_clients):
    args = {"cluster_name": "trips", "metric": "YARNMemoryAvailablePercentage", "group_type": "CORE", "both_directions": True}
    assert outcome("emr_autoscaling_policy", moto_clients, **args).reason.startswith("no running cluster is named trips")
    cluster_id = cluster(moto_clients)
    emr = moto_clients("emr")
    core = next(g["Id"] for g in emr.list_instance_groups(ClusterId=cluster_id)["InstanceGroups"] if g["InstanceGroupType"] == "CORE")
    assert outcome("emr_autoscaling_policy", moto_clients, **args).reason == "the CORE instance group of cluster trips has no custom automatic scaling policy"
    assert outcome("emr_autoscaling_policy", moto_clients, cluster_name="trips").reason == "no instance group of cluster trips has a custom automatic scaling policy"

    def put(*rules):
        emr.put_auto_scaling_policy(ClusterId=cluster_id, InstanceGroupId=core, AutoScalingPolicy={"Constraints": {"MinCapacity": 1, "MaxCapacity": 3}, "Rules": list(rules)})

    put(scaling_rule("AppsRunning", 1))
    assert outcome("emr_autoscaling_policy", moto_clients, **args).reason == "the scaling policy of cluster trips has no rule on YARNMemoryAvailablePercentage"
    put(scaling_rule("YARNMemoryAvailablePercentage", 1))
    assert "needs a rule that adds instances and a rule that removes them" in outcome("emr_autoscaling_policy", moto_clients, **args).reason
    assert outcome("emr_autoscaling_policy", moto_clients, **{**args, "both_directions": False}).passed
    put(scaling_rule("YARNMemoryAvailablePercentage", 1), scaling_rule("YARNMemoryAvailablePercentage", -1))
    assert outcome("emr_autoscaling_policy", moto_clients, **args).passed
    assert not outcome("emr_autoscaling_policy", moto_clients, **{**args, "group_type": "TASK"}).passed


def test_state_machine_calls_check(moto_clients):
    sfn = moto_clients("stepfunctions")
    assert outcome("state_machine_calls", moto_clients, name="pipeline", resource=ADD_STEP_SYNC).reason.startswith("there is no state machine pipeline")
    submit_only = {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:addStep", "End": True}}}
    sfn.create_state_machine(name="pipeline", roleArn="arn:aws:iam::123456789012:role/r", definition=json.dumps(submit_only))
    assert outcome("state_machine_calls", moto_clients, name="pipeline", resource=ADD_STEP_SYNC).reason == (
        "state machine pipeline calls arn:aws:states:::elasticmapreduce:addStep without .sync: the Task would submit the work and move on instead of waiting for it")
    waits = {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": ADD_STEP_SYNC, "End": True}}}
    sfn.create_state_machine(name="pipeline-sync", roleArn="arn:aws:iam::123456789012:role/r", definition=json.dumps(waits))
    assert outcome("state_machine_calls", moto_clients, name="pipeline-sync", resource=ADD_STEP_SYNC).passed


@pytest.mark.parametrize("kind", ["emr_auto_termination", "s3_parquet_written"])
def test_real_aws_only_emr_checks_say_so_in_the_sandbox(kind):
    assert KINDS[kind].fidelity == "real-aws-only"
    result = run_check(kind, None, {}, sandbox=True)
    assert not result.passed and result.needs_real_aws and result.reason == NEEDS_REAL_AWS


@pytest.mark.parametrize(("policy", "passed", "reason"), [
    ({"IdleTimeout": 3600}, True, ""),
    (None, False, "cluster trips has no auto-termination policy: it would run (and bill) until someone terminates it"),
    ({"IdleTimeout": 86400}, False, "cluster trips terminates after 86400 s idle; expected at most 3600 s"),
])
def test_emr_auto_termination(stubbed, policy, passed, reason):
    emr = stubbed.stub("emr")
    emr.add_response("list_clusters", {"Clusters": [{"Id": "j-1", "Name": "trips"}]}, {"ClusterStates": ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]})
    emr.add_response("get_auto_termination_policy", {"AutoTerminationPolicy": policy} if policy else {}, {"ClusterId": "j-1"})
    result = outcome("emr_auto_termination", stubbed, cluster_name="trips", max_idle_seconds=3600)
    assert (result.passed, result.reason) == (passed, reason)


def test_emr_auto_termination_without_a_cluster(stubbed):
    stubbed.stub("emr").add_response("list_clusters", {"Clusters": [{"Id": "j-2", "Name": "other"}]}, {"ClusterStates": ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]})
    assert outcome("emr_auto_termination", stubbed, cluster_name="trips").reason.startswith("no running cluster is named trips")


def body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


@pytest.mark.parametrize(("head", "passed", "reason"), [
    (b"PAR1", True, ""),
    (b"vend", False, "s3://lab/out/pickup_month=2024-01/part-0.snappy.parquet is named .parquet but is not a Parquet file"),
])
def test_s3_parquet_written(stubbed, head, passed, reason):
    s3 = stubbed.stub("s3")
    key = "out/pickup_month=2024-01/part-0.snappy.parquet"
    s3.add_response("list_objects_v2", {"Contents": [{"Key": "out/_SUCCESS", "Size": 0}, {"Key": key, "Size": 2048}]},
                    {"Bucket": "lab", "Prefix": "out/", "MaxKeys": 1000})
    s3.add_response("get_object", {"Body": body(head)}, {"Bucket": "lab", "Key": key, "Range": "bytes=0-3"})
    result = outcome("s3_parquet_written", stubbed, bucket="lab", prefix="out/")
    assert (result.passed, result.reason) == (passed, reason)


def test_s3_parquet_written_before_the_job_ran(stubbed):
    stubbed.stub("s3").add_response("list_objects_v2", {"Contents": [{"Key": "out/_temporary/0", "Size": 0}]}, {"Bucket": "lab", "Prefix": "out/", "MaxKeys": 1000})
    assert outcome("s3_parquet_written", stubbed, bucket="lab", prefix="out/").reason == "0 Parquet file(s) under s3://lab/out/; expected at least 1"


def test_the_sweep_deletes_the_instance_profile_and_emrs_security_groups(moto_clients):
    iam, ec2 = moto_clients("iam"), moto_clients("ec2")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName=f"{PREFIX}-emr-ec2", AssumeRolePolicyDocument=trust)
    iam.create_instance_profile(InstanceProfileName=f"{PREFIX}-emr-ec2")
    iam.add_role_to_instance_profile(InstanceProfileName=f"{PREFIX}-emr-ec2", RoleName=f"{PREFIX}-emr-ec2")
    iam.create_role(RoleName="someone-elses", AssumeRolePolicyDocument=trust)  # in a profile carrying the prefix, but not named with it
    iam.create_instance_profile(InstanceProfileName=f"{PREFIX}-stray")
    iam.add_role_to_instance_profile(InstanceProfileName=f"{PREFIX}-stray", RoleName="someone-elses")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": sweep.TAG_KEY, "Value": PREFIX}]}])["Vpc"]["VpcId"]
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")
    # what EMR creates in a public subnet: two groups whose rules refer to each other
    master = ec2.create_security_group(GroupName="ElasticMapReduce-master", Description="EMR primary", VpcId=vpc)["GroupId"]
    slave = ec2.create_security_group(GroupName="ElasticMapReduce-slave", Description="EMR core and task", VpcId=vpc)["GroupId"]
    for group, other in ((master, slave), (slave, master)):
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": other}]}])

    kinds = {kind.label: kind for kind in sweep.KINDS}
    assert sorted(kinds["IAM instance profile"].find(moto_clients, PREFIX)) == [f"{PREFIX}-emr-ec2", f"{PREFIX}-stray"]
    assert sorted(kinds["VPC security group"].find(moto_clients, PREFIX)) == sorted([master, slave])
    problems = []
    assert sweep.sweep(moto_clients, PREFIX, problems.append) == [], problems
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]] == []
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["someone-elses"]  # not the run's: left alone
    assert ec2.describe_vpcs(VpcIds=[], Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Vpcs"] == []


def test_the_lab_template_makes_the_profile_named_like_its_role(moto_clients):
    from labs.tests.conftest import CATALOG

    cloudformation = moto_clients("cloudformation")
    cloudformation.create_stack(StackName=f"{PREFIX}-template", TemplateBody=(CATALOG / "emr" / "template.yaml").read_text(),
                                Parameters=[{"ParameterKey": "Prefix", "ParameterValue": PREFIX}], Capabilities=["CAPABILITY_NAMED_IAM"])
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cloudformation.describe_stacks(StackName=f"{PREFIX}-template")["Stacks"][0]["Outputs"]}
    profile = moto_clients("iam").get_instance_profile(InstanceProfileName=outputs["Ec2InstanceProfileName"])["InstanceProfile"]
    assert [role["RoleName"] for role in profile["Roles"]] == [outputs["Ec2InstanceProfileName"]]  # EMR refuses a profile named unlike its role
    assert sweep.sweep(moto_clients, PREFIX, print) == []


@pytest.mark.parametrize(("code", "raised"), [("DependencyViolation", False), ("UnauthorizedOperation", True)])
def test_a_security_group_still_referred_to_is_left_for_the_vpcs_turn(stubbed, code, raised):
    import botocore.exceptions

    ec2 = stubbed.stub("ec2")
    ingress = [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-slave"}]}]
    egress = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    ec2.add_response("describe_security_groups", {"SecurityGroups": [{"GroupId": "sg-master", "GroupName": "ElasticMapReduce-master",
                                                                      "IpPermissions": ingress, "IpPermissionsEgress": egress}]}, {"GroupIds": ["sg-master"]})
    ec2.add_response("revoke_security_group_ingress", {"Return": True}, {"GroupId": "sg-master", "IpPermissions": ingress})
    ec2.add_response("revoke_security_group_egress", {"Return": True}, {"GroupId": "sg-master", "IpPermissions": egress})
    ec2.add_client_error("delete_security_group", service_error_code=code, expected_params={"GroupId": "sg-master"})
    if raised:
        with pytest.raises(botocore.exceptions.ClientError):
            sweep._delete_security_group(stubbed, "sg-master")
    else:
        sweep._delete_security_group(stubbed, "sg-master")
