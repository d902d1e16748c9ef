"""The learners' way into the AWS sandbox: a small reverse proxy in front of moto.

moto checks no signatures and takes its tenant from a plain header, so learners never reach it directly.
The gateway lets a request through only when its SigV4 signature verifies with the secret issued to the
learner who owns the access key id, and then names that learner's emulated account itself: any
`x-moto-*` header the client sent is dropped, and moto's admin API (`/moto-api/...`) is refused.

    python -m studyapp.sandbox_gateway   (make run starts it beside the embedded sandbox)
"""

import datetime
import hashlib
import hmac
import http.client
import logging
import os
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from botocore.auth import EMPTY_SHA256_HASH, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

logger = logging.getLogger(__name__)

# key id -> (secret, account id), or None when the key is unknown.
Lookup = Callable[[str], tuple[str, str] | None]

MAX_BODY = 64 * 1024 * 1024
MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"}
AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/\s,]+)/(?P<date>\d{8})/(?P<region>[^/\s,]+)/(?P<service>[^/\s,]+)/aws4_request,\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9;_.-]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)
UNHASHED_PAYLOADS = ("UNSIGNED-PAYLOAD", "STREAMING-")


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class _Verifier(SigV4Auth):
    """botocore's own SigV4 canonicalisation, restricted to the headers the client says it signed."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed_headers: list[str]):
        super().__init__(credentials, service, region)
        self._signed_headers = signed_headers

    def headers_to_sign(self, request):
        chosen = HTTPHeaders()
        for name in self._signed_headers:
            values = request.headers.get_all(name)
            if not values:
                raise Refused(403, "SignatureDoesNotMatch", f"The signed header {name} is missing.")
            for value in values:
                chosen[name] = value
        return chosen

    def _normalize_url_path(self, path):
        if self._service_name == "s3":
            return path  # S3 signs the path as sent
        return super()._normalize_url_path(path)


def is_admin_path(raw_path: str) -> bool:
    """moto routes on the decoded path, so decode (and collapse repeated slashes) before comparing."""
    path = unquote(raw_path.split("?", 1)[0]).lower()
    return re.sub(r"/+", "/", path).startswith("/moto-api")


def verify(method: str, raw_path: str, headers: dict[str, list[str]], body: bytes, lookup: Lookup, now: datetime.datetime) -> str:
    """The account the request may act in, or Refused. `headers` maps lower-cased names to their values."""
    if not raw_path.startswith("/"):
        raise Refused(400, "InvalidURI", "Send the request path only (origin-form), not a full URL.")
    if is_admin_path(raw_path):
        raise Refused(403, "AccessDenied", "The sandbox's admin API is not reachable through the gateway.")
    authorization = (headers.get("authorization") or [""])[0]
    match = AUTHORIZATION.match(authorization.strip())
    if not match:
        raise Refused(403, "MissingAuthenticationToken", "Requests must be signed (AWS Signature Version 4) with your sandbox access key.")
    owner = lookup(match["key"])
    if owner is None:
        raise Refused(403, "InvalidClientTokenId", "The access key id is not a sandbox key issued by this site.")
    secret, account = owner
    stamp = (headers.get("x-amz-date") or [""])[0]
    try:
        signed_at = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    except ValueError:
        raise Refused(403, "IncompleteSignature", "The request has no valid X-Amz-Date header.") from None
    if abs(now - signed_at) > MAX_CLOCK_SKEW or stamp[:8] != match["date"]:
        raise Refused(403, "RequestExpired", "The request's signing time is too far from the server's clock.")
    signed_headers = match["signed"].split(";")
    if "host" not in signed_headers:
        raise Refused(403, "SignatureDoesNotMatch", "The Host header must be signed.")
    payload_hash = (headers.get("x-amz-content-sha256") or [""])[0]
    if payload_hash and not payload_hash.startswith(UNHASHED_PAYLOADS):
        if payload_hash != (hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256_HASH):
            raise Refused(400, "XAmzContentSHA256Mismatch", "The body does not match its x-amz-content-sha256 header.")

    request = AWSRequest(method=method, url="http://gateway" + raw_path, data=body)
    for name, values in headers.items():
        for value in values:
            request.headers[name] = value  # HTTPHeaders appends: repeated headers stay repeated
    request.context["timestamp"] = stamp
    verifier = _Verifier(Credentials(match["key"], secret), match["service"], match["region"], signed_headers)
    expected = verifier.signature(verifier.string_to_sign(request, verifier.canonical_request(request)), request)
    if not _equal(expected, match["signature"]):
        raise Refused(403, "SignatureDoesNotMatch", "The request signature does not match the secret of this access key.")
    return account


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def database_lookup(key_id: str) -> tuple[str, str] | None:
    from django.db import connection

    from labs import aws

    try:
        return aws.sandbox_key_owner(key_id)
    finally:
        connection.close()  # each request has a thread of its own: never leave its connection behind


def _error_body(code: str, message: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>gateway</RequestId></ErrorResponse>").encode()


def make_handler(upstream: str, lookup: Lookup) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002  (the signature is the base class's)
            logger.debug("sandbox gateway: " + format, *args)

        def _refuse(self, status: int, code: str, message: str) -> None:
            body = _error_body(code, message)
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-ErrorType", code)
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                return self._refuse(411, "MissingContentLength", "Send a Content-Length; chunked requests are not accepted.")
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self.close_connection = True
                return self._refuse(413, "EntityTooLarge", f"Request bodies are limited to {MAX_BODY // (1024 * 1024)} MB.")
            body = self.rfile.read(length) if length else b""
            headers: dict[str, list[str]] = {}
            for name, value in self.headers.items():
                headers.setdefault(name.lower(), []).append(value)
            try:
                account = verify(self.command, self.path, headers, body, lookup, datetime.datetime.now(datetime.UTC))
            except Refused as refused:
                return self._refuse(refused.status, refused.code, refused.message)
            except Exception:  # the key store is down: say so, never a half-closed socket
                logger.exception("sandbox gateway: could not check a request")
                return self._refuse(503, "ServiceUnavailable", "The sandbox gateway cannot check keys right now; try again shortly.")
            forwarded = {name: value for name, value in self.headers.items()
                         if name.lower() not in HOP_BY_HOP and not name.lower().startswith("x-moto-") and name.lower() != "content-length"}
            forwarded["x-moto-account-id"] = account
            forwarded["Content-Length"] = str(len(body))
            upstream_connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                upstream_connection.request(self.command, self.path, body=body, headers=forwarded)
                response = upstream_connection.getresponse()
                content = response.read()
            except OSError:
                return self._refuse(502, "ServiceUnavailable", "The sandbox is not answering.")
            finally:
                upstream_connection.close()
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _handle  # noqa: N815  (http.server names them)

    return Handler


class Gateway:
    """The gateway on its own thread (tests, the devstack); `stop()` closes it."""

    def __init__(self, host: str, port: int, upstream: str, lookup: Lookup = database_lookup):
        self.server = ThreadingHTTPServer((host, port), make_handler(upstream, lookup))
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="sandbox-gateway", daemon=True)

    def start(self) -> "Gateway":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    import django

    django.setup()
    from django.conf import settings

    if not os.environ.get("SANDBOX_GATEWAY_PORT"):
        from .devstack import wait_forever

        wait_forever(f"Using the sandbox gateway at {settings.AWS_SANDBOX_GATEWAY_URL}; not starting one.")
        return
    host, port = os.environ.get("SANDBOX_GATEWAY_HOST", "127.0.0.1"), int(os.environ["SANDBOX_GATEWAY_PORT"])
    gateway = Gateway(host, port, settings.AWS_SANDBOX_URL)
    print(f"AWS sandbox gateway on {gateway.url} -> {settings.AWS_SANDBOX_URL}", flush=True)
    gateway.server.serve_forever()


if __name__ == "__main__":
    main()
