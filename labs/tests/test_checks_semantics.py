"""What the checks compare (labs/checks_semantics.py), and the new checks' real-account paths on recorded AWS responses."""

import datetime
import gzip
import json

import pytest

from labs.checks_semantics import cron_frequency, csv_shape_problem, outsiders_admitted, type_matches
from labs.datasets import generate
from labs.tests.conftest import outcome

ACCOUNT = "111122223333"


@pytest.mark.parametrize(("found", "expected", "same"), [
    ("integer", "int", True), ("INT", "int", True), ("bigint", "int", True), ("int", "bigint", False),
    ("decimal(19,4)", "double", False), ("decimal(19, 4)", ["double", "decimal"], True), ("double precision", "double", True),
    ("float", "double", False), ("varchar(100)", "string", False), ("character varying(10)", "varchar(10)", True), ("string", "int", False),
])
def test_type_equivalence(found, expected, same):
    assert type_matches(found, expected) is same


@pytest.mark.parametrize(("schedule", "frequency"), [
    ("cron(0 2 * * ? *)", "daily"), ("cron(30 23 ? * * *)", "daily"), ("cron(0 * * * ? *)", "hourly"), ("cron(0/15 * * * ? *)", "more than hourly"),
    ("cron(0 2 ? * MON *)", "weekly"), ("cron(0 2 1 * ? *)", "monthly"), ("cron(0 2,14 * * ? *)", "several times a day"), ("rate(1 day)", "unknown"),
])
def test_cron_frequency(schedule, frequency):
    assert cron_frequency(schedule) == frequency


def allow(**fields) -> dict:
    return {"Statement": [{"Effect": "Allow", "Action": "es:ESHttp*", "Resource": "*", **fields}]}


@pytest.mark.parametrize(("policy", "admits"), [
    (allow(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}), ""),
    (allow(Principal={"AWS": ACCOUNT}), ""),
    (allow(Principal={"AWS": [f"arn:aws:iam::{ACCOUNT}:role/app"]}), ""),
    (allow(Principal="*", Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}), ""),
    (allow(Principal={"AWS": "*"}, Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}}), ""),
    (allow(NotPrincipal={"AWS": f"arn:aws:iam::{ACCOUNT}:user/x"}), "NotPrincipal"),
    (allow(Principal="*"), "anyone"),
    (allow(Principal={"AWS": "*"}, Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}), "conditions match"),
    (allow(Principal="*", Condition={"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}), "conditions match"),
    (allow(Principal={"AWS": "arn:aws:iam::999988887777:root"}), "another account"),
    ({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "es:*"}]}, ""),
])
def test_who_a_resource_policy_lets_in(policy, admits):
    found = outsiders_admitted(policy, ACCOUNT)
    assert (admits in found and found) if admits else found == ""


CUSTOMERS = generate("customers")


@pytest.mark.parametrize(("data", "problem"), [
    (CUSTOMERS, ""),
    (CUSTOMERS.replace(b"\n", b"\r\n"), ""),
    (b"\xef\xbb\xbf" + CUSTOMERS, ""),
    (gzip.compress(CUSTOMERS), "gzip"),
    (CUSTOMERS.replace(b",", b";"), "semicolons"),
    (generate("customers_headers"), "header row"),
    (generate("orders"), "rows of 16 fields"),
    (b"\n".join(CUSTOMERS.splitlines()[:10]), "10 data row(s)"),
    (b"", "empty"),
])
def test_csv_shape(data, problem):
    found = csv_shape_problem(data, fields=4, min_rows=300)
    assert (problem in found and found) if problem else found == ""


# --- The real-account path of the new checks, on responses shaped as AWS sends them -------------------------------

def record(data: dict, key: str, seconds: int = 0) -> dict:
    return {"SequenceNumber": f"4959{seconds:04d}", "ApproximateArrivalTimestamp": datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
            "Data": json.dumps(data).encode(), "PartitionKey": key}


def test_kinesis_reads_past_empty_answers_until_it_has_caught_up(stubbed):
    kinesis = stubbed.stub("kinesis")
    kinesis.add_response("list_shards", {"Shards": [{"ShardId": "shardId-000000000000", "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": "1"},
                                                     "SequenceNumberRange": {"StartingSequenceNumber": "1"}}]}, {"StreamName": "s"})
    kinesis.add_response("get_shard_iterator", {"ShardIterator": "it-0"}, {"StreamName": "s", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"})
    # A real shard often answers empty while the iterator is still behind the newest record (MillisBehindLatest > 0).
    kinesis.add_response("get_records", {"Records": [], "NextShardIterator": "it-1", "MillisBehindLatest": 86_000_000}, {"ShardIterator": "it-0", "Limit": 10_000})
    kinesis.add_response("get_records", {"Records": [record({"customerid": c}, str(c)) for c in (293, 295, 297)], "NextShardIterator": "it-2",
                                         "MillisBehindLatest": 0}, {"ShardIterator": "it-1", "Limit": 10_000})
    result = outcome("kinesis_records_present", stubbed, stream="s", min_records=3, json_field="customerid", key_from_field=True)
    assert result.passed, result.reason


def test_kinesis_states_the_bound_it_stopped_at(stubbed):
    kinesis = stubbed.stub("kinesis")
    kinesis.add_response("list_shards", {"Shards": [{"ShardId": "shardId-000000000000", "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": "1"},
                                                     "SequenceNumberRange": {"StartingSequenceNumber": "1"}}]}, {"StreamName": "s"})
    kinesis.add_response("get_shard_iterator", {"ShardIterator": "it-0"}, {"StreamName": "s", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"})
    kinesis.add_response("get_records", {"Records": [record({"event": "view"}, "x") for _ in range(5)], "NextShardIterator": "it-1", "MillisBehindLatest": 5000},
                         {"ShardIterator": "it-0", "Limit": 5})
    result = outcome("kinesis_records_present", stubbed, stream="s", min_records=3, json_field="customerid", bound=5)
    assert not result.passed and "stopping at 5 per shard" in result.reason and "matching: JSON objects with a customerid field" in result.reason


def test_a_real_scheduled_trigger_left_created_is_reported(stubbed):
    glue = stubbed.stub("glue")
    glue.add_response("get_trigger", {"Trigger": {"Name": "t", "Type": "SCHEDULED", "State": "CREATED", "Schedule": "cron(0 2 * * ? *)",
                                                  "Actions": [{"JobName": "j"}]}}, {"Name": "t"})
    result = outcome("glue_trigger", stubbed, trigger="t", type="SCHEDULED", job="j", runs="daily", activated=True)
    assert not result.passed and "is CREATED" in result.reason and "--start-on-creation" in result.reason


def test_a_real_domain_policy_with_not_principal_is_refused(stubbed):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/x"},
                                                                  "Action": "es:*", "Resource": f"arn:aws:es:us-east-1:{ACCOUNT}:domain/movies/*"}]})
    stubbed.stub("opensearch").add_response("describe_domain", {"DomainStatus": {
        "DomainId": f"{ACCOUNT}/movies", "DomainName": "movies", "ARN": f"arn:aws:es:us-east-1:{ACCOUNT}:domain/movies",
        "ClusterConfig": {}, "AccessPolicies": policy}}, {"DomainName": "movies"})
    result = outcome("opensearch_no_anonymous_access", stubbed, domain="movies")
    assert not result.passed and f"outside account {ACCOUNT}" in result.reason and "NotPrincipal" in result.reason


def test_a_redshift_identifier_typed_in_upper_case_is_found(stubbed):
    redshift = stubbed.stub("redshift")
    redshift.add_client_error("describe_clusters", "ClusterNotFound", "Cluster DEA-1-DW not found.", expected_params={"ClusterIdentifier": "DEA-1-DW"})
    redshift.add_response("describe_clusters", {"Clusters": [{"ClusterIdentifier": "dea-1-dw", "ClusterStatus": "available"}]}, {})
    assert outcome("redshift_cluster_available", stubbed, cluster="DEA-1-DW").passed
