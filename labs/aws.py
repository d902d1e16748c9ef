"""The one module that turns an AwsConnection into boto3 clients. Nothing else reads credentials.

Secrets never leave this module in clear text: they are decrypted only to build a session,
and errors raised here name the connection, never a key.
"""

import base64
import hashlib
import threading

import boto3
import botocore.exceptions
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.httpsession import URLLib3Session
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from .models import AwsConnection

SANDBOX_CREDENTIALS = {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}  # moto accepts anything
SANDBOX_ACCOUNT_BASE = 100_000_000_000
SANDBOX_CLI_USER = "learner"
CLIENT_CONFIG = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 5, "mode": "adaptive"})


class ConnectionInvalid(Exception):
    """The connection cannot be used: its message is safe to show (it never contains a secret)."""


def _fernet() -> MultiFernet:
    """LABS_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (older ones still decrypt: rotation)."""
    keys = [key.strip() for key in settings.LABS_ENCRYPTION_KEYS if key.strip()]
    if not keys:
        derived = base64.urlsafe_b64encode(hashlib.sha256(("labs:" + settings.SECRET_KEY).encode()).digest())
        keys = [derived.decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_secret(secret: str) -> bytes:
    return _fernet().encrypt(secret.encode())


def rotate_secrets() -> int:
    """Re-encrypt every stored secret with the newest key, so older keys can then be retired; returns how many."""
    fernet, count = _fernet(), 0
    for connection in AwsConnection.objects.exclude(secret_encrypted=b"").only("id", "secret_encrypted"):
        try:
            token = fernet.rotate(bytes(connection.secret_encrypted))
        except InvalidToken:
            continue  # unreadable with every current key: the learner must enter the keys again
        AwsConnection.objects.filter(id=connection.id).update(secret_encrypted=token)
        count += 1
    return count


def _decrypt(token: bytes) -> str:
    try:
        return _fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        raise ConnectionInvalid("The stored secret cannot be decrypted with the current keys; enter the access keys again.") from None


_data_loader = None


def _boto3_session(**kwargs) -> boto3.Session:
    """A boto3 session sharing the process's botocore data loader: each run step builds its own session, and
    without this every one of them would read and parse the service models from disk again."""
    global _data_loader
    core = botocore.session.get_session()
    if _data_loader is None:
        _data_loader = core.get_component("data_loader")
    core.register_component("data_loader", _data_loader)
    return boto3.Session(botocore_session=core, **kwargs)


def session(connection: AwsConnection) -> boto3.Session:
    if connection.kind == AwsConnection.SANDBOX:
        return _boto3_session(region_name=connection.region, **SANDBOX_CREDENTIALS)
    if connection.kind == AwsConnection.PROFILE:
        if not settings.LABS_ALLOW_LOCAL_PROFILES:
            raise ConnectionInvalid("Local AWS profiles are turned off on this server.")
        return _boto3_session(profile_name=connection.profile_name, region_name=connection.region)
    if connection.kind == AwsConnection.KEYS:
        return _boto3_session(aws_access_key_id=connection.access_key_id, aws_secret_access_key=_decrypt(connection.secret_encrypted),
                             region_name=connection.region)
    if connection.kind == AwsConnection.ROLE:
        base = _boto3_session(region_name=connection.region)
        try:
            credentials = base.client("sts", config=CLIENT_CONFIG).assume_role(
                RoleArn=connection.role_arn, RoleSessionName=f"studyapp-{connection.user_id}", ExternalId=connection.external_id, DurationSeconds=3600,
            )["Credentials"]
        except botocore.exceptions.ClientError as error:
            raise ConnectionInvalid(f"Could not assume {connection.role_arn}: {error.response['Error'].get('Code', 'error')}") from None
        return _boto3_session(aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                             aws_session_token=credentials["SessionToken"], region_name=connection.region)
    raise ConnectionInvalid(f"Unknown connection kind {connection.kind!r}.")


def signed_request(session: boto3.Session, service: str, method: str, url: str, body: bytes = b"") -> tuple[int, bytes]:
    """One HTTP request signed with SigV4 by the session's credentials, for endpoints boto3 has no client for
    (an OpenSearch domain's REST API). Returns the status code and body; the credentials never leave the signature."""
    request = AWSRequest(method=method, url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(session.get_credentials(), service, session.region_name).add_auth(request)
    try:
        response = URLLib3Session(timeout=CLIENT_CONFIG.read_timeout).send(request.prepare())
    except botocore.exceptions.BotoCoreError as error:  # connection refused, timeouts, TLS failures
        raise ConnectionInvalid(f"Could not reach {url.split('?')[0]}: {type(error).__name__}.") from None
    return response.status_code, response.content


def sandbox_account(user_id: int) -> str:
    """Each learner's own account inside the emulator, so no learner sees or touches another's sandbox resources."""
    return f"{SANDBOX_ACCOUNT_BASE + user_id:012d}"


_sandbox_clients: dict[tuple, object] = {}
_sandbox_clients_lock = threading.Lock()


class Clients:
    """boto3 clients for one connection, created on first use."""

    def __init__(self, connection: AwsConnection):
        self.connection = connection
        self.sandbox = connection.kind == AwsConnection.SANDBOX
        self._session = session(connection)
        self._clients: dict[str, object] = {}

    def __call__(self, service: str):
        if service not in self._clients:
            self._clients[service] = self._sandbox_client(service) if self.sandbox else self._session.client(service, config=CLIENT_CONFIG)
        return self._clients[service]

    def _sandbox_client(self, service: str):
        """Sandbox clients are kept for the process (fixed credentials; the account is in a header): building a
        client costs more than most calls, and a teardown sweep alone uses a dozen services."""
        account = sandbox_account(self.connection.user_id)
        key = (settings.AWS_SANDBOX_URL, account, self.connection.region, service)
        with _sandbox_clients_lock:
            if key not in _sandbox_clients:
                client = self._session.client(service, endpoint_url=settings.AWS_SANDBOX_URL, config=CLIENT_CONFIG)
                client.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
                _sandbox_clients[key] = client
            return _sandbox_clients[key]

    def signed_request(self, service: str, method: str, url: str, body: bytes = b"") -> tuple[int, bytes]:
        return signed_request(self._session, service, method, url, body)


def caller_account(connection: AwsConnection) -> str:
    """sts:GetCallerIdentity: proves the connection works; returns the account id."""
    try:
        return Clients(connection)("sts").get_caller_identity()["Account"]
    except botocore.exceptions.ClientError as error:
        raise ConnectionInvalid(f"AWS refused the credentials ({error.response['Error'].get('Code', 'error')}).") from None
    except botocore.exceptions.BotoCoreError as error:
        raise ConnectionInvalid(f"Could not reach AWS: {type(error).__name__}.") from None


def sandbox_cli_key(connection: AwsConnection) -> str:
    """An access key id the emulator maps to this learner's own account, for the AWS CLI.

    The emulator checks no signatures, so any secret goes with it; the key is not a secret. The emulator forgets it
    when it restarts (with everything else in it), so a missing key is issued again.
    """
    iam = Clients(connection)("iam")
    try:
        keys = [key["AccessKeyId"] for key in iam.list_access_keys(UserName=SANDBOX_CLI_USER)["AccessKeyMetadata"]]
    except botocore.exceptions.ClientError:
        iam.create_user(UserName=SANDBOX_CLI_USER)
        keys = []
    if connection.access_key_id not in keys:
        connection.access_key_id = keys[0] if keys else iam.create_access_key(UserName=SANDBOX_CLI_USER)["AccessKey"]["AccessKeyId"]
        AwsConnection.objects.filter(id=connection.id).update(access_key_id=connection.access_key_id)
    return connection.access_key_id
