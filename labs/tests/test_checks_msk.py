"""MSK: the cluster check against moto, the checks moto cannot answer against recorded AWS responses, the sweep's MSK
clusters, and the optional expiry_minutes of a lab (the MSK lab's short expiry)."""

import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from labs import runs, sweep
from labs.catalog import read_catalog
from labs.checks import KINDS, NEEDS_REAL_AWS, run_check
from labs.tests.conftest import outcome

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/dea-1-msk/0b5e0a6c-1111-2222-3333-444455556666-2"



@pytest.fixture
def network(moto_clients):
    """The lab template's network, made directly in moto: a VPC with subnets in two AZs, a security group, and a foreign subnet."""
    ec2 = moto_clients("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    same_az = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.3.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="dea-1-msk", Description="msk", VpcId=vpc)["GroupId"]
    other_vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.40.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    return {"vpc": vpc, "subnets": [a, b], "same_az": [a, same_az], "foreign": [a, foreign], "group": group}


IAM_ONLY = {"Sasl": {"Iam": {"Enabled": True}}, "Unauthenticated": {"Enabled": False}}
TLS = {"EncryptionInTransit": {"ClientBroker": "TLS", "InCluster": True}}


def create(clients, name: str, subnets: list[str], group: str, *, instance_type="kafka.t3.small", brokers=2, authentication=IAM_ONLY, encryption=TLS):
    request = {"ClusterName": name, "KafkaVersion": "3.8.x", "NumberOfBrokerNodes": brokers,
               "BrokerNodeGroupInfo": {"InstanceType": instance_type, "ClientSubnets": subnets, "SecurityGroups": [group]}}
    if authentication is not None:
        request["ClientAuthentication"] = authentication
    if encryption is not None:
        request["EncryptionInfo"] = encryption
    return clients("kafka").create_cluster(**request)["ClusterArn"]


def test_msk_cluster_passes_for_the_labs_cluster_and_says_why_otherwise(moto_clients, network):
    args = {"vpc": network["vpc"], "security_group": network["group"], "instance_type": "kafka.t3.small", "max_brokers": 2}
    assert outcome("msk_cluster", moto_clients, cluster="dea-1-msk", **args).reason.startswith("there is no MSK cluster dea-1-msk")
    create(moto_clients, "dea-1-msk-old", network["subnets"], network["group"])  # a longer name that the prefix filter also returns
    assert outcome("msk_cluster", moto_clients, cluster="dea-1-msk", **args).reason.startswith("there is no MSK cluster dea-1-msk")

    cases = {
        "open": ({"authentication": {"Unauthenticated": {"Enabled": True}}}, "cluster open does not use IAM client authentication (SASL/IAM)"),
        "both": ({"authentication": {**IAM_ONLY, "Unauthenticated": {"Enabled": True}}}, "cluster both still allows unauthenticated clients"),
        "plain": ({"encryption": {"EncryptionInTransit": {"ClientBroker": "TLS_PLAINTEXT"}}},
                  "cluster plain accepts TLS_PLAINTEXT between clients and brokers; this lab allows TLS only"),
        "inside": ({"encryption": {"EncryptionInTransit": {"ClientBroker": "TLS", "InCluster": False}}}, "cluster inside does not encrypt traffic between its brokers"),
        "big": ({"instance_type": "kafka.m5.large"}, "cluster big runs kafka.m5.large brokers; this lab uses kafka.t3.small, the cheapest size"),
        "many": ({"brokers": 4}, "cluster many has 4 brokers; 2 are enough here and each one is billed by the hour"),
    }
    for name, (changes, reason) in cases.items():
        create(moto_clients, name, network["subnets"], network["group"], **changes)
        assert outcome("msk_cluster", moto_clients, cluster=name, **args).reason == reason

    create(moto_clients, "one-az", network["same_az"], network["group"])
    assert "are all in one Availability Zone" in outcome("msk_cluster", moto_clients, cluster="one-az", **args).reason
    create(moto_clients, "elsewhere", network["foreign"], network["group"])
    assert f"which is not in the lab VPC {network['vpc']}" in outcome("msk_cluster", moto_clients, cluster="elsewhere", **args).reason
    create(moto_clients, "single", network["subnets"][:1], network["group"])
    assert "MSK needs at least two" in outcome("msk_cluster", moto_clients, cluster="single", **args).reason
    create(moto_clients, "other-group", network["subnets"], moto_clients("ec2").create_security_group(
        GroupName="x", Description="x", VpcId=network["vpc"])["GroupId"])
    assert outcome("msk_cluster", moto_clients, cluster="other-group", **args).reason == f"cluster other-group does not use the lab security group {network['group']}"
    moto_clients("kafka").create_cluster_v2(ClusterName="serverless", Serverless={
        "VpcConfigs": [{"SubnetIds": network["subnets"]}], "ClientAuthentication": {"Sasl": {"Iam": {"Enabled": True}}}})
    assert outcome("msk_cluster", moto_clients, cluster="serverless", **args).reason == "cluster serverless is serverless; this lab builds a provisioned cluster"

    create(moto_clients, "dea-1-msk", network["subnets"], network["group"])
    assert outcome("msk_cluster", moto_clients, cluster="dea-1-msk", **args).passed
    create(moto_clients, "defaults", network["subnets"], network["group"], encryption=None)  # MSK's default in transit is TLS, inside and out
    assert outcome("msk_cluster", moto_clients, cluster="defaults", **args).passed


@pytest.mark.parametrize("kind", ["msk_cluster_active", "msk_topic"])
def test_the_active_and_topic_checks_need_a_real_account(kind):
    assert KINDS[kind].fidelity == "real-aws-only"
    result = run_check(kind, None, {}, sandbox=True)
    assert not result.passed and result.needs_real_aws and result.reason == NEEDS_REAL_AWS


def stub_cluster(stubbed, state: str | None, name: str = "dea-1-msk"):
    kafka = stubbed.stub("kafka")
    listed = [{"ClusterName": name, "ClusterArn": ARN, "State": state or "ACTIVE", "ClusterType": "PROVISIONED"}] if state else []
    kafka.add_response("list_clusters_v2", {"ClusterInfoList": listed}, {"ClusterNameFilter": name})
    if state:
        info = {"ClusterName": name, "ClusterArn": ARN, "State": state, "ClusterType": "PROVISIONED", "CreationTime": datetime(2026, 11, 27)}
        kafka.add_response("describe_cluster_v2", {"ClusterInfo": info}, {"ClusterArn": ARN})
    return kafka


@pytest.mark.parametrize(("state", "passed", "reason"), [
    ("ACTIVE", True, ""),
    ("CREATING", False, "cluster dea-1-msk is still CREATING; a provisioned cluster usually takes 15 to 30 minutes, so check again later"),
    ("FAILED", False, "cluster dea-1-msk is FAILED, not ACTIVE"),
    (None, False, "there is no MSK cluster dea-1-msk (looked with the run's connection)"),
])
def test_msk_cluster_active(stubbed, state, passed, reason):
    stub_cluster(stubbed, state)
    result = outcome("msk_cluster_active", stubbed, cluster="dea-1-msk")
    assert (result.passed, result.reason) == (passed, reason)


def topic(partitions: int, replication: int) -> dict:
    return {"TopicArn": "arn:aws:kafka:us-east-1:123456789012:topic/dea-1-msk/0b5e/customers", "TopicName": "customers",
            "PartitionCount": partitions, "ReplicationFactor": replication, "Status": "ACTIVE"}


@pytest.mark.parametrize(("partitions", "replication", "passed", "reason"), [
    (2, 2, True, ""),
    (1, 2, False, "topic customers has 1 partition(s); expected at least 2"),
    (2, 1, False, "topic customers has replication factor 1, not 2"),
])
def test_msk_topic(stubbed, partitions, replication, passed, reason):
    kafka = stub_cluster(stubbed, "ACTIVE")
    kafka.add_response("describe_topic", topic(partitions, replication), {"ClusterArn": ARN, "TopicName": "customers"})
    result = outcome("msk_topic", stubbed, cluster="dea-1-msk", topic="customers", min_partitions=2, replication_factor=2)
    assert (result.passed, result.reason) == (passed, reason)


def test_msk_topic_not_created_yet(stubbed):
    kafka = stub_cluster(stubbed, "ACTIVE")
    kafka.add_client_error("describe_topic", service_error_code="NotFoundException", http_status_code=404,
                           expected_params={"ClusterArn": ARN, "TopicName": "customers"})
    result = outcome("msk_topic", stubbed, cluster="dea-1-msk", topic="customers")
    assert not result.passed and result.reason.startswith("cluster dea-1-msk has no topic customers yet")


def test_the_sweep_finds_and_deletes_msk_clusters_by_prefix_or_tag(moto_clients, network):
    kind = next(k for k in sweep.KINDS if k.label == "MSK cluster")
    assert [k.label for k in sweep.KINDS].index("MSK cluster") < [k.label for k in sweep.KINDS].index("VPC")  # its interfaces hold the VPC
    named = create(moto_clients, "dea-1-msk", network["subnets"], network["group"])
    kafka = moto_clients("kafka")
    tagged = kafka.create_cluster(ClusterName="renamed", KafkaVersion="3.8.x", NumberOfBrokerNodes=2, Tags={sweep.TAG_KEY: "dea-1"},
                                  BrokerNodeGroupInfo={"InstanceType": "kafka.t3.small", "ClientSubnets": network["subnets"]})["ClusterArn"]
    create(moto_clients, "dea-2-msk", network["subnets"], network["group"])  # another run's
    assert sorted(kind.find(moto_clients, "dea-1")) == sorted([named, tagged])
    for arn in kind.find(moto_clients, "dea-1"):
        kind.delete(moto_clients, arn)
    assert kind.find(moto_clients, "dea-1") == []
    assert [c["ClusterName"] for c in kafka.list_clusters_v2()["ClusterInfoList"]] == ["dea-2-msk"]


def test_a_whole_sweep_removes_the_cluster_and_then_the_retained_lab_network(moto_clients):
    ec2 = moto_clients("ec2")
    tags = [{"ResourceType": "vpc", "Tags": [{"Key": sweep.TAG_KEY, "Value": "dea-1"}]}]
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=tags)["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    group = ec2.create_security_group(GroupName="dea-1-msk", Description="msk", VpcId=vpc)["GroupId"]
    create(moto_clients, "dea-1-msk", subnets, group)
    problems = []
    assert sweep.sweep(moto_clients, "dea-1", problems.append) == [] and problems == []
    assert moto_clients("kafka").list_clusters_v2()["ClusterInfoList"] == [] and vpc not in [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]


def test_the_sweep_leaves_a_cluster_that_is_already_deleting_alone(stubbed):
    kafka = stubbed.stub("kafka")
    info = {"ClusterName": "dea-1-msk", "ClusterArn": ARN, "State": "DELETING", "ClusterType": "PROVISIONED"}
    kafka.add_response("describe_cluster_v2", {"ClusterInfo": info}, {"ClusterArn": ARN})
    next(k for k in sweep.KINDS if k.label == "MSK cluster").delete(stubbed, ARN)  # no delete_cluster call is stubbed: a second one would fail


# --- expiry_minutes: a lab may set a shorter life for its runs -----------------------------------

def test_the_msk_lab_sets_a_short_expiry_and_the_validator_checks_it(tmp_path):
    [lab] = [lab for lab in read_catalog(CATALOG) if lab.slug == "msk"]
    assert lab.errors == [] and lab.definition["expiry_minutes"] == 75
    shutil.copytree(CATALOG / "msk", tmp_path / "catalog" / "broken")
    path = tmp_path / "catalog" / "broken" / "lab.yaml"
    path.write_text(path.read_text().replace("expiry_minutes: 75", "expiry_minutes: soon"))
    errors = [str(e) for lab in read_catalog(tmp_path / "catalog") for e in lab.errors]
    assert len(errors) == 1 and "expiry_minutes" in errors[0] and "must be a positive whole number" in errors[0]


@pytest.mark.django_db
def test_a_run_expires_after_its_labs_expiry_minutes_or_the_default(alice, settings):
    from labs.models import AwsConnection, Lab

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    common = {"summary": "s", "cost_per_hour": Decimal("0.10"), "prices_read": date(2026, 11, 27), "minutes": 60, "sandbox_support": "partial"}
    short = Lab.objects.create(slug="short", title="Short", definition={"steps": [], "expiry_minutes": 75}, **common)
    usual = Lab.objects.create(slug="usual", title="Usual", definition={"steps": []}, **common)
    assert runs.run_minutes(short) == 75 and runs.run_minutes(usual) == settings.LABS_RUN_MINUTES
    before = timezone.now()
    run = runs.request_run(alice, short, connection, confirmed_cost=True)
    assert before + timedelta(minutes=75) <= run.expires_at <= timezone.now() + timedelta(minutes=75)
    run = runs.request_run(alice, usual, connection, confirmed_cost=True)
    assert run.expires_at >= before + timedelta(minutes=settings.LABS_RUN_MINUTES)


@pytest.mark.django_db
def test_the_launch_form_states_the_labs_own_expiry(alice, alice_client):
    from labs.models import AwsConnection, Lab

    AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    Lab.objects.create(slug="short", title="Short", summary="s", cost_per_hour="0.10", prices_read="2026-11-27", minutes=60,
                       sandbox_support="partial", definition={"steps": [], "expiry_minutes": 75})
    page = alice_client.get("/labs/short/").content.decode()
    assert "About $0.10 per hour" in page and "it expires after 75 minutes" in page
