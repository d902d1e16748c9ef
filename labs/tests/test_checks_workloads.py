"""The workload check kinds: config-only ones against moto, real-aws-only ones against recorded responses."""

from datetime import datetime

import pytest

from labs.checks import KINDS, NEEDS_REAL_AWS, run_check


def outcome(kind: str, clients, **args):
    return run_check(kind, clients, args, sandbox=False)


def test_glue_workflow_check(moto_clients):
    glue = moto_clients("glue")
    assert outcome("glue_workflow", moto_clients, workflow="wf").reason.startswith("there is no Glue workflow wf")
    glue.create_workflow(Name="wf")
    glue.create_job(Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    glue.create_trigger(Name="loose", Type="ON_DEMAND", Actions=[{"JobName": "j"}])
    assert outcome("glue_workflow", moto_clients, workflow="wf", trigger="loose").reason == "trigger loose is not part of workflow wf (it belongs to no workflow)"
    glue.create_trigger(Name="start", WorkflowName="wf", Type="ON_DEMAND", Actions=[{"JobName": "j"}])
    assert outcome("glue_workflow", moto_clients, workflow="wf", trigger="start").passed


def test_emr_cluster_check(moto_clients):
    args = {"cluster_name": "trips", "applications": ["Spark", "Hive"], "log_prefix": "s3://dea-1-course/logs/"}
    assert outcome("emr_cluster", moto_clients, **args).reason.startswith("no running cluster is named trips")
    moto_clients("emr").run_job_flow(Name="trips", ReleaseLabel="emr-7.0.0", Applications=[{"Name": "Spark"}], JobFlowRole="r", ServiceRole="s",
                                     LogUri="s3://dea-1-course/logs/", Instances={"InstanceCount": 1, "MasterInstanceType": "m5.xlarge",
                                                                                   "KeepJobFlowAliveWhenNoSteps": True})
    assert outcome("emr_cluster", moto_clients, **args).reason == "cluster trips does not have Hive installed (it has spark)"
    assert outcome("emr_cluster", moto_clients, **{**args, "applications": ["Spark"]}).passed
    assert "writes logs to s3://dea-1-course/logs/" in outcome("emr_cluster", moto_clients, **{**args, "applications": [], "log_prefix": "s3://x/"}).reason


def test_opensearch_domain_secure_check(moto_clients):
    opensearch = moto_clients("opensearch")
    assert outcome("opensearch_domain_secure", moto_clients, domain="movies").reason.startswith("there is no OpenSearch domain movies")
    opensearch.create_domain(DomainName="movies")
    assert "lacks fine-grained access control" in outcome("opensearch_domain_secure", moto_clients, domain="movies").reason
    opensearch.create_domain(DomainName="secure", NodeToNodeEncryptionOptions={"Enabled": True}, EncryptionAtRestOptions={"Enabled": True},
                             DomainEndpointOptions={"EnforceHTTPS": True}, AdvancedSecurityOptions={
                                 "Enabled": True, "InternalUserDatabaseEnabled": True,
                                 "MasterUserOptions": {"MasterUserName": "admin", "MasterUserPassword": "Passw0rd!"}})
    assert outcome("opensearch_domain_secure", moto_clients, domain="secure").passed


@pytest.mark.parametrize("kind", ["glue_crawler_last_crawl", "glue_data_quality_ruleset", "athena_query_results", "state_machine_execution_succeeded"])
def test_workload_checks_say_they_need_a_real_account_in_the_sandbox(kind):
    assert KINDS[kind].fidelity == "real-aws-only"
    result = run_check(kind, None, {}, sandbox=True)
    assert not result.passed and result.needs_real_aws and result.reason == NEEDS_REAL_AWS


def crawler(last_crawl: dict | None) -> dict:
    found = {"Name": "sales", "State": "READY"}
    return {"Crawler": {**found, "LastCrawl": last_crawl} if last_crawl else found}


@pytest.mark.parametrize(("last_crawl", "passed", "reason"), [
    ({"Status": "SUCCEEDED"}, True, ""),
    ({"Status": "FAILED"}, False, "the last crawl of sales is FAILED"),
    (None, False, "crawler sales has not finished a crawl yet"),
])
def test_glue_crawler_last_crawl(stubbed, last_crawl, passed, reason):
    stubbed.stub("glue").add_response("get_crawler", crawler(last_crawl), {"Name": "sales"})
    result = outcome("glue_crawler_last_crawl", stubbed, crawler="sales")
    assert (result.passed, result.reason) == (passed, reason)


@pytest.mark.parametrize(("rules", "passed"), [('Rules = [ IsComplete "customerid", IsUnique "customerid" ]', True),
                                               ('Rules = [ IsComplete "customerid" ]', False)])
def test_glue_data_quality_ruleset(stubbed, rules, passed):
    stubbed.stub("glue").add_response("get_data_quality_ruleset", {"Name": "customers-dq", "Ruleset": rules}, {"Name": "customers-dq"})
    result = outcome("glue_data_quality_ruleset", stubbed, ruleset="customers-dq", contains=['IsUnique "customerid"'])
    assert result.passed is passed
    if not passed:
        assert result.reason == 'ruleset customers-dq has no rule IsUnique "customerid"'


def rows(count: int) -> dict:
    return {"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "fullname"}]}] + [{"Data": [{"VarCharValue": f"J{i}"}]} for i in range(count)]}}


@pytest.mark.parametrize(("count", "passed"), [(3, True), (0, False)])
def test_athena_query_results(stubbed, count, passed):
    athena = stubbed.stub("athena")
    athena.add_response("list_query_executions", {"QueryExecutionIds": ["q1"]}, {"WorkGroup": "dea", "MaxResults": 50})
    athena.add_response("batch_get_query_execution", {"QueryExecutions": [
        {"QueryExecutionId": "q1", "Query": "SELECT fullname FROM customers WHERE fullname LIKE 'J%'", "Status": {"State": "SUCCEEDED"}}]},
        {"QueryExecutionIds": ["q1"]})
    athena.add_response("get_query_results", rows(count), {"QueryExecutionId": "q1", "MaxResults": 2})
    result = outcome("athena_query_results", stubbed, workgroup="dea", pattern="LIKE 'J%'", min_rows=1)
    assert result.passed is passed
    if not passed:
        assert result.reason == "the query returned 0 row(s); expected at least 1"


@pytest.mark.parametrize(("statuses", "passed"), [(["FAILED", "SUCCEEDED"], True), (["FAILED"], False)])
def test_state_machine_execution_succeeded(stubbed, statuses, passed):
    sfn = stubbed.stub("stepfunctions")
    arn = "arn:aws:states:us-east-1:111122223333:stateMachine:trips"
    sfn.add_response("list_state_machines", {"stateMachines": [{"stateMachineArn": arn, "name": "trips", "type": "STANDARD",
                                                                 "creationDate": datetime(2026, 11, 1)}]}, {})
    sfn.add_response("list_executions", {"executions": [
        {"executionArn": f"{arn}:{i}", "stateMachineArn": arn, "name": str(i), "status": s, "startDate": datetime(2026, 11, 1)}
        for i, s in enumerate(statuses)]}, {"stateMachineArn": arn, "maxResults": 20})
    result = outcome("state_machine_execution_succeeded", stubbed, name="trips")
    assert result.passed is passed
    if not passed:
        assert result.reason == "state machine trips has no successful execution yet (FAILED)"
