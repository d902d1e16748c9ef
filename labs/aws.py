"""The one module that turns an AwsConnection into boto3 clients. Nothing else reads credentials.

Secrets never leave this module in clear text: they are decrypted only to build a session,
and errors raised here name the connection, never a key.
"""

import base64
import hashlib
import re
import secrets
import string
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
SANDBOX_KEY_PREFIX = "AKSB"  # sandbox keys never look like real AWS keys (AKIA/ASIA)
KEY_ALPHABET = string.ascii_uppercase + string.digits
CLIENT_CONFIG = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 5, "mode": "adaptive"})


class ConnectionInvalid(Exception):
    """The connection cannot be used: its message is safe to show (it never contains a secret)."""


class ConnectionUnreachable(ConnectionInvalid):
    """AWS (or the sandbox) did not answer at all: worth trying again shortly, unlike refused credentials."""


def _fernet() -> MultiFernet:
    """LABS_ENCRYPTION_KEYS: Fernet keys, newest first (older ones still decrypt: rotation).

    The last key is the one earlier versions derived from SECRET_KEY: it only decrypts, so secrets stored before the
    key file existed still work until `manage.py lab rotate-keys` re-encrypts them with the current key.
    """
    keys = [key.strip() for key in settings.LABS_ENCRYPTION_KEYS if key.strip()]
    legacy = base64.urlsafe_b64encode(hashlib.sha256(("labs:" + settings.SECRET_KEY).encode()).digest()).decode()
    return MultiFernet([Fernet(key) for key in keys] + [Fernet(legacy)])


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
        if connection.profile_name not in settings.LABS_LOCAL_PROFILES:
            raise ConnectionInvalid("That local AWS profile is not one this server's operator allows (LABS_LOCAL_PROFILES).")
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


ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(?P<account>\d{12}):role/[\w+=,.@/-]{1,512}$")


def _sts(session: boto3.Session):
    return session.client("sts", config=CLIENT_CONFIG)


def check_role_guard(connection: AwsConnection) -> None:
    """A role connection must be the learner's own and need their ExternalId, as AWS advises against confused deputies.

    Refused: a malformed ARN, a role in this server's own account, and a role this server can assume without the
    learner's ExternalId (any learner could then name it). Proven by trying exactly that call, which must fail.
    """
    match = ROLE_ARN.match(connection.role_arn)
    if not match:
        raise ConnectionInvalid("Enter the role's full ARN, such as arn:aws:iam::111122223333:role/dea-c01-labs.")
    sts = _sts(boto3.Session(region_name=connection.region))
    try:
        own_account = sts.get_caller_identity()["Account"]
        if match["account"] == own_account:
            raise ConnectionInvalid("That role is in this server's own AWS account: use a role in your own account.")
        sts.assume_role(RoleArn=connection.role_arn, RoleSessionName=f"studyapp-check-{connection.user_id}", DurationSeconds=900)
    except botocore.exceptions.ClientError as error:
        if error.response["Error"].get("Code") == "AccessDenied":
            return  # refused without the ExternalId: as it must be
        raise ConnectionInvalid(f"Could not check {connection.role_arn}: {error.response['Error'].get('Code', 'error')}") from None
    except botocore.exceptions.BotoCoreError as error:
        raise ConnectionInvalid(f"Could not reach AWS: {type(error).__name__}.") from None
    raise ConnectionInvalid("That role can be assumed without your ExternalId, so anyone using this site could use it. "
                            "Add the sts:ExternalId condition to its trust policy (the role template has it).")


def caller_account(connection: AwsConnection) -> str:
    """sts:GetCallerIdentity: proves the connection works; returns the account id."""
    if connection.kind == AwsConnection.ROLE:
        check_role_guard(connection)
    try:
        return Clients(connection)("sts").get_caller_identity()["Account"]
    except botocore.exceptions.ClientError as error:
        raise ConnectionInvalid(f"AWS refused the credentials ({error.response['Error'].get('Code', 'error')}).") from None
    except botocore.exceptions.BotoCoreError as error:
        raise ConnectionUnreachable(f"Could not reach AWS: {type(error).__name__}.") from None


def sandbox_cli_key(connection: AwsConnection, rotate: bool = False) -> str:
    """The access key id of this learner's sandbox key, issued (or, with rotate, replaced) here.

    The sandbox gateway lets a request in only when its SigV4 signature verifies with this key's secret, and then
    acts in the key owner's own emulated account. The secret is stored encrypted like every other secret.
    """
    if rotate or not connection.access_key_id or not connection.secret_encrypted:
        connection.access_key_id = SANDBOX_KEY_PREFIX + "".join(secrets.choice(KEY_ALPHABET) for _ in range(16))
        connection.secret_encrypted = encrypt_secret(secrets.token_urlsafe(30))
        AwsConnection.objects.filter(id=connection.id).update(access_key_id=connection.access_key_id, secret_encrypted=connection.secret_encrypted)
    return connection.access_key_id


def sandbox_cli_secret(connection: AwsConnection) -> str:
    """The secret of the learner's sandbox key, for their own run page only."""
    return _decrypt(connection.secret_encrypted) if connection.kind == AwsConnection.SANDBOX and connection.secret_encrypted else ""


def sandbox_key_owner(key_id: str) -> tuple[str, str] | None:
    """For the sandbox gateway: the secret and emulated account of a sandbox key, or None when no learner holds it."""
    if not key_id.startswith(SANDBOX_KEY_PREFIX):
        return None
    owners = list(AwsConnection.objects.filter(kind=AwsConnection.SANDBOX, access_key_id=key_id).exclude(secret_encrypted=b"")[:2])
    if len(owners) != 1:
        return None
    try:
        return _decrypt(owners[0].secret_encrypted), sandbox_account(owners[0].user_id)
    except ConnectionInvalid:
        return None


def sandbox_public_url() -> str:
    """Where learners point their CLI and SDKs: the gateway, never moto itself."""
    return settings.AWS_SANDBOX_GATEWAY_URL
