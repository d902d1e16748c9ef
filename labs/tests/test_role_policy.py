"""The role a learner deploys for the app (templates/labs/role-template.yaml) is least privilege: every call the labs
and the sweep make in a real account is allowed, and calls outside the labs are denied, as decided by an IAM policy
evaluator (labs/policy_evaluation.py) over the template as served."""

import pytest

from labs import aws_operations
from labs.cfn_yaml import load_template
from labs.policy_evaluation import ALLOW, Request, decide

PRINCIPAL = "arn:aws:iam::999988887777:role/studyapp-worker"
ACCOUNT, REGION = "111122223333", "us-east-1"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/studyapp-labs-boundary"
RUN = "dea-1a2b3c4d"
DB = RUN.replace("-", "_")
TAGGED = {"aws:ResourceTag/studyapp:run": RUN}
CREATE_TAGGED = {"aws:RequestTag/studyapp:run": RUN}


def arn(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


BUCKET, OBJECT = f"arn:aws:s3:::{RUN}-glue-{ACCOUNT}", f"arn:aws:s3:::{RUN}-glue-{ACCOUNT}/raw/orders.csv"
STACK = arn("cloudformation", f"stack/{RUN}-glue/5b1c2d3e")
ROLE, PROFILE = f"arn:aws:iam::{ACCOUNT}:role/{RUN}-emr-ec2", f"arn:aws:iam::{ACCOUNT}:instance-profile/{RUN}-emr-ec2"
CLUSTER_EMR = arn("elasticmapreduce", "cluster/j-2AXXXXXXGAPLF")
STREAM = arn("kinesis", f"stream/{RUN}-clicks")
WORKGROUP = arn("athena", f"workgroup/{RUN}-wg")


def _call(action: str, resource: str = "*", **context) -> tuple:
    return action, resource, context


SANDBOX_ONLY = "made only in the sandbox"
SOLUTION_ONLY = "made only by the reference solutions, which run in the sandbox (tests, make bench)"
APP_PRINCIPAL = "made with the app's own credentials, before it holds the role"

# Every operation of labs/aws_operations.py: the IAM request it makes in a real account through the role, or why none.
CALLS: dict[tuple[str, str], tuple | str] = {
    ("sts", "get_caller_identity"): _call("sts:GetCallerIdentity"),
    ("sts", "assume_role"): APP_PRINCIPAL,
    ("s3", "list_buckets"): _call("s3:ListAllMyBuckets"),
    ("s3", "put_object"): _call("s3:PutObject", OBJECT), ("s3", "head_object"): _call("s3:GetObject", OBJECT),
    ("s3", "get_object"): _call("s3:GetObject", OBJECT), ("s3", "list_objects_v2"): _call("s3:ListBucket", BUCKET),
    ("s3", "list_object_versions"): _call("s3:ListBucketVersions", BUCKET), ("s3", "delete_objects"): _call("s3:DeleteObjectVersion", OBJECT),
    ("s3", "delete_bucket"): _call("s3:DeleteBucket", BUCKET),
    ("cloudformation", "create_stack"): _call("cloudformation:CreateStack", STACK, **CREATE_TAGGED),
    ("cloudformation", "describe_stacks"): _call("cloudformation:DescribeStacks", STACK),
    ("cloudformation", "describe_stack_events"): _call("cloudformation:DescribeStackEvents", STACK),
    ("cloudformation", "list_stacks"): _call("cloudformation:ListStacks"),
    ("cloudformation", "delete_stack"): _call("cloudformation:DeleteStack", STACK),
    ("iam", "create_user"): SANDBOX_ONLY, ("iam", "create_access_key"): SANDBOX_ONLY, ("iam", "list_access_keys"): SANDBOX_ONLY,
    ("iam", "list_roles"): _call("iam:ListRoles"), ("iam", "list_instance_profiles"): _call("iam:ListInstanceProfiles"),
    ("iam", "get_role"): _call("iam:GetRole", ROLE), ("iam", "list_role_policies"): _call("iam:ListRolePolicies", ROLE),
    ("iam", "delete_role_policy"): _call("iam:DeleteRolePolicy", ROLE),
    ("iam", "list_attached_role_policies"): _call("iam:ListAttachedRolePolicies", ROLE),
    ("iam", "detach_role_policy"): _call("iam:DetachRolePolicy", ROLE),
    ("iam", "list_instance_profiles_for_role"): _call("iam:ListInstanceProfilesForRole", ROLE),
    ("iam", "get_instance_profile"): _call("iam:GetInstanceProfile", PROFILE),
    ("iam", "remove_role_from_instance_profile"): _call("iam:RemoveRoleFromInstanceProfile", PROFILE),
    ("iam", "delete_instance_profile"): _call("iam:DeleteInstanceProfile", PROFILE), ("iam", "delete_role"): _call("iam:DeleteRole", ROLE),
    **{("ec2", op): _call(f"ec2:{''.join(w.title() for w in op.split('_'))}") for op in aws_operations.SANDBOX["ec2"] if op.startswith("describe_")},
    ("ec2", "detach_internet_gateway"): _call("ec2:DetachInternetGateway", arn("ec2", "internet-gateway/igw-0a1"), **TAGGED),
    ("ec2", "delete_internet_gateway"): _call("ec2:DeleteInternetGateway", arn("ec2", "internet-gateway/igw-0a1"), **TAGGED),
    ("ec2", "disassociate_route_table"): _call("ec2:DisassociateRouteTable", arn("ec2", "route-table/rtb-0a1"), **TAGGED),
    ("ec2", "delete_route_table"): _call("ec2:DeleteRouteTable", arn("ec2", "route-table/rtb-0a1"), **TAGGED),
    ("ec2", "revoke_security_group_ingress"): _call("ec2:RevokeSecurityGroupIngress", arn("ec2", "security-group/sg-0a1"), **TAGGED),
    ("ec2", "revoke_security_group_egress"): _call("ec2:RevokeSecurityGroupEgress", arn("ec2", "security-group/sg-0a1"), **TAGGED),
    ("ec2", "delete_security_group"): _call("ec2:DeleteSecurityGroup", arn("ec2", "security-group/sg-0a1"), **TAGGED),
    ("ec2", "delete_subnet"): _call("ec2:DeleteSubnet", arn("ec2", "subnet/subnet-0a1"), **TAGGED),
    ("ec2", "delete_vpc"): _call("ec2:DeleteVpc", arn("ec2", "vpc/vpc-0a1"), **TAGGED),
    ("glue", "get_database"): _call("glue:GetDatabase", arn("glue", f"database/{DB}")),
    ("glue", "get_databases"): _call("glue:GetDatabases"),
    ("glue", "list_crawlers"): _call("glue:ListCrawlers"), ("glue", "list_jobs"): _call("glue:ListJobs"),
    ("glue", "list_triggers"): _call("glue:ListTriggers"), ("glue", "list_workflows"): _call("glue:ListWorkflows"),
    ("glue", "delete_database"): _call("glue:DeleteDatabase", arn("glue", f"database/{DB}")),
    ("glue", "get_table"): _call("glue:GetTable", arn("glue", f"table/{DB}/orders")),
    ("glue", "get_tables"): _call("glue:GetTables", arn("glue", f"database/{DB}")),
    ("glue", "delete_table"): _call("glue:DeleteTable", arn("glue", f"table/{DB}/orders")),
    ("glue", "get_crawler"): _call("glue:GetCrawler", arn("glue", f"crawler/{RUN}-raw")),
    ("glue", "delete_crawler"): _call("glue:DeleteCrawler", arn("glue", f"crawler/{RUN}-raw")),
    ("glue", "get_job"): _call("glue:GetJob", arn("glue", f"job/{RUN}-clean")), ("glue", "get_job_runs"): _call("glue:GetJobRuns", arn("glue", f"job/{RUN}-clean")),
    ("glue", "delete_job"): _call("glue:DeleteJob", arn("glue", f"job/{RUN}-clean")),
    ("glue", "get_trigger"): _call("glue:GetTrigger", arn("glue", f"trigger/{RUN}-nightly")),
    ("glue", "delete_trigger"): _call("glue:DeleteTrigger", arn("glue", f"trigger/{RUN}-nightly")),
    ("glue", "get_workflow"): _call("glue:GetWorkflow", arn("glue", f"workflow/{RUN}-flow")),
    ("glue", "delete_workflow"): _call("glue:DeleteWorkflow", arn("glue", f"workflow/{RUN}-flow")),
    ("glue", "get_data_quality_ruleset"): _call("glue:GetDataQualityRuleset", arn("glue", f"dataQualityRuleset/{RUN}-rules")),
    ("glue", "list_data_quality_rulesets"): _call("glue:ListDataQualityRulesets"),
    ("glue", "delete_data_quality_ruleset"): _call("glue:DeleteDataQualityRuleset", arn("glue", f"dataQualityRuleset/{RUN}-rules")),
    **{("glue", op): SOLUTION_ONLY for op in ("create_database", "create_table", "create_crawler", "start_crawler", "create_job", "create_trigger",
                                              "create_workflow", "create_data_quality_ruleset")},
    ("athena", "create_work_group"): SOLUTION_ONLY,
    ("athena", "get_work_group"): _call("athena:GetWorkGroup", WORKGROUP), ("athena", "list_work_groups"): _call("athena:ListWorkGroups"),
    ("athena", "start_query_execution"): _call("athena:StartQueryExecution", WORKGROUP),
    ("athena", "list_query_executions"): _call("athena:ListQueryExecutions", WORKGROUP),
    ("athena", "get_query_results"): _call("athena:GetQueryResults", WORKGROUP),
    ("athena", "batch_get_query_execution"): _call("athena:BatchGetQueryExecution", WORKGROUP),
    ("athena", "delete_work_group"): _call("athena:DeleteWorkGroup", WORKGROUP),
    ("kinesis", "create_stream"): SOLUTION_ONLY, ("kinesis", "put_record"): SOLUTION_ONLY,
    ("kinesis", "describe_stream_summary"): _call("kinesis:DescribeStreamSummary", STREAM), ("kinesis", "list_streams"): _call("kinesis:ListStreams"),
    ("kinesis", "list_shards"): _call("kinesis:ListShards", STREAM), ("kinesis", "get_shard_iterator"): _call("kinesis:GetShardIterator", STREAM),
    ("kinesis", "get_records"): _call("kinesis:GetRecords", STREAM), ("kinesis", "delete_stream"): _call("kinesis:DeleteStream", STREAM),
    ("firehose", "create_delivery_stream"): SOLUTION_ONLY, ("firehose", "put_record"): SOLUTION_ONLY,
    ("firehose", "describe_delivery_stream"): _call("firehose:DescribeDeliveryStream", arn("firehose", f"deliverystream/{RUN}-to-s3")),
    ("firehose", "list_delivery_streams"): _call("firehose:ListDeliveryStreams"),
    ("firehose", "delete_delivery_stream"): _call("firehose:DeleteDeliveryStream", arn("firehose", f"deliverystream/{RUN}-to-s3")),
    ("dynamodb", "create_table"): SOLUTION_ONLY, ("dynamodb", "put_item"): SOLUTION_ONLY,
    ("dynamodb", "describe_table"): _call("dynamodb:DescribeTable", arn("dynamodb", f"table/{RUN}-orders")),
    ("dynamodb", "list_tables"): _call("dynamodb:ListTables"),
    ("dynamodb", "query"): _call("dynamodb:Query", arn("dynamodb", f"table/{RUN}-orders")),
    ("dynamodb", "scan"): _call("dynamodb:Scan", arn("dynamodb", f"table/{RUN}-orders")),
    ("dynamodb", "delete_table"): _call("dynamodb:DeleteTable", arn("dynamodb", f"table/{RUN}-orders")),
    ("redshift", "create_cluster"): SOLUTION_ONLY, ("redshift", "describe_clusters"): _call("redshift:DescribeClusters"),
    ("redshift", "delete_cluster"): _call("redshift:DeleteCluster", arn("redshift", f"cluster:{RUN}-wh")),
    ("redshift-data", "execute_statement"): _call("redshift-data:ExecuteStatement", arn("redshift", f"cluster:{RUN}-wh")),
    ("redshift-data", "describe_statement"): _call("redshift-data:DescribeStatement"),
    ("redshift-data", "get_statement_result"): _call("redshift-data:GetStatementResult"),
    ("emr", "run_job_flow"): SOLUTION_ONLY, ("emr", "add_job_flow_steps"): SOLUTION_ONLY, ("emr", "put_auto_scaling_policy"): SOLUTION_ONLY,
    ("emr", "describe_cluster"): _call("elasticmapreduce:DescribeCluster", CLUSTER_EMR),
    ("emr", "list_clusters"): _call("elasticmapreduce:ListClusters"),
    ("emr", "list_steps"): _call("elasticmapreduce:ListSteps", CLUSTER_EMR),
    ("emr", "list_instance_groups"): _call("elasticmapreduce:ListInstanceGroups", CLUSTER_EMR),
    ("emr", "get_auto_termination_policy"): _call("elasticmapreduce:GetAutoTerminationPolicy", CLUSTER_EMR),
    ("emr", "terminate_job_flows"): _call("elasticmapreduce:TerminateJobFlows", CLUSTER_EMR, **TAGGED),
    ("stepfunctions", "create_state_machine"): SOLUTION_ONLY, ("stepfunctions", "start_execution"): SOLUTION_ONLY,
    ("stepfunctions", "describe_state_machine"): _call("states:DescribeStateMachine", arn("states", f"stateMachine:{RUN}-pipeline")),
    ("stepfunctions", "list_state_machines"): _call("states:ListStateMachines"),
    ("stepfunctions", "list_executions"): _call("states:ListExecutions", arn("states", f"stateMachine:{RUN}-pipeline")),
    ("stepfunctions", "delete_state_machine"): _call("states:DeleteStateMachine", arn("states", f"stateMachine:{RUN}-pipeline")),
    ("opensearch", "create_domain"): SOLUTION_ONLY,
    ("opensearch", "describe_domain"): _call("es:DescribeDomain", arn("es", f"domain/{RUN}-search")),
    ("opensearch", "list_domain_names"): _call("es:ListDomainNames"),
    ("opensearch", "list_tags"): _call("es:ListTags", arn("es", f"domain/{RUN}-search")),
    ("opensearch", "delete_domain"): _call("es:DeleteDomain", arn("es", f"domain/{RUN}-search")),
    ("resourcegroupstaggingapi", "get_resources"): _call("tag:GetResources"),
    ("kafka", "create_cluster"): SOLUTION_ONLY, ("kafka", "create_topic"): SOLUTION_ONLY,
    ("kafka", "describe_cluster_v2"): _call("kafka:DescribeClusterV2", arn("kafka", f"cluster/{RUN}-msk/7f3c")),
    ("kafka", "list_clusters_v2"): _call("kafka:ListClustersV2"),
    ("kafka", "delete_cluster"): _call("kafka:DeleteCluster", arn("kafka", f"cluster/{RUN}-msk/7f3c")),
    ("kafka", "describe_topic"): _call("kafka-cluster:DescribeTopic", arn("kafka", f"topic/{RUN}-msk/7f3c/customers")),
}

# What CloudFormation does with the role's credentials when the app launches a lab stack.
STACK_CALLS = [
    _call("s3:CreateBucket", BUCKET), _call("s3:PutBucketPublicAccessBlock", BUCKET), _call("s3:PutBucketTagging", BUCKET),
    _call("iam:CreateRole", ROLE, **{"iam:PermissionsBoundary": BOUNDARY}),
    _call("iam:PutRolePolicy", ROLE, **{"iam:PermissionsBoundary": BOUNDARY}),
    _call("iam:AttachRolePolicy", ROLE, **{"iam:PermissionsBoundary": BOUNDARY,
                                            "iam:PolicyARN": "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"}),
    _call("iam:TagRole", ROLE), _call("iam:PassRole", ROLE, **{"iam:PassedToService": "elasticmapreduce.amazonaws.com"}),
    _call("iam:CreateInstanceProfile", PROFILE), _call("iam:AddRoleToInstanceProfile", PROFILE),
    _call("iam:CreateServiceLinkedRole", f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup",
          **{"iam:AWSServiceName": "elasticmapreduce.amazonaws.com"}),
    _call("ec2:CreateVpc", arn("ec2", "vpc/*"), **CREATE_TAGGED),
    _call("ec2:CreateTags", arn("ec2", "vpc/*"), **{"ec2:CreateAction": "CreateVpc"}),
    _call("ec2:CreateSubnet", arn("ec2", "vpc/vpc-0a1"), **TAGGED), _call("ec2:CreateSubnet", arn("ec2", "subnet/*"), **CREATE_TAGGED),
    _call("ec2:CreateSecurityGroup", arn("ec2", "security-group/*"), **CREATE_TAGGED),
    _call("ec2:AuthorizeSecurityGroupIngress", arn("ec2", "security-group/sg-0a1"), **TAGGED),
    _call("ec2:AttachInternetGateway", arn("ec2", "internet-gateway/igw-0a1"), **TAGGED),
    _call("ec2:CreateRoute", arn("ec2", "route-table/rtb-0a1"), **TAGGED),
]

# Calls a compromised or buggy app must not be able to make in the learner's account.
OUTSIDE_THE_LABS = [
    _call("s3:GetObject", "arn:aws:s3:::acme-payroll/2026/12.csv"),
    _call("s3:ListBucket", "arn:aws:s3:::acme-payroll"),
    _call("s3:PutBucketPolicy", BUCKET),  # making a lab bucket public
    _call("s3:PutObjectAcl", OBJECT),
    _call("iam:AttachRolePolicy", ROLE, **{"iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    _call("iam:AttachRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/studyapp-labs", **{"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    _call("iam:CreateRole", ROLE),  # no permissions boundary
    _call("iam:CreateRole", ROLE, **{"iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    _call("iam:PutRolePolicy", ROLE),
    _call("iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/Admin", **{"iam:PermissionsBoundary": BOUNDARY}),
    _call("iam:PutRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/studyapp-labs"),
    _call("iam:DeleteRolePermissionsBoundary", ROLE),
    _call("iam:CreatePolicyVersion", BOUNDARY),
    _call("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/dea-backdoor"),
    _call("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/admin"),
    _call("iam:PassRole", ROLE, **{"iam:PassedToService": "lambda.amazonaws.com"}),
    _call("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole", **{"iam:PassedToService": "glue.amazonaws.com"}),
    _call("iam:CreateServiceLinkedRole", f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO",
          **{"iam:AWSServiceName": "sso.amazonaws.com"}),
    _call("ec2:AuthorizeSecurityGroupIngress", arn("ec2", "security-group/sg-0prod"), **{"aws:ResourceTag/team": "payments"}),
    _call("ec2:AuthorizeSecurityGroupIngress", arn("ec2", "security-group/sg-0prod")),
    _call("ec2:DeleteVpc", arn("ec2", "vpc/vpc-0prod")),
    _call("ec2:CreateVpc", arn("ec2", "vpc/*")),  # untagged
    _call("ec2:CreateTags", arn("ec2", "security-group/sg-0prod")),  # tagging production to make it look like a lab's
    _call("ec2:RunInstances", arn("ec2", "instance/*"), **CREATE_TAGGED),
    _call("kinesis:DeleteStream", arn("kinesis", "stream/orders-prod")),
    _call("kinesis:DeleteStream", arn("kinesis", f"stream/{RUN}-clicks", region="eu-west-1")),
    _call("kinesis:ListStreams", **{"aws:RequestedRegion": "eu-west-1"}),
    _call("dynamodb:Scan", arn("dynamodb", "table/customers")),
    _call("glue:DeleteDatabase", arn("glue", "database/finance")),
    _call("glue:GetTable", arn("glue", "table/finance/salaries")),
    _call("glue:PutResourcePolicy", arn("glue", "catalog")),
    _call("athena:StartQueryExecution", arn("athena", "workgroup/primary")),
    _call("redshift:DeleteCluster", arn("redshift", "cluster:analytics-prod")),
    _call("redshift-data:ExecuteStatement", arn("redshift", "cluster:analytics-prod")),
    _call("elasticmapreduce:TerminateJobFlows", CLUSTER_EMR),  # a cluster without the run's tag
    _call("es:DeleteDomain", arn("es", "domain/logs-prod")),
    _call("kafka:DeleteCluster", arn("kafka", "cluster/events-prod/9a8b")),
    _call("cloudformation:DeleteStack", arn("cloudformation", "stack/network-prod/1f2e")),
    _call("cloudformation:CreateStack", STACK),  # without the run's tag
    _call("lambda:InvokeFunction", arn("lambda", "function:billing")),
    _call("organizations:LeaveOrganization"),
    _call("secretsmanager:GetSecretValue", arn("secretsmanager", "secret:prod/db")),
]


def _resolve(value, refs: dict):
    """Intrinsic functions of the role template, for one account and Region."""
    if isinstance(value, list):
        return [_resolve(item, refs) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return refs[value["Ref"]]
    if set(value) == {"Fn::Sub"}:
        text = value["Fn::Sub"]
        for name, replacement in refs.items():
            text = text.replace("${" + name + "}", replacement)
        assert "${" not in text, text
        return text
    return {key: _resolve(item, refs) for key, item in value.items()}


@pytest.fixture
def role_template(alice_client, settings) -> dict:
    settings.LABS_APP_PRINCIPAL_ARN = PRINCIPAL
    response = alice_client.get("/labs/connections/role-template.yaml")
    assert response.status_code == 200
    refs = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws", "LabsBoundary": BOUNDARY}
    return _resolve(load_template(response.content.decode()), refs)


def _role_policy(template: dict) -> dict:
    return template["Resources"]["LabsRole"]["Properties"]["Policies"][0]["PolicyDocument"]


def _boundary(template: dict) -> dict:
    return template["Resources"]["LabsBoundary"]["Properties"]["PolicyDocument"]


def _request(call: tuple) -> Request:
    action, resource, context = call
    return Request(action, resource, {"aws:RequestedRegion": REGION, **context})


def test_every_operation_of_the_labs_is_accounted_for():
    listed = {(service, op) for ops in (aws_operations.SANDBOX, aws_operations.REAL_AWS_ONLY) for service, names in ops.items() for op in names}
    assert sorted(listed - set(CALLS)) == []
    assert sorted(set(CALLS) - listed) == []


def test_every_call_of_the_labs_and_the_sweep_is_allowed(role_template):
    policy = _role_policy(role_template)
    calls = [call for call in CALLS.values() if isinstance(call, tuple)] + STACK_CALLS
    refused = [(call[0], call[1], decide(_request(call), [policy])) for call in calls if decide(_request(call), [policy]) != ALLOW]
    assert refused == []


@pytest.mark.parametrize("call", OUTSIDE_THE_LABS, ids=lambda call: f"{call[0]} {call[1].rsplit(':', 1)[-1]}")
def test_calls_outside_the_labs_are_denied(role_template, call):
    assert decide(_request(call), [_role_policy(role_template)]) != ALLOW


def test_the_boundary_caps_any_role_the_labs_create(role_template):
    administrator = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    boundary = _boundary(role_template)
    assert decide(_request(_call("glue:StartJobRun", arn("glue", f"job/{RUN}-clean"))), [administrator], boundary) == ALLOW
    for call in (_call("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/x"), _call("iam:AttachRolePolicy", ROLE),
                 _call("iam:DeleteRolePermissionsBoundary", ROLE), _call("organizations:LeaveOrganization"),
                 _call("secretsmanager:GetSecretValue", arn("secretsmanager", "secret:prod/db"))):
        assert decide(_request(call), [administrator], boundary) != ALLOW, call


def test_every_role_a_lab_stack_creates_takes_the_boundary():
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "catalog").glob("*/template.yaml")):
        template = load_template(path.read_text())
        roles = {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::IAM::Role"}
        if roles:
            assert "PermissionsBoundary" in template["Parameters"], path
        for name, role in roles.items():
            assert role["Properties"].get("PermissionsBoundary") == {
                "Fn::If": ["HasPermissionsBoundary", {"Ref": "PermissionsBoundary"}, {"Ref": "AWS::NoValue"}]}, f"{path}: {name}"


@pytest.mark.django_db
def test_a_launch_through_the_role_passes_the_boundary_and_other_connections_do_not(alice):
    from pathlib import Path

    from labs.models import AwsConnection, LabRun
    from labs.runs import stack_parameters

    catalog = Path(__file__).resolve().parents[1] / "catalog"
    glue, setup = (catalog / "glue" / "template.yaml").read_text(), (catalog / "setup" / "template.yaml").read_text()
    for kind, body, expected in [(AwsConnection.ROLE, glue, BOUNDARY), (AwsConnection.ROLE, setup, None), (AwsConnection.SANDBOX, glue, None),
                                 (AwsConnection.KEYS, glue, None)]:
        connection = AwsConnection.objects.create(user=alice, kind=kind, name=kind)
        run = LabRun(user=alice, connection=connection, prefix=RUN)
        parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack_parameters(run, ACCOUNT, body)}
        assert parameters.get("PermissionsBoundary") == expected and parameters["Prefix"] == RUN, kind
