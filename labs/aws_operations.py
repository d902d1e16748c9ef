"""Every AWS operation the labs make: the contract between the app and the AWS sandbox.

`SANDBOX` lists, by service and in an order that can run, the operations that launches, checks, reference solutions and the sweep call
in the sandbox. A test calls each of them against the embedded emulator, so an SDK or emulator upgrade that
breaks one fails a single test naming it. `REAL_AWS_ONLY` lists the operations made only in a real account
(checks whose fidelity is real-aws-only); those are tested against recorded responses instead. Another test
reads the code and fails on any operation call that is in neither list.
"""

SANDBOX: dict[str, tuple[str, ...]] = {
    "sts": ("get_caller_identity",),
    "s3": ("list_buckets", "put_object", "head_object", "get_object", "list_objects_v2", "list_object_versions", "delete_objects", "delete_bucket"),
    "cloudformation": ("create_stack", "describe_stacks", "describe_stack_events", "list_stacks", "delete_stack"),
    "iam": (
        "create_user", "create_access_key", "list_access_keys", "list_roles", "list_instance_profiles", "get_role", "list_role_policies", "delete_role_policy",
        "list_attached_role_policies", "detach_role_policy", "list_instance_profiles_for_role", "get_instance_profile",
        "remove_role_from_instance_profile", "delete_instance_profile", "delete_role",
    ),
    "ec2": (
        "describe_vpcs", "describe_subnets", "describe_route_tables", "describe_internet_gateways", "describe_security_groups",
        "detach_internet_gateway", "delete_internet_gateway", "disassociate_route_table", "delete_route_table",
        "revoke_security_group_ingress", "revoke_security_group_egress", "delete_security_group", "delete_subnet", "delete_vpc",
    ),
    "glue": (
        "create_database", "get_database", "get_databases", "list_crawlers", "list_jobs", "list_triggers", "list_workflows", "delete_database",
        "create_table", "get_table", "get_tables", "delete_table",
        "create_crawler", "get_crawler", "start_crawler", "delete_crawler", "create_job", "get_job", "get_job_runs", "delete_job",
        "create_trigger", "get_trigger", "delete_trigger", "create_workflow", "get_workflow", "delete_workflow",
    ),
    "athena": (
        "create_work_group", "get_work_group", "list_work_groups", "start_query_execution",
        "list_query_executions", "get_query_results", "delete_work_group",
    ),
    "kinesis": ("create_stream", "describe_stream_summary", "list_streams", "list_shards", "get_shard_iterator", "put_record", "get_records", "delete_stream"),
    "firehose": ("create_delivery_stream", "describe_delivery_stream", "list_delivery_streams", "put_record", "delete_delivery_stream"),
    "dynamodb": ("create_table", "describe_table", "list_tables", "put_item", "query", "scan", "delete_table"),
    "redshift": ("create_cluster", "describe_clusters", "delete_cluster"),
    "emr": (
        "run_job_flow", "describe_cluster", "list_clusters", "add_job_flow_steps", "list_steps", "list_instance_groups",
        "put_auto_scaling_policy", "terminate_job_flows",
    ),
    "stepfunctions": ("create_state_machine", "describe_state_machine", "list_state_machines", "start_execution", "list_executions", "delete_state_machine"),
    "opensearch": ("create_domain", "describe_domain", "list_domain_names", "list_tags", "delete_domain"),
    "resourcegroupstaggingapi": ("get_resources",),
    "kafka": ("create_cluster", "describe_cluster_v2", "list_clusters_v2", "delete_cluster"),
}

REAL_AWS_ONLY: dict[str, tuple[str, ...]] = {
    # The emulator does not implement these: the checks and solution steps that make them run in real accounts only.
    "athena": ("batch_get_query_execution",),
    "emr": ("get_auto_termination_policy",),
    "glue": ("create_data_quality_ruleset", "get_data_quality_ruleset", "list_data_quality_rulesets", "delete_data_quality_ruleset"),
    "sts": ("assume_role",),
    "redshift-data": ("execute_statement", "describe_statement", "get_statement_result"),
    "kafka": ("create_topic", "describe_topic"),
}

SERVICES = tuple(sorted(set(SANDBOX) | set(REAL_AWS_ONLY)))

# The SDK service behind each name a lab.yaml lists under `services` (None: nothing the labs call in the sandbox).
LAB_SERVICE_IDS: dict[str, str | None] = {
    "Amazon S3": "s3", "AWS Glue": "glue", "AWS IAM": "iam", "Amazon Athena": "athena", "Amazon DynamoDB": "dynamodb",
    "Amazon EMR": "emr", "AWS Step Functions": "stepfunctions", "Amazon CloudWatch": None, "Amazon VPC": "ec2",
    "Amazon Kinesis Data Streams": "kinesis", "Amazon Data Firehose": "firehose", "Amazon MSK": "kafka",
    "Amazon OpenSearch Service": "opensearch", "Amazon Redshift": "redshift", "AWS CloudFormation": "cloudformation",
}
# Every launch checks the connection and creates stacks; every teardown empties buckets.
LAUNCH_SERVICES = ("sts", "cloudformation", "s3")


def sandbox_services_for(lab_services: list[str]) -> list[str]:
    needed = [LAB_SERVICE_IDS[name] for name in lab_services if LAB_SERVICE_IDS.get(name)]
    return sorted(set(needed) | set(LAUNCH_SERVICES))
