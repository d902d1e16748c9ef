"""Redshift check kinds: the cluster against the moto sandbox, the Data API ones against recorded AWS responses (Stubber)."""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from labs import checks_redshift, runs
from labs.checks import KINDS, run_check

LAB = Path(__file__).resolve().parents[1] / "catalog" / "redshift"
ROLE_ARN = "arn:aws:iam::123456789012:role/dea-1-redshift-copy"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
ON_CLUSTER = {"cluster": "dea-1-dw", "db_user": "awsuser"}


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(checks_redshift, "POLL_SECONDS", 0)


# --- redshift_cluster_role (config-only, against moto) ------------------------------------------

def make_cluster(clients, *, roles=(ROLE_ARN,), public=False, node_type="ra3.large", nodes=1, trusted="redshift.amazonaws.com"):
    trust = json.loads(json.dumps(TRUST).replace("redshift.amazonaws.com", trusted))
    clients("iam").create_role(RoleName="dea-1-redshift-copy", AssumeRolePolicyDocument=json.dumps(trust))
    shape = {"ClusterType": "single-node"} if nodes == 1 else {"ClusterType": "multi-node", "NumberOfNodes": nodes}
    clients("redshift").create_cluster(ClusterIdentifier="dea-1-dw", NodeType=node_type, MasterUsername="awsuser", MasterUserPassword="Passw0rd1",
                                       IamRoles=list(roles), PubliclyAccessible=public, **shape)


def cluster_role(clients, **extra):
    return run_check("redshift_cluster_role", clients, {"cluster": "dea-1-dw", "role_arn": ROLE_ARN, "node_type": "ra3.large", "max_nodes": 1, **extra}, sandbox=True)


def test_cluster_role_passes_for_a_private_single_node_cluster_with_the_role(moto_clients):
    make_cluster(moto_clients)
    assert cluster_role(moto_clients).passed


def test_cluster_role_fails_without_a_cluster(moto_clients):
    outcome = cluster_role(moto_clients)
    assert not outcome.passed and outcome.reason.startswith("there is no Redshift cluster dea-1-dw")


@pytest.mark.parametrize(("settings", "reason"), [
    ({"roles": ()}, "cluster dea-1-dw has no IAM role dea-1-redshift-copy attached"),
    ({"public": True}, "cluster dea-1-dw is publicly accessible; this lab keeps it private"),
    ({"node_type": "ra3.xlplus"}, "cluster dea-1-dw uses ra3.xlplus nodes, not ra3.large"),
    ({"nodes": 2}, "cluster dea-1-dw has 2 nodes; this lab needs no more than 1"),
    ({"trusted": "glue.amazonaws.com"}, "role dea-1-redshift-copy does not trust redshift.amazonaws.com"),
])
def test_cluster_role_fails_with_a_reason(moto_clients, settings, reason):
    make_cluster(moto_clients, **settings)
    outcome = cluster_role(moto_clients)
    assert not outcome.passed and outcome.reason == reason


def test_cluster_role_fails_while_the_cluster_is_not_available(moto_clients):
    make_cluster(moto_clients)
    moto_clients("redshift").pause_cluster(ClusterIdentifier="dea-1-dw")
    outcome = cluster_role(moto_clients)
    assert not outcome.passed and outcome.reason.startswith("cluster dea-1-dw is paused, not available yet")


# --- The Data API checks (real-aws-only, recorded responses) ------------------------------------

def statement(stubbed, sql: str, *, statuses=("FINISHED",), records=None, error="", target=None, parameters=None):
    """Record one statement: execute_statement, describe_statement once per status, and its result when it finished."""
    data = stubbed.stub("redshift-data")
    expected = {"Database": "dev", "Sql": sql, **(target or {"ClusterIdentifier": "dea-1-dw", "DbUser": "awsuser"})}
    if parameters:
        expected["Parameters"] = parameters
    data.add_response("execute_statement", {"Id": "s1", "CreatedAt": datetime(2026, 11, 27), "Database": "dev"}, expected)
    for status in statuses:
        description = {"Id": "s1", "Status": status, "HasResultSet": records is not None}
        if error:
            description["Error"] = error
        data.add_response("describe_statement", description, {"Id": "s1"})
    if statuses[-1] == "FINISHED" and records is not None:
        data.add_response("get_statement_result", {"Records": records, "TotalNumRows": len(records)}, {"Id": "s1"})


def count_sql(table: str) -> str:
    return f"SELECT COUNT(*), '{checks_redshift.CHECK_MARKER}' FROM {table}"


@pytest.mark.parametrize(("count", "passed"), [(300, True), (0, False)])
def test_table_rows_waits_for_the_count(stubbed, count, passed):
    statement(stubbed, count_sql('"public"."customers"'), statuses=("SUBMITTED", "STARTED", "FINISHED"),
              records=[[{"longValue": count}, {"stringValue": checks_redshift.CHECK_MARKER}]])
    outcome = run_check("redshift_table_rows", stubbed, {**ON_CLUSTER, "table": "public.customers", "min_rows": 300}, sandbox=False)
    assert outcome.passed is passed
    if not passed:
        assert outcome.reason == "table public.customers holds 0 row(s); expected at least 300"


def test_table_rows_reports_a_missing_table(stubbed):
    statement(stubbed, count_sql('"public"."orders"'), statuses=("FAILED",), error='ERROR: relation "public.orders" does not exist')
    outcome = run_check("redshift_table_rows", stubbed, {**ON_CLUSTER, "table": "public.orders"}, sandbox=False)
    assert not outcome.passed and outcome.reason == "table public.orders does not exist yet"


def test_table_rows_gives_up_waiting_after_the_timeout(stubbed, monkeypatch):
    monkeypatch.setattr(checks_redshift, "TIMEOUT_SECONDS", 0)
    statement(stubbed, count_sql('"orders"'), statuses=("STARTED",), records=[])
    outcome = run_check("redshift_table_rows", stubbed, {**ON_CLUSTER, "table": "orders"}, sandbox=False)
    assert not outcome.passed and outcome.reason == "the query that checks table orders is still running (STARTED); check again in a moment"


def test_table_rows_reaches_a_serverless_workgroup_with_the_callers_identity(stubbed):
    statement(stubbed, count_sql('"orders"'), target={"WorkgroupName": "course"}, records=[[{"longValue": 1512}, {"stringValue": "x"}]])
    assert run_check("redshift_table_rows", stubbed, {"workgroup": "course", "table": "orders", "min_rows": 1000}, sandbox=False).passed


def test_table_rows_refuses_what_is_not_a_table_name(stubbed):
    outcome = run_check("redshift_table_rows", stubbed, {**ON_CLUSTER, "table": 'orders"; DROP TABLE x; --'}, sandbox=False)
    assert not outcome.passed and "is not a table name" in outcome.reason


def history(*texts):
    return [[{"stringValue": text}, {"stringValue": checks_redshift.CHECK_MARKER}] for text in texts]


@pytest.mark.parametrize(("texts", "passed"), [
    (["SELECT 1", "select c.fullname, o.linetotal from public.customers c join public.orders o on o.customerid = c.customerid"], True),
    (["SELECT 1", "CREATE TABLE public.orders (salesorderid INTEGER)"], False),
    ([f"SELECT TRIM(query_text), '{checks_redshift.CHECK_MARKER}' FROM sys_query_history join customers orders"], False),
])
def test_query_ran_looks_for_a_successful_matching_statement(stubbed, texts, passed):
    statement(stubbed, checks_redshift.QUERY_HISTORY, records=history(*texts))
    args = {**ON_CLUSTER, "what": "join", "pattern": r"^\s*select\b(?=[\s\S]*\bjoin\b)(?=[\s\S]*\bcustomers\b)(?=[\s\S]*\borders\b)"}
    outcome = run_check("redshift_query_ran", stubbed, args, sandbox=False)
    assert outcome.passed is passed
    if not passed:
        assert outcome.reason == "the query history has no successful join yet"


def test_query_ran_reports_the_reason_redshift_gives(stubbed):
    statement(stubbed, checks_redshift.QUERY_HISTORY, statuses=("FAILED",), error="permission denied for relation sys_query_history")
    outcome = run_check("redshift_query_ran", stubbed, {**ON_CLUSTER, "pattern": "copy"}, sandbox=False)
    assert not outcome.passed
    assert outcome.reason == "Redshift could not run the query that checks the query history: permission denied for relation sys_query_history"


MV_SQL = f"SELECT TRIM(name), is_stale, '{checks_redshift.CHECK_MARKER}' FROM svv_mv_info WHERE TRIM(name) = :name"


@pytest.mark.parametrize(("records", "passed"), [
    ([[{"stringValue": "mv_customer_order_value"}, {"stringValue": "f"}, {"stringValue": "x"}]], True),
    ([], False),
])
def test_materialized_view(stubbed, records, passed):
    statement(stubbed, MV_SQL, records=records, parameters=[{"name": "name", "value": "mv_customer_order_value"}])
    outcome = run_check("redshift_materialized_view", stubbed, {**ON_CLUSTER, "name": "mv_customer_order_value"}, sandbox=False)
    assert outcome.passed is passed
    if not passed:
        assert outcome.reason.startswith("there is no materialized view mv_customer_order_value")


VACUUM_SQL = (f"SELECT TRIM(table_name), TRIM(vacuum_type), TRIM(status), '{checks_redshift.CHECK_MARKER}' "
              "FROM sys_vacuum_history WHERE is_automatic = false")


def vacuums(*rows):
    return [[{"stringValue": table}, {"stringValue": kind}, {"stringValue": status}, {"stringValue": "x"}] for table, kind, status in rows]


@pytest.mark.parametrize(("rows", "table", "reason"), [
    ([("orders_scratch", "Delete", "Finished")], "", ""),
    ([("orders", "Full", "Skipped")], "orders", ""),
    ([], "", "no VACUUM that you ran is recorded yet"),
    ([("orders_scratch", "Delete", "Finished")], "orders", "no VACUUM of orders that you ran is recorded yet"),
    ([("orders", "Full", "Failed")], "orders", "every VACUUM you ran on orders failed"),
])
def test_vacuum_ran(stubbed, rows, table, reason):
    statement(stubbed, VACUUM_SQL, records=vacuums(*rows))
    outcome = run_check("redshift_vacuum_ran", stubbed, {**ON_CLUSTER, "table": table}, sandbox=False)
    assert outcome.passed is (not reason) and outcome.reason == reason


@pytest.mark.parametrize("kind", ["redshift_table_rows", "redshift_query_ran", "redshift_materialized_view", "redshift_vacuum_ran"])
def test_data_api_checks_never_pass_in_the_sandbox(kind):
    assert KINDS[kind].fidelity == "real-aws-only"
    outcome = run_check(kind, clients=None, args={}, sandbox=True)
    assert not outcome.passed and outcome.needs_real_aws


# --- The lab's patterns match the reference solution's SQL, and never the checks' own ------------

def lab_query_checks():
    lab = yaml.safe_load((LAB / "lab.yaml").read_text())
    return [(step["id"], item["args"]["pattern"]) for step in lab["steps"] for item in step["checks"] if item["kind"] == "redshift_query_ran"]


def reference_statements():
    return runs.load_solution(LAB).statements("dea-1-redshift-123456789012", ROLE_ARN)


@pytest.mark.parametrize(("step", "pattern"), lab_query_checks(), ids=[step for step, _ in lab_query_checks()])
def test_every_query_pattern_matches_the_reference_solution(step, pattern):
    wanted = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    assert any(wanted.search(sql) for sql in reference_statements()), f"step {step}: no statement of solve.py matches {pattern}"
    own = [checks_redshift.QUERY_HISTORY, MV_SQL, VACUUM_SQL, count_sql('"public"."orders"')]
    assert all(checks_redshift.CHECK_MARKER in sql for sql in own), "every statement a check sends must carry the marker the history search skips"
