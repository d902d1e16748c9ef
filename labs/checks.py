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

from . import checks_semantics as semantics

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
def missing_means(reason, *codes: str):
    """AWS errors with these codes mean "not there yet": the check fails with `reason` instead of an error."""
    try:
        yield
    except botocore.exceptions.ClientError as error:
        if _not_found(error, *codes):
            raise Missing(str(reason)) from None
        raise


def run_check(kind_name: str, clients, args: dict, sandbox: bool) -> Outcome:
    kind = KINDS[kind_name]
    if sandbox and kind.fidelity == REAL_AWS_ONLY:
        return Outcome(False, NEEDS_REAL_AWS, needs_real_aws=True)
    try:
        return kind.run(clients, **args)
    except Missing as reason:
        return Outcome(False, f"{reason} ({where(clients)})")
    except botocore.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Error")
        return Outcome(False, f"AWS answered {code} while checking: {error.response.get('Error', {}).get('Message', '')}".strip())


def where(clients) -> str:
    """Where the app looked, for a reason that says "not there": the account and region of the connection."""
    try:
        sts = clients("sts")
        return f"looked in account {sts.get_caller_identity()['Account']}, region {sts.meta.region_name}"
    except Exception:  # noqa: BLE001 (a reason must never fail because the caller's identity could not be read)
        return "looked with the run's connection"


def _not_found(error: botocore.exceptions.ClientError, *codes: str) -> bool:
    return error.response.get("Error", {}).get("Code") in codes


# --- Amazon S3 -------------------------------------------------------------------------------

@check("s3_prefix_exists", EMULATED, "an S3 folder (prefix) exists")
def s3_prefix_exists(clients, *, bucket: str, prefix: str) -> Outcome:
    s3 = clients("s3")
    response = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)
    if response.get("KeyCount", 0):
        return Outcome(True)
    top = {p["Prefix"] for p in s3.list_objects_v2(Bucket=bucket, Delimiter="/", MaxKeys=1000).get("CommonPrefixes", [])}
    other_case = [p for p in top if p.lower() == prefix.lower()]
    if other_case:
        return Outcome(False, f"bucket {bucket} has {other_case[0]} but no {prefix}: S3 keys are case-sensitive")
    return Outcome(False, f"bucket {bucket} has no folder {prefix} yet")


@check("s3_object_exists", EMULATED, "an S3 object exists, optionally with a minimum number of lines")
def s3_object_exists(clients, *, bucket: str, key: str, min_lines: int = 0) -> Outcome:
    s3 = clients("s3")
    with missing_means(_absent_object(s3, bucket, key), "404", "NoSuchKey", "NotFound"):
        head = s3.head_object(Bucket=bucket, Key=key)
    if min_lines:
        if head["ContentLength"] > 50 * 1024 * 1024:
            return Outcome(True)
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if body.startswith(semantics.GZIP_MAGIC):
            return Outcome(False, f"s3://{bucket}/{key} is gzip-compressed (it starts with gzip's magic bytes); upload the plain file")
        lines = len(body.splitlines())
        if lines < min_lines:
            return Outcome(False, f"s3://{bucket}/{key} has {lines} lines; expected at least {min_lines}")
    return Outcome(True)


@check("s3_csv_file", EMULATED, "an S3 object is the expected CSV file: plain text, delimiter, header row or not, fields per row, rows")
def s3_csv_file(clients, *, bucket: str, key: str, fields: int, delimiter: str = ",", header: bool = False, min_rows: int = 1,
                field_names: str = "") -> Outcome:
    s3 = clients("s3")
    with missing_means(_absent_object(s3, bucket, key), "404", "NoSuchKey", "NotFound"):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read(50 * 1024 * 1024)
    problem = semantics.csv_shape_problem(body, fields=fields, delimiter=delimiter, header=header, min_rows=min_rows, field_names=field_names)
    return Outcome(not problem, f"s3://{bucket}/{key} {problem}" if problem else "")


def _absent_object(s3, bucket: str, key: str):
    """A "does not exist" reason worked out only when needed (it lists the bucket): it names objects with the same file name elsewhere, and keys that differ only in case."""
    return _LazyReason(lambda: _absent_object_reason(s3, bucket, key))


class _LazyReason:
    """A reason computed when it is turned into text."""

    def __init__(self, make):
        self.make = make

    def __str__(self) -> str:
        return self.make()


def _absent_object_reason(s3, bucket: str, key: str) -> str:
    reason = f"s3://{bucket}/{key} does not exist"
    name = key.rsplit("/", 1)[-1].lower()
    try:
        keys = [item["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"MaxItems": 5000})
                for item in page.get("Contents", [])]
    except botocore.exceptions.ClientError:
        return f"{reason} (and the bucket cannot be listed)"
    near = [k for k in keys if k.lower() == key.lower() or k.rsplit("/", 1)[-1].lower() == name]
    if near:
        return f"{reason}; found {', '.join(near[:3])} instead (S3 keys are exact and case-sensitive: put the file at {key})"
    return reason


@check("s3_objects_under_prefix", EMULATED, "at least N objects were delivered under a prefix")
def s3_objects_under_prefix(clients, *, bucket: str, prefix: str, min_count: int = 1) -> Outcome:
    count = 0
    for page in clients("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        count += sum(1 for item in page.get("Contents", []) if not item["Key"].endswith("/"))
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
# Glue stores database and table names in lower case (the Data Catalog is case-insensitive), so a learner who typed
# upper case has done the right thing: the checks find names case-insensitively.

CSV_SERDES = {"org.apache.hadoop.hive.serde2.lazy.lazysimpleserde": "field.delim", "org.apache.hadoop.hive.serde2.opencsvserde": "separatorChar"}
DEFAULT_DELIMITERS = {"field.delim": "\x01", "separatorChar": ","}  # Hive's LazySimpleSerDe splits on Ctrl-A unless told otherwise


def _glue_database(glue, database: str) -> str:
    """The database's name as the catalog holds it (Missing if there is none, whatever the case)."""
    try:
        return glue.get_database(Name=database)["Database"]["Name"]
    except botocore.exceptions.ClientError as error:
        if not _not_found(error, "EntityNotFoundException"):
            raise
    for page in glue.get_paginator("get_databases").paginate():
        for item in page["DatabaseList"]:
            if item["Name"].lower() == database.lower():
                return item["Name"]
    raise Missing(f"the Data Catalog has no database {database}")


def _glue_table(glue, database: str, table: str) -> dict:
    name = _glue_database(glue, database)
    try:
        return glue.get_table(DatabaseName=name, Name=table)["Table"]
    except botocore.exceptions.ClientError as error:
        if not _not_found(error, "EntityNotFoundException"):
            raise
    for page in glue.get_paginator("get_tables").paginate(DatabaseName=name):
        for item in page["TableList"]:
            if item["Name"].lower() == table.lower():
                return item
    raise Missing(f"database {database} has no table {table}")


def _same_location(found: str, expected: str) -> bool:
    return found.rstrip("/") == expected.rstrip("/")


@check("glue_database_exists", EMULATED, "a Glue Data Catalog database exists")
def glue_database_exists(clients, *, database: str) -> Outcome:
    _glue_database(clients("glue"), database)
    return Outcome(True)


@check("glue_table_columns", EMULATED, "a Glue table exists with the given columns (and types), and optionally its location and CSV format")
def glue_table_columns(clients, *, database: str, table: str, columns: dict, location: str = "", delimiter: str = "", header: bool | None = None) -> Outcome:
    found = _glue_table(clients("glue"), database, table)
    storage = found.get("StorageDescriptor", {})
    actual = {c["Name"].lower(): c.get("Type", "") for c in storage.get("Columns", [])}
    for name, expected_type in columns.items():
        if name.lower() not in actual:
            return Outcome(False, f"table {table} has no column {name} (it has {', '.join(actual) or 'no columns'})")
        if expected_type and not semantics.type_matches(actual[name.lower()], expected_type):
            return Outcome(False, f"column {name} of table {table} is {actual[name.lower()]}; expected {semantics.describe_types(expected_type)}")
    if location and not _same_location(storage.get("Location", ""), location):
        return Outcome(False, f"table {table} reads {storage.get('Location') or 'no location'}; its LOCATION should be {location} (every file under the LOCATION is read as the table's rows)")
    if delimiter:
        serde = storage.get("SerdeInfo", {})
        library = serde.get("SerializationLibrary", "")
        parameter = CSV_SERDES.get(library.lower())
        if not parameter:
            return Outcome(False, f"table {table} reads its files with {library or 'no SerDe'}; the files are CSV, so use ROW FORMAT DELIMITED (LazySimpleSerDe) or OpenCSVSerde")
        params = serde.get("Parameters", {})
        used = params.get(parameter) or (params.get("serialization.format") if parameter == "field.delim" else None) or DEFAULT_DELIMITERS[parameter]
        if used != delimiter:
            return Outcome(False, f"table {table} splits fields on {used!r}; the files are separated by {delimiter!r} (FIELDS TERMINATED BY '{delimiter}')")
    if header is not None:
        skipped = int(found.get("Parameters", {}).get("skip.header.line.count", "0") or 0)
        if skipped and not header:
            return Outcome(False, f"table {table} skips {skipped} header line(s), but its file has no header row: the first data row would be lost")
        if header and not skipped:
            return Outcome(False, f"table {table} does not skip the file's header row (set skip.header.line.count to 1)")
    return Outcome(True)


def _s3_path(path: str) -> str:
    return path.rstrip("/") + "/"


@check("glue_crawler_config", CONFIG_ONLY, "a Glue crawler targets the given S3 paths and writes to a database")
def glue_crawler_config(clients, *, crawler: str, database: str, path_contains: str = "", paths: list | None = None) -> Outcome:
    with missing_means(f"there is no crawler {crawler}", "EntityNotFoundException"):
        found = clients("glue").get_crawler(Name=crawler)["Crawler"]
    targets = [target["Path"] for target in found.get("Targets", {}).get("S3Targets", [])]
    crawled = ", ".join(targets) or "no S3 path"
    if path_contains and not any(path_contains in path for path in targets):
        return Outcome(False, f"crawler {crawler} crawls {crawled}; none of them contains {path_contains}")
    missing = [path for path in paths or [] if _s3_path(path) not in {_s3_path(t) for t in targets}]
    if missing:
        return Outcome(False, f"crawler {crawler} crawls {crawled}; it must also crawl {', '.join(missing)}")
    if (found.get("DatabaseName") or "").lower() != database.lower():
        return Outcome(False, f"crawler {crawler} writes to database {found.get('DatabaseName')}; expected {database}")
    return Outcome(True)


@check("glue_job_config", CONFIG_ONLY, "a Glue job of a kind exists, its script is in S3, and it uses a worker type")
def glue_job_config(clients, *, job: str, worker_type: str = "", command: str = "", script_uploaded: bool = False) -> Outcome:
    with missing_means(f"there is no Glue job {job}", "EntityNotFoundException"):
        found = clients("glue").get_job(JobName=job)["Job"]
    kind = found.get("Command", {}).get("Name", "")
    if command and kind != command:
        names = {"glueetl": "a Spark job (glueetl)", "pythonshell": "a Python shell job (pythonshell)", "gluestreaming": "a streaming job (gluestreaming)"}
        return Outcome(False, f"job {job} is {names.get(kind, kind or 'of no kind')}; this lab needs {names.get(command, command)}")
    script = found.get("Command", {}).get("ScriptLocation", "")
    if not script.startswith("s3://"):
        return Outcome(False, f"job {job} has no script location in S3")
    if script_uploaded:
        bucket, _, key = script[len("s3://"):].partition("/")
        try:
            clients("s3").head_object(Bucket=bucket, Key=key)
        except botocore.exceptions.ClientError as error:
            if not _not_found(error, "404", "NoSuchKey", "NotFound", "NoSuchBucket", "403"):
                raise
            return Outcome(False, f"job {job} runs {script}, but there is no such object: upload the script there")
    if worker_type and found.get("WorkerType") != worker_type:
        if not found.get("WorkerType"):
            return Outcome(False, f"job {job} sets no worker type (it is sized in DPUs with MaxCapacity); give it {worker_type} workers")
        return Outcome(False, f"job {job} uses {found['WorkerType']} workers; expected {worker_type}")
    return Outcome(True)


@check("glue_job_succeeded", REAL_AWS_ONLY, "a Glue job has a run that succeeded")
def glue_job_succeeded(clients, *, job: str) -> Outcome:
    runs = clients("glue").get_job_runs(JobName=job, MaxResults=10).get("JobRuns", [])
    if any(run["JobRunState"] == "SUCCEEDED" for run in runs):
        return Outcome(True)
    states = ", ".join(run["JobRunState"] for run in runs) or "no runs"
    return Outcome(False, f"job {job} has no successful run yet ({states})")


@check("glue_trigger", CONFIG_ONLY, "a Glue trigger of a type starts a job, is activated, and (if scheduled) fires as often as asked")
def glue_trigger(clients, *, trigger: str, type: str, job: str, runs: str = "", activated: bool = False) -> Outcome:  # noqa: A002 (the API's own word)
    with missing_means(f"there is no trigger {trigger}", "EntityNotFoundException"):
        found = clients("glue").get_trigger(Name=trigger)["Trigger"]
    if found.get("Type") != type:
        return Outcome(False, f"trigger {trigger} is {found.get('Type')}; expected {type}")
    started = [action.get("JobName") or action.get("CrawlerName") for action in found.get("Actions", [])]
    if job not in started:
        return Outcome(False, f"trigger {trigger} starts {', '.join(filter(None, started)) or 'nothing'}; expected job {job}")
    if runs:
        frequency = semantics.cron_frequency(found.get("Schedule", ""))
        if frequency != runs:
            return Outcome(False, f"trigger {trigger} has the schedule {found.get('Schedule') or 'none'}, which runs {frequency}; this one should run {runs} (e.g. cron(0 2 * * ? *))")
    if activated and found.get("State") not in ("ACTIVATED", "ACTIVATING"):
        return Outcome(False, f"trigger {trigger} is {found.get('State', 'not activated')}: a scheduled trigger fires only once activated"
                              " (create it with --start-on-creation, or run aws glue start-trigger)")
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
        raise Missing(f"there is no Athena workgroup {workgroup}")
    location = found.get("Configuration", {}).get("ResultConfiguration", {}).get("OutputLocation", "")
    if not location.startswith(output_prefix):
        return Outcome(False, f"workgroup {workgroup} writes results to {location or 'nowhere'}; expected a location under {output_prefix}")
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


@check("kinesis_stream_active", EMULATED, "a Kinesis data stream is active, in a capacity mode, with a number of shards")
def kinesis_stream_active(clients, *, stream: str, min_shards: int = 1, shards: int = 0, mode: str = "") -> Outcome:
    with missing_means(f"there is no stream {stream}", "ResourceNotFoundException"):
        summary = clients("kinesis").describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
    if summary["StreamStatus"] != "ACTIVE":
        return Outcome(False, f"stream {stream} is {summary['StreamStatus']}")
    found_mode = summary.get("StreamModeDetails", {}).get("StreamMode", "PROVISIONED")
    if mode and found_mode != mode:
        return Outcome(False, f"stream {stream} is in {found_mode} capacity mode; this lab uses {mode} (a fixed number of shards you choose)")
    count = summary.get("OpenShardCount", 0)
    if shards and count != shards:
        return Outcome(False, f"stream {stream} has {count} open shard(s); the lab asks for exactly {shards} (each shard is billed by the hour)")
    if count < min_shards:
        return Outcome(False, f"stream {stream} has {count} shard(s); expected at least {min_shards}")
    return Outcome(True)


READ_BOUND = 10_000  # records read per shard at most: enough for a lab, and stated in the reason when reached


def _shard_records(kinesis, stream: str, shard: str, bound: int) -> list[dict]:
    """Every record of a shard from TRIM_HORIZON (several GetRecords calls), up to `bound` records."""
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records: list[dict] = []
    for _ in range(bound // 100 + 20):  # an answer can be empty before the end: stop once caught up (MillisBehindLatest 0)
        response = kinesis.get_records(ShardIterator=iterator, Limit=min(10_000, bound - len(records)))
        records += response["Records"]
        iterator = response.get("NextShardIterator")
        if not iterator or len(records) >= bound or response.get("MillisBehindLatest", 0) == 0:
            break
    return records


def _record_problem(record: dict, contains: str, json_field: str, key_from_field: bool) -> str:
    if contains and contains.encode() not in record["Data"]:
        return f"does not contain {contains}"
    if json_field:
        try:
            value = json.loads(record["Data"])
        except (ValueError, UnicodeDecodeError):
            return f"is not JSON ({record['Data'][:40]!r})"
        if not isinstance(value, dict) or json_field not in value:
            return f"is JSON without a {json_field} field"
        if key_from_field and record["PartitionKey"] != str(value[json_field]):
            return f"has partition key {record['PartitionKey']!r} instead of its {json_field} ({value[json_field]})"
    return ""


@check("kinesis_records_present", EMULATED, "a Kinesis stream holds at least N matching records (every shard read to its end, up to a bound)")
def kinesis_records_present(clients, *, stream: str, min_records: int = 1, contains: str = "", json_field: str = "", key_from_field: bool = False,
                            bound: int = READ_BOUND) -> Outcome:
    kinesis = clients("kinesis")
    with missing_means(f"there is no stream {stream}", "ResourceNotFoundException"):
        shards = kinesis.get_paginator("list_shards").paginate(StreamName=stream).build_full_result()["Shards"]
    per_shard = [_shard_records(kinesis, stream, shard["ShardId"], bound) for shard in shards]
    records = [record for shard_records in per_shard for record in shard_records]
    problems = [problem for problem in (_record_problem(r, contains, json_field, key_from_field) for r in records) if problem]
    matching = len(records) - len(problems)
    if matching >= min_records:
        return Outcome(True)
    meaning = " and ".join(filter(None, [
        f"JSON objects with a {json_field} field" if json_field else "", f"whose partition key is that {json_field}" if key_from_field else "",
        f"containing {contains}" if contains and not json_field else "",
    ])) or "any record"
    read = f"read {len(records)} record(s) from {len(shards)} shard(s)" + (f", stopping at {bound} per shard" if any(len(r) >= bound for r in per_shard) else "")
    found = f"; the first record that does not match {problems[0]}" if problems else ""
    return Outcome(False, f"stream {stream} holds {matching} matching record(s) (matching: {meaning}); expected at least {min_records}. The app {read}{found}")


@check("firehose_to_s3", EMULATED, "a Firehose stream delivers to an S3 bucket and prefix")
def firehose_to_s3(clients, *, delivery_stream: str, bucket: str, prefix: str = "") -> Outcome:
    with missing_means(f"there is no Firehose stream {delivery_stream}", "ResourceNotFoundException"):
        found = clients("firehose").describe_delivery_stream(DeliveryStreamName=delivery_stream)["DeliveryStreamDescription"]
    for destination in found.get("Destinations", []):
        s3 = destination.get("ExtendedS3DestinationDescription") or destination.get("S3DestinationDescription") or {}
        if s3.get("BucketARN", "").endswith(f":::{bucket}") and s3.get("Prefix", "").startswith(prefix):
            return Outcome(True)
    return Outcome(False, f"Firehose stream {delivery_stream} does not deliver to s3://{bucket}/{prefix}")


TYPE_NAMES = {"S": "String", "N": "Number", "B": "Binary"}


def _keys(schema: list) -> dict:
    return {item["KeyType"]: item["AttributeName"] for item in schema}


def _index_problem(table: str, what: str, index: str, indexes: list, keys: list, projection: str) -> str:
    found = next((i for i in indexes if i["IndexName"] == index), None)
    if not found:
        names = ", ".join(i["IndexName"] for i in indexes) or "none"
        return f"table {table} has no {what} {index} (its {what}es: {names})"
    actual = _keys(found["KeySchema"])
    wanted = dict(zip(("HASH", "RANGE"), keys, strict=False))
    for key_type, attribute in wanted.items():
        if actual.get(key_type) != attribute:
            role = "partition key" if key_type == "HASH" else "sort key"
            return f"{what} {index} has {role} {actual.get(key_type) or 'none'}; expected {attribute}"
    found_projection = found.get("Projection", {}).get("ProjectionType", "")
    if projection and found_projection != projection:
        return f"{what} {index} projects {found_projection}; expected {projection} (project all attributes)"
    return ""


@check("dynamodb_table_keys", EMULATED, "a DynamoDB table has the given keys (and their types) and indexes (and their keys)")
def dynamodb_table_keys(clients, *, table: str, partition_key: str, sort_key: str = "", gsi: str = "", lsi: str = "",
                        attribute_types: dict | None = None, gsi_keys: list | None = None, lsi_keys: list | None = None, projection: str = "") -> Outcome:
    with missing_means(f"there is no DynamoDB table {table}", "ResourceNotFoundException"):
        found = clients("dynamodb").describe_table(TableName=table)["Table"]
    keys = _keys(found["KeySchema"])
    if keys.get("HASH") != partition_key:
        return Outcome(False, f"table {table} has partition key {keys.get('HASH')}; expected {partition_key}")
    if sort_key and keys.get("RANGE") != sort_key:
        return Outcome(False, f"table {table} has sort key {keys.get('RANGE') or 'none'}; expected {sort_key}")
    for what, name, key_list, indexes in (("global secondary index", gsi, gsi_keys, found.get("GlobalSecondaryIndexes", [])),
                                          ("local secondary index", lsi, lsi_keys, found.get("LocalSecondaryIndexes", []))):
        if name:
            problem = _index_problem(table, what, name, indexes, key_list or [], projection)
            if problem:
                return Outcome(False, problem)
    declared = {item["AttributeName"]: item["AttributeType"] for item in found.get("AttributeDefinitions", [])}
    for attribute, wanted in (attribute_types or {}).items():
        if attribute in declared and declared[attribute] != wanted:
            return Outcome(False, f"key attribute {attribute} of table {table} is a {TYPE_NAMES.get(declared[attribute], declared[attribute])};"
                                  f" expected a {TYPE_NAMES.get(wanted, wanted)} (the key's type is fixed when the table is created)")
    return Outcome(True)


@check("dynamodb_item_count", EMULATED, "a DynamoDB table holds at least N items (every Scan page read)")
def dynamodb_item_count(clients, *, table: str, min_items: int) -> Outcome:
    count = 0
    with missing_means(f"there is no DynamoDB table {table}", "ResourceNotFoundException"):
        for page in clients("dynamodb").get_paginator("scan").paginate(TableName=table, Select="COUNT"):
            count += page.get("Count", 0)
            if count >= min_items:
                return Outcome(True)
    return Outcome(False, f"table {table} holds {count} item(s); expected at least {min_items}")


# --- EMR, Step Functions, OpenSearch, IAM --------------------------------------------

@check("emr_step_completed", REAL_AWS_ONLY, "an EMR step completed")
def emr_step_completed(clients, *, cluster_name: str, step_name: str) -> Outcome:
    emr = clients("emr")
    clusters = [c for c in emr.get_paginator("list_clusters").paginate().build_full_result()["Clusters"] if c["Name"] == cluster_name]
    for cluster in clusters:
        for step in emr.get_paginator("list_steps").paginate(ClusterId=cluster["Id"]).build_full_result()["Steps"]:
            if step["Name"] == step_name and step["Status"]["State"] == "COMPLETED":
                return Outcome(True)
    return Outcome(False, f"no completed step {step_name} on a cluster named {cluster_name}")


def all_states(definition: dict) -> dict:
    """Every state of a state machine, those inside Parallel branches and Map iterators included (name -> state)."""
    found = {}
    for name, state in definition.get("States", {}).items():
        found[name] = state
        for branch in state.get("Branches", []):
            found.update(all_states(branch))
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                found.update(all_states(state[key]))
    return found


def state_machine_definition(clients, name: str) -> dict:
    sfn = clients("stepfunctions")
    machines = [m for m in sfn.get_paginator("list_state_machines").paginate().build_full_result()["stateMachines"] if m["name"] == name]
    if not machines:
        raise Missing(f"there is no state machine {name}")
    return json.loads(sfn.describe_state_machine(stateMachineArn=machines[0]["stateMachineArn"])["definition"])


@check("state_machine_exists", CONFIG_ONLY, "a Step Functions state machine exists with a given state (nested states included)")
def state_machine_exists(clients, *, name: str, contains_state: str = "") -> Outcome:
    definition = state_machine_definition(clients, name)
    if contains_state and contains_state not in all_states(definition):
        return Outcome(False, f"state machine {name} has no state {contains_state}")
    return Outcome(True)


@check("opensearch_domain_exists", CONFIG_ONLY, "an OpenSearch Service domain exists")
def opensearch_domain_exists(clients, *, domain: str) -> Outcome:
    names = [d["DomainName"] for d in clients("opensearch").list_domain_names()["DomainNames"]]
    if domain not in names:
        raise Missing(f"there is no OpenSearch domain {domain}")
    return Outcome(True)


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
