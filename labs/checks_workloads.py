"""More check kinds (registered into labs.checks.KINDS): Glue workflows, crawls and data quality, Athena results,
EMR clusters, Step Functions executions and OpenSearch security. Kept apart so checks.py stays readable."""

import re

from .checks import CONFIG_ONLY, REAL_AWS_ONLY, Missing, Outcome, check, missing_means

EMR_ALIVE = {"STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"}


@check("glue_workflow", CONFIG_ONLY, "a Glue workflow exists and its start trigger starts the given crawler or job")
def glue_workflow(clients, *, workflow: str, trigger: str = "", starts_crawler: str = "", starts_job: str = "") -> Outcome:
    glue = clients("glue")
    with missing_means(f"there is no Glue workflow {workflow}", "EntityNotFoundException"):
        glue.get_workflow(Name=workflow)
    if trigger:
        with missing_means(f"there is no trigger {trigger}", "EntityNotFoundException"):
            found = glue.get_trigger(Name=trigger)["Trigger"]
        if found.get("WorkflowName") != workflow:
            return Outcome(False, f"trigger {trigger} is not part of workflow {workflow} (it belongs to {found.get('WorkflowName') or 'no workflow'})")
        actions = found.get("Actions", [])
        crawlers = [a["CrawlerName"] for a in actions if a.get("CrawlerName")]
        jobs = [a["JobName"] for a in actions if a.get("JobName")]
        started = ", ".join([f"crawler {c}" for c in crawlers] + [f"job {j}" for j in jobs]) or "nothing"
        if starts_crawler and starts_crawler not in crawlers:
            return Outcome(False, f"the start trigger {trigger} of workflow {workflow} starts {started}; the pipeline starts with crawler {starts_crawler}"
                                  " (the job reads the tables the crawler makes)")
        if starts_job and starts_job not in jobs:
            return Outcome(False, f"the start trigger {trigger} of workflow {workflow} starts {started}; expected job {starts_job}")
    return Outcome(True)


@check("glue_crawler_last_crawl", REAL_AWS_ONLY, "a Glue crawler's last crawl succeeded")
def glue_crawler_last_crawl(clients, *, crawler: str) -> Outcome:
    with missing_means(f"there is no crawler {crawler}", "EntityNotFoundException"):
        found = clients("glue").get_crawler(Name=crawler)["Crawler"]
    status = found.get("LastCrawl", {}).get("Status")
    if status == "SUCCEEDED":
        return Outcome(True)
    return Outcome(False, f"crawler {crawler} has not finished a crawl yet" if not status else f"the last crawl of {crawler} is {status}")


@check("glue_data_quality_ruleset", REAL_AWS_ONLY, "a Glue Data Quality ruleset exists with the given rules")
def glue_data_quality_ruleset(clients, *, ruleset: str, contains: list | None = None) -> Outcome:
    with missing_means(f"there is no Data Quality ruleset {ruleset}", "EntityNotFoundException"):
        text = clients("glue").get_data_quality_ruleset(Name=ruleset)["Ruleset"]
    missing = [rule for rule in contains or [] if rule.lower() not in text.lower()]
    return Outcome(not missing, "" if not missing else f"ruleset {ruleset} has no rule {missing[0]}")


@check("athena_query_results", REAL_AWS_ONLY, "a succeeded query matching a pattern returned at least N rows")
def athena_query_results(clients, *, workgroup: str, pattern: str, min_rows: int = 1) -> Outcome:
    athena = clients("athena")
    ids = athena.list_query_executions(WorkGroup=workgroup, MaxResults=50).get("QueryExecutionIds", [])
    matching = []
    if ids:
        matching = [e for e in athena.batch_get_query_execution(QueryExecutionIds=ids)["QueryExecutions"]
                    if e["Status"]["State"] == "SUCCEEDED" and re.search(pattern, e["Query"], re.IGNORECASE | re.DOTALL)]
    if not matching:
        return Outcome(False, f"no successful query in workgroup {workgroup} matches {pattern}")
    rows = athena.get_query_results(QueryExecutionId=matching[0]["QueryExecutionId"], MaxResults=min_rows + 1)["ResultSet"]["Rows"]
    found = max(len(rows) - 1, 0)  # the first row holds the column names
    return Outcome(found >= min_rows, "" if found >= min_rows else f"the query returned {found} row(s); expected at least {min_rows}")


@check("emr_cluster", CONFIG_ONLY, "an EMR cluster is up with the given applications and logs in S3")
def emr_cluster(clients, *, cluster_name: str, applications: list | None = None, log_prefix: str = "") -> Outcome:
    emr = clients("emr")
    listed = emr.get_paginator("list_clusters").paginate(ClusterStates=sorted(EMR_ALIVE)).build_full_result()["Clusters"]
    alive = [c for c in listed if c["Name"] == cluster_name]
    if not alive:
        raise Missing(f"no running cluster is named {cluster_name}")
    cluster = emr.describe_cluster(ClusterId=alive[0]["Id"])["Cluster"]
    installed = {app["Name"].lower() for app in cluster.get("Applications", [])}
    missing = [name for name in applications or [] if name.lower() not in installed]
    if missing:
        return Outcome(False, f"cluster {cluster_name} does not have {', '.join(missing)} installed (it has {', '.join(sorted(installed)) or 'no applications'})")
    if log_prefix and not cluster.get("LogUri", "").startswith(log_prefix):
        return Outcome(False, f"cluster {cluster_name} writes logs to {cluster.get('LogUri') or 'nowhere'}; expected a log URI under {log_prefix}")
    return Outcome(True)


@check("state_machine_execution_succeeded", REAL_AWS_ONLY, "a Step Functions state machine has an execution that succeeded")
def state_machine_execution_succeeded(clients, *, name: str) -> Outcome:
    sfn = clients("stepfunctions")
    machines = [m for m in sfn.get_paginator("list_state_machines").paginate().build_full_result()["stateMachines"] if m["name"] == name]
    if not machines:
        raise Missing(f"there is no state machine {name}")
    executions = sfn.list_executions(stateMachineArn=machines[0]["stateMachineArn"], maxResults=20)["executions"]
    if any(e["status"] == "SUCCEEDED" for e in executions):
        return Outcome(True)
    states = ", ".join(sorted({e["status"] for e in executions})) or "no executions"
    return Outcome(False, f"state machine {name} has no successful execution yet ({states})")


@check("opensearch_domain_secure", CONFIG_ONLY, "an OpenSearch domain has fine-grained access control (optionally with an IAM master user), HTTPS with a minimum TLS, and encryption")
def opensearch_domain_secure(clients, *, domain: str, iam_master: bool = False, min_tls: str = "") -> Outcome:
    with missing_means(f"there is no OpenSearch domain {domain}", "ResourceNotFoundException"):
        status = clients("opensearch").describe_domain(DomainName=domain)["DomainStatus"]
    needed = {
        "fine-grained access control": status.get("AdvancedSecurityOptions", {}).get("Enabled"),
        "HTTPS only": status.get("DomainEndpointOptions", {}).get("EnforceHTTPS"),
        "node-to-node encryption": status.get("NodeToNodeEncryptionOptions", {}).get("Enabled"),
        "encryption at rest": status.get("EncryptionAtRestOptions", {}).get("Enabled"),
    }
    if iam_master:
        needed["an IAM master user (not the internal user database)"] = not status.get("AdvancedSecurityOptions", {}).get("InternalUserDatabaseEnabled")
    if min_tls:
        policy = status.get("DomainEndpointOptions", {}).get("TLSSecurityPolicy", "Policy-Min-TLS-1-0-2019-07")  # the service's default
        needed[f"TLS {min_tls} as the minimum (its TLS policy is {policy})"] = policy.startswith(f"Policy-Min-TLS-{min_tls.replace('.', '-')}")
    missing = [name for name, enabled in needed.items() if not enabled]
    return Outcome(not missing, "" if not missing else f"domain {domain} lacks {', '.join(missing)}")
