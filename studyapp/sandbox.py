"""The embedded AWS sandbox: moto's server on loopback, warmed up before use.

moto builds each service's backend lazily, so the first call to a service is slow;
warming them at start-up keeps a learner's first lab launch quick.
"""

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

SANDBOX_REGION = "us-east-1"
# moto accepts any credentials; these are placeholders, never real keys.
SANDBOX_CREDENTIALS = {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}
WARM_CALLS = (
    ("sts", "get_caller_identity"),
    ("s3", "list_buckets"),
    ("cloudformation", "list_stacks"),
    ("ec2", "describe_vpcs"),
    ("iam", "list_roles"),
    ("glue", "get_databases"),
    ("athena", "list_work_groups"),
    ("kinesis", "list_streams"),
    ("firehose", "list_delivery_streams"),
    ("dynamodb", "list_tables"),
    ("redshift", "describe_clusters"),
    ("emr", "list_clusters"),
    ("stepfunctions", "list_state_machines"),
    ("opensearch", "list_domain_names"),
)


def start(port: int) -> ThreadedMotoServer:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server


def client(service: str, endpoint_url: str):
    config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2})
    return boto3.client(service, endpoint_url=endpoint_url, region_name=SANDBOX_REGION, config=config, **SANDBOX_CREDENTIALS)


def warm_up(endpoint_url: str) -> None:
    for service, operation in WARM_CALLS:
        getattr(client(service, endpoint_url), operation)()
