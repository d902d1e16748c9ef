"""The embedded AWS sandbox: moto's server on loopback, warmed up before use.

moto builds each service's backend lazily, so the first call to a service is slow;
warming them at start-up keeps a learner's first lab launch quick. The same calls probe
each service's health: one service that fails (as Athena did when the SDK changed its
protocol) is reported by name while the sandbox keeps serving the others.
"""

import re
import threading

import boto3
import botocore.exceptions
from botocore.config import Config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

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


SERVICES = tuple(service for service, _ in WARM_CALLS)
NO_ANSWER = "no answer"  # slow or unreachable, as opposed to an answer that shows the service broken


def is_broken(state: str) -> bool:
    """A probe state that shows the service answering wrongly; a service still building its backend is slow, not broken."""
    return not state.startswith(("ok", NO_ANSWER))
_SIGNED_SERVICE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]*)/")


class StoppedServices:
    """WSGI middleware that answers 404 for the named services, as moto does for a path it does not route.

    It simulates one service failing inside a running sandbox (AWS_SANDBOX_STOPPED_SERVICES), for tests and drills.
    """

    def __init__(self, app, services: set[str]):
        self.app, self.services = app, services

    def __call__(self, environ, start_response):
        signed = _SIGNED_SERVICE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if signed and signed.group(1) in self.services:
            start_response("404 NOT FOUND", [("Content-Type", "text/html")])
            return [b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>"]
        return self.app(environ, start_response)


class SandboxServer(ThreadedMotoServer):
    def __init__(self, port: int, stopped_services: set[str]):
        super().__init__(ip_address="127.0.0.1", port=port, verbose=False)
        self.stopped_services = stopped_services

    def _server_entry(self) -> None:
        app = DomainDispatcherApplication(create_backend_app)
        wrapped = StoppedServices(app, self.stopped_services) if self.stopped_services else app
        self._server = make_server(self._ip_address, self._port, wrapped, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()


def start(port: int, stopped_services: set[str] | frozenset[str] = frozenset()) -> ThreadedMotoServer:
    server = SandboxServer(port, set(stopped_services))
    server.start()
    return server


def client(service: str, endpoint_url: str, timeout: float = 30):
    config = Config(connect_timeout=min(5, timeout), read_timeout=timeout, retries={"max_attempts": 2})
    # A session per client: probes create clients from several threads, and boto3's default session is not thread-safe.
    return boto3.session.Session().client(service, endpoint_url=endpoint_url, region_name=SANDBOX_REGION, config=config, **SANDBOX_CREDENTIALS)


def _probe_one(service: str, operation: str, endpoint_url: str, timeout: float) -> str:
    try:
        getattr(client(service, endpoint_url, timeout), operation)()
    except botocore.exceptions.ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        return f"{status} {error.operation_name}: {error.response.get('Error', {}).get('Code', 'error')}".strip()
    except (botocore.exceptions.ConnectionError, botocore.exceptions.ReadTimeoutError) as error:
        return f"{NO_ANSWER}: {type(error).__name__}"
    except botocore.exceptions.BotoCoreError as error:  # an answer the SDK could not read
        return f"{type(error).__name__}: {error}"
    return "ok"


def probe(endpoint_url: str, timeout: float = 30) -> dict[str, str]:
    """Each service's state, "ok" or what its call answered; the calls run in parallel and never raise."""
    results: dict[str, str] = {}

    def run(service: str, operation: str) -> None:
        results[service] = _probe_one(service, operation, endpoint_url, timeout)

    threads = [threading.Thread(target=run, args=call, daemon=True) for call in WARM_CALLS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {service: results[service] for service in SERVICES}


def warm_up(endpoint_url: str) -> dict[str, str]:
    """Build every service's backend now; returns each service's state (see probe)."""
    return probe(endpoint_url)
