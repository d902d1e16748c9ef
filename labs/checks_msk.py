"""Check kinds for Amazon MSK (clusters, IAM authentication), registered into labs.checks.KINDS."""

from .checks import CONFIG_ONLY, REAL_AWS_ONLY, Missing, Outcome, check, missing_means

GONE = ("DELETING", "FAILED")


def _cluster(clients, name: str) -> dict:
    """The cluster with exactly this name (ListClustersV2 filters on a name prefix), described in full."""
    kafka = clients("kafka")
    for page in kafka.get_paginator("list_clusters_v2").paginate(ClusterNameFilter=name):
        for item in page.get("ClusterInfoList", []):
            if item["ClusterName"] == name:
                return kafka.describe_cluster_v2(ClusterArn=item["ClusterArn"])["ClusterInfo"]
    raise Missing(f"there is no MSK cluster {name}")


def _network_problem(clients, name: str, subnets: list[str], vpc: str) -> str:
    """Empty when the brokers sit in at least two subnets of the VPC, in different Availability Zones."""
    if len(set(subnets)) < 2:
        return f"cluster {name} has brokers in {len(set(subnets))} subnet(s); MSK needs at least two, in different Availability Zones"
    found = clients("ec2").describe_subnets(SubnetIds=subnets)["Subnets"]
    outside = [s["SubnetId"] for s in found if s["VpcId"] != vpc]
    if outside:
        return f"cluster {name} uses subnet {outside[0]}, which is not in the lab VPC {vpc}"
    if len({s["AvailabilityZone"] for s in found}) < 2:
        return f"the subnets of cluster {name} are all in one Availability Zone; spread the brokers over two"
    return ""


@check("msk_cluster", CONFIG_ONLY, "a provisioned MSK cluster in the lab VPC uses IAM client authentication and TLS in transit")
def msk_cluster(clients, *, cluster: str, vpc: str, security_group: str = "", instance_type: str = "", max_brokers: int = 0) -> Outcome:
    found = _cluster(clients, cluster)
    if found["State"] in GONE:
        return Outcome(False, f"cluster {cluster} is {found['State']}")
    if found.get("ClusterType") != "PROVISIONED":
        return Outcome(False, f"cluster {cluster} is {found.get('ClusterType', 'not provisioned').lower()}; this lab builds a provisioned cluster")
    provisioned = found.get("Provisioned", {})
    brokers = provisioned.get("BrokerNodeGroupInfo", {})
    if instance_type and brokers.get("InstanceType") != instance_type:
        return Outcome(False, f"cluster {cluster} runs {brokers.get('InstanceType')} brokers; this lab uses {instance_type}, the cheapest size")
    count = provisioned.get("NumberOfBrokerNodes", 0)
    if max_brokers and count > max_brokers:
        return Outcome(False, f"cluster {cluster} has {count} brokers; {max_brokers} are enough here and each one is billed by the hour")
    problem = _network_problem(clients, cluster, brokers.get("ClientSubnets", []), vpc)
    if problem:
        return Outcome(False, problem)
    if security_group and security_group not in brokers.get("SecurityGroups", []):
        return Outcome(False, f"cluster {cluster} does not use the lab security group {security_group}")
    authentication = provisioned.get("ClientAuthentication", {})
    if not authentication.get("Sasl", {}).get("Iam", {}).get("Enabled"):
        return Outcome(False, f"cluster {cluster} does not use IAM client authentication (SASL/IAM)")
    if authentication.get("Unauthenticated", {}).get("Enabled"):
        return Outcome(False, f"cluster {cluster} still allows unauthenticated clients")
    in_transit = provisioned.get("EncryptionInfo", {}).get("EncryptionInTransit", {})
    client_broker = in_transit.get("ClientBroker", "TLS")  # MSK's default when the request leaves it out
    if client_broker != "TLS":
        return Outcome(False, f"cluster {cluster} accepts {client_broker} between clients and brokers; this lab allows TLS only")
    if in_transit.get("InCluster") is False:
        return Outcome(False, f"cluster {cluster} does not encrypt traffic between its brokers")
    return Outcome(True)


@check("msk_cluster_active", REAL_AWS_ONLY, "an MSK cluster finished creating and is ACTIVE")
def msk_cluster_active(clients, *, cluster: str) -> Outcome:
    found = _cluster(clients, cluster)
    if found["State"] == "CREATING":
        return Outcome(False, f"cluster {cluster} is still CREATING; a provisioned cluster usually takes 15 to 30 minutes, so check again later")
    if found["State"] != "ACTIVE":
        return Outcome(False, f"cluster {cluster} is {found['State']}, not ACTIVE")
    return Outcome(True)


@check("msk_topic", REAL_AWS_ONLY, "a topic exists on an MSK cluster with at least N partitions and a replication factor")
def msk_topic(clients, *, cluster: str, topic: str, min_partitions: int = 1, replication_factor: int = 0) -> Outcome:
    found = _cluster(clients, cluster)
    with missing_means(f"cluster {cluster} has no topic {topic} yet (the topic API can lag about a minute behind)", "NotFoundException"):
        described = clients("kafka").describe_topic(ClusterArn=found["ClusterArn"], TopicName=topic)
    partitions = described.get("PartitionCount", 0)
    if partitions < min_partitions:
        return Outcome(False, f"topic {topic} has {partitions} partition(s); expected at least {min_partitions}")
    if replication_factor and described.get("ReplicationFactor") != replication_factor:
        return Outcome(False, f"topic {topic} has replication factor {described.get('ReplicationFactor')}, not {replication_factor}")
    return Outcome(True)
