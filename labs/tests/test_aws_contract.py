"""The emulator contract: every AWS operation the labs make works against the embedded sandbox.

Each operation is called with the smallest input its model accepts. An answer the emulator understood
(success, or a named AWS error such as ResourceNotFoundException) keeps the contract; an unrouted path,
a server error or an answer the SDK cannot parse breaks it. When an SDK or emulator upgrade breaks one
operation, this fails once, naming it, instead of failing every lab test.
"""

import ast
from pathlib import Path

import boto3
import botocore.exceptions
import botocore.session
import pytest
from botocore import xform_name
from botocore.config import Config

from labs.aws_operations import REAL_AWS_ONLY, SANDBOX, SERVICES
from studyapp.sandbox import SANDBOX_CREDENTIALS, SANDBOX_REGION

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_ACCOUNT = "999000000001"  # an emulated account of the contract's own, so no other test sees its resources
BROKEN_CODES = {"InternalFailure", "InternalError", "InternalServerError", "NotImplemented", "ServiceUnavailable"}
NAME = "dea-contract"
ROLE_ARN = f"arn:aws:iam::{CONTRACT_ACCOUNT}:role/{NAME}"

# Calls that only prepare what the listed operations need (the labs make these through CloudFormation).
SETUP = {"s3": [("s3", "create_bucket", {"Bucket": NAME})], "firehose": [("s3", "create_bucket", {"Bucket": NAME})]}

SCALE_OUT_RULE = {
    "Name": "out", "Action": {"SimpleScalingPolicyConfiguration": {"ScalingAdjustment": 1}},
    "Trigger": {"CloudWatchAlarmDefinition": {"ComparisonOperator": "LESS_THAN", "MetricName": "YARNMemoryAvailablePercentage", "Period": 300, "Threshold": 15.0}},
}

# Inputs where the smallest valid input is not enough for the emulator; a callable gets the earlier responses.
INPUTS = {
    ("cloudformation", "create_stack"): {"StackName": NAME, "TemplateBody": '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}'},
    ("glue", "create_table"): {"DatabaseName": NAME, "TableInput": {"Name": NAME, "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "int"}], "Location": f"s3://{NAME}/t/"}}},
    ("glue", "get_table"): {"DatabaseName": NAME, "Name": NAME},
    ("glue", "delete_table"): {"DatabaseName": NAME, "Name": NAME},
    ("athena", "get_query_results"): lambda r: {"QueryExecutionId": r["start_query_execution"]["QueryExecutionId"]},
    ("kinesis", "create_stream"): {"StreamName": NAME, "ShardCount": 1},
    ("kinesis", "get_shard_iterator"): {"StreamName": NAME, "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"},
    ("kinesis", "put_record"): {"StreamName": NAME, "Data": b"{}", "PartitionKey": "k"},
    ("kinesis", "get_records"): lambda r: {"ShardIterator": r["get_shard_iterator"]["ShardIterator"]},
    ("firehose", "put_record"): {"DeliveryStreamName": NAME, "Record": {"Data": b"{}"}},
    ("firehose", "create_delivery_stream"): {"DeliveryStreamName": NAME, "S3DestinationConfiguration": {"RoleARN": ROLE_ARN, "BucketARN": f"arn:aws:s3:::{NAME}"}},
    ("dynamodb", "create_table"): {
        "TableName": NAME, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    },
    ("dynamodb", "put_item"): {"TableName": NAME, "Item": {"pk": {"S": "a"}}},
    ("dynamodb", "query"): {"TableName": NAME, "KeyConditionExpression": "pk = :v", "ExpressionAttributeValues": {":v": {"S": "a"}}},
    ("redshift", "create_cluster"): {"ClusterIdentifier": NAME, "NodeType": "ra3.large", "MasterUsername": "admin", "MasterUserPassword": "Passw0rd-contract", "ClusterType": "single-node"},
    ("redshift", "delete_cluster"): {"ClusterIdentifier": NAME, "SkipFinalClusterSnapshot": True},
    ("emr", "run_job_flow"): {
        "Name": NAME, "ReleaseLabel": "emr-7.12.0", "JobFlowRole": "EMR_EC2_DefaultRole", "ServiceRole": "EMR_DefaultRole",
        "Instances": {"InstanceGroups": [
            {"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
            {"InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 1},
        ], "KeepJobFlowAliveWhenNoSteps": True},
    },
    ("emr", "describe_cluster"): lambda r: {"ClusterId": r["run_job_flow"]["JobFlowId"]},
    ("emr", "add_job_flow_steps"): lambda r: {"JobFlowId": r["run_job_flow"]["JobFlowId"], "Steps": [{"Name": NAME, "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["true"]}}]},
    ("emr", "list_steps"): lambda r: {"ClusterId": r["run_job_flow"]["JobFlowId"]},
    ("emr", "list_instance_groups"): lambda r: {"ClusterId": r["run_job_flow"]["JobFlowId"]},
    ("emr", "put_auto_scaling_policy"): lambda r: {
        "ClusterId": r["run_job_flow"]["JobFlowId"],
        "InstanceGroupId": next(g["Id"] for g in r["list_instance_groups"]["InstanceGroups"] if g["InstanceGroupType"] == "CORE"),
        "AutoScalingPolicy": {"Constraints": {"MinCapacity": 1, "MaxCapacity": 2}, "Rules": [SCALE_OUT_RULE]},
    },
    ("emr", "terminate_job_flows"): lambda r: {"JobFlowIds": [r["run_job_flow"]["JobFlowId"]]},
    ("stepfunctions", "create_state_machine"): {"name": NAME, "roleArn": ROLE_ARN, "definition": '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'},
    ("stepfunctions", "describe_state_machine"): lambda r: {"stateMachineArn": r["create_state_machine"]["stateMachineArn"]},
    ("stepfunctions", "start_execution"): lambda r: {"stateMachineArn": r["create_state_machine"]["stateMachineArn"]},
    ("stepfunctions", "list_executions"): lambda r: {"stateMachineArn": r["create_state_machine"]["stateMachineArn"]},
    ("stepfunctions", "delete_state_machine"): lambda r: {"stateMachineArn": r["create_state_machine"]["stateMachineArn"]},
    ("opensearch", "list_tags"): lambda r: {"ARN": r["create_domain"]["DomainStatus"]["ARN"]},
    ("kafka", "create_cluster"): {
        "ClusterName": NAME, "KafkaVersion": "3.6.0", "NumberOfBrokerNodes": 2,
        "BrokerNodeGroupInfo": {"InstanceType": "kafka.t3.small", "ClientSubnets": ["subnet-1", "subnet-2"]},
    },
    ("kafka", "describe_cluster_v2"): lambda r: {"ClusterArn": r["create_cluster"]["ClusterArn"]},
    ("kafka", "delete_cluster"): lambda r: {"ClusterArn": r["create_cluster"]["ClusterArn"]},
}


def minimal_value(shape, depth: int = 0):
    """The smallest value botocore's validation accepts for a shape: required members only."""
    kind = shape.type_name
    if kind == "structure":
        return {name: minimal_value(shape.members[name], depth + 1) for name in shape.required_members} if depth <= 6 else {}
    if kind == "list":
        return [minimal_value(shape.member, depth + 1) for _ in range(max(1, shape.metadata.get("min", 0)))]
    if kind == "map":
        return {}
    if kind == "string":
        return shape.enum[0] if shape.enum else NAME.ljust(shape.metadata.get("min", 0), "x")
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "blob":
        return b"{}"
    if kind == "timestamp":
        return "2026-01-01T00:00:00Z"
    raise AssertionError(f"no minimal value for a {kind} shape")


def sandbox_client(service: str, endpoint: str):
    client = boto3.client(service, endpoint_url=endpoint, region_name=SANDBOX_REGION, config=Config(retries={"max_attempts": 1}), **SANDBOX_CREDENTIALS)
    client.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", CONTRACT_ACCOUNT))
    return client


def operation_input(client, service: str, operation: str, responses: dict) -> dict:
    given = INPUTS.get((service, operation))
    if given is not None:
        return given(responses) if callable(given) else given
    model = client.meta.service_model
    shape = model.operation_model(next(o for o in model.operation_names if xform_name(o) == operation)).input_shape
    return minimal_value(shape) if shape else {}


def call(client, operation: str, params: dict) -> tuple[dict, str | None]:
    """The response, and None when the emulator served the operation; otherwise what went wrong.

    A named AWS error (ResourceNotFoundException, NoSuchEntity...) proves the operation was understood.
    """
    try:
        return getattr(client, operation)(**params), None
    except botocore.exceptions.ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if not code or code.isdigit() or code in BROKEN_CODES or status >= 500:
            return {}, f"HTTP {status} {code or 'without an error code'}: {str(error)[:300]}"
        return {}, None
    except botocore.exceptions.BotoCoreError as error:  # an answer the SDK could not parse, or no answer
        return {}, f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("service", sorted(SANDBOX))
def test_the_sandbox_serves_every_operation_the_labs_make(aws_sandbox, service):
    """The service's operations run in order (create, read, delete), each fed what the earlier ones returned."""
    client = sandbox_client(service, aws_sandbox)
    for setup_service, operation, params in SETUP.get(service, []):
        getattr(sandbox_client(setup_service, aws_sandbox), operation)(**params)
    responses = {}
    for operation in SANDBOX[service]:
        responses[operation], breach = call(client, operation, operation_input(client, service, operation, responses))
        assert breach is None, f"the sandbox does not serve {service}.{operation}: {breach}"


def test_the_contract_judges_an_unrouted_operation_as_broken(aws_sandbox):
    """The check itself can fail: a path the emulator does not route (as Athena's was after an SDK change) breaks it."""
    client = sandbox_client("athena", aws_sandbox)
    client.meta.events.register("before-send", lambda request, **_: setattr(request, "url", request.url.rstrip("/") + "/no-such-route/"))
    assert call(client, "list_work_groups", {})[1] is not None


def _on_sdk_module(attribute: ast.Attribute) -> bool:
    """botocore.session.get_session() and the like: a function of the SDK's modules, not an operation of a client."""
    receiver = attribute.value
    while isinstance(receiver, ast.Attribute):
        receiver = receiver.value
    return isinstance(receiver, ast.Name) and receiver.id in ("boto3", "botocore")


def operation_calls_in_code() -> set[str]:
    """Names of AWS operations called anywhere in the labs' code: client methods, and operation names passed as strings."""
    session = botocore.session.get_session()
    known = {xform_name(o) for service in SERVICES for o in session.get_service_model(service).operation_names}
    files = [p for p in (ROOT / "labs").rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    called = set()
    for path in files + [ROOT / "studyapp" / "sandbox.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr in known and not _on_sdk_module(node.func):
                called.add(node.func.attr)
            # Operations named as strings: paginators, and helpers such as _paged(client, "list_stacks", ...).
            called |= {arg.value for arg in node.args if isinstance(arg, ast.Constant) and arg.value in known}
    return called


def test_every_operation_in_the_code_is_in_the_contract():
    listed = {o for ops in SANDBOX.values() for o in ops} | {o for ops in REAL_AWS_ONLY.values() for o in ops}
    missing = operation_calls_in_code() - listed
    assert not missing, f"add these operations to labs/aws_operations.py (SANDBOX, or REAL_AWS_ONLY): {sorted(missing)}"


def test_every_listed_operation_exists_in_the_sdk():
    session = botocore.session.get_session()
    for listing in (SANDBOX, REAL_AWS_ONLY):
        for service, operations in listing.items():
            names = {xform_name(o) for o in session.get_service_model(service).operation_names}
            assert set(operations) <= names, f"{service} has no {sorted(set(operations) - names)}"
