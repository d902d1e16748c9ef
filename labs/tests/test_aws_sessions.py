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


def test_sandbox_clients_are_reused_per_learner_account_and_never_shared_between_learners(alice, bob, settings):
    from botocore.awsrequest import AWSResponse

    class Raw:
        def stream(self, **_):
            yield b"<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>"

    settings.AWS_SANDBOX_URL = "http://127.0.0.1:9"
    alice_connection = AwsConnection(user=alice, kind=AwsConnection.SANDBOX, name="a")
    first, again = aws.Clients(alice_connection)("s3"), aws.Clients(alice_connection)("s3")
    bobs = aws.Clients(AwsConnection(user=bob, kind=AwsConnection.SANDBOX, name="b"))("s3")
    assert first is again and bobs is not first
    sent = []

    def answer(request, **_):  # stands in for the sandbox: records which account the request was for
        sent.append(request.headers["x-moto-account-id"])
        return AWSResponse(request.url, 200, {}, Raw())

    for client in (first, bobs):
        client.meta.events.register("before-send", answer)
        client.list_buckets()
    assert [str(account, "ascii") if isinstance(account, bytes) else account for account in sent] == [
        aws.sandbox_account(alice.id), aws.sandbox_account(bob.id)]
