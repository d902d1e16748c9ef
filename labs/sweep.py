"""Find and delete everything a lab run left behind: what carries its prefix in its name, or its tag.

Each resource type lists every resource of its type (every page of it) and knows how to delete one; a resource
belongs to the run when its name starts with the run's prefix or it carries the run's tag. Tags are read from the
Resource Groups Tagging API (one paginated search for the whole account) and, for types whose listing returns their
tags, from the listing itself. A sweep deletes what it finds, then looks again: a run is only marked deleted when that
second look finds nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import botocore.exceptions
from django.conf import settings

TAG_KEY = "studyapp:run"
EMR_ALIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING"]
RUN_PREFIX = re.compile(r"^dea[-_][0-9a-f]{8}")  # any run's prefix, as runs.request_run makes it


def _names(prefix: str) -> tuple[str, ...]:
    """Glue and Athena names cannot hold hyphens, so the prefix also appears with underscores."""
    return (prefix, prefix.replace("-", "_"))


def _paged(client, operation: str, key: str, **kwargs) -> list:
    """Every page of a list call: botocore's paginator where it has one, else the NextToken loop."""
    if client.can_paginate(operation):
        return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page.get(key, [])]
    items, token = [], None
    while True:
        page = getattr(client, operation)(**kwargs, **({"NextToken": token} if token else {}))
        items += page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return items


@dataclass(frozen=True)
class Item:
    id: str  # what delete takes
    name: str  # what the prefix is matched against
    tags: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    label: str
    list_all: Callable[[object], list[Item]]
    delete: Callable[[object, str], None]
    arn_type: tuple[str, str] | None = None  # (service, resource type) in the ARNs tag:GetResources returns
    missing_in_sandbox: str = ""  # a service whose API for this type the emulator lacks (it answers 500): nothing can exist there

    def find(self, clients, prefix: str) -> list[str]:
        """The run's resources of this type (one whole look, like a sweep's)."""
        return find_all(clients, prefix, only=[self.label]).get(self.label, [])


def _tag_dict(tags: list | None) -> dict:
    return {t["Key"]: t["Value"] for t in tags or []}


def _items(records: list, id_key: str, name_key: str | None = None) -> list[Item]:
    return [Item(r[id_key], r[name_key or id_key]) for r in records]


def arn_key(arn: str) -> tuple[tuple[str, str], str]:
    """("service", "type"), name from an ARN: arn:aws:glue:r:a:job/x -> (("glue", "job"), "x"); S3 buckets have no type."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return ("", ""), ""
    service, resource = parts[2], parts[5]
    if service == "s3":
        return ("s3", ""), resource
    match = re.match(r"([^/:]+)[/:]([^/]+)", resource)
    return ((service, match[1]), match[2]) if match else ((service, ""), resource)


# --- listing, one function per type --------------------------------------------------------------------------------

def _list_buckets(clients) -> list[Item]:
    return _items(_paged(clients("s3"), "list_buckets", "Buckets"), "Name")


def empty_and_delete_bucket(clients, bucket: str) -> None:
    s3 = clients("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if objects:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
    s3.delete_bucket(Bucket=bucket)


def _list_stacks(clients) -> list[Item]:
    stacks = _paged(clients("cloudformation"), "list_stacks", "StackSummaries")
    return _items([s for s in stacks if s["StackStatus"] != "DELETE_COMPLETE"], "StackName")


def _list_vpcs(clients) -> list[Item]:
    return [Item(v["VpcId"], v["VpcId"], _tag_dict(v.get("Tags"))) for v in _paged(clients("ec2"), "describe_vpcs", "Vpcs")]


def _delete_vpc(clients, vpc_id: str) -> None:
    """CloudFormation in the sandbox can leave VPC parts behind (see notes): remove them in dependency order."""
    ec2, in_vpc = clients("ec2"), [{"Name": "vpc-id", "Values": [vpc_id]}]
    for gateway in _paged(ec2, "describe_internet_gateways", "InternetGateways", Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]):
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
    for subnet in _paged(ec2, "describe_subnets", "Subnets", Filters=in_vpc):
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for table in _paged(ec2, "describe_route_tables", "RouteTables", Filters=in_vpc):
        if not any(a.get("Main") for a in table.get("Associations", [])):
            for association in table.get("Associations", []):
                ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
            ec2.delete_route_table(RouteTableId=table["RouteTableId"])
    for group in _paged(ec2, "describe_security_groups", "SecurityGroups", Filters=in_vpc):
        if group["GroupName"] != "default":
            ec2.delete_security_group(GroupId=group["GroupId"])
    ec2.delete_vpc(VpcId=vpc_id)


def _list_security_groups(clients) -> list[Item]:
    """Named "vpc/group-name" so a group inside a run's VPC can be recognised by its VPC (see _belongs)."""
    groups = _paged(clients("ec2"), "describe_security_groups", "SecurityGroups")
    return [Item(g["GroupId"], g["GroupName"], {**_tag_dict(g.get("Tags")), "vpc": g.get("VpcId", "")}) for g in groups if g["GroupName"] != "default"]


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


def _glue(operation: str, key: str, field_name: str | None = None):
    def list_all(clients) -> list[Item]:
        records = _paged(clients("glue"), operation, key)
        return [Item(r[field_name], r[field_name]) if field_name else Item(r, r) for r in records]
    return list_all


def _delete_role(clients, role: str) -> None:
    iam = clients("iam")
    for policy in _paged(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=role):
        iam.detach_role_policy(RoleName=role, PolicyArn=policy["PolicyArn"])
    for name in _paged(iam, "list_role_policies", "PolicyNames", RoleName=role):
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    for profile in _paged(iam, "list_instance_profiles_for_role", "InstanceProfiles", RoleName=role):
        iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=role)
    iam.delete_role(RoleName=role)


def _list_kinesis_streams(clients) -> list[Item]:
    """Kinesis pages at 100 streams; the emulator pages at 10 and gives no NextToken, only HasMoreStreams, so the
    last name seen is the fallback way to ask for the next page."""
    kinesis, names, page = clients("kinesis"), [], {}
    while True:
        if page.get("NextToken"):
            page = kinesis.list_streams(NextToken=page["NextToken"])
        else:
            page = kinesis.list_streams(**({"ExclusiveStartStreamName": names[-1]} if names else {}))
        names += page.get("StreamNames", [])
        if not page.get("HasMoreStreams") or not page.get("StreamNames"):
            return [Item(n, n) for n in names]


def _list_firehose_streams(clients) -> list[Item]:
    firehose, names = clients("firehose"), []
    while True:
        page = firehose.list_delivery_streams(**({"ExclusiveStartDeliveryStreamName": names[-1]} if names else {}))
        names += page["DeliveryStreamNames"]
        if not page.get("HasMoreDeliveryStreams") or not page["DeliveryStreamNames"]:
            return [Item(n, n) for n in names]


def _list_emr(clients) -> list[Item]:
    """Only clusters still alive; their tags come from describe_cluster (the list call does not return them)."""
    emr = clients("emr")
    items = []
    for cluster in _paged(emr, "list_clusters", "Clusters", ClusterStates=EMR_ALIVE):
        tags = _tag_dict(emr.describe_cluster(ClusterId=cluster["Id"])["Cluster"].get("Tags"))
        items.append(Item(cluster["Id"], cluster["Name"], tags))
    return items


def _list_redshift(clients) -> list[Item]:
    clusters = _paged(clients("redshift"), "describe_clusters", "Clusters")
    return [Item(c["ClusterIdentifier"], c["ClusterIdentifier"], _tag_dict(c.get("Tags"))) for c in clusters]


def _list_opensearch(clients) -> list[Item]:
    opensearch, items = clients("opensearch"), []
    for domain in opensearch.list_domain_names()["DomainNames"]:  # not paginated: every domain at once
        arn = opensearch.describe_domain(DomainName=domain["DomainName"])["DomainStatus"]["ARN"]
        items.append(Item(domain["DomainName"], domain["DomainName"], _tag_dict(opensearch.list_tags(ARN=arn).get("TagList"))))
    return items


def _list_msk(clients) -> list[Item]:
    clusters = _paged(clients("kafka"), "list_clusters_v2", "ClusterInfoList")
    return [Item(c["ClusterArn"], c["ClusterName"], c.get("Tags", {})) for c in clusters]


def _delete_msk(clients, arn: str) -> None:
    """A cluster already DELETING is left to finish (it takes minutes); the VPC's turn comes once its network interfaces are gone."""
    kafka = clients("kafka")
    if kafka.describe_cluster_v2(ClusterArn=arn)["ClusterInfo"]["State"] != "DELETING":
        kafka.delete_cluster(ClusterArn=arn)


def _delete_instance_profile(clients, name: str) -> None:
    iam = clients("iam")
    for role in iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"]:
        iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=role["RoleName"])
    iam.delete_instance_profile(InstanceProfileName=name)


KINDS = [
    Kind("bucket", _list_buckets, empty_and_delete_bucket, ("s3", "")),
    Kind("stack", _list_stacks, lambda clients, name: clients("cloudformation").delete_stack(StackName=name), ("cloudformation", "stack")),
    Kind("Glue trigger", _glue("list_triggers", "TriggerNames"), lambda clients, name: clients("glue").delete_trigger(Name=name), ("glue", "trigger")),
    Kind("Glue workflow", _glue("list_workflows", "Workflows"), lambda clients, name: clients("glue").delete_workflow(Name=name), ("glue", "workflow")),
    Kind("Glue job", _glue("list_jobs", "JobNames"), lambda clients, name: clients("glue").delete_job(JobName=name), ("glue", "job")),
    Kind("Glue crawler", _glue("list_crawlers", "CrawlerNames"), lambda clients, name: clients("glue").delete_crawler(Name=name), ("glue", "crawler")),
    Kind("Glue Data Quality ruleset", _glue("list_data_quality_rulesets", "Rulesets", "Name"),
         lambda clients, name: clients("glue").delete_data_quality_ruleset(Name=name), ("glue", "dataQualityRuleset"), missing_in_sandbox="glue"),
    Kind("Glue database", _glue("get_databases", "DatabaseList", "Name"), lambda clients, name: clients("glue").delete_database(Name=name),
         ("glue", "database")),
    Kind("Athena workgroup", lambda clients: _items(_paged(clients("athena"), "list_work_groups", "WorkGroups"), "Name"),
         lambda clients, name: clients("athena").delete_work_group(WorkGroup=name, RecursiveDeleteOption=True), ("athena", "workgroup")),
    Kind("Kinesis stream", _list_kinesis_streams,
         lambda clients, name: clients("kinesis").delete_stream(StreamName=name, EnforceConsumerDeletion=True), ("kinesis", "stream")),
    Kind("Firehose stream", _list_firehose_streams,
         lambda clients, name: clients("firehose").delete_delivery_stream(DeliveryStreamName=name, AllowForceDelete=True), ("firehose", "deliverystream")),
    Kind("DynamoDB table", lambda clients: [Item(n, n) for n in _paged(clients("dynamodb"), "list_tables", "TableNames")],
         lambda clients, name: clients("dynamodb").delete_table(TableName=name), ("dynamodb", "table")),
    Kind("state machine", lambda clients: _items(_paged(clients("stepfunctions"), "list_state_machines", "stateMachines"), "stateMachineArn", "name"),
         lambda clients, arn: clients("stepfunctions").delete_state_machine(stateMachineArn=arn), ("states", "stateMachine")),
    Kind("EMR cluster", _list_emr, lambda clients, cluster: clients("emr").terminate_job_flows(JobFlowIds=[cluster]), ("elasticmapreduce", "cluster")),
    Kind("Redshift cluster", _list_redshift,
         lambda clients, name: clients("redshift").delete_cluster(ClusterIdentifier=name, SkipFinalClusterSnapshot=True), ("redshift", "cluster")),
    Kind("OpenSearch domain", _list_opensearch, lambda clients, name: clients("opensearch").delete_domain(DomainName=name), ("es", "domain")),
    Kind("MSK cluster", _list_msk, _delete_msk, ("kafka", "cluster")),
    Kind("IAM role", lambda clients: _items(_paged(clients("iam"), "list_roles", "Roles"), "RoleName"), _delete_role),
    Kind("IAM instance profile", lambda clients: _items(_paged(clients("iam"), "list_instance_profiles", "InstanceProfiles"), "InstanceProfileName"),
         _delete_instance_profile),
    Kind("VPC security group", _list_security_groups, _delete_security_group, ("ec2", "security-group")),
    Kind("VPC", _list_vpcs, _delete_vpc, ("ec2", "vpc")),
]
BY_LABEL = {kind.label: kind for kind in KINDS}


class Unlisted(Exception):
    """A type (or the tag search) could not be listed: its label says why."""


def _error_code(error: Exception) -> str:
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code", "error")
    return type(error).__name__


def _sandbox_endpoint(clients, service: str) -> bool:
    """The client talks to the emulator: a sandbox connection, or any connection pointed at it (AWS_ENDPOINT_URL in tests)."""
    if getattr(clients, "sandbox", False):
        return True
    sandbox = settings.AWS_SANDBOX_URL.rstrip("/")
    return bool(sandbox) and (clients(service).meta.endpoint_url or "").rstrip("/") == sandbox


def list_kind(kind: Kind, clients) -> list[Item]:
    if kind.missing_in_sandbox and _sandbox_endpoint(clients, kind.missing_in_sandbox):
        return []
    try:
        return kind.list_all(clients)
    except NotImplementedError:  # moto in process, for an API it lacks (botocore itself never raises this)
        return []
    except botocore.exceptions.ClientError as error:
        raise Unlisted(f"(could not list: {_error_code(error)})") from None


def tagged(clients, prefix: str) -> dict[tuple[str, str], set[str]]:
    """Names (and whole ARNs) of what carries the run's tag, by (service, type), from every page of tag:GetResources."""
    found: dict[tuple[str, str], set[str]] = {}
    try:
        pages = _paged(clients("resourcegroupstaggingapi"), "get_resources", "ResourceTagMappingList",
                       TagFilters=[{"Key": TAG_KEY, "Values": [prefix]}])
    except botocore.exceptions.ClientError as error:
        raise Unlisted(f"(could not search tags: {_error_code(error)})") from None
    for mapping in pages:
        key, name = arn_key(mapping["ResourceARN"])
        found.setdefault(key, set()).update({name, mapping["ResourceARN"]})
    return found


def _belongs(kind: Kind, item: Item, prefix: str, tags: dict, run_vpcs: set[str]) -> bool:
    if item.name.startswith(_names(prefix)) or item.tags.get(TAG_KEY) == prefix:
        return True
    if kind.label == "VPC security group" and item.tags.get("vpc") in run_vpcs:
        return True
    return bool({item.id, item.name} & tags.get(kind.arn_type, set()))


def find_all(clients, prefix: str, only: list[str] | None = None) -> dict[str, list[str]]:
    """The run's resources by kind label (of every kind, or only those named); a type that cannot be listed maps to one
    "(could not list: ...)" entry, because unverified is not gone."""
    found: dict[str, list[str]] = {}
    try:
        tags = tagged(clients, prefix)
    except Unlisted as error:
        tags, found["tag search"] = {}, [str(error)]
    listed: dict[str, list[Item]] = {}
    wanted = None if only is None else {*only, "VPC"} if "VPC security group" in only else set(only)
    for kind in KINDS:
        if wanted is not None and kind.label not in wanted:
            continue
        try:
            listed[kind.label] = list_kind(kind, clients)
        except Unlisted as error:
            found[kind.label] = [str(error)]
    run_vpcs = {item.id for item in listed.get("VPC", []) if _belongs(BY_LABEL["VPC"], item, prefix, tags, set())}
    for kind in KINDS:
        mine = [item.id for item in listed.get(kind.label, []) if _belongs(kind, item, prefix, tags, run_vpcs)]
        if mine:
            found[kind.label] = mine
    return found


def leftovers(clients, prefix: str) -> list[str]:
    """What still carries the prefix or tag, as "kind name" labels."""
    return [f"{label} {name}" for label, names in find_all(clients, prefix).items() for name in names]


def delete(clients, label: str, identifier: str, report: Callable[[str], None]) -> None:
    try:
        BY_LABEL[label].delete(clients, identifier)
    except botocore.exceptions.ClientError as error:
        report(f"Deleting {label} {identifier}: {error.response.get('Error', {}).get('Message', '') or 'refused'}")


def sweep(clients, prefix: str, report: Callable[[str], None]) -> list[str]:
    """Delete what carries the prefix or tag, then look again; returns what is still there."""
    found = find_all(clients, prefix)
    stacks = set(found.get("stack", []))
    busy = [s for s in _paged(clients("cloudformation"), "list_stacks", "StackSummaries")
            if s["StackName"] in stacks and s["StackStatus"].endswith("_IN_PROGRESS")]
    if busy:  # let CloudFormation finish deleting its own resources before touching them
        return [f"stack {s['StackName']} ({s['StackStatus']})" for s in busy]
    for kind in KINDS:
        for identifier in found.get(kind.label, []):
            if not identifier.startswith("("):
                delete(clients, kind.label, identifier, report)
    return leftovers(clients, prefix)
