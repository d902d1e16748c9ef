"""Assume-role connections the AWS way (issue 20, item 6): the role must need the learner's ExternalId and not be ours."""

import pytest
from botocore.stub import Stubber
from moto import mock_aws

from labs import aws
from labs.models import AwsConnection

pytestmark = pytest.mark.django_db


def _role(alice, arn: str) -> AwsConnection:
    return AwsConnection(user=alice, kind="role", name="role", role_arn=arn, external_id="x" * 32)


@pytest.mark.parametrize("arn", ["", "arn:aws:iam::12345:role/x", "arn:aws:s3:::bucket", "dea-c01-labs"])
def test_a_malformed_role_arn_is_refused(alice, arn):
    with pytest.raises(aws.ConnectionInvalid, match="full ARN"):
        aws.check_role_guard(_role(alice, arn))


@mock_aws
def test_a_role_in_the_servers_own_account_is_refused(alice):
    with pytest.raises(aws.ConnectionInvalid, match="this server's own AWS account"):
        aws.caller_account(_role(alice, "arn:aws:iam::123456789012:role/Admin"))  # moto's account is the server's here


@mock_aws
def test_a_role_that_does_not_need_the_external_id_is_refused(alice):
    # moto ignores trust policies, so this role behaves like one trusting the server with no ExternalId condition.
    with pytest.raises(aws.ConnectionInvalid, match="without your ExternalId"):
        aws.caller_account(_role(alice, "arn:aws:iam::111122223333:role/dea-c01-labs"))


def test_a_role_that_refuses_a_call_without_the_external_id_passes_the_guard(alice, monkeypatch):
    import boto3

    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    stub = Stubber(sts)
    stub.add_response("get_caller_identity", {"Account": "999988887777", "Arn": "arn:aws:iam::999988887777:user/app", "UserId": "AIDA"})
    stub.add_client_error("assume_role", service_error_code="AccessDenied", http_status_code=403,
                          expected_params={"RoleArn": "arn:aws:iam::111122223333:role/dea-c01-labs", "RoleSessionName": f"studyapp-check-{alice.id}",
                                           "DurationSeconds": 900})  # no ExternalId in the probe
    stub.activate()
    monkeypatch.setattr(aws, "_sts", lambda session: sts)
    aws.check_role_guard(_role(alice, "arn:aws:iam::111122223333:role/dea-c01-labs"))
    stub.assert_no_pending_responses()


def test_the_connections_page_says_why_a_role_is_refused(alice_client, monkeypatch):
    with mock_aws():
        response = alice_client.post("/labs/connections/add", {"kind": "role", "name": "mine", "role_arn": "arn:aws:iam::111122223333:role/dea-c01-labs"})
    assert response.status_code == 400 and "without your ExternalId" in response.content.decode()
    assert not AwsConnection.objects.exists()
