"""Find and delete everything a lab run left behind: what carries its prefix in its name, or its tag.

Each resource type knows how to find the run's resources and how to delete one. A sweep deletes what it
finds, then looks again: a run is only marked deleted when that second look finds nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import botocore.exceptions

TAG_KEY = "studyapp:run"
EMR_ALIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING"]


def _names(prefix: str) -> tuple[str, ...]:
    """Glue and Athena names cannot hold hyphens, so the prefix also appears with underscores."""
    return (prefix, prefix.replace("-", "_"))


def _paged(client, operation: str, key: str, **kwargs) -> list:
    items = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        items += page.get(key, [])
    return items


@dataclass(frozen=True)
class Kind:
    label: str
    find: Callable[[object, str], list[str]]
    delete: Callable[[object, str], None]


def _find_buckets(clients, prefix: str) -> list[str]:
    return [b["Name"] for b in clients("s3").list_buckets().get("Buckets", []) if b["Name"].startswith(prefix)]


def empty_and_delete_bucket(clients, bucket: str) -> None:
    s3 = clients("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if objects:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
    s3.delete_bucket(Bucket=bucket)


def _find_stacks(clients, prefix: str) -> list[str]:
    stacks = _paged(clients("cloudformation"), "list_stacks", "StackSummaries")
    return [s["StackName"] for s in stacks if s["StackName"].startswith(prefix) and s["StackStatus"] != "DELETE_COMPLETE"]


def _find_vpcs(clients, prefix: str) -> list[str]:
    return [v["VpcId"] for v in clients("ec2").describe_vpcs(Filters=[{"Name": f"tag:{TAG_KEY}", "Values": [prefix]}])["Vpcs"]]


def _delete_vpc(clients, vpc_id: str) -> None:
    """CloudFormation in the sandbox can leave VPC parts behind (see notes): remove them in dependency order."""
    ec2, in_vpc = clients("ec2"), [{"Name": "vpc-id", "Values": [vpc_id]}]
    for gateway in ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]:
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
    for subnet in ec2.describe_subnets(Filters=in_vpc)["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for table in ec2.describe_route_tables(Filters=in_vpc)["RouteTables"]:
        if not any(a.get("Main") for a in table.get("Associations", [])):
            for association in table.get("Associations", []):
                ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
            ec2.delete_route_table(RouteTableId=table["RouteTableId"])
    for group in ec2.describe_security_groups(Filters=in_vpc)["SecurityGroups"]:
        if group["GroupName"] != "default":
            ec2.delete_security_group(GroupId=group["GroupId"])
    ec2.delete_vpc(VpcId=vpc_id)


def _glue(operation: str, key: str, field: str | None = None):
    def find(clients, prefix: str) -> list[str]:
        items = getattr(clients("glue"), operation)().get(key, [])
        names = [item[field] if field else item for item in items]
        return [name for name in names if name.startswith(_names(prefix))]
    return find


def _delete_role(clients, role: str) -> None:
    iam = clients("iam")
    for policy in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=role, PolicyArn=policy["PolicyArn"])
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    for profile in iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]:
        iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=role)
    iam.delete_role(RoleName=role)


def _find_state_machines(clients, prefix: str) -> list[str]:
    machines = clients("stepfunctions").list_state_machines()["stateMachines"]
    return [m["stateMachineArn"] for m in machines if m["name"].startswith(prefix)]


def _find_emr(clients, prefix: str) -> list[str]:
    return [c["Id"] for c in clients("emr").list_clusters(ClusterStates=EMR_ALIVE)["Clusters"] if c["Name"].startswith(prefix)]


def _find_redshift(clients, prefix: str) -> list[str]:
    clusters = clients("redshift").describe_clusters()["Clusters"]
    tagged = [c for c in clusters if c["ClusterIdentifier"].startswith(prefix) or {"Key": TAG_KEY, "Value": prefix} in c.get("Tags", [])]
    return [c["ClusterIdentifier"] for c in tagged]


def _delete_instance_profile(clients, name: str) -> None:
    iam = clients("iam")
    for role in iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"]:
        iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=role["RoleName"])
    iam.delete_instance_profile(InstanceProfileName=name)


def _find_security_groups(clients, prefix: str) -> list[str]:
    vpcs = _find_vpcs(clients, prefix)
    if not vpcs:
        return []
    groups = clients("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": vpcs}])["SecurityGroups"]
    return [g["GroupId"] for g in groups if g["GroupName"] != "default"]


def _delete_security_group(clients, group_id: str) -> None:
    """EMR's own groups in the run's VPC (ElasticMapReduce-master and -slave) refer to each other, so neither can be deleted
    while the other keeps its rules: drop every rule first. A group another one still refers to is left for the VPC's turn."""
    ec2 = clients("ec2")
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    if group.get("IpPermissions"):
        ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=group["IpPermissions"])
    if group.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=group["IpPermissionsEgress"])
    try:
        ec2.delete_security_group(GroupId=group_id)
    except botocore.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") != "DependencyViolation":
            raise


def _find_msk(clients, prefix: str) -> list[str]:
    clusters = _paged(clients("kafka"), "list_clusters_v2", "ClusterInfoList")
    return [c["ClusterArn"] for c in clusters if c["ClusterName"].startswith(prefix) or c.get("Tags", {}).get(TAG_KEY) == prefix]


def _delete_msk(clients, arn: str) -> None:
    """A cluster already DELETING is left to finish (it takes minutes); the VPC's turn comes once its network interfaces are gone."""
    kafka = clients("kafka")
    if kafka.describe_cluster_v2(ClusterArn=arn)["ClusterInfo"]["State"] != "DELETING":
        kafka.delete_cluster(ClusterArn=arn)

KINDS = [
    Kind("bucket", _find_buckets, empty_and_delete_bucket),
    Kind("stack", _find_stacks, lambda clients, name: clients("cloudformation").delete_stack(StackName=name)),
    Kind("Glue trigger", _glue("list_triggers", "TriggerNames"), lambda clients, name: clients("glue").delete_trigger(Name=name)),
    Kind("Glue workflow", _glue("list_workflows", "Workflows"), lambda clients, name: clients("glue").delete_workflow(Name=name)),
    Kind("Glue job", _glue("list_jobs", "JobNames"), lambda clients, name: clients("glue").delete_job(JobName=name)),
    Kind("Glue crawler", _glue("list_crawlers", "CrawlerNames"), lambda clients, name: clients("glue").delete_crawler(Name=name)),
    Kind("Glue database", _glue("get_databases", "DatabaseList", "Name"), lambda clients, name: clients("glue").delete_database(Name=name)),
    Kind("Athena workgroup", lambda clients, prefix: [w["Name"] for w in clients("athena").list_work_groups()["WorkGroups"] if w["Name"].startswith(_names(prefix))],
         lambda clients, name: clients("athena").delete_work_group(WorkGroup=name, RecursiveDeleteOption=True)),
    Kind("Kinesis stream", lambda clients, prefix: [n for n in clients("kinesis").list_streams().get("StreamNames", []) if n.startswith(prefix)],
         lambda clients, name: clients("kinesis").delete_stream(StreamName=name, EnforceConsumerDeletion=True)),
    Kind("Firehose stream", lambda clients, prefix: [n for n in clients("firehose").list_delivery_streams()["DeliveryStreamNames"] if n.startswith(prefix)],
         lambda clients, name: clients("firehose").delete_delivery_stream(DeliveryStreamName=name, AllowForceDelete=True)),
    Kind("DynamoDB table", lambda clients, prefix: [n for n in clients("dynamodb").list_tables()["TableNames"] if n.startswith(prefix)],
         lambda clients, name: clients("dynamodb").delete_table(TableName=name)),
    Kind("state machine", _find_state_machines, lambda clients, arn: clients("stepfunctions").delete_state_machine(stateMachineArn=arn)),
    Kind("EMR cluster", _find_emr, lambda clients, cluster: clients("emr").terminate_job_flows(JobFlowIds=[cluster])),
    Kind("Redshift cluster", _find_redshift,
         lambda clients, name: clients("redshift").delete_cluster(ClusterIdentifier=name, SkipFinalClusterSnapshot=True)),
    Kind("OpenSearch domain", lambda clients, prefix: [d["DomainName"] for d in clients("opensearch").list_domain_names()["DomainNames"]
                                                        if d["DomainName"].startswith(prefix)],
         lambda clients, name: clients("opensearch").delete_domain(DomainName=name)),
    Kind("MSK cluster", _find_msk, _delete_msk),
    Kind("IAM role", lambda clients, prefix: [r["RoleName"] for r in _paged(clients("iam"), "list_roles", "Roles") if r["RoleName"].startswith(prefix)],
         _delete_role),
    Kind("IAM instance profile", lambda clients, prefix: [p["InstanceProfileName"] for p in _paged(clients("iam"), "list_instance_profiles", "InstanceProfiles")
                                                           if p["InstanceProfileName"].startswith(prefix)], _delete_instance_profile),
    Kind("VPC security group", _find_security_groups, _delete_security_group),
    Kind("VPC", _find_vpcs, _delete_vpc),
]


def _find(kind: Kind, clients, prefix: str) -> list[str]:
    """A kind that cannot be listed (no permission, service not in the region) counts as left over: unverified is not gone."""
    try:
        return kind.find(clients, prefix)
    except botocore.exceptions.ClientError as error:
        return [f"(could not list: {error.response.get('Error', {}).get('Code', 'error')})"]


def leftovers(clients, prefix: str) -> list[str]:
    """What still carries the prefix or tag, as "kind name" labels."""
    return [f"{kind.label} {name}" for kind in KINDS for name in _find(kind, clients, prefix)]


def sweep(clients, prefix: str, report: Callable[[str], None]) -> list[str]:
    """Delete what carries the prefix or tag, then look again; returns what is still there."""
    stacks = _find_stacks(clients, prefix)
    busy = [s for s in _paged(clients("cloudformation"), "list_stacks", "StackSummaries")
            if s["StackName"] in stacks and s["StackStatus"].endswith("_IN_PROGRESS")]
    if busy:  # let CloudFormation finish deleting its own resources before touching them
        return [f"stack {s['StackName']} ({s['StackStatus']})" for s in busy]
    for kind in KINDS:
        for name in _find(kind, clients, prefix):
            if name.startswith("(could not list"):
                continue
            try:
                kind.delete(clients, name)
            except botocore.exceptions.ClientError as error:
                report(f"Deleting {kind.label} {name}: {error.response.get('Error', {}).get('Message', '') or 'refused'}")
    return leftovers(clients, prefix)
