"""The check kinds labs use to verify a learner's work, each with the fidelity it has in the sandbox.

A check is a function `(clients, **args) -> Outcome`. A check that finds its resource absent raises Missing (most
wrap the AWS call in `missing_means(reason, *error_codes)`), and run_check turns that into a failed Outcome. Fidelity (see notes on the emulator):
- emulated: the sandbox holds the real state the check reads;
- config-only: the sandbox holds the configuration, but the workload never runs there;
- real-aws-only: the sandbox cannot know; in sandbox mode the check says so and never passes.
"""

import json
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import botocore.exceptions

EMULATED, CONFIG_ONLY, REAL_AWS_ONLY = "emulated", "config-only", "real-aws-only"
NEEDS_REAL_AWS = "Needs a real AWS account: the sandbox cannot run this part, so it cannot check it."


@dataclass(frozen=True)
class Outcome:
    passed: bool
    reason: str = ""
    needs_real_aws: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    fidelity: str
    run: Callable[..., Outcome]
    describe: str


KINDS: dict[str, Kind] = {}


def check(name: str, fidelity: str, describe: str):
    def register(function):
        KINDS[name] = Kind(name, fidelity, function, describe)
        return function
    return register


class Missing(Exception):
    """The resource a check reads does not exist; the message is the learner-facing reason."""


@contextmanager
def missing_means(reason: str, *codes: str):
    """AWS errors with these codes mean "not there yet": the check fails with `reason` instead of an error."""
    try:
        yield
    except botocore.exceptions.ClientError as error:
        if _not_found(error, *codes):
            raise Missing(reason) from None
        raise


def run_check(kind_name: str, clients, args: dict, sandbox: bool) -> Outcome:
    kind = KINDS[kind_name]
    if sandbox and kind.fidelity == REAL_AWS_ONLY:
        return Outcome(False, NEEDS_REAL_AWS, needs_real_aws=True)
    try:
        return kind.run(clients, **args)
    except Missing as reason:
        return Outcome(False, str(reason))
    except botocore.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Error")
        return Outcome(False, f"AWS answered {code} while checking: {error.response.get('Error', {}).get('Message', '')}".strip())


def _not_found(error: botocore.exceptions.ClientError, *codes: str) -> bool:
    return error.response.get("Error", {}).get("Code") in codes


# --- Amazon S3 -------------------------------------------------------------------------------

@check("s3_prefix_exists", EMULATED, "an S3 folder (prefix) exists")
def s3_prefix_exists(clients, *, bucket: str, prefix: str) -> Outcome:
    response = clients("s3").list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)
    if response.get("KeyCount", 0):
        return Outcome(True)
    return Outcome(False, f"bucket {bucket} has no folder {prefix} yet")


@check("s3_object_exists", EMULATED, "an S3 object exists, optionally with a minimum number of lines")
def s3_object_exists(clients, *, bucket: str, key: str, min_lines: int = 0) -> Outcome:
    s3 = clients("s3")
    with missing_means(f"s3://{bucket}/{key} does not exist", "404", "NoSuchKey", "NotFound"):
        head = s3.head_object(Bucket=bucket, Key=key)
    if min_lines:
        if head["ContentLength"] > 50 * 1024 * 1024:
            return Outcome(True)
        lines = s3.get_object(Bucket=bucket, Key=key)["Body"].read().count(b"\n")
        if lines < min_lines:
            return Outcome(False, f"s3://{bucket}/{key} has {lines} lines; expected at least {min_lines}")
    return Outcome(True)


@check("s3_objects_under_prefix", EMULATED, "at least N objects were delivered under a prefix")
def s3_objects_under_prefix(clients, *, bucket: str, prefix: str, min_count: int = 1) -> Outcome:
    response = clients("s3").list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1000)
    count = sum(1 for item in response.get("Contents", []) if not item["Key"].endswith("/"))
    if count >= min_count:
        return Outcome(True)
    return Outcome(False, f"{count} object(s) under s3://{bucket}/{prefix}; expected at least {min_count}")


# --- CloudFormation --------------------------------------------------------------------------

@check("stack_status", EMULATED, "a CloudFormation stack reached a status")
def stack_status(clients, *, stack: str, status: str = "CREATE_COMPLETE") -> Outcome:
    try:
        found = clients("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except botocore.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return Outcome(False, f"stack {stack} does not exist")
        raise
    return Outcome(found == status, "" if found == status else f"stack {stack} is {found}, not {status}")


@check("stack_output", EMULATED, "a CloudFormation stack has an output")
def stack_output(clients, *, stack: str, output: str) -> Outcome:
    outputs = clients("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    if any(item["OutputKey"] == output for item in outputs):
        return Outcome(True)
    return Outcome(False, f"stack {stack} has no output {output}")


# --- AWS Glue --------------------------------------------------------------------------------

@check("glue_database_exists", EMULATED, "a Glue Data Catalog database exists")
def glue_database_exists(clients, *, database: str) -> Outcome:
    with missing_means(f"the Data Catalog has no database {database}", "EntityNotFoundException"):
        clients("glue").get_database(Name=database)
    return Outcome(True)


@check("glue_table_columns", EMULATED, "a Glue table exists with the given columns (and types)")
def glue_table_columns(clients, *, database: str, table: str, columns: dict) -> Outcome:
    with missing_means(f"database {database} has no table {table}", "EntityNotFoundException"):
        found = clients("glue").get_table(DatabaseName=database, Name=table)["Table"]
    actual = {c["Name"].lower(): c.get("Type", "").lower() for c in found.get("StorageDescriptor", {}).get("Columns", [])}
    for name, expected_type in columns.items():
        if name.lower() not in actual:
            return Outcome(False, f"table {table} has no column {name}")
        if expected_type and actual[name.lower()] != expected_type.lower():
            return Outcome(False, f"column {name} of table {table} is {actual[name.lower()]}, not {expected_type}")
    return Outcome(True)


@check("glue_crawler_config", CONFIG_ONLY, "a Glue crawler targets an S3 path and a database")
def glue_crawler_config(clients, *, crawler: str, path_contains: str, database: str) -> Outcome:
    with missing_means(f"there is no crawler {crawler}", "EntityNotFoundException"):
        found = clients("glue").get_crawler(Name=crawler)["Crawler"]
    paths = [target["Path"] for target in found.get("Targets", {}).get("S3Targets", [])]
    if not any(path_contains in path for path in paths):
        return Outcome(False, f"crawler {crawler} does not crawl a path containing {path_contains}")
    if found.get("DatabaseName") != database:
        return Outcome(False, f"crawler {crawler} writes to {found.get('DatabaseName')}, not {database}")
    return Outcome(True)


@check("glue_job_config", CONFIG_ONLY, "a Glue job exists with a script in S3 and a worker type")
def glue_job_config(clients, *, job: str, worker_type: str = "") -> Outcome:
    with missing_means(f"there is no Glue job {job}", "EntityNotFoundException"):
        found = clients("glue").get_job(JobName=job)["Job"]
    if not found.get("Command", {}).get("ScriptLocation", "").startswith("s3://"):
        return Outcome(False, f"job {job} has no script location in S3")
    if worker_type and found.get("WorkerType") != worker_type:
        return Outcome(False, f"job {job} uses {found.get('WorkerType')} workers, not {worker_type}")
    return Outcome(True)


@check("glue_job_succeeded", REAL_AWS_ONLY, "a Glue job has a run that succeeded")
def glue_job_succeeded(clients, *, job: str) -> Outcome:
    runs = clients("glue").get_job_runs(JobName=job, MaxResults=10).get("JobRuns", [])
    if any(run["JobRunState"] == "SUCCEEDED" for run in runs):
        return Outcome(True)
    states = ", ".join(run["JobRunState"] for run in runs) or "no runs"
    return Outcome(False, f"job {job} has no successful run yet ({states})")


@check("glue_trigger", CONFIG_ONLY, "a Glue trigger of a type starts a job")
def glue_trigger(clients, *, trigger: str, type: str, job: str) -> Outcome:  # noqa: A002 (the API's own word)
    with missing_means(f"there is no trigger {trigger}", "EntityNotFoundException"):
        found = clients("glue").get_trigger(Name=trigger)["Trigger"]
    if found.get("Type") != type:
        return Outcome(False, f"trigger {trigger} is {found.get('Type')}, not {type}")
    if not any(action.get("JobName") == job for action in found.get("Actions", [])):
        return Outcome(False, f"trigger {trigger} does not start job {job}")
    return Outcome(True)


# --- Athena, Kinesis, Firehose, DynamoDB ------------------------------------------------------

@check("athena_workgroup_output", EMULATED, "an Athena workgroup writes results to an S3 location")
def athena_workgroup_output(clients, *, workgroup: str, output_prefix: str) -> Outcome:
    try:
        found = clients("athena").get_work_group(WorkGroup=workgroup).get("WorkGroup")
    except botocore.exceptions.ClientError as error:
        if not ("not found" in str(error).lower() or _not_found(error, "InvalidRequestException")):
            raise
        found = None
    if not found:
        return Outcome(False, f"there is no Athena workgroup {workgroup}")
    location = found.get("Configuration", {}).get("ResultConfiguration", {}).get("OutputLocation", "")
    if not location.startswith(output_prefix):
        return Outcome(False, f"workgroup {workgroup} writes results to {location or 'nowhere'}, not under {output_prefix}")
    return Outcome(True)


@check("athena_query_succeeded", REAL_AWS_ONLY, "a query matching a pattern succeeded in a workgroup")
def athena_query_succeeded(clients, *, workgroup: str, pattern: str) -> Outcome:
    athena = clients("athena")
    ids = athena.list_query_executions(WorkGroup=workgroup, MaxResults=50).get("QueryExecutionIds", [])
    if ids:
        for execution in athena.batch_get_query_execution(QueryExecutionIds=ids)["QueryExecutions"]:
            if execution["Status"]["State"] == "SUCCEEDED" and re.search(pattern, execution["Query"], re.IGNORECASE | re.DOTALL):
                return Outcome(True)
    return Outcome(False, f"no successful query in workgroup {workgroup} matches {pattern}")


@check("kinesis_stream_active", EMULATED, "a Kinesis data stream is active")
def kinesis_stream_active(clients, *, stream: str, min_shards: int = 1) -> Outcome:
    with missing_means(f"there is no stream {stream}", "ResourceNotFoundException"):
        summary = clients("kinesis").describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
    if summary["StreamStatus"] != "ACTIVE":
        return Outcome(False, f"stream {stream} is {summary['StreamStatus']}")
    if summary.get("OpenShardCount", 0) < min_shards:
        return Outcome(False, f"stream {stream} has {summary.get('OpenShardCount')} shard(s); expected at least {min_shards}")
    return Outcome(True)


@check("kinesis_records_present", EMULATED, "a Kinesis stream holds at least N records")
def kinesis_records_present(clients, *, stream: str, min_records: int = 1, contains: str = "") -> Outcome:
    kinesis = clients("kinesis")
    count = 0
    with missing_means(f"there is no stream {stream}", "ResourceNotFoundException"):
        shards = kinesis.list_shards(StreamName=stream)["Shards"]
    for shard in shards:
        iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator, Limit=1000)["Records"]
        count += sum(1 for r in records if not contains or contains.encode() in r["Data"])
    if count >= min_records:
        return Outcome(True)
    return Outcome(False, f"stream {stream} holds {count} matching record(s); expected at least {min_records}")


@check("firehose_to_s3", EMULATED, "a Firehose stream delivers to an S3 bucket and prefix")
def firehose_to_s3(clients, *, delivery_stream: str, bucket: str, prefix: str = "") -> Outcome:
    with missing_means(f"there is no Firehose stream {delivery_stream}", "ResourceNotFoundException"):
        found = clients("firehose").describe_delivery_stream(DeliveryStreamName=delivery_stream)["DeliveryStreamDescription"]
    for destination in found.get("Destinations", []):
        s3 = destination.get("ExtendedS3DestinationDescription") or destination.get("S3DestinationDescription") or {}
        if s3.get("BucketARN", "").endswith(f":::{bucket}") and s3.get("Prefix", "").startswith(prefix):
            return Outcome(True)
    return Outcome(False, f"Firehose stream {delivery_stream} does not deliver to s3://{bucket}/{prefix}")


@check("dynamodb_table_keys", EMULATED, "a DynamoDB table has the given keys and indexes")
def dynamodb_table_keys(clients, *, table: str, partition_key: str, sort_key: str = "", gsi: str = "", lsi: str = "") -> Outcome:
    with missing_means(f"there is no DynamoDB table {table}", "ResourceNotFoundException"):
        found = clients("dynamodb").describe_table(TableName=table)["Table"]
    keys = {item["KeyType"]: item["AttributeName"] for item in found["KeySchema"]}
    if keys.get("HASH") != partition_key:
        return Outcome(False, f"table {table} has partition key {keys.get('HASH')}, not {partition_key}")
    if sort_key and keys.get("RANGE") != sort_key:
        return Outcome(False, f"table {table} has sort key {keys.get('RANGE')}, not {sort_key}")
    if gsi and gsi not in [i["IndexName"] for i in found.get("GlobalSecondaryIndexes", [])]:
        return Outcome(False, f"table {table} has no global secondary index {gsi}")
    if lsi and lsi not in [i["IndexName"] for i in found.get("LocalSecondaryIndexes", [])]:
        return Outcome(False, f"table {table} has no local secondary index {lsi}")
    return Outcome(True)


@check("dynamodb_item_count", EMULATED, "a DynamoDB table holds at least N items")
def dynamodb_item_count(clients, *, table: str, min_items: int) -> Outcome:
    with missing_means(f"there is no DynamoDB table {table}", "ResourceNotFoundException"):
        count = clients("dynamodb").scan(TableName=table, Select="COUNT").get("Count", 0)
    return Outcome(count >= min_items, "" if count >= min_items else f"table {table} holds {count} item(s); expected at least {min_items}")


# --- EMR, Step Functions, OpenSearch, IAM --------------------------------------------

@check("emr_step_completed", REAL_AWS_ONLY, "an EMR step completed")
def emr_step_completed(clients, *, cluster_name: str, step_name: str) -> Outcome:
    emr = clients("emr")
    clusters = [c for c in emr.list_clusters()["Clusters"] if c["Name"] == cluster_name]
    for cluster in clusters:
        for step in emr.list_steps(ClusterId=cluster["Id"])["Steps"]:
            if step["Name"] == step_name and step["Status"]["State"] == "COMPLETED":
                return Outcome(True)
    return Outcome(False, f"no completed step {step_name} on a cluster named {cluster_name}")


@check("state_machine_exists", CONFIG_ONLY, "a Step Functions state machine exists with a given state")
def state_machine_exists(clients, *, name: str, contains_state: str = "") -> Outcome:
    sfn = clients("stepfunctions")
    machines = [m for m in sfn.list_state_machines()["stateMachines"] if m["name"] == name]
    if not machines:
        return Outcome(False, f"there is no state machine {name}")
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=machines[0]["stateMachineArn"])["definition"])
    if contains_state and contains_state not in definition.get("States", {}):
        return Outcome(False, f"state machine {name} has no state {contains_state}")
    return Outcome(True)


@check("opensearch_domain_exists", CONFIG_ONLY, "an OpenSearch Service domain exists")
def opensearch_domain_exists(clients, *, domain: str) -> Outcome:
    names = [d["DomainName"] for d in clients("opensearch").list_domain_names()["DomainNames"]]
    return Outcome(domain in names, "" if domain in names else f"there is no OpenSearch domain {domain}")


@check("iam_role_trusts", EMULATED, "an IAM role can be assumed by a service")
def iam_role_trusts(clients, *, role: str, service: str) -> Outcome:
    with missing_means(f"there is no IAM role {role}", "NoSuchEntity"):
        document = clients("iam").get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    for statement in document.get("Statement", []):
        principals = statement.get("Principal", {}).get("Service", [])
        principals = [principals] if isinstance(principals, str) else principals
        if statement.get("Effect") == "Allow" and service in principals:
            return Outcome(True)
    return Outcome(False, f"role {role} does not trust {service}")


from . import checks_emr, checks_msk, checks_redshift, checks_search, checks_workloads  # noqa: E402, F401  (register the remaining kinds)
