import logging

import pytest
from django.db import connection as db_connection

from labs import aws
from labs.models import AwsConnection, LabEvent, LabRun

pytestmark = pytest.mark.django_db

FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZZTESTSECRET1"
FAKE_KEY_ID = "AKIAZZZZTESTKEYID0001"


def test_adding_the_sandbox_connection_validates_it(alice_client, alice, aws_sandbox):
    response = alice_client.post("/labs/connections/add", {"kind": "sandbox", "name": "AWS sandbox"})
    assert response.status_code == 302
    connection = AwsConnection.objects.get(user=alice)
    assert connection.account_id == aws.sandbox_account(alice.id) and connection.validated_at


def test_a_connection_can_be_checked_again(alice_client, alice, aws_sandbox):
    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    assert alice_client.post(f"/labs/connections/{connection.id}/validate").status_code == 302
    connection.refresh_from_db()
    assert connection.account_id == aws.sandbox_account(alice.id) and connection.validated_at


def test_a_connection_that_stopped_working_says_why(alice_client, alice, settings):
    connection = AwsConnection.objects.create(user=alice, kind="keys", name="old keys", access_key_id=FAKE_KEY_ID, secret_encrypted=b"stale")
    response = alice_client.post(f"/labs/connections/{connection.id}/validate")
    assert response.status_code == 400 and "old keys: The stored secret cannot be decrypted" in response.content.decode()


def test_access_keys_are_encrypted_write_only_and_never_shown(alice_client, alice, aws_sandbox, settings, caplog):
    caplog.set_level(logging.DEBUG)
    connection = AwsConnection.objects.create(user=alice, kind="keys", name="mine", access_key_id=FAKE_KEY_ID, secret_encrypted=aws.encrypt_secret(FAKE_SECRET))
    # At rest: the database holds a Fernet token, not the secret.
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM labs_awsconnection WHERE id = %s", [connection.id])
        stored = bytes(cursor.fetchone()[0])
    assert FAKE_SECRET.encode() not in stored and aws._decrypt(stored) == FAKE_SECRET
    page = alice_client.get("/labs/connections/").content.decode()
    assert FAKE_SECRET not in page and FAKE_KEY_ID not in page and connection.masked_key in page
    assert FAKE_SECRET not in caplog.text


def test_rejected_keys_get_a_message_without_the_secret(alice_client, alice, monkeypatch, caplog):
    def refuse(connection):
        raise aws.ConnectionInvalid("AWS refused the credentials (InvalidClientTokenId).")

    monkeypatch.setattr("labs.views.caller_account", refuse)
    response = alice_client.post("/labs/connections/add", {"kind": "keys", "access_key_id": FAKE_KEY_ID, "secret_access_key": FAKE_SECRET})
    assert response.status_code == 400
    body = response.content.decode()
    assert "AWS refused the credentials (InvalidClientTokenId)." in body and FAKE_SECRET not in body
    assert not AwsConnection.objects.filter(user=alice).exists()
    assert FAKE_SECRET not in caplog.text


def test_a_wrong_key_really_fails_validation_against_the_sandbox_free_path(alice):
    connection = AwsConnection(user=alice, kind="keys", access_key_id=FAKE_KEY_ID, secret_encrypted=b"not-a-token")
    with pytest.raises(aws.ConnectionInvalid) as raised:
        aws.session(connection)
    assert FAKE_SECRET not in str(raised.value) and "enter the access keys again" in str(raised.value)


def test_key_rotation_keeps_old_secrets_readable(settings, alice):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.LABS_ENCRYPTION_KEYS = [old]
    token = aws.encrypt_secret(FAKE_SECRET)
    settings.LABS_ENCRYPTION_KEYS = [new, old]
    assert aws._decrypt(token) == FAKE_SECRET
    settings.LABS_ENCRYPTION_KEYS = [new]
    with pytest.raises(aws.ConnectionInvalid):
        aws._decrypt(token)


def test_rotate_keys_re_encrypts_stored_secrets_so_the_old_key_can_be_retired(settings, alice, capsys):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.LABS_ENCRYPTION_KEYS = [old]
    connection = AwsConnection.objects.create(user=alice, kind="keys", name="k", access_key_id=FAKE_KEY_ID, secret_encrypted=aws.encrypt_secret(FAKE_SECRET))
    settings.LABS_ENCRYPTION_KEYS = [new, old]
    call_command("lab", "rotate-keys")
    assert "re-encrypted 1 stored secret(s)" in capsys.readouterr().out
    settings.LABS_ENCRYPTION_KEYS = [new]
    connection.refresh_from_db()
    assert aws._decrypt(connection.secret_encrypted) == FAKE_SECRET


def test_local_profiles_are_off_unless_the_operator_names_them(settings, alice):
    settings.LABS_LOCAL_PROFILES = []
    with pytest.raises(aws.ConnectionInvalid, match="not one this server's operator allows"):
        aws.session(AwsConnection(user=alice, kind="profile", profile_name="default"))
    settings.LABS_LOCAL_PROFILES = ["dea-study"]
    for name in ("default", ""):  # neither the operator's default profile nor boto3's fallback to it
        with pytest.raises(aws.ConnectionInvalid):
            aws.session(AwsConnection(user=alice, kind="profile", profile_name=name))


def test_secrets_are_not_encrypted_with_a_key_derived_from_secret_key(settings, alice, tmp_path):
    import base64
    import hashlib

    from cryptography.fernet import Fernet, InvalidToken

    token = aws.encrypt_secret(FAKE_SECRET)
    derived = base64.urlsafe_b64encode(hashlib.sha256(("labs:" + settings.SECRET_KEY).encode()).digest())
    with pytest.raises(InvalidToken):
        Fernet(derived).decrypt(token)  # a copy of var/ with SECRET_KEY is not enough
    assert settings.LABS_ENCRYPTION_KEYS and settings.LABS_ENCRYPTION_KEYS[0] != derived.decode()


PRINCIPAL = "arn:aws:iam::444455556666:role/studyapp-server"


def test_the_role_template_carries_the_learners_external_id(alice_client, alice, settings):
    from labs.views import external_id

    settings.LABS_APP_PRINCIPAL_ARN = PRINCIPAL
    body = alice_client.get("/labs/connections/role-template.yaml").content.decode()
    assert f'"sts:ExternalId": "{external_id(alice)}"' in body and "AWSTemplateFormatVersion" in body


def test_bob_cannot_touch_alices_connections_or_runs(client, alice, bob, loaded_labs):
    from labs.models import Lab

    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-test0001", expires_at="2030-01-01T00:00:00Z")
    client.force_login(bob)
    assert client.post(f"/labs/connections/{connection.id}/delete").status_code == 404
    assert client.post(f"/labs/connections/{connection.id}/validate").status_code == 404
    assert client.post("/labs/setup/launch", {"connection": connection.id}).status_code == 404
    for url in [f"/labs/runs/{run.id}/", f"/labs/runs/{run.id}/status"]:
        assert client.get(url).status_code == 404
    for url in [f"/labs/runs/{run.id}/verify", f"/labs/runs/{run.id}/teardown", f"/labs/runs/{run.id}/extend"]:
        assert client.post(url).status_code == 404
    assert AwsConnection.objects.filter(id=connection.id).exists() and LabEvent.objects.filter(run=run).count() == 0


@pytest.mark.parametrize("data", [{"connection": "abc"}, {"connection": ""}, {"connection": "99999"}])
def test_tampered_launch_posts_get_a_4xx(alice_client, loaded_labs, data):
    assert alice_client.post("/labs/setup/launch", data).status_code in (400, 404)


def test_paid_labs_need_explicit_confirmation(alice_client, alice, loaded_labs):
    from labs.models import Lab

    Lab.objects.filter(slug="setup").update(cost_per_hour="1.50")
    connection = AwsConnection.objects.create(user=alice, kind="keys", name="mine", access_key_id=FAKE_KEY_ID, secret_encrypted=aws.encrypt_secret(FAKE_SECRET))
    response = alice_client.post("/labs/setup/launch", {"connection": connection.id})
    assert response.status_code == 400 and b"confirm the cost" in response.content
    assert not LabRun.objects.exists()


# What the labs call in a learner's account beyond the broad service grants: a missing one fails a launch or leaves a
# teardown that can never finish ("could not list: AccessDenied" counts as left over).
def test_the_role_template_is_not_served_before_the_operator_names_the_principal(alice_client, settings):
    settings.LABS_APP_PRINCIPAL_ARN = ""
    response = alice_client.get("/labs/connections/role-template.yaml")
    assert response.status_code == 503 and b"LABS_APP_PRINCIPAL_ARN" in response.content


def test_the_served_role_template_passes_cfn_lint(alice_client, settings, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    settings.LABS_APP_PRINCIPAL_ARN = PRINCIPAL
    template = tmp_path / "role.yaml"
    template.write_bytes(alice_client.get("/labs/connections/role-template.yaml").content)
    result = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), str(template)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db(transaction=True)  # the sandbox gateway reads the keys from its own threads
def test_each_learner_has_an_account_of_their_own_in_the_sandbox(alice, bob, aws_sandbox):
    import boto3
    import botocore.exceptions
    from django.conf import settings

    alices = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    bobs = AwsConnection.objects.create(user=bob, kind="sandbox", name="sandbox")
    assert aws.caller_account(alices) == aws.sandbox_account(alice.id) != aws.caller_account(bobs)

    # What alice makes with the CLI settings her run page gives (through the sandbox gateway) lands in her account.
    key = aws.sandbox_cli_key(alices)
    assert aws.sandbox_cli_key(alices) == key  # stable until she rotates it
    cli = boto3.client("s3", endpoint_url=settings.AWS_SANDBOX_GATEWAY_URL, region_name="us-east-1", aws_access_key_id=key,
                       aws_secret_access_key=aws.sandbox_cli_secret(alices))
    cli.create_bucket(Bucket="dea-isolated-alice")
    buckets = {c: {b["Name"] for b in aws.Clients(c)("s3").list_buckets()["Buckets"]} for c in (alices, bobs)}
    assert "dea-isolated-alice" in buckets[alices] and "dea-isolated-alice" not in buckets[bobs]
    with pytest.raises(botocore.exceptions.ClientError):
        aws.Clients(bobs)("s3").delete_bucket(Bucket="dea-isolated-alice")  # nor can bob delete it
    aws.Clients(alices)("s3").delete_bucket(Bucket="dea-isolated-alice")


def test_the_run_page_gives_the_cli_settings_for_the_learners_own_sandbox_account(alice_client, alice, loaded_labs, aws_sandbox):
    from labs.models import Lab

    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox", account_id=aws.sandbox_account(alice.id))
    aws.sandbox_cli_key(connection)  # what the launch does once it has checked the connection
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-cli00001",
                                state=LabRun.READY, expires_at="2030-01-01T00:00:00Z")
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    connection.refresh_from_db()
    assert f"export AWS_ACCESS_KEY_ID={connection.access_key_id} " in page and aws.sandbox_account(alice.id) in page
