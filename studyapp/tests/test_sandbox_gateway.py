"""The sandbox gateway: the only way learners reach moto, and a real boundary between them (issue 20, item 1)."""

import os
import shutil
import subprocess
import urllib.request
import uuid

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from django.conf import settings

from labs import aws
from labs.models import AwsConnection

# The gateway answers from its own threads, so the keys must be committed where they can read them.
pytestmark = pytest.mark.django_db(transaction=True)

NO_RETRIES = Config(retries={"max_attempts": 1})


def _sandbox(user) -> AwsConnection:
    connection = AwsConnection.objects.create(user=user, kind="sandbox", name="sandbox", account_id=aws.sandbox_account(user.id))
    aws.sandbox_cli_key(connection)
    return connection


def _learner_client(service: str, key: str, secret: str, **extra):
    return boto3.client(service, endpoint_url=settings.AWS_SANDBOX_GATEWAY_URL, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=NO_RETRIES, **extra)


def _status(method: str, path: str, headers: dict | None = None, body: bytes | None = None) -> int:
    request = urllib.request.Request(settings.AWS_SANDBOX_GATEWAY_URL + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def test_the_learners_own_key_works_and_acts_in_their_own_account(alice, bob, aws_sandbox):
    alices = _sandbox(alice)
    s3 = _learner_client("s3", alices.access_key_id, aws.sandbox_cli_secret(alices))
    assert _learner_client("sts", alices.access_key_id, aws.sandbox_cli_secret(alices)).get_caller_identity()["Account"] == aws.sandbox_account(alice.id)
    s3.create_bucket(Bucket="dea-gateway-alice")
    s3.put_object(Bucket="dea-gateway-alice", Key="raw/a b+c.csv", Body=b"id,name\n1,x\n")
    assert s3.get_object(Bucket="dea-gateway-alice", Key="raw/a b+c.csv")["Body"].read() == b"id,name\n1,x\n"
    # The app's own clients (direct to moto, with credentials no learner sees) find it in alice's account only.
    bobs = _sandbox(bob)
    assert "dea-gateway-alice" in {b["Name"] for b in aws.Clients(alices)("s3").list_buckets()["Buckets"]}
    assert "dea-gateway-alice" not in {b["Name"] for b in aws.Clients(bobs)("s3").list_buckets()["Buckets"]}


def test_bob_cannot_reach_alices_account_with_the_account_header(alice, bob, aws_sandbox):
    alices, bobs = _sandbox(alice), _sandbox(bob)
    aws.Clients(alices)("s3").create_bucket(Bucket="dea-gateway-secret")
    s3 = _learner_client("s3", bobs.access_key_id, aws.sandbox_cli_secret(bobs))
    # The header is added after signing, exactly as an attacker would send it on a request signed with their own key.
    s3.meta.events.register("before-send", lambda request, **_: request.headers.__setitem__("x-moto-account-id", aws.sandbox_account(alice.id)))
    assert "dea-gateway-secret" not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    with pytest.raises(botocore.exceptions.ClientError):
        s3.delete_bucket(Bucket="dea-gateway-secret")
    assert "dea-gateway-secret" in {b["Name"] for b in aws.Clients(alices)("s3").list_buckets()["Buckets"]}


def test_a_signed_account_header_is_ignored_too(alice, bob, aws_sandbox):
    alices, bobs = _sandbox(alice), _sandbox(bob)
    aws.Clients(alices)("s3").create_bucket(Bucket="dea-gateway-signed")
    s3 = _learner_client("s3", bobs.access_key_id, aws.sandbox_cli_secret(bobs))
    s3.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", aws.sandbox_account(alice.id)))
    assert "dea-gateway-signed" not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def test_a_key_id_with_the_wrong_secret_is_refused(alice, aws_sandbox):
    alices = _sandbox(alice)
    aws.Clients(alices)("s3").create_bucket(Bucket="dea-gateway-wrong")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _learner_client("s3", alices.access_key_id, "sandbox").list_buckets()
    assert _code(refused) == "SignatureDoesNotMatch"
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _learner_client("s3", "sandbox", "sandbox").list_buckets()  # the app's own placeholder credentials
    assert _code(refused) == "InvalidClientTokenId"


def test_a_rotated_secret_stops_the_old_one(alice, aws_sandbox):
    alices = _sandbox(alice)
    old_secret = aws.sandbox_cli_secret(alices)
    new_key = aws.sandbox_cli_key(alices, rotate=True)
    with pytest.raises(botocore.exceptions.ClientError):
        _learner_client("sts", new_key, old_secret).get_caller_identity()
    assert _learner_client("sts", new_key, aws.sandbox_cli_secret(alices)).get_caller_identity()["Account"] == aws.sandbox_account(alice.id)


def test_unsigned_requests_are_refused(alice, aws_sandbox):
    aws.Clients(_sandbox(alice))("s3").create_bucket(Bucket="dea-gateway-unsigned")
    assert _status("GET", "/") == 403
    assert _status("GET", "/", {"x-moto-account-id": aws.sandbox_account(alice.id)}) == 403
    assert _status("GET", "/dea-gateway-unsigned", {"x-moto-account-id": aws.sandbox_account(alice.id)}) == 403
    unsigned = boto3.client("s3", endpoint_url=settings.AWS_SANDBOX_GATEWAY_URL, region_name="us-east-1", config=Config(signature_version=botocore.UNSIGNED))
    with pytest.raises(botocore.exceptions.ClientError):
        unsigned.list_objects_v2(Bucket="dea-gateway-unsigned")


@pytest.mark.parametrize("path", ["/moto-api/data.json", "/moto-api/reset", "/moto-api/", "/%6Doto-api/data.json", "/MOTO-API/reset",
                                  "//moto-api/reset", "/%2Fmoto-api/reset"])
def test_the_admin_api_is_unreachable(alice, aws_sandbox, path):
    alices, bucket = _sandbox(alice), f"dea-gateway-kept-{uuid.uuid4().hex[:8]}"
    aws.Clients(alices)("s3").create_bucket(Bucket=bucket)
    assert _status("GET", path) == 403
    assert _status("POST", path, body=b"") == 403
    # Not even signed by a real learner key.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="POST", url=settings.AWS_SANDBOX_GATEWAY_URL + path, data=b"")
    SigV4Auth(Credentials(alices.access_key_id, aws.sandbox_cli_secret(alices)), "s3", "us-east-1").add_auth(request)
    assert _status("POST", path, dict(request.headers.items()), b"") == 403
    assert bucket in {b["Name"] for b in aws.Clients(alices)("s3").list_buckets()["Buckets"]}  # nothing was reset


def test_the_run_page_shows_the_learner_their_own_key_and_the_gateway(alice_client, alice, bob, loaded_labs, aws_sandbox):
    import re

    from labs.models import Lab, LabRun

    alices = _sandbox(alice)
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=alices, prefix="dea-gw000001",
                                state=LabRun.READY, expires_at="2030-01-01T00:00:00Z")
    response = alice_client.get(f"/labs/runs/{run.id}/")
    assert "no-store" in response["Cache-Control"]  # the page holds a secret
    page = response.content.decode()
    key, secret = re.search(r"AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)", page).groups()
    assert f"--endpoint-url {settings.AWS_SANDBOX_GATEWAY_URL}" in page and settings.AWS_SANDBOX_URL not in page
    assert _learner_client("sts", key, secret).get_caller_identity()["Account"] == aws.sandbox_account(alice.id)

    # Rotating from the run page replaces the secret; the old one is refused from then on.
    assert alice_client.post(f"/labs/runs/{run.id}/sandbox-key").status_code == 302
    new_key, new_secret = re.search(r"AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)", alice_client.get(f"/labs/runs/{run.id}/").content.decode()).groups()
    assert new_secret != secret
    with pytest.raises(botocore.exceptions.ClientError):
        _learner_client("sts", key, secret).get_caller_identity()
    assert _learner_client("sts", new_key, new_secret).get_caller_identity()["Account"] == aws.sandbox_account(alice.id)

    # Bob neither sees alice's run page nor can rotate her key.
    from django.test import Client

    bobs_client = Client()
    bobs_client.force_login(bob)
    assert bobs_client.get(f"/labs/runs/{run.id}/").status_code == 404
    assert bobs_client.post(f"/labs/runs/{run.id}/sandbox-key").status_code == 404


@pytest.mark.skipif(not shutil.which("aws"), reason="the AWS CLI is not installed")
def test_the_aws_cli_works_with_the_run_page_settings(alice, tmp_path, aws_sandbox):
    alices = _sandbox(alice)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": alices.access_key_id,
           "AWS_SECRET_ACCESS_KEY": aws.sandbox_cli_secret(alices), "AWS_DEFAULT_REGION": "us-east-1"}
    upload = tmp_path / "orders.csv"
    upload.write_text("id\n1\n")
    bucket = f"dea-cli-{uuid.uuid4().hex[:8]}"

    def cli(*args, secret=None):
        return subprocess.run(["aws", *args, "--endpoint-url", settings.AWS_SANDBOX_GATEWAY_URL], capture_output=True, text=True, timeout=60,
                              env={**env, "AWS_SECRET_ACCESS_KEY": secret or env["AWS_SECRET_ACCESS_KEY"]})

    assert cli("s3", "mb", f"s3://{bucket}").returncode == 0
    assert cli("s3", "cp", str(upload), f"s3://{bucket}/raw/orders.csv").returncode == 0
    assert "raw/orders.csv" in cli("s3", "ls", f"s3://{bucket}", "--recursive").stdout
    assert aws.sandbox_account(alice.id) in cli("sts", "get-caller-identity").stdout
    refused = cli("s3", "ls", secret="wrong")
    assert refused.returncode != 0 and "SignatureDoesNotMatch" in refused.stderr


def test_a_full_url_in_the_request_line_is_refused(aws_sandbox):
    import http.client
    from urllib.parse import urlsplit

    target = urlsplit(settings.AWS_SANDBOX_GATEWAY_URL)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    connection.request("POST", "http://127.0.0.1/moto-api/reset", body=b"")
    assert connection.getresponse().status in (400, 403)
    connection.close()
