"""Check kinds for EMR (clusters, steps, autoscaling) and Step Functions orchestration, registered into labs.checks.KINDS."""

from .checks import CONFIG_ONLY, REAL_AWS_ONLY, Missing, Outcome, all_states, check, missing_means, state_machine_definition

EMR_ALIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
POLICY_IN_FORCE = {"PENDING", "ATTACHING", "ATTACHED"}  # DETACHING, DETACHED and FAILED policies scale nothing
PARQUET_MAGIC = b"PAR1"  # every Parquet file starts (and ends) with these four bytes


def _clusters(emr, name: str, states: list | None = None) -> list[dict]:
    """Clusters with this name, newest first (list_clusters answers newest first)."""
    kwargs = {"ClusterStates": states} if states else {}
    return [c for c in emr.get_paginator("list_clusters").paginate(**kwargs).build_full_result()["Clusters"] if c["Name"] == name]


def _after_script(args: list, script: str) -> list:
    """The arguments spark-submit passes to the script: those after the script's own path."""
    for index, arg in enumerate(args):
        if script in arg:
            return args[index + 1:]
    return []


@check("emr_step_submitted", CONFIG_ONLY, "a step with a given name and spark-submit arguments (in order) was added to an EMR cluster")
def emr_step_submitted(clients, *, cluster_name: str, step_name: str, arg_contains: str = "", script_args: list | None = None) -> Outcome:
    emr = clients("emr")
    clusters = _clusters(emr, cluster_name)  # any state: an auto-terminated cluster still shows its steps
    if not clusters:
        raise Missing(f"there is no cluster named {cluster_name}")
    steps = [s for c in clusters for s in emr.get_paginator("list_steps").paginate(ClusterId=c["Id"]).build_full_result()["Steps"] if s["Name"] == step_name]
    if not steps:
        return Outcome(False, f"cluster {cluster_name} has no step named {step_name}")
    spark = [s.get("Config", {}).get("Args", []) for s in steps if "spark-submit" in s.get("Config", {}).get("Args", [])]
    if not spark:
        return Outcome(False, f"step {step_name} does not run spark-submit")
    with_script = [args for args in spark if not arg_contains or any(arg_contains in arg for arg in args)]
    if not with_script:
        return Outcome(False, f"step {step_name} does not pass {arg_contains} to spark-submit")
    wanted = [arg.rstrip("/") for arg in script_args or []]
    for args in with_script:
        given = [arg.rstrip("/") for arg in _after_script(args, arg_contains)] if arg_contains else []
        if given[:len(wanted)] == wanted:
            return Outcome(True)
    given = _after_script(with_script[0], arg_contains)
    if sorted(arg.rstrip("/") for arg in given[:len(wanted)]) == sorted(wanted):
        return Outcome(False, f"step {step_name} passes the script {' then '.join(given[:len(wanted)])}: the arguments are in the wrong order;"
                              f" the script reads its first argument and writes to its second, so pass {' then '.join(script_args)}")
    return Outcome(False, f"step {step_name} passes the script {' '.join(given) or 'no arguments'}; expected {' '.join(script_args)}")


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


LOW = {"LESS_THAN", "LESS_THAN_OR_EQUAL"}
HIGH = {"GREATER_THAN", "GREATER_THAN_OR_EQUAL"}


def _alarm(rule: dict) -> dict:
    return rule.get("Trigger", {}).get("CloudWatchAlarmDefinition", {})


def _adjustment(rule: dict) -> int:
    return rule.get("Action", {}).get("SimpleScalingPolicyConfiguration", {}).get("ScalingAdjustment", 0)


def _direction_problem(cluster_name: str, rules: list, scale_out_when: str) -> str:
    """A rule that adds capacity must fire on the metric's `scale_out_when` side (low/high), one that removes it on the other."""
    out_side, in_side = (LOW, HIGH) if scale_out_when == "low" else (HIGH, LOW)
    for rule in rules:
        alarm, adjustment = _alarm(rule), _adjustment(rule)
        side = out_side if adjustment > 0 else in_side
        if adjustment and alarm.get("ComparisonOperator") not in side:
            verb = "adds" if adjustment > 0 else "removes"
            when = scale_out_when if adjustment > 0 else ("high" if scale_out_when == "low" else "low")
            return (f"rule {rule.get('Name')} of cluster {cluster_name} {verb} instances when {alarm.get('MetricName')} is {alarm.get('ComparisonOperator')}"
                    f" {alarm.get('Threshold')}: it should {verb[:-1]} them when the metric is {when}; the rule's direction is inverted")
    outs = [_alarm(r).get("Threshold", 0) for r in rules if _adjustment(r) > 0]
    ins = [_alarm(r).get("Threshold", 0) for r in rules if _adjustment(r) < 0]
    if outs and ins and ((scale_out_when == "low" and max(outs) >= min(ins)) or (scale_out_when == "high" and min(outs) <= max(ins))):
        return f"the scale-out and scale-in thresholds of cluster {cluster_name} overlap ({outs} and {ins}): the group would grow and shrink in turns"
    return ""


@check("emr_autoscaling_policy", CONFIG_ONLY, "an instance group of an EMR cluster has a custom automatic scaling policy on a CloudWatch metric, scaling the right way")
def emr_autoscaling_policy(clients, *, cluster_name: str, metric: str = "", group_type: str = "", both_directions: bool = False, scale_out_when: str = "") -> Outcome:
    emr = clients("emr")
    clusters = _clusters(emr, cluster_name, EMR_ALIVE)
    if not clusters:
        raise Missing(f"no running cluster is named {cluster_name}")
    groups = [g for g in emr.list_instance_groups(ClusterId=clusters[0]["Id"])["InstanceGroups"]
              if not group_type or g["InstanceGroupType"] == group_type.upper()]
    with_policy = [g for g in groups if g.get("AutoScalingPolicy", {}).get("Status", {}).get("State") in POLICY_IN_FORCE]
    if not with_policy:
        if group_type:
            return Outcome(False, f"the {group_type.upper()} instance group of cluster {cluster_name} has no custom automatic scaling policy")
        return Outcome(False, f"no instance group of cluster {cluster_name} has a custom automatic scaling policy")
    rules = [rule for group in with_policy for rule in group["AutoScalingPolicy"].get("Rules", [])]
    if metric:
        rules = [rule for rule in rules if _alarm(rule).get("MetricName") == metric]
    if not rules:
        return Outcome(False, f"the scaling policy of cluster {cluster_name} has no rule on {metric or 'any metric'}")
    adjustments = [_adjustment(rule) for rule in rules]
    if both_directions and not (any(a > 0 for a in adjustments) and any(a < 0 for a in adjustments)):
        return Outcome(False, f"the scaling policy of cluster {cluster_name} needs a rule that adds instances and a rule that removes them")
    problem = _direction_problem(cluster_name, rules, scale_out_when) if scale_out_when else ""
    return Outcome(not problem, problem)


def _tasks(definition: dict) -> list[dict]:
    return [state for state in all_states(definition).values() if state.get("Type") == "Task"]


@check("state_machine_calls", CONFIG_ONLY, "a Step Functions state machine has a Task state (nested ones included) calling a given service integration")
def state_machine_calls(clients, *, name: str, resource: str) -> Outcome:
    resources = [task.get("Resource", "") for task in _tasks(state_machine_definition(clients, name))]
    if resource in resources:
        return Outcome(True)
    if resource.endswith(".sync") and resource.removesuffix(".sync") in resources:
        return Outcome(False, f"state machine {name} calls {resource.removesuffix('.sync')} without .sync: the Task would submit the work and move on instead of waiting for it")
    return Outcome(False, f"state machine {name} has no Task state calling {resource} (its Tasks call {', '.join(resources) or 'nothing'})")


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
