"""Fixtures for the lab tests: moto in-process for check kinds, the sandbox server for whole runs."""

from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from studyapp.sources import read_catalog, sync_catalog

CATALOG = Path(__file__).resolve().parents[1] / "catalog"


def outcome(kind: str, clients, **args):
    """A check kind's outcome outside the sandbox (a real-aws-only kind really runs)."""
    from labs.checks import run_check

    return run_check(kind, clients, args, sandbox=False)


class MotoClients:
    """The same call shape as labs.aws.Clients, backed by moto in this process."""

    sandbox = False

    def __init__(self):
        self._clients = {}

    def __call__(self, service: str):
        if service not in self._clients:
            self._clients[service] = boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        return self._clients[service]


@pytest.fixture
def moto_clients():
    with mock_aws():
        yield MotoClients()


@pytest.fixture
def loaded_labs(settings, db, fixture_course, tmp_path):
    """Only the setup lab: the engine's tests must not depend on labs other engineers are still writing."""
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "setup").symlink_to(CATALOG / "setup")
    settings.LABS_CATALOG_DIR = catalog
    settings.CONTENT_SOURCES = ["labs.sources.LabSource"]
    sync_catalog(read_catalog())


@pytest.fixture
def sandbox_connection(alice, aws_sandbox):
    from labs.models import AwsConnection

    return AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")


class StubbedClients:
    """The same call shape as labs.aws.Clients, backed by botocore Stubbers holding recorded AWS responses."""

    sandbox = False

    def __init__(self):
        self.clients, self.stubbers = {}, {}
        self.session = boto3.Session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")

    def __call__(self, service: str):
        if service not in self.clients:
            client = self.session.client(service)
            self.clients[service], self.stubbers[service] = client, Stubber(client)
            self.stubbers[service].activate()
        return self.clients[service]

    def signed_request(self, service: str, method: str, url: str, body: bytes = b"") -> tuple[int, bytes]:
        from labs.aws import signed_request

        return signed_request(self.session, service, method, url, body)

    def stub(self, service: str) -> Stubber:
        self(service)
        return self.stubbers[service]


@pytest.fixture
def stubbed():
    clients = StubbedClients()
    yield clients
    for stubber in clients.stubbers.values():
        stubber.assert_no_pending_responses()
