"""Check kinds for Redshift (cluster, IAM role for COPY, Data API queries), registered into labs.checks.KINDS.

The SQL checks run one statement through the Redshift Data API (`run_sql`): execute, then a short bounded poll of
describe_statement, because a statement is almost never FINISHED right after it is submitted. Every statement a
check sends carries the marker CHECK_MARKER, so checks that search the query history never find the checks' own
queries.
"""

import re
import time
from dataclasses import dataclass, field

import botocore.exceptions

from .checks import CONFIG_ONLY, REAL_AWS_ONLY, Missing, Outcome, check, iam_role_trusts

CHECK_MARKER = "studyapp-check"
POLL_SECONDS = 0.5
TIMEOUT_SECONDS = 10.0
DONE = {"FINISHED", "FAILED", "ABORTED"}


@dataclass(frozen=True)
class SqlResult:
    status: str
    rows: list = field(default_factory=list)
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.status == "FINISHED"


def _value(cell: dict):
    """One Data API field ({"longValue": 3}, {"stringValue": "x"}, {"isNull": True}) as a Python value."""
    if cell.get("isNull"):
        return None
    return next(iter(cell.values()), None)


def run_sql(clients, sql: str, *, database: str = "dev", cluster: str = "", workgroup: str = "", db_user: str = "",
            parameters: dict | None = None, timeout: float | None = None) -> SqlResult:
    """Run one SQL statement with the Data API and wait for it, at most `timeout` seconds (TIMEOUT_SECONDS by default).

    A provisioned cluster is reached with temporary credentials for `db_user` (redshift:GetClusterCredentials); a
    Serverless workgroup with the caller's IAM identity. Returns the final (or last seen) status and the rows, if any.
    """
    data = clients("redshift-data")
    target = {"ClusterIdentifier": cluster, "DbUser": db_user} if cluster else {"WorkgroupName": workgroup}
    if parameters:
        target["Parameters"] = [{"name": name, "value": str(value)} for name, value in parameters.items()]
    statement_id = data.execute_statement(Database=database, Sql=sql, **{k: v for k, v in target.items() if v})["Id"]
    deadline = time.monotonic() + (TIMEOUT_SECONDS if timeout is None else timeout)
    while True:
        description = data.describe_statement(Id=statement_id)
        if description["Status"] in DONE or time.monotonic() >= deadline:
            break
        time.sleep(POLL_SECONDS)
    if description["Status"] != "FINISHED" or not description.get("HasResultSet"):
        return SqlResult(description["Status"], error=description.get("Error", ""))
    records = data.get_statement_result(Id=statement_id).get("Records", [])
    return SqlResult("FINISHED", [[_value(cell) for cell in record] for record in records])


def _not_finished(result: SqlResult, what: str) -> Outcome:
    if result.status in ("FAILED", "ABORTED"):
        return Outcome(False, f"Redshift could not run the query that checks {what}: {result.error or result.status}")
    return Outcome(False, f"the query that checks {what} is still running ({result.status}); check again in a moment")


# --- The cluster -------------------------------------------------------------------------------

def _cluster(clients, cluster: str) -> dict:
    """The cluster's description once it is available (Missing, with the reason, before that)."""
    redshift = clients("redshift")
    try:
        found = redshift.describe_clusters(ClusterIdentifier=cluster)["Clusters"][0]
    except botocore.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("ClusterNotFound", "ClusterNotFoundFault"):
            raise
        # Redshift keeps identifiers in lower case; a learner who typed upper case created the same cluster.
        listed = redshift.get_paginator("describe_clusters").paginate().build_full_result()["Clusters"]
        found = next((c for c in listed if c["ClusterIdentifier"].lower() == cluster.lower()), None)
        if not found:
            raise Missing(f"there is no Redshift cluster {cluster}") from None
    if found["ClusterStatus"] != "available":
        raise Missing(f"cluster {cluster} is {found['ClusterStatus']}, not available yet")
    return found


@check("redshift_cluster_available", CONFIG_ONLY, "a Redshift cluster is available")
def redshift_cluster_available(clients, *, cluster: str) -> Outcome:
    _cluster(clients, cluster)
    return Outcome(True)


@check("redshift_cluster_role", CONFIG_ONLY, "a Redshift cluster is available, private, and has an IAM role attached that Redshift can assume")
def redshift_cluster_role(clients, *, cluster: str, role_arn: str, node_type: str = "", max_nodes: int = 0) -> Outcome:
    found = _cluster(clients, cluster)
    if found.get("PubliclyAccessible"):
        return Outcome(False, f"cluster {cluster} is publicly accessible; this lab keeps it private")
    if node_type and found.get("NodeType") != node_type:
        return Outcome(False, f"cluster {cluster} uses {found.get('NodeType')} nodes, not {node_type}")
    if max_nodes and found.get("NumberOfNodes", 1) > max_nodes:
        return Outcome(False, f"cluster {cluster} has {found['NumberOfNodes']} nodes; this lab needs no more than {max_nodes}")
    role_name = role_arn.rsplit("/", 1)[-1]
    attached = {role["IamRoleArn"]: role.get("ApplyStatus", "") for role in found.get("IamRoles", [])}
    if role_arn not in attached:
        return Outcome(False, f"cluster {cluster} has no IAM role {role_name} attached")
    if attached[role_arn] != "in-sync":
        return Outcome(False, f"role {role_name} is still being attached to cluster {cluster} ({attached[role_arn]})")
    return iam_role_trusts(clients, role=role_name, service="redshift.amazonaws.com")


# --- What the SQL did (Data API; the sandbox's Data API only returns fixed rows) -----------------

@check("redshift_table_rows", REAL_AWS_ONLY, "a Redshift table holds at least N rows (Data API)")
def redshift_table_rows(clients, *, table: str, min_rows: int = 1, cluster: str = "", workgroup: str = "", database: str = "dev", db_user: str = "") -> Outcome:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?", table):
        return Outcome(False, f"{table} is not a table name this check can count")
    quoted = ".".join(f'"{part}"' for part in table.split("."))
    result = run_sql(clients, f"SELECT COUNT(*), '{CHECK_MARKER}' FROM {quoted}", database=database, cluster=cluster, workgroup=workgroup, db_user=db_user)
    if result.status == "FAILED" and "does not exist" in result.error:
        return Outcome(False, f"table {table} does not exist yet")
    if not result.finished:
        return _not_finished(result, f"table {table}")
    count = result.rows[0][0] if result.rows else 0
    return Outcome(count >= min_rows, "" if count >= min_rows else f"table {table} holds {count} row(s); expected at least {min_rows}")


QUERY_HISTORY = (f"SELECT TRIM(query_text), '{CHECK_MARKER}' FROM sys_query_history "
                 f"WHERE status = 'success' AND query_text NOT LIKE '%{CHECK_MARKER}%' ORDER BY start_time DESC LIMIT 1000")


@check("redshift_query_ran", REAL_AWS_ONLY, "a statement matching a pattern succeeded (SYS_QUERY_HISTORY)")
def redshift_query_ran(clients, *, pattern: str, what: str = "", cluster: str = "", workgroup: str = "", database: str = "dev", db_user: str = "") -> Outcome:
    """SYS_QUERY_HISTORY keeps each statement as it was submitted, with status success when it succeeded."""
    result = run_sql(clients, QUERY_HISTORY, database=database, cluster=cluster, workgroup=workgroup, db_user=db_user)
    if not result.finished:
        return _not_finished(result, "the query history")
    wanted = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    if any(text and CHECK_MARKER not in text and wanted.search(text) for text, *_ in result.rows):
        return Outcome(True)
    return Outcome(False, f"the query history has no successful {what or 'statement matching ' + pattern} yet")


@check("redshift_materialized_view", REAL_AWS_ONLY, "a Redshift materialized view exists (SVV_MV_INFO)")
def redshift_materialized_view(clients, *, name: str, cluster: str = "", workgroup: str = "", database: str = "dev", db_user: str = "") -> Outcome:
    sql = f"SELECT TRIM(name), is_stale, '{CHECK_MARKER}' FROM svv_mv_info WHERE TRIM(name) = :name"
    result = run_sql(clients, sql, database=database, cluster=cluster, workgroup=workgroup, db_user=db_user, parameters={"name": name.lower()})
    if not result.finished:
        return _not_finished(result, f"materialized view {name}")
    if not result.rows:
        return Outcome(False, f"there is no materialized view {name}")
    return Outcome(True)


@check("redshift_vacuum_ran", REAL_AWS_ONLY, "a VACUUM the user ran (not an automatic one) is recorded in SYS_VACUUM_HISTORY")
def redshift_vacuum_ran(clients, *, table: str = "", cluster: str = "", workgroup: str = "", database: str = "dev", db_user: str = "") -> Outcome:
    sql = f"SELECT TRIM(table_name), TRIM(vacuum_type), TRIM(status), '{CHECK_MARKER}' FROM sys_vacuum_history WHERE is_automatic = false"
    result = run_sql(clients, sql, database=database, cluster=cluster, workgroup=workgroup, db_user=db_user)
    if not result.finished:
        return _not_finished(result, "the vacuum history")
    runs = [row for row in result.rows if not table or (row[0] or "").lower() == table.lower()]
    if not runs:
        return Outcome(False, f"no VACUUM of {table} that you ran is recorded yet" if table else "no VACUUM that you ran is recorded yet")
    if all((status or "").lower().startswith("fail") for _, _, status, *_ in runs):
        return Outcome(False, f"every VACUUM you ran{' on ' + table if table else ''} failed")
    return Outcome(True)
