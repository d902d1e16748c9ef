"""The OpenSearch document count check: signed HTTP against a recorded domain answer, served by a local server."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.response import StreamingBody

from labs import runs
from labs.checks import run_check
from labs.datasets import movies
from labs.tests.conftest import CATALOG, outcome

NO_INDEX = (404, {"error": {"type": "index_not_found_exception"}, "status": 404})


class RecordedDomain(BaseHTTPRequestHandler):
    """Answers like an OpenSearch domain, from answers recorded per "METHOD /path", and records what it was sent."""

    answers: dict = {}
    default: tuple = NO_INDEX
    seen: list = []

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        RecordedDomain.seen.append({"method": self.command, "path": self.path, "body": body,
                                    "authorization": self.headers.get("Authorization", ""), "date": self.headers.get("X-Amz-Date", "")})
        status, answer = RecordedDomain.answers.get(f"{self.command} {self.path}", RecordedDomain.default)
        payload = b"" if self.command == "HEAD" else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_HEAD = answer  # noqa: N815 (the http.server API)

    def log_message(self, *args):
        pass


@pytest.fixture
def domain_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordedDomain)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RecordedDomain.answers, RecordedDomain.default, RecordedDomain.seen = {}, NO_INDEX, []
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
    RecordedDomain.answers["GET /movies/_count"] = answer
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies", "min_docs": 1000}, sandbox=False)
    assert result.passed is passed
    assert result.reason.startswith(reason)
    [request] = RecordedDomain.seen
    assert request["authorization"].startswith("AWS4-HMAC-SHA256 Credential=x/") and "/us-east-1/es/aws4_request" in request["authorization"]
    assert request["date"]


@pytest.mark.parametrize(("count", "passed"), [(1, True), (0, False)])
def test_a_search_for_a_title_is_sent_as_a_query(stubbed, domain_server, count, passed):
    describe(stubbed, domain_server)
    RecordedDomain.answers["GET /movies/_count?q=title%3A%22Rush%22"] = (200, {"count": count})
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies", "query": 'title:"Rush"'}, sandbox=False)
    assert result.passed is passed
    assert passed or result.reason == 'index movies holds 0 document(s) matching title:"Rush"; expected at least 1'


def test_a_domain_still_being_created_or_missing_says_so(stubbed):
    describe(stubbed, None)
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=False)
    assert not result.passed and "still being created" in result.reason
    stubbed.stub("opensearch").add_client_error("describe_domain", "ResourceNotFoundException", "Domain not found: lab-movies")
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=False)
    assert not result.passed and result.reason.startswith("there is no OpenSearch domain lab-movies")


def test_in_the_sandbox_it_never_passes(stubbed):
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=True)
    assert not result.passed and result.needs_real_aws


def test_an_unreachable_domain_is_a_reason_not_a_crash(stubbed):
    describe(stubbed, "http://127.0.0.1:9")
    result = run_check("opensearch_index_count", stubbed, {"domain": "lab-movies", "index": "movies"}, sandbox=False)
    assert not result.passed and result.reason.startswith("Could not reach http://127.0.0.1:9/movies/_count")


# --- config-only kinds, against moto ---------------------------------------------------------

SECURE = {"NodeToNodeEncryptionOptions": {"Enabled": True}, "EncryptionAtRestOptions": {"Enabled": True},
          "DomainEndpointOptions": {"EnforceHTTPS": True},
          "AdvancedSecurityOptions": {"Enabled": True, "MasterUserOptions": {"MasterUserARN": "arn:aws:iam::123456789012:user/learner"}}}



def test_opensearch_domain_active(moto_clients, stubbed):
    assert outcome("opensearch_domain_active", moto_clients, domain="movies").reason.startswith("there is no OpenSearch domain movies")
    moto_clients("opensearch").create_domain(DomainName="movies", **SECURE)
    assert outcome("opensearch_domain_active", moto_clients, domain="movies").passed  # moto's domains are ready at once
    describe(stubbed, None)  # a real domain while it is being created: Processing, no endpoint yet
    result = outcome("opensearch_domain_active", stubbed, domain="lab-movies")
    assert not result.passed and result.reason.startswith("domain lab-movies is still being created or changed")


def test_opensearch_domain_small(moto_clients):
    opensearch = moto_clients("opensearch")
    assert outcome("opensearch_domain_small", moto_clients, domain="movies").reason.startswith("there is no OpenSearch domain movies")
    opensearch.create_domain(DomainName="movies", ClusterConfig={"InstanceType": "t3.small.search", "InstanceCount": 1},
                             EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 10})
    assert outcome("opensearch_domain_small", moto_clients, domain="movies").passed
    opensearch.create_domain(DomainName="big", ClusterConfig={"InstanceType": "m5.large.search", "InstanceCount": 3, "DedicatedMasterEnabled": True,
                                                              "DedicatedMasterType": "m5.large.search", "DedicatedMasterCount": 3},
                             EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 100})
    result = outcome("opensearch_domain_small", moto_clients, domain="big")
    assert not result.passed
    assert result.reason == ("domain big costs more than this lab needs: its data nodes are m5.large.search, not t3.small.search; "
                             "it has 3 data nodes; 1 is enough here; it has dedicated master nodes; "
                             "each node has 100 GiB of EBS storage; 10 GiB is enough here")


@pytest.mark.parametrize(("principal", "passed"), [
    ({"AWS": "arn:aws:iam::123456789012:root"}, True),
    ({"AWS": "*"}, False),
    ("*", False),
    ({"AWS": ["arn:aws:iam::123456789012:role/app", "*"]}, False),
])
def test_opensearch_no_anonymous_access(moto_clients, principal, passed):
    assert outcome("opensearch_no_anonymous_access", moto_clients, domain="movies").reason.startswith("there is no OpenSearch domain movies")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "es:ESHttp*",
                                                      "Resource": "arn:aws:es:us-east-1:123456789012:domain/movies/*"}]}
    moto_clients("opensearch").create_domain(DomainName="movies", AccessPolicies=json.dumps(policy))
    result = outcome("opensearch_no_anonymous_access", moto_clients, domain="movies")
    assert result.passed is passed
    assert passed or result.reason == ('the access policy of domain movies admits principals outside account 123456789012: an Allow for the principal "*"'
                                       " lets in anyone, unsigned requests too. Allow only your account's IAM principals")


def test_a_domain_without_an_access_policy_is_not_anonymous(moto_clients):
    moto_clients("opensearch").create_domain(DomainName="movies")
    assert outcome("opensearch_no_anonymous_access", moto_clients, domain="movies").passed


def test_the_lab_domain_passes_every_config_check_and_a_default_one_fails_them(moto_clients):
    """The reference solution's create_domain, run against moto, satisfies the lab's config-only checks."""
    solution = load_solution()
    moto_clients.sandbox = True
    solution.solve(moto_clients, {"AccountId": "123456789012", "Region": "us-east-1", "BucketName": "b"}, "dea-0000abcd")
    moto_clients("opensearch").create_domain(DomainName="dea-0000abcd-plain", AccessPolicies=json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*", "Resource": "*"}]}))
    for kind in ("opensearch_domain_exists", "opensearch_domain_secure", "opensearch_domain_small", "opensearch_no_anonymous_access", "opensearch_domain_active"):
        assert outcome(kind, moto_clients, domain="dea-0000abcd-movies").passed, kind
    for kind in ("opensearch_domain_secure", "opensearch_no_anonymous_access"):
        assert not outcome(kind, moto_clients, domain="dea-0000abcd-plain").passed, kind
    status = moto_clients("opensearch").describe_domain(DomainName="dea-0000abcd-movies")["DomainStatus"]
    assert status["EngineVersion"] == "OpenSearch_2.19" and status["EBSOptions"]["VolumeType"] == "gp3"
    tags = moto_clients("opensearch").list_tags(ARN=status["ARN"])["TagList"]
    assert {"Key": "studyapp:run", "Value": "dea-0000abcd"} in tags


# --- the reference solution's real-account path, against a recorded domain ------------------------

def load_solution():
    return runs.load_solution(CATALOG / "opensearch")


def test_the_solution_indexes_bulk_loads_and_searches_in_a_real_account(stubbed, domain_server, monkeypatch):
    solution = load_solution()
    monkeypatch.setattr(solution.time, "sleep", lambda seconds: None)
    bulk = movies.bulk_ndjson()
    stubbed.stub("sts").add_response("get_caller_identity", {"Arn": "arn:aws:sts::123456789012:assumed-role/Admin/alice", "Account": "123456789012",
                                                             "UserId": "AROAEXAMPLE:alice"}, {})
    opensearch = stubbed.stub("opensearch")
    status = {"DomainId": "123456789012/dea-1-movies", "DomainName": "dea-1-movies", "ARN": "arn:aws:es:us-east-1:123456789012:domain/dea-1-movies",
              "ClusterConfig": {}, "Processing": True}
    opensearch.add_response("create_domain", {"DomainStatus": status}, None)
    opensearch.add_response("describe_domain", {"DomainStatus": status}, {"DomainName": "dea-1-movies"})  # still creating
    opensearch.add_response("describe_domain", {"DomainStatus": {**status, "Processing": False, "Endpoint": domain_server}}, {"DomainName": "dea-1-movies"})
    stubbed.stub("s3").add_response("get_object", {"Body": StreamingBody(io.BytesIO(bulk), len(bulk))},
                                    {"Bucket": "dea-1-opensearch-123456789012", "Key": "staged/movies_bulk/movies_bulk.ndjson"})
    RecordedDomain.default = (200, {"acknowledged": True})
    RecordedDomain.answers = {"HEAD /movies": (404, {}), "POST /_bulk": (200, {"errors": False, "items": []}),
                               "GET /movies/_search?q=title%3A%22Metropolis%22": (200, {"hits": {"total": {"value": 1, "relation": "eq"}}})}
    solution.solve(stubbed, {"AccountId": "123456789012", "Region": "us-east-1", "BucketName": "dea-1-opensearch-123456789012"}, "dea-1")

    seen = RecordedDomain.seen
    assert [(request["method"], request["path"]) for request in seen] == [
        ("HEAD", "/movies"), ("PUT", "/movies"), ("PUT", "/movies/_doc/51"), ("POST", "/_bulk"), ("POST", "/movies/_refresh"),
        ("GET", "/movies/_search?q=title%3A%22Metropolis%22")]
    assert seen[3]["body"] == bulk  # the staged file, byte for byte: NDJSON keeps its newlines
    assert json.loads(seen[1]["body"])["settings"]["index"]["number_of_replicas"] == 0
    assert all(r["authorization"].startswith("AWS4-HMAC-SHA256 ") and "/us-east-1/es/aws4_request" in r["authorization"] for r in seen)


def test_the_master_user_is_the_role_not_its_session():
    solution = load_solution()
    assert solution.principal_arn("arn:aws:sts::123456789012:assumed-role/Admin/alice") == "arn:aws:iam::123456789012:role/Admin"
    assert solution.principal_arn("arn:aws:iam::123456789012:user/bob") == "arn:aws:iam::123456789012:user/bob"
