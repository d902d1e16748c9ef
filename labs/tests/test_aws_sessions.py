"""Sessions share the process's botocore data loader, so building one per run step does not re-read the service models."""

import pytest

from labs import aws
from labs.models import AwsConnection

pytestmark = pytest.mark.django_db


def test_every_session_shares_one_data_loader_but_not_credentials(alice, bob):
    first = aws.session(AwsConnection(user=alice, kind=AwsConnection.SANDBOX, name="a"))
    second = aws.session(AwsConnection(user=bob, kind=AwsConnection.KEYS, name="b", access_key_id="AKIAEXAMPLE",
                                       secret_encrypted=aws.encrypt_secret("s3cr3t")))
    assert first._session.get_component("data_loader") is second._session.get_component("data_loader")
    assert first._session is not second._session
    assert first.get_credentials().access_key != second.get_credentials().access_key
