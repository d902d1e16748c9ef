"""Learners' work that is almost right (near misses) and right but done differently (alternatives), for every lab.

A variant is a function `(clients, outputs, prefix)` that runs after the lab's solve.py (or instead of it), so
adding a case is one decorated function:

- @near_miss(lab, check, *words): the named check must fail, and its reason must name what to fix (every word in it);
- @alternative(lab): every check the sandbox can verify must pass.

test_lab_variants.py runs each case through the labs' own path (launch, variant, verify) in the sandbox.
"""

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import boto3
from django.conf import settings

from labs.aws import SANDBOX_CREDENTIALS, sandbox_account
from labs.datasets import generate


@dataclass(frozen=True)
class Variant:
    lab: str
    name: str
    change: Callable
    instead: bool = False
    check: str = ""  # empty: an alternative (every check passes)
    words: tuple = field(default_factory=tuple)

    def __str__(self) -> str:
        return f"{self.lab}:{self.name}"


NEAR_MISSES: list[Variant] = []
ALTERNATIVES: list[Variant] = []


def near_miss(lab: str, check: str, *words: str, instead: bool = False):
    def register(change):
        NEAR_MISSES.append(Variant(lab, change.__name__, change, instead, check, words))
        return change
    return register


def alternative(lab: str, *, instead: bool = False):
    def register(change):
        ALTERNATIVES.append(Variant(lab, change.__name__, change, instead))
        return change
    return register


def db(prefix: str) -> str:
    return prefix.replace("-", "_")


def elsewhere(clients, service: str, region: str):
    """A client for the same sandbox account in another region."""
    client = boto3.client(service, endpoint_url=settings.AWS_SANDBOX_URL, region_name=region, **SANDBOX_CREDENTIALS)
    account = sandbox_account(clients.connection.user_id)
    client.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return client


# --- setup: folders and the three files (no header row, one folder per table) ---------------------------------

def _put(clients, outputs, key: str, body: bytes) -> None:
    clients("s3").put_object(Bucket=outputs["BucketName"], Key=key, Body=body)


@near_miss("setup", "customers-file", "12 fields", "another table")
def files_uploaded_under_each_others_names(clients, outputs, prefix):
    _put(clients, outputs, "rawData/customers/customers.csv", generate("employees"))
    _put(clients, outputs, "rawData/employees/employees.csv", generate("customers"))


@near_miss("setup", "orders-file", "header row", "has none")
def a_header_row_the_lab_says_the_file_lacks(clients, outputs, prefix):
    _put(clients, outputs, "rawData/orders/orders.csv", generate("orders_headers"))


@near_miss("setup", "customers-file", "gzip")
def gzip_bytes_under_a_csv_name(clients, outputs, prefix):
    _put(clients, outputs, "rawData/customers/customers.csv", gzip.compress(generate("customers")))


@near_miss("setup", "employees-file", "tabs", "commas")
def tab_separated_instead_of_commas(clients, outputs, prefix):
    _put(clients, outputs, "rawData/employees/employees.csv", generate("employees").replace(b",", b"\t"))


@near_miss("setup", "customers-file", "does not exist", "found rawData/customers.csv")
def file_not_in_its_own_folder(clients, outputs, prefix):
    clients("s3").delete_object(Bucket=outputs["BucketName"], Key="rawData/customers/customers.csv")
    _put(clients, outputs, "rawData/customers.csv", generate("customers"))


@near_miss("setup", "athena-folder", "Athena/", "case-sensitive")
def folder_name_in_the_wrong_case(clients, outputs, prefix):
    clients("s3").delete_object(Bucket=outputs["BucketName"], Key="athena/")
    _put(clients, outputs, "Athena/", b"")


@near_miss("setup", "orders-file", "100 data row", "1512")
def a_truncated_file(clients, outputs, prefix):
    _put(clients, outputs, "rawData/orders/orders.csv", b"\n".join(generate("orders").splitlines()[:100]) + b"\n")


@alternative("setup")
def folders_made_by_the_files_in_them(clients, outputs, prefix):
    s3 = clients("s3")
    for folder in ("rawData/", "processedData/", "scriptLocation/", "tmpDir/", "athena/"):
        s3.delete_object(Bucket=outputs["BucketName"], Key=folder)
        if folder != "rawData/":  # the three files already make rawData/ exist
            _put(clients, outputs, f"{folder}.keep", b"")


@alternative("setup")
def windows_line_endings_and_no_final_newline(clients, outputs, prefix):
    for table in ("customers", "employees", "orders"):
        _put(clients, outputs, f"rawData/{table}/{table}.csv", b"\r\n".join(generate(table).splitlines()))


@alternative("setup")
def a_byte_order_mark_and_extra_files(clients, outputs, prefix):
    _put(clients, outputs, "rawData/customers/customers.csv", b"\xef\xbb\xbf" + generate("customers"))
    _put(clients, outputs, "README.txt", b"course bucket")
    _put(clients, outputs, "archive/2024/old.csv", b"1,2\n")


# --- Glue: catalog by hand, crawler paths, job, schedule, workflow -----------------------------------------------

def _customers_table(prefix, outputs, **changes) -> dict:
    storage = {
        "Columns": [{"Name": "customerid", "Type": "int"}, {"Name": "firstname", "Type": "string"},
                    {"Name": "lastname", "Type": "string"}, {"Name": "fullname", "Type": "string"}],
        "Location": f"s3://{outputs['BucketName']}/staged/customers/",
        "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": ","}},
    }
    storage.update(changes.pop("storage", {}))
    return {"Name": "customers", "TableType": "EXTERNAL_TABLE", "Parameters": {"classification": "csv", **changes.pop("parameters", {})},
            "StorageDescriptor": storage, **changes}


def _update_customers(clients, outputs, prefix, **changes):
    clients("glue").update_table(DatabaseName=f"{db(prefix)}_raw_data", TableInput=_customers_table(prefix, outputs, **changes))


@near_miss("glue", "customers-schema", "reads s3://", "staged/orders/", "LOCATION should be", "staged/customers/")
def glue_table_location_in_another_folder(clients, outputs, prefix):
    _update_customers(clients, outputs, prefix, storage={"Location": f"s3://{outputs['BucketName']}/staged/orders/"})


@near_miss("glue", "customers-schema", "JsonSerDe", "CSV")
def glue_json_serde_on_csv(clients, outputs, prefix):
    _update_customers(clients, outputs, prefix, storage={"SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"}})


@near_miss("glue", "customers-schema", "splits fields on '|'", "','")
def glue_wrong_delimiter(clients, outputs, prefix):
    _update_customers(clients, outputs, prefix, storage={"SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": "|"}}})


@near_miss("glue", "customers-schema", "customerid", "is string", "expected int")
def glue_key_column_typed_string(clients, outputs, prefix):
    _update_customers(clients, outputs, prefix, storage={"Columns": [{"Name": "customerid", "Type": "string"}, {"Name": "firstname", "Type": "string"},
                                                                    {"Name": "lastname", "Type": "string"}, {"Name": "fullname", "Type": "string"}]})


def _recrawl(clients, outputs, prefix, paths: list[str]):
    """The headers crawler made again with other paths (the sandbox cannot update a crawler)."""
    glue = clients("glue")
    glue.delete_crawler(Name=f"{prefix}-headers-crawler")
    glue.create_crawler(Name=f"{prefix}-headers-crawler", Role=outputs["GlueRoleArn"], DatabaseName=f"{db(prefix)}_raw_data",
                        Targets={"S3Targets": [{"Path": path} for path in paths]})


@near_miss("glue", "crawler-targets", "must also crawl", "staged/employees_headers/")
def crawler_on_one_of_its_two_paths(clients, outputs, prefix):
    _recrawl(clients, outputs, prefix, [f"s3://{outputs['BucketName']}/staged/orders_headers/"])


@near_miss("glue", "crawler-targets", "must also crawl", "s3://")
def crawler_on_another_buckets_folders(clients, outputs, prefix):
    _recrawl(clients, outputs, prefix, ["s3://someone-elses-bucket/staged/employees_headers/", "s3://someone-elses-bucket/staged/orders_headers/"])


@near_miss("glue", "job-config", "no such object", "upload the script")
def glue_script_never_uploaded(clients, outputs, prefix):
    clients("s3").delete_object(Bucket=outputs["BucketName"], Key="scriptLocation/orders_to_parquet.py")


@near_miss("glue", "job-config", "Python shell job", "Spark job (glueetl)")
def glue_python_shell_job(clients, outputs, prefix):
    glue, job = clients("glue"), f"{prefix}-orders-to-parquet"
    glue.delete_job(JobName=job)
    glue.create_job(Name=job, Role=outputs["GlueRoleArn"], MaxCapacity=0.0625,
                    Command={"Name": "pythonshell", "ScriptLocation": f"s3://{outputs['BucketName']}/scriptLocation/orders_to_parquet.py", "PythonVersion": "3.9"})


def _recreate_nightly(clients, prefix, schedule: str, start: bool):
    glue = clients("glue")
    glue.delete_trigger(Name=f"{prefix}-nightly")
    glue.create_trigger(Name=f"{prefix}-nightly", Type="SCHEDULED", Schedule=schedule, Actions=[{"JobName": f"{prefix}-orders-to-parquet"}], StartOnCreation=start)


@near_miss("glue", "nightly-trigger", "runs hourly", "daily")
def nightly_trigger_that_runs_hourly(clients, outputs, prefix):
    _recreate_nightly(clients, prefix, "cron(0 * * * ? *)", start=True)


@near_miss("glue", "nightly-trigger", "CREATED", "start-on-creation", "start-trigger")
def scheduled_trigger_never_started(clients, outputs, prefix):
    _recreate_nightly(clients, prefix, "cron(0 2 * * ? *)", start=False)


@near_miss("glue", "workflow", "starts job", "starts with crawler")
def workflow_starting_with_the_job(clients, outputs, prefix):
    glue = clients("glue")
    glue.delete_trigger(Name=f"{prefix}-pipeline-start")
    glue.create_trigger(Name=f"{prefix}-pipeline-start", WorkflowName=f"{prefix}-orders-pipeline", Type="ON_DEMAND", Actions=[{"JobName": f"{prefix}-orders-to-parquet"}])


@alternative("glue")
def glue_integer_and_open_csv_serde(clients, outputs, prefix):
    _update_customers(clients, outputs, prefix, storage={
        "Columns": [{"Name": "customerid", "Type": "integer"}, {"Name": "firstname", "Type": "string"},
                    {"Name": "lastname", "Type": "string"}, {"Name": "fullname", "Type": "string"}],
        "Location": f"s3://{outputs['BucketName']}/staged/customers",  # no trailing slash: the same folder
        "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde", "Parameters": {"separatorChar": ","}}})


@alternative("glue")
def glue_database_names_in_upper_case(clients, outputs, prefix):
    glue = clients("glue")
    for suffix in ("raw_data", "processed_data"):
        glue.delete_database(Name=f"{db(prefix)}_{suffix}")
        glue.create_database(DatabaseInput={"Name": f"{db(prefix)}_{suffix}".upper()})
    glue.create_table(DatabaseName=f"{db(prefix)}_raw_data".upper(), TableInput=_customers_table(prefix, outputs))


@alternative("glue")
def trigger_started_afterwards_at_another_hour(clients, outputs, prefix):
    _recreate_nightly(clients, prefix, "cron(30 23 * * ? *)", start=False)
    clients("glue").start_trigger(Name=f"{prefix}-nightly")


@alternative("glue")
def glue_extra_harmless_resources(clients, outputs, prefix):
    glue = clients("glue")
    glue.create_table(DatabaseName=f"{db(prefix)}_raw_data", TableInput={**_customers_table(prefix, outputs), "Name": "customers_backup"})
    glue.create_crawler(Name=f"{prefix}-other-crawler", Role=outputs["GlueRoleArn"], DatabaseName=f"{db(prefix)}_raw_data",
                        Targets={"S3Targets": [{"Path": f"s3://{outputs['BucketName']}/staged/customers/"}]})
    _recrawl(clients, outputs, prefix, [  # the same two paths, the other way round, one without its final slash
        f"s3://{outputs['BucketName']}/staged/orders_headers", f"s3://{outputs['BucketName']}/staged/employees_headers/"])


# --- Athena: workgroup, external tables (location, format, types) ----------------------------------------------

def _athena_update(clients, outputs, prefix, table: str, column_types: dict | None = None, **storage_changes):
    glue, database = clients("glue"), f"{db(prefix)}_demo_data"
    found = glue.get_table(DatabaseName=database, Name=table)["Table"]
    storage = found["StorageDescriptor"]
    if column_types:
        storage["Columns"] = [{"Name": c["Name"], "Type": column_types.get(c["Name"], c["Type"])} for c in storage["Columns"]]
    storage.update(storage_changes)
    parameters = {**found.get("Parameters", {}), **storage.pop("TableParameters", {})}
    glue.update_table(DatabaseName=database, TableInput={"Name": table, "TableType": "EXTERNAL_TABLE", "Parameters": parameters, "StorageDescriptor": storage})


@near_miss("athena", "results-location", "s3://someone-elses-bucket/athena/", "expected a location under")
def athena_results_in_another_bucket(clients, outputs, prefix):
    athena = clients("athena")  # the sandbox cannot update a workgroup: made again
    athena.delete_work_group(WorkGroup=f"{prefix}-course", RecursiveDeleteOption=True)
    athena.create_work_group(Name=f"{prefix}-course", Configuration={"ResultConfiguration": {"OutputLocation": "s3://someone-elses-bucket/athena/"}})


@near_miss("athena", "employees-table", "has no table employees")
def athena_employees_table_never_created(clients, outputs, prefix):
    clients("glue").delete_table(DatabaseName=f"{db(prefix)}_demo_data", Name="employees")


@near_miss("athena", "orders-table", "staged/customers/", "LOCATION should be", "staged/orders/")
def athena_orders_location_in_another_folder(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "orders", Location=f"s3://{outputs['BucketName']}/staged/customers/")


@near_miss("athena", "customers-table", "JsonSerDe", "CSV")
def athena_json_serde_on_csv(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "customers", SerdeInfo={"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"})


@near_miss("athena", "orders-table", "splits fields on '\\t'", "','")
def athena_wrong_delimiter(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "orders", SerdeInfo={
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": "\t"}})


@near_miss("athena", "orders-table", "totaldue", "is string", "double or decimal")
def athena_amount_typed_string(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "orders", column_types={"totaldue": "string"})


@near_miss("athena", "employees-table", "skips 1 header line", "no header row")
def athena_skips_a_header_the_file_lacks(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "employees", TableParameters={"skip.header.line.count": "1"})


@near_miss("athena", "customers-table", "SerDe", "ROW FORMAT DELIMITED")
def athena_table_without_row_format(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "customers", SerdeInfo={})


@alternative("athena")
def athena_decimal_amounts_and_bigint_ids(clients, outputs, prefix):
    _athena_update(clients, outputs, prefix, "orders", column_types={
        "totaldue": "decimal(19,4)", "subtotal": "decimal(19,4)", "salesorderid": "bigint", "customerid": "BIGINT"})


@alternative("athena")
def athena_open_csv_serde_and_locations_without_slash(clients, outputs, prefix):
    for table in ("customers", "employees", "orders"):
        _athena_update(clients, outputs, prefix, table, Location=f"s3://{outputs['BucketName']}/staged/{table}",
                       SerdeInfo={"SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde", "Parameters": {"separatorChar": ","}})


@alternative("athena")
def athena_upper_case_database_and_integer_types(clients, outputs, prefix):
    glue, database = clients("glue"), f"{db(prefix)}_demo_data"
    tables = [glue.get_table(DatabaseName=database, Name=name)["Table"] for name in ("customers", "employees", "orders")]
    glue.delete_database(Name=database)
    glue.create_database(DatabaseInput={"Name": database.upper()})
    for table in tables:
        storage = table["StorageDescriptor"]
        storage["Columns"] = [{"Name": c["Name"].upper(), "Type": "INTEGER" if c["Type"] == "int" else c["Type"]} for c in storage["Columns"]]
        glue.create_table(DatabaseName=database.upper(), TableInput={"Name": table["Name"], "TableType": "EXTERNAL_TABLE",
                                                                      "Parameters": table.get("Parameters", {}), "StorageDescriptor": storage})
    glue.create_table(DatabaseName=database.upper(), TableInput={"Name": "scratch", "StorageDescriptor": {"Columns": [{"Name": "x", "Type": "int"}]}})


# --- DynamoDB: key types, index keys, projections, items ---------------------------------------------------------

def _definitions(spec: dict, types: dict) -> list[dict]:
    """One attribute definition per attribute that a key schema (table or index) uses, as DynamoDB requires."""
    schemas = [spec["KeySchema"]] + [i["KeySchema"] for key in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes") for i in spec.get(key, [])]
    names = sorted({item["AttributeName"] for schema in schemas for item in schema})
    return [{"AttributeName": name, "AttributeType": types[name]} for name in names]


def _orders_table(prefix: str, types: dict | None = None, keys=("customerid", "salesorderdetailid"), lsi=("customerid", "orderdate"),
                  gsi=("employeeid", "salesorderdetailid"), projection: str = "ALL", with_gsi: bool = True) -> dict:
    types = {"customerid": "N", "salesorderdetailid": "N", "orderdate": "S", "employeeid": "N", "totaldue": "N", **(types or {})}
    schema = lambda names: [{"AttributeName": n, "KeyType": t} for n, t in zip(names, ("HASH", "RANGE"), strict=False) if n]  # noqa: E731
    spec = {"TableName": f"{prefix}-orders", "BillingMode": "PAY_PER_REQUEST", "KeySchema": schema(keys)}
    if keys[1]:  # an LSI needs a table with a sort key
        spec["LocalSecondaryIndexes"] = [{"IndexName": "by-orderdate", "KeySchema": schema(lsi), "Projection": {"ProjectionType": projection}}]
    if with_gsi:
        spec["GlobalSecondaryIndexes"] = [{"IndexName": "by-employee", "KeySchema": schema(gsi), "Projection": {"ProjectionType": "ALL"}}]
    spec["AttributeDefinitions"] = _definitions(spec, types)
    return spec


def _orders_items(count: int = 25) -> list[dict]:
    rows = [line.split(",") for line in generate("orders").decode().splitlines()[:count]]
    return [{"customerid": {"N": r[6]}, "salesorderdetailid": {"N": r[1]}, "orderdate": {"S": r[2]}, "employeeid": {"N": r[5]},
             "totaldue": {"N": r[10]}} for r in rows]


def _replace_table(clients, prefix: str, items: int = 25, **spec):
    dynamodb = clients("dynamodb")
    dynamodb.delete_table(TableName=f"{prefix}-orders")
    dynamodb.create_table(**_orders_table(prefix, **spec))
    for item in _orders_items(items):
        if spec.get("types", {}).get("customerid") == "S":
            item["customerid"] = {"S": item["customerid"]["N"]}
        dynamodb.put_item(TableName=f"{prefix}-orders", Item=item)


@near_miss("dynamodb", "keys-and-indexes", "customerid", "is a String", "expected a Number")
def partition_key_typed_string(clients, outputs, prefix):
    _replace_table(clients, prefix, types={"customerid": "S"})


@near_miss("dynamodb", "keys-and-indexes", "local secondary index by-orderdate", "sort key totaldue", "expected orderdate")
def lsi_sorting_on_the_wrong_attribute(clients, outputs, prefix):
    _replace_table(clients, prefix, lsi=("customerid", "totaldue"))


@near_miss("dynamodb", "keys-and-indexes", "global secondary index by-employee", "partition key customerid", "expected employeeid")
def gsi_keyed_on_the_wrong_attribute(clients, outputs, prefix):
    _replace_table(clients, prefix, gsi=("customerid", "salesorderdetailid"))


@near_miss("dynamodb", "keys-and-indexes", "sort key none", "expected salesorderdetailid")
def table_without_a_sort_key(clients, outputs, prefix):
    _replace_table(clients, prefix, keys=("customerid", None), gsi=("employeeid", None))


@near_miss("dynamodb", "keys-and-indexes", "partition key salesorderdetailid", "expected customerid")
def partition_and_sort_key_swapped(clients, outputs, prefix):
    _replace_table(clients, prefix, keys=("salesorderdetailid", "customerid"), lsi=("salesorderdetailid", "orderdate"))


@near_miss("dynamodb", "keys-and-indexes", "projects KEYS_ONLY", "ALL")
def lsi_projecting_only_keys(clients, outputs, prefix):
    _replace_table(clients, prefix, projection="KEYS_ONLY")


@near_miss("dynamodb", "keys-and-indexes", "no global secondary index by-employee")
def gsi_forgotten(clients, outputs, prefix):
    _replace_table(clients, prefix, with_gsi=False)


@near_miss("dynamodb", "twenty-items", "holds 10 item(s)", "at least 20")
def too_few_items(clients, outputs, prefix):
    _replace_table(clients, prefix, items=10)


@alternative("dynamodb")
def items_written_in_batches_and_gsi_added_later(clients, outputs, prefix):
    dynamodb, table = clients("dynamodb"), f"{prefix}-orders"
    dynamodb.delete_table(TableName=table)
    full = _orders_table(prefix)
    dynamodb.create_table(**_orders_table(prefix, with_gsi=False))
    dynamodb.update_table(TableName=table, AttributeDefinitions=full["AttributeDefinitions"],
                          GlobalSecondaryIndexUpdates=[{"Create": full["GlobalSecondaryIndexes"][0]}])
    items = _orders_items(25)
    for start in range(0, len(items), 25):
        dynamodb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]})


@alternative("dynamodb")
def items_written_with_partiql(clients, outputs, prefix):
    dynamodb, table = clients("dynamodb"), f"{prefix}-orders"
    dynamodb.delete_table(TableName=table)
    dynamodb.create_table(**_orders_table(prefix))
    for item in _orders_items(21):
        values = f"'customerid': {item['customerid']['N']}, 'salesorderdetailid': {item['salesorderdetailid']['N']}, 'orderdate': '{item['orderdate']['S']}'"
        dynamodb.execute_statement(Statement=f'INSERT INTO "{table}" VALUE {{{values}}}')


@alternative("dynamodb")
def large_items_that_a_single_scan_page_cannot_hold(clients, outputs, prefix):
    dynamodb, table = clients("dynamodb"), f"{prefix}-orders"
    dynamodb.delete_table(TableName=table)
    dynamodb.create_table(**_orders_table(prefix))
    for item in _orders_items(25):  # 25 items of about 100 KB: a Scan answers at most 1 MB per page
        dynamodb.put_item(TableName=table, Item={**item, "notes": {"S": "x" * 100_000}})


@alternative("dynamodb")
def an_extra_index(clients, outputs, prefix):
    dynamodb, table = clients("dynamodb"), f"{prefix}-orders"
    dynamodb.update_table(TableName=table, AttributeDefinitions=[{"AttributeName": "orderdate", "AttributeType": "S"}],
                          GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by-date", "KeySchema": [{"AttributeName": "orderdate", "KeyType": "HASH"}],
                                                                   "Projection": {"ProjectionType": "KEYS_ONLY"}}}])


# --- Kinesis: one provisioned shard, JSON records keyed by customerid, Firehose to the prefix ----------------------

CUSTOMERS = [{"customerid": 293, "fullname": "Catherine Abel"}, {"customerid": 295, "fullname": "Kim Abercrombie"},
             {"customerid": 297, "fullname": "Humberto Acevedo"}]


def _new_stream(clients, prefix: str, records: list[tuple[bytes, str]], **create) -> None:
    kinesis, stream = clients("kinesis"), f"{prefix}-customers_stream"
    kinesis.delete_stream(StreamName=stream)
    kinesis.create_stream(StreamName=stream, **(create or {"ShardCount": 1}))
    for data, key in records:
        kinesis.put_record(StreamName=stream, Data=data, PartitionKey=key)


def _customer_records(customers=CUSTOMERS) -> list[tuple[bytes, str]]:
    return [(json.dumps(c).encode(), str(c["customerid"])) for c in customers]


@near_miss("kinesis", "stream-active", "2 open shard(s)", "exactly 1")
def two_shards(clients, outputs, prefix):
    clients("kinesis").update_shard_count(StreamName=f"{prefix}-customers_stream", TargetShardCount=2, ScalingType="UNIFORM_SCALING")


@near_miss("kinesis", "stream-active", "ON_DEMAND", "PROVISIONED")
def on_demand_stream(clients, outputs, prefix):
    _new_stream(clients, prefix, _customer_records(), StreamModeDetails={"StreamMode": "ON_DEMAND"})


@near_miss("kinesis", "three-records", "holds 0 matching", "matching: JSON objects with a customerid field", "is not JSON")
def records_that_are_not_json(clients, outputs, prefix):
    _new_stream(clients, prefix, [(f"customer {c['customerid']}".encode(), str(c["customerid"])) for c in CUSTOMERS])


@near_miss("kinesis", "three-records", "partition key 'customers' instead of its customerid")
def one_partition_key_for_all(clients, outputs, prefix):
    _new_stream(clients, prefix, [(data, "customers") for data, _ in _customer_records()])


@near_miss("kinesis", "three-records", "holds 2 matching", "at least 3", "read 2 record(s)")
def only_two_records(clients, outputs, prefix):
    _new_stream(clients, prefix, _customer_records(CUSTOMERS[:2]))


@near_miss("kinesis", "stream-active", "there is no stream", "region us-east-1", "account")
def stream_created_in_another_region(clients, outputs, prefix):
    clients("kinesis").delete_stream(StreamName=f"{prefix}-customers_stream")
    elsewhere(clients, "kinesis", "eu-west-1").create_stream(StreamName=f"{prefix}-customers_stream", ShardCount=1)


@near_miss("kinesis", "delivery-config", "does not deliver to", "firehose/customers/")
def firehose_to_another_prefix(clients, outputs, prefix):
    firehose, name = clients("firehose"), f"{prefix}-customers-to-s3"
    firehose.delete_delivery_stream(DeliveryStreamName=name)
    firehose.create_delivery_stream(DeliveryStreamName=name, DeliveryStreamType="DirectPut", ExtendedS3DestinationConfiguration={
        "RoleARN": outputs["FirehoseRoleArn"], "BucketARN": f"arn:aws:s3:::{outputs['BucketName']}", "Prefix": "customers/"})


@alternative("kinesis")
def three_records_after_1200_earlier_events(clients, outputs, prefix):
    kinesis, stream = clients("kinesis"), f"{prefix}-customers_stream"
    _new_stream(clients, prefix, [])
    for start in range(0, 1200, 500):
        kinesis.put_records(StreamName=stream, Records=[{"Data": json.dumps({"event": "page_view", "n": n}).encode(), "PartitionKey": str(n)}
                                                        for n in range(start, min(start + 500, 1200))])
    for data, key in _customer_records():
        kinesis.put_record(StreamName=stream, Data=data, PartitionKey=key)


@alternative("kinesis")
def records_put_in_one_batch_with_more_fields(clients, outputs, prefix):
    kinesis, stream = clients("kinesis"), f"{prefix}-customers_stream"
    _new_stream(clients, prefix, [])
    kinesis.put_records(StreamName=stream, Records=[
        {"Data": (json.dumps({**c, "source": "crm"}, indent=2) + "\n").encode(), "PartitionKey": str(c["customerid"])} for c in CUSTOMERS])


@alternative("kinesis")
def firehose_with_the_plain_s3_destination(clients, outputs, prefix):
    firehose, name = clients("firehose"), f"{prefix}-customers-to-s3"
    firehose.delete_delivery_stream(DeliveryStreamName=name)
    firehose.create_delivery_stream(DeliveryStreamName=name, S3DestinationConfiguration={
        "RoleARN": outputs["FirehoseRoleArn"], "BucketARN": f"arn:aws:s3:::{outputs['BucketName']}", "Prefix": "firehose/customers/"})
    firehose.put_record(DeliveryStreamName=name, Record={"Data": b'{"customerid": 293}\n'})


# --- EMR: script, cluster, step arguments, Step Functions integration, scaling direction --------------------------

ADD_STEP = "arn:aws:states:::elasticmapreduce:addStep"


def _rule(name: str, comparison: str, threshold: float, adjustment: int) -> dict:
    return {"Name": name, "Action": {"SimpleScalingPolicyConfiguration": {"AdjustmentType": "CHANGE_IN_CAPACITY", "ScalingAdjustment": adjustment, "CoolDown": 300}},
            "Trigger": {"CloudWatchAlarmDefinition": {
                "ComparisonOperator": comparison, "EvaluationPeriods": 1, "MetricName": "YARNMemoryAvailablePercentage", "Namespace": "AWS/ElasticMapReduce",
                "Period": 300, "Statistic": "AVERAGE", "Threshold": threshold, "Unit": "PERCENT"}}}


RIGHT_RULES = [_rule("out", "LESS_THAN", 15, 1), _rule("in", "GREATER_THAN", 75, -1)]


def emr_lab(clients, outputs, prefix, *, upload=True, applications=("Spark", "Hive"), log_uri=None, step_args=None, task_group=False,
            states=None, rules=RIGHT_RULES, policy_group="CORE"):
    """The EMR lab done with boto3, each choice open to a variant."""
    s3, emr, sfn, bucket = clients("s3"), clients("emr"), clients("stepfunctions"), outputs["BucketName"]
    script = f"s3://{bucket}/emr/scripts/taxi_to_parquet.py"
    if upload:
        s3.put_object(Bucket=bucket, Key="emr/scripts/taxi_to_parquet.py", Body=b"import sys\nfrom pyspark.sql import SparkSession\n\n\nspark = SparkSession.builder.getOrCreate()\n")
    groups = [{"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
              {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 1}]
    if task_group:
        groups.append({"Name": "Task", "InstanceRole": "TASK", "InstanceType": "m5.xlarge", "InstanceCount": 1})
    cluster = emr.run_job_flow(
        Name=f"{prefix}-spark", ReleaseLabel="emr-7.12.0", Applications=[{"Name": a} for a in applications], LogUri=log_uri or f"s3://{bucket}/emr-logs/",
        ServiceRole=outputs["EmrServiceRoleName"], JobFlowRole=outputs["Ec2InstanceProfileName"], AutoScalingRole=outputs["AutoScalingRoleName"],
        AutoTerminationPolicy={"IdleTimeout": 3600},
        Instances={"Ec2SubnetId": outputs["SubnetId"], "KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": groups})["JobFlowId"]
    args = step_args or ["spark-submit", "--deploy-mode", "cluster", script, f"s3://{bucket}/staged/taxi_trips/", f"s3://{bucket}/emr/output/trips/"]
    emr.add_job_flow_steps(JobFlowId=cluster, Steps=[{"Name": "taxi-csv-to-parquet", "ActionOnFailure": "CONTINUE",
                                                      "HadoopJarStep": {"Jar": "command-runner.jar", "Args": args}}])
    task = {"Type": "Task", "Resource": f"{ADD_STEP}.sync", "End": True, "Parameters": {"ClusterId.$": "$.ClusterId", "Step": {
        "Name": "taxi-csv-to-parquet-sfn", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", script]}}}}
    definition = {"StartAt": "RunSparkStep", "States": states(task) if states else {"RunSparkStep": task}}
    sfn.create_state_machine(name=f"{prefix}-taxi-pipeline", roleArn=outputs["StatesRoleArn"], definition=json.dumps(definition))
    group = next(g["Id"] for g in emr.list_instance_groups(ClusterId=cluster)["InstanceGroups"] if g["InstanceGroupType"] == policy_group)
    emr.put_auto_scaling_policy(ClusterId=cluster, InstanceGroupId=group, AutoScalingPolicy={"Constraints": {"MinCapacity": 1, "MaxCapacity": 3}, "Rules": rules})


@near_miss("emr", "step-submitted", "wrong order", "emr/output/trips/ then s3://", "staged/taxi_trips/ then", instead=True)
def step_input_and_output_swapped(clients, outputs, prefix):
    bucket = outputs["BucketName"]
    emr_lab(clients, outputs, prefix, step_args=["spark-submit", f"s3://{bucket}/emr/scripts/taxi_to_parquet.py",
                                                 f"s3://{bucket}/emr/output/trips/", f"s3://{bucket}/staged/taxi_trips/"])


@near_miss("emr", "scaling-policy", "adds instances when YARNMemoryAvailablePercentage is GREATER_THAN 75", "inverted", instead=True)
def scaling_thresholds_inverted(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, rules=[_rule("out", "GREATER_THAN", 75, 1), _rule("in", "LESS_THAN", 15, -1)])


@near_miss("emr", "scaling-policy", "a rule that adds instances and a rule that removes them", instead=True)
def scaling_out_only(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, rules=[_rule("out", "LESS_THAN", 15, 1)])


@near_miss("emr", "scaling-policy", "CORE instance group", "no custom automatic scaling policy", instead=True)
def scaling_policy_on_the_task_group(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, task_group=True, policy_group="TASK")


@near_miss("emr", "cluster-up", "does not have Hive installed", instead=True)
def cluster_without_hive(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, applications=("Spark",))


@near_miss("emr", "cluster-up", "s3://someone-elses-bucket/logs/", "expected a log URI under", instead=True)
def logs_to_another_bucket(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, log_uri="s3://someone-elses-bucket/logs/")


@near_miss("emr", "script-uploaded", "does not exist", instead=True)
def spark_script_never_uploaded(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, upload=False)


@near_miss("emr", "machine-uses-emr", "without .sync", "move on", instead=True)
def state_machine_that_does_not_wait(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, states=lambda task: {"RunSparkStep": {**task, "Resource": ADD_STEP}})


@alternative("emr", instead=True)
def task_inside_a_parallel_state(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, states=lambda task: {"RunSparkStep": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "Spark", "States": {"Spark": task}}, {"StartAt": "Note", "States": {"Note": {"Type": "Pass", "End": True}}}]}})


@alternative("emr", instead=True)
def task_inside_a_map_state(clients, outputs, prefix):
    emr_lab(clients, outputs, prefix, states=lambda task: {"RunSparkStep": {"Type": "Map", "End": True, "ItemsPath": "$.runs",
                                                                             "ItemProcessor": {"StartAt": "Spark", "States": {"Spark": task}}}})


@alternative("emr", instead=True)
def other_thresholds_spark_options_and_extra_applications(clients, outputs, prefix):
    bucket = outputs["BucketName"]
    emr_lab(clients, outputs, prefix, applications=("spark", "hive", "JupyterEnterpriseGateway"),
            rules=[_rule("grow", "LESS_THAN_OR_EQUAL", 20, 2), _rule("shrink", "GREATER_THAN_OR_EQUAL", 70, -1)],
            step_args=["spark-submit", "--deploy-mode", "cluster", "--conf", "spark.sql.shuffle.partitions=8", f"s3://{bucket}/emr/scripts/taxi_to_parquet.py",
                       f"s3://{bucket}/staged/taxi_trips", f"s3://{bucket}/emr/output/trips"])


# --- MSK: a small provisioned cluster in the lab VPC with IAM authentication and TLS ------------------------------

def msk_lab(clients, outputs, prefix, *, brokers=2, instance="kafka.t3.small", subnets=None, groups=None, authentication=None, encryption=None):
    """The MSK lab's cluster made with boto3, each choice open to a variant."""
    request = {
        "ClusterName": f"{prefix}-msk", "KafkaVersion": "3.8.x", "NumberOfBrokerNodes": brokers,
        "BrokerNodeGroupInfo": {"InstanceType": instance, "ClientSubnets": subnets or [outputs["SubnetA"], outputs["SubnetB"]],
                                "SecurityGroups": groups or [outputs["SecurityGroupId"]], "StorageInfo": {"EbsStorageInfo": {"VolumeSize": 1}}},
        "ClientAuthentication": authentication or {"Sasl": {"Iam": {"Enabled": True}}, "Unauthenticated": {"Enabled": False}},
    }
    if encryption != "omit":
        request["EncryptionInfo"] = encryption or {"EncryptionInTransit": {"ClientBroker": "TLS", "InCluster": True}}
    clients("kafka").create_cluster(**request)


@near_miss("msk", "cluster-config", "4 brokers", "2 are enough", instead=True)
def msk_four_brokers(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, brokers=4)


@near_miss("msk", "cluster-config", "kafka.m5.large", "kafka.t3.small", instead=True)
def msk_bigger_brokers(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, instance="kafka.m5.large")


@near_miss("msk", "cluster-config", "still allows unauthenticated clients", instead=True)
def msk_unauthenticated_clients_too(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, authentication={"Sasl": {"Iam": {"Enabled": True}}, "Unauthenticated": {"Enabled": True}})


@near_miss("msk", "cluster-config", "does not use IAM client authentication", instead=True)
def msk_scram_instead_of_iam(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, authentication={"Sasl": {"Scram": {"Enabled": True}}})


@near_miss("msk", "cluster-config", "TLS_PLAINTEXT", "TLS only", instead=True)
def msk_plaintext_allowed(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, encryption={"EncryptionInTransit": {"ClientBroker": "TLS_PLAINTEXT", "InCluster": True}})


@near_miss("msk", "cluster-config", "does not use the lab security group", instead=True)
def msk_default_security_group(clients, outputs, prefix):
    ec2 = clients("ec2")
    group = ec2.create_security_group(GroupName=f"{prefix}-other", Description="another group", VpcId=outputs["VpcId"])["GroupId"]
    msk_lab(clients, outputs, prefix, groups=[group])


@near_miss("msk", "cluster-config", "not in the lab VPC", instead=True)
def msk_subnets_of_another_vpc(clients, outputs, prefix):
    ec2 = clients("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.99.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"]["SubnetId"]
               for n, zone in ((1, "a"), (2, "b"))]
    msk_lab(clients, outputs, prefix, subnets=subnets)


@alternative("msk", instead=True)
def msk_encryption_left_to_its_default(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, encryption="omit")


@alternative("msk", instead=True)
def msk_subnets_in_the_other_order(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix, subnets=[outputs["SubnetB"], outputs["SubnetA"]])


@alternative("msk", instead=True)
def msk_one_broker_per_zone_and_an_unrelated_cluster(clients, outputs, prefix):
    msk_lab(clients, outputs, prefix)
    clients("kafka").create_cluster(ClusterName=f"{prefix}-msk-scratch", KafkaVersion="3.8.x", NumberOfBrokerNodes=2, BrokerNodeGroupInfo={
        "InstanceType": "kafka.m5.large", "ClientSubnets": [outputs["SubnetA"], outputs["SubnetB"]]})


# --- OpenSearch: one small node, FGAC with an IAM master, HTTPS/TLS 1.2, only the account's principals -----------

def opensearch_lab(clients, outputs, prefix, *, statement=None, extra_statements=(), internal_master=False, tls="Policy-Min-TLS-1-2-PFS-2023-10",
                   https=True, nodes=1, instance="t3.small.search", volume=("gp3", 10)):
    """The OpenSearch lab's domain made with boto3, each choice open to a variant."""
    account, domain = outputs["AccountId"], f"{prefix}-movies"
    allow = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "es:ESHttp*",
             "Resource": f"arn:aws:es:{outputs['Region']}:{account}:domain/{domain}/*"}
    policy = {"Version": "2012-10-17", "Statement": [{**allow, **(statement or {})}, *extra_statements]}
    if statement and "NotPrincipal" in statement:
        policy["Statement"][0].pop("Principal")
    master = {"MasterUserName": "admin", "MasterUserPassword": "Lab-passw0rd!"} if internal_master else {"MasterUserARN": f"arn:aws:iam::{account}:role/Admin"}
    clients("opensearch").create_domain(
        DomainName=domain, EngineVersion="OpenSearch_2.19",
        ClusterConfig={"InstanceType": instance, "InstanceCount": nodes, "DedicatedMasterEnabled": False, "ZoneAwarenessEnabled": False},
        EBSOptions={"EBSEnabled": True, "VolumeType": volume[0], "VolumeSize": volume[1]},
        NodeToNodeEncryptionOptions={"Enabled": True}, EncryptionAtRestOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": https, "TLSSecurityPolicy": tls},
        AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": internal_master, "MasterUserOptions": master},
        AccessPolicies=json.dumps(policy))


@near_miss("opensearch", "no-anonymous-access", "NotPrincipal", "every principal except", instead=True)
def opensearch_not_principal_policy(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, statement={"NotPrincipal": {"AWS": f"arn:aws:iam::{outputs['AccountId']}:user/intruder"}})


@near_miss("opensearch", "no-anonymous-access", "principal \"*\"", "conditions match", instead=True)
def opensearch_open_to_an_ip_range(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, statement={"Principal": {"AWS": "*"}, "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}})


@near_miss("opensearch", "no-anonymous-access", "another account", "999988887777", instead=True)
def opensearch_open_to_another_account(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, extra_statements=[{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "es:*"}])


@near_miss("opensearch", "fine-grained-and-encrypted", "IAM master user", "internal user database", instead=True)
def opensearch_internal_master_user(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, internal_master=True)


@near_miss("opensearch", "fine-grained-and-encrypted", "TLS 1.2", "Policy-Min-TLS-1-0-2019-07", instead=True)
def opensearch_tls_1_0_allowed(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, tls="Policy-Min-TLS-1-0-2019-07")


@near_miss("opensearch", "fine-grained-and-encrypted", "HTTPS only", instead=True)
def opensearch_http_allowed(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, https=False)


@near_miss("opensearch", "one-small-node", "2 data nodes", instead=True)
def opensearch_two_nodes(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, nodes=2)


@near_miss("opensearch", "one-small-node", "m5.large.search", "t3.small.search", instead=True)
def opensearch_bigger_nodes(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, instance="m5.large.search")


@alternative("opensearch", instead=True)
def opensearch_account_id_as_principal(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, statement={"Principal": {"AWS": outputs["AccountId"]}})


@alternative("opensearch", instead=True)
def opensearch_wildcard_narrowed_to_the_account(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, statement={"Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": outputs["AccountId"]}}})


@alternative("opensearch", instead=True)
def opensearch_one_role_a_deny_and_gp2(clients, outputs, prefix):
    opensearch_lab(clients, outputs, prefix, statement={"Principal": {"AWS": [f"arn:aws:iam::{outputs['AccountId']}:role/Admin"]}},
                   extra_statements=[{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "es:ESHttpDelete", "Resource": "*"}],
                   tls="Policy-Min-TLS-1-2-2019-07", volume=("gp2", 10))


# --- Redshift: a private single-node cluster with the COPY role attached ------------------------------------------

def redshift_lab(clients, outputs, prefix, *, identifier=None, public=False, roles=None, nodes=1, node_type="ra3.large", **extra):
    request = {"ClusterIdentifier": identifier or f"{prefix}-dw", "NodeType": node_type, "DBName": "dev", "MasterUsername": "awsuser",
               "MasterUserPassword": "Lab-passw0rd1", "IamRoles": [outputs["RedshiftRoleArn"]] if roles is None else roles,
               "PubliclyAccessible": public, **extra}
    request.update({"ClusterType": "single-node"} if nodes == 1 else {"ClusterType": "multi-node", "NumberOfNodes": nodes})
    clients("redshift").create_cluster(**request)


def _role(clients, prefix: str, name: str, service: str) -> str:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}
    return clients("iam").create_role(RoleName=f"{prefix}-{name}", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


@near_miss("redshift", "cluster-with-role", "publicly accessible", "private", instead=True)
def redshift_public_cluster(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, public=True)


@near_miss("redshift", "cluster-with-role", "has no IAM role", "attached", instead=True)
def redshift_without_the_copy_role(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, roles=[])


@near_miss("redshift", "cluster-with-role", "has no IAM role", instead=True)
def redshift_with_another_role(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, roles=[_role(clients, prefix, "ec2-role", "ec2.amazonaws.com")])


@near_miss("redshift", "cluster-with-role", "2 nodes", "no more than 1", instead=True)
def redshift_two_nodes(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, nodes=2)


@near_miss("redshift", "cluster-with-role", "dc2.large", "ra3.large", instead=True)
def redshift_other_node_type(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, node_type="dc2.large")


@near_miss("redshift", "cluster-with-role", "there is no Redshift cluster", "looked in account", "region us-east-1", instead=True)
def redshift_cluster_under_another_name(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, identifier=f"{prefix}-warehouse")


@alternative("redshift", instead=True)
def redshift_identifier_in_upper_case(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, identifier=f"{prefix}-DW".upper())


@alternative("redshift", instead=True)
def redshift_an_extra_role_and_a_default_role(clients, outputs, prefix):
    extra = _role(clients, prefix, "spectrum-role", "redshift.amazonaws.com")
    redshift_lab(clients, outputs, prefix, roles=[extra, outputs["RedshiftRoleArn"]], DefaultIamRoleArn=outputs["RedshiftRoleArn"])


@alternative("redshift", instead=True)
def redshift_next_to_an_unrelated_cluster(clients, outputs, prefix):
    redshift_lab(clients, outputs, prefix, identifier=f"{prefix}-scratch", roles=[])
    redshift_lab(clients, outputs, prefix)
