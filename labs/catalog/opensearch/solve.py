"""Reference solution of the OpenSearch lab: a one-node domain with fine-grained access control and an IAM master
user, one movie indexed by hand, the staged movies bulk file loaded, and a search that finds a title."""

import json
import time
from urllib.parse import quote

import botocore.exceptions

ENGINE = "OpenSearch_2.19"
BULK_KEY = "staged/movies_bulk/movies_bulk.ndjson"
MOVIES_INDEX = {
    "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
    "mappings": {"properties": {
        "title": {"type": "text", "fields": {"keyword": {"type": "keyword"}}},
        "year": {"type": "integer"},
        "genres": {"type": "keyword"},
        "directors": {"type": "text", "fields": {"keyword": {"type": "keyword"}}},
    }},
}
ONE_MOVIE = {"title": "A Trip to the Moon", "year": 1902, "genres": ["Adventure", "Sci-Fi"], "directors": ["Georges Melies"]}
TITLE_SEARCH = 'title:"Metropolis"'
WAIT_SECONDS, POLL_SECONDS = 45 * 60, 30


def principal_arn(caller_arn: str) -> str:
    """The ARN to name in policies and as master user: an assumed-role session stands for its role.

    arn:aws:sts::111122223333:assumed-role/Admin/alice -> arn:aws:iam::111122223333:role/Admin (a role path, if any,
    is not in the session ARN: then take the role's ARN from IAM instead).
    """
    if ":assumed-role/" not in caller_arn:
        return caller_arn
    partition, account = caller_arn.split(":")[1], caller_arn.split(":")[4]
    role = caller_arn.split(":assumed-role/", 1)[1].split("/")[0]
    return f"arn:{partition}:iam::{account}:role/{role}"


def access_policy(account: str, region: str, domain: str) -> str:
    """Only this account's IAM principals (with es:ESHttp* in their own policies) reach the domain; FGAC does the rest."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "es:ESHttp*",
        "Resource": f"arn:aws:es:{region}:{account}:domain/{domain}/*",
    }]})


def create_domain(opensearch, domain: str, master: str, policy: str, prefix: str) -> None:
    try:
        opensearch.create_domain(
            DomainName=domain, EngineVersion=ENGINE,
            ClusterConfig={"InstanceType": "t3.small.search", "InstanceCount": 1, "DedicatedMasterEnabled": False, "ZoneAwarenessEnabled": False},
            EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 10},
            NodeToNodeEncryptionOptions={"Enabled": True}, EncryptionAtRestOptions={"Enabled": True},
            DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
            AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": False, "MasterUserOptions": {"MasterUserARN": master}},
            AccessPolicies=policy, TagList=[{"Key": "studyapp:run", "Value": prefix}],
        )
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "ResourceAlreadyExistsException":  # a second run picks up where the first stopped
            raise


def wait_until_active(opensearch, domain: str) -> str:
    """Poll until the domain has finished creating (15 to 30 minutes); its HTTPS base URL."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        status = opensearch.describe_domain(DomainName=domain)["DomainStatus"]
        endpoint = status.get("Endpoint", "")
        if not status.get("Processing") and endpoint:
            return endpoint if "://" in endpoint else f"https://{endpoint}"
        if time.monotonic() > deadline:
            raise TimeoutError(f"domain {domain} was not active after {WAIT_SECONDS // 60} minutes; run the solution again later")
        time.sleep(POLL_SECONDS)


def call(clients, method: str, url: str, body: bytes = b"") -> dict:
    """One signed request to the domain's REST API (as the master user); its JSON answer."""
    status, payload = clients.signed_request("es", method, url, body)
    if status >= 300:
        raise RuntimeError(f"{method} {url.split('?')[0]} answered HTTP {status}: {payload[:300]!r}")
    return json.loads(payload or b"{}")


def solve(clients, outputs: dict, prefix: str) -> None:
    opensearch, domain = clients("opensearch"), f"{prefix}-movies"
    master = principal_arn(clients("sts").get_caller_identity()["Arn"])
    create_domain(opensearch, domain, master, access_policy(outputs["AccountId"], outputs["Region"], domain), prefix)
    if clients.sandbox:  # the sandbox's domain endpoint is not a real cluster: nothing to index or search
        return
    base = wait_until_active(opensearch, domain)
    if clients.signed_request("es", "HEAD", f"{base}/movies")[0] == 404:  # a second run keeps the index it made
        call(clients, "PUT", f"{base}/movies", json.dumps(MOVIES_INDEX).encode())
    call(clients, "PUT", f"{base}/movies/_doc/51", json.dumps(ONE_MOVIE).encode())
    bulk = clients("s3").get_object(Bucket=outputs["BucketName"], Key=BULK_KEY)["Body"].read()
    result = call(clients, "POST", f"{base}/_bulk", bulk)
    if result.get("errors"):
        raise RuntimeError("the bulk load reported errors: " + json.dumps(result["items"][:3]))
    call(clients, "POST", f"{base}/movies/_refresh")
    hits = call(clients, "GET", f"{base}/movies/_search?q={quote(TITLE_SEARCH, safe='')}")["hits"]["total"]["value"]
    if hits < 1:
        raise RuntimeError("the search for Metropolis found nothing")
