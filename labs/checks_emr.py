"""Check kinds for EMR (clusters, steps, autoscaling) and Step Functions orchestration, registered into labs.checks.KINDS."""

import json

from .checks import CONFIG_ONLY, REAL_AWS_ONLY, Outcome, check, missing_means

EMR_ALIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
POLICY_IN_FORCE = {"PENDING", "ATTACHING", "ATTACHED"}  # DETACHING, DETACHED and FAILED policies scale nothing
PARQUET_MAGIC = b"PAR1"  # every Parquet file starts (and ends) with these four bytes


def _clusters(emr, name: str, states: list | None = None) -> list[dict]:
    """Clusters with this name, newest first (list_clusters answers newest first)."""
    kwargs = {"ClusterStates": states} if states else {}
    return [c for c in emr.get_paginator("list_clusters").paginate(**kwargs).build_full_result()["Clusters"] if c["Name"] == name]


@check("emr_step_submitted", CONFIG_ONLY, "a step with a given name and spark-submit arguments was added to an EMR cluster")
def emr_step_submitted(clients, *, cluster_name: str, step_name: str, arg_contains: str = "") -> Outcome:
    emr = clients("emr")
    clusters = _clusters(emr, cluster_name)  # any state: an auto-terminated cluster still shows its steps
    if not clusters:
        return Outcome(False, f"there is no cluster named {cluster_name}")
    steps = [s for c in clusters for s in emr.list_steps(ClusterId=c["Id"])["Steps"] if s["Name"] == step_name]
    if not steps:
        return Outcome(False, f"cluster {cluster_name} has no step named {step_name}")
    for step in steps:
        args = step.get("Config", {}).get("Args", [])
        if "spark-submit" in args and (not arg_contains or any(arg_contains in arg for arg in args)):
            return Outcome(True)
    if not any("spark-submit" in s.get("Config", {}).get("Args", []) for s in steps):
        return Outcome(False, f"step {step_name} does not run spark-submit")
    return Outcome(False, f"step {step_name} does not pass {arg_contains} to spark-submit")


@check("emr_auto_termination", REAL_AWS_ONLY, "an EMR cluster terminates itself after a bounded idle time")
def emr_auto_termination(clients, *, cluster_name: str, max_idle_seconds: int = 3600) -> Outcome:
    emr = clients("emr")
    clusters = _clusters(emr, cluster_name, EMR_ALIVE)
    if not clusters:
        return Outcome(False, f"no running cluster is named {cluster_name}")
    policy = emr.get_auto_termination_policy(ClusterId=clusters[0]["Id"]).get("AutoTerminationPolicy")
    if not policy:
        return Outcome(False, f"cluster {cluster_name} has no auto-termination policy: it would run (and bill) until someone terminates it")
    idle = policy.get("IdleTimeout", 3600)  # the documented default is one hour
    if idle > max_idle_seconds:
        return Outcome(False, f"cluster {cluster_name} terminates after {idle} s idle; expected at most {max_idle_seconds} s")
    return Outcome(True)


@check("emr_autoscaling_policy", CONFIG_ONLY, "an instance group of an EMR cluster has a custom automatic scaling policy on a CloudWatch metric")
def emr_autoscaling_policy(clients, *, cluster_name: str, metric: str = "", group_type: str = "", both_directions: bool = False) -> Outcome:
    emr = clients("emr")
    clusters = _clusters(emr, cluster_name, EMR_ALIVE)
    if not clusters:
        return Outcome(False, f"no running cluster is named {cluster_name}")
    groups = [g for g in emr.list_instance_groups(ClusterId=clusters[0]["Id"])["InstanceGroups"]
              if not group_type or g["InstanceGroupType"] == group_type.upper()]
    with_policy = [g for g in groups if g.get("AutoScalingPolicy", {}).get("Status", {}).get("State") in POLICY_IN_FORCE]
    if not with_policy:
        if group_type:
            return Outcome(False, f"the {group_type.upper()} instance group of cluster {cluster_name} has no custom automatic scaling policy")
        return Outcome(False, f"no instance group of cluster {cluster_name} has a custom automatic scaling policy")
    rules = [rule for group in with_policy for rule in group["AutoScalingPolicy"].get("Rules", [])]
    if metric:
        rules = [rule for rule in rules if rule.get("Trigger", {}).get("CloudWatchAlarmDefinition", {}).get("MetricName") == metric]
    if not rules:
        return Outcome(False, f"the scaling policy of cluster {cluster_name} has no rule on {metric or 'any metric'}")
    adjustments = [rule.get("Action", {}).get("SimpleScalingPolicyConfiguration", {}).get("ScalingAdjustment", 0) for rule in rules]
    if both_directions and not (any(a > 0 for a in adjustments) and any(a < 0 for a in adjustments)):
        return Outcome(False, f"the scaling policy of cluster {cluster_name} needs a rule that adds instances and a rule that removes them")
    return Outcome(True)


@check("state_machine_calls", CONFIG_ONLY, "a Step Functions state machine has a Task state calling a given service integration")
def state_machine_calls(clients, *, name: str, resource: str) -> Outcome:
    sfn = clients("stepfunctions")
    machines = [m for m in sfn.get_paginator("list_state_machines").paginate().build_full_result()["stateMachines"] if m["name"] == name]
    if not machines:
        return Outcome(False, f"there is no state machine {name}")
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=machines[0]["stateMachineArn"])["definition"])
    if any(state.get("Type") == "Task" and state.get("Resource") == resource for state in definition.get("States", {}).values()):
        return Outcome(True)
    return Outcome(False, f"state machine {name} has no Task state calling {resource}")


@check("s3_parquet_written", REAL_AWS_ONLY, "a job wrote Parquet files under an S3 prefix")
def s3_parquet_written(clients, *, bucket: str, prefix: str, min_count: int = 1) -> Outcome:
    s3 = clients("s3")
    contents = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1000).get("Contents", [])
    files = [item["Key"] for item in contents if item["Key"].endswith(".parquet") and item.get("Size", 0) > 0]
    if len(files) < min_count:
        return Outcome(False, f"{len(files)} Parquet file(s) under s3://{bucket}/{prefix}; expected at least {min_count}")
    with missing_means(f"s3://{bucket}/{files[0]} disappeared while checking; check again", "NoSuchKey", "404"):
        head = s3.get_object(Bucket=bucket, Key=files[0], Range="bytes=0-3")["Body"].read()
    if head != PARQUET_MAGIC:
        return Outcome(False, f"s3://{bucket}/{files[0]} is named .parquet but is not a Parquet file")
    return Outcome(True)
