"""Checks the sandbox cannot run, tested against recorded AWS responses (botocore's Stubber)."""

import pytest

from labs.checks import run_check


def job_runs(*states):
    return {"JobRuns": [{"Id": f"jr_{i}", "JobName": "orders-to-parquet", "JobRunState": s} for i, s in enumerate(states)]}


@pytest.mark.parametrize(("states", "passed"), [(("FAILED", "SUCCEEDED"), True), (("FAILED", "RUNNING"), False), ((), False)])
def test_glue_job_succeeded(stubbed, states, passed):
    stubbed.stub("glue").add_response("get_job_runs", job_runs(*states), {"JobName": "orders-to-parquet", "MaxResults": 10})
    result = run_check("glue_job_succeeded", stubbed, {"job": "orders-to-parquet"}, sandbox=False)
    assert result.passed is passed
    if not passed:
        assert result.reason.startswith("job orders-to-parquet has no successful run yet")


def execution(query: str, state: str) -> dict:
    return {"QueryExecutionId": "q1", "Query": query, "Status": {"State": state}}


@pytest.mark.parametrize(("query", "state", "passed"), [
    ("SELECT * FROM demo_data.customers WHERE fullname LIKE 'J%'", "SUCCEEDED", True),
    ("SELECT * FROM demo_data.customers WHERE fullname LIKE 'J%'", "FAILED", False),
    ("SELECT 1", "SUCCEEDED", False),
])
def test_athena_query_succeeded(stubbed, query, state, passed):
    athena = stubbed.stub("athena")
    athena.add_response("list_query_executions", {"QueryExecutionIds": ["q1"]}, {"WorkGroup": "course", "MaxResults": 50})
    athena.add_response("batch_get_query_execution", {"QueryExecutions": [execution(query, state)]}, {"QueryExecutionIds": ["q1"]})
    result = run_check("athena_query_succeeded", stubbed, {"workgroup": "course", "pattern": r"from\s+demo_data\.customers"}, sandbox=False)
    assert result.passed is passed


@pytest.mark.parametrize(("step_state", "passed"), [("COMPLETED", True), ("FAILED", False)])
def test_emr_step_completed(stubbed, step_state, passed):
    emr = stubbed.stub("emr")
    emr.add_response("list_clusters", {"Clusters": [{"Id": "j-1", "Name": "course-spark"}]}, {})
    emr.add_response("list_steps", {"Steps": [{"Id": "s-1", "Name": "csv-to-parquet", "Status": {"State": step_state}}]}, {"ClusterId": "j-1"})
    result = run_check("emr_step_completed", stubbed, {"cluster_name": "course-spark", "step_name": "csv-to-parquet"}, sandbox=False)
    assert result.passed is passed
