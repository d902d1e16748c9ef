"""The OpenSearch document count check: signed HTTP against a recorded domain answer, served by a local server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from labs.checks import run_check


class RecordedDomain(BaseHTTPRequestHandler):
    """Answers like an OpenSearch domain's _count API, and records what it was sent."""

    answers: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        RecordedDomain.seen.append({"path": self.path, "authorization": self.headers.get("Authorization", ""),
                                    "date": self.headers.get("X-Amz-Date", "")})
        status, body = RecordedDomain.answers.get(self.path, (404, {"error": {"type": "index_not_found_exception"}, "status": 404}))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def domain_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordedDomain)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RecordedDomain.answers, RecordedDomain.seen = {}, []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def describe(stubbed, endpoint: str | None):
    status = {"DomainId": "123456789012/lab-movies", "DomainName": "lab-movies", "ARN": "arn:aws:es:us-east-1:123456789012:domain/lab-movies",
              "ClusterConfig": {}, "Processing": endpoint is None}
    if endpoint:
        status["Endpoint"] = endpoint
    stubbed.stub("opensearch").add_response("describe_domain", {"DomainStatus": status}, {"DomainName": "lab-movies"})


@pytest.mark.parametrize(("answer", "passed", "reason"), [
    ((200, {"count": 5000, "_shards": {"total": 1, "successful": 1}}), True, ""),
    ((200, {"count": 0, "_shards": {"total": 1, "successful": 1}}), False, "index movies holds 0 document(s); expected at least 1000"),
    ((403, {"message": "no permissions for [indices:data/read/search]"}), False, "domain lab-movies refused the app's signed request (HTTP 403)"),
    ((404, {"status": 404}), False, "domain lab-movies has no index movies"),
    ((503, {"status": 503}), False, "domain lab-movies answered HTTP 503"),
])
def test_opensearch_index_count(stubbed, domain_server, answer, passed, reason):
    describe(stubbed, domain_server)
    RecordedDomain.answers["/movies/_count"] = answer
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies", "min_docs": 1000}, sandbox=False)
    assert result.passed is passed
    assert result.reason.startswith(reason)
    [request] = RecordedDomain.seen
    assert request["authorization"].startswith("AWS4-HMAC-SHA256 Credential=x/") and "/us-east-1/es/aws4_request" in request["authorization"]
    assert request["date"]


@pytest.mark.parametrize(("count", "passed"), [(1, True), (0, False)])
def test_a_search_for_a_title_is_sent_as_a_query(stubbed, domain_server, count, passed):
    describe(stubbed, domain_server)
    RecordedDomain.answers["/movies/_count?q=title%3A%22Rush%22"] = (200, {"count": count})
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies", "query": 'title:"Rush"'}, sandbox=False)
    assert result.passed is passed
    assert passed or result.reason == 'index movies holds 0 document(s) matching title:"Rush"; expected at least 1'


def test_a_domain_still_being_created_or_missing_says_so(stubbed):
    describe(stubbed, None)
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=False)
    assert not result.passed and "still being created" in result.reason
    stubbed.stub("opensearch").add_client_error("describe_domain", "ResourceNotFoundException", "Domain not found: lab-movies")
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=False)
    assert not result.passed and result.reason == "there is no OpenSearch domain lab-movies"


def test_in_the_sandbox_it_never_passes(stubbed):
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=True)
    assert not result.passed and result.needs_real_aws


def test_an_unreachable_domain_is_a_reason_not_a_crash(stubbed):
    describe(stubbed, "http://127.0.0.1:9")
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=False)
    assert not result.passed and result.reason.startswith("Could not reach http://127.0.0.1:9/movies/_count")
