"""Check kinds for OpenSearch Service (domains, index document counts over signed HTTP), registered into labs.checks.KINDS."""

import json
from urllib.parse import quote

from .aws import ConnectionInvalid
from .checks import CONFIG_ONLY, REAL_AWS_ONLY, Missing, Outcome, check, missing_means
from .checks_semantics import outsiders_admitted


def _domain_status(clients, domain: str) -> dict:
    with missing_means(f"there is no OpenSearch domain {domain}", "ResourceNotFoundException"):
        return clients("opensearch").describe_domain(DomainName=domain)["DomainStatus"]


def _endpoint(status: dict) -> str:
    return status.get("Endpoint") or status.get("Endpoints", {}).get("vpc", "")


def _domain_url(clients, domain: str) -> str:
    """The domain's REST base URL (Missing, with the reason, while it has none)."""
    endpoint = _endpoint(_domain_status(clients, domain))
    if not endpoint:
        raise Missing(f"domain {domain} has no endpoint yet: it is still being created (this takes 15 to 30 minutes)")
    return endpoint if "://" in endpoint else f"https://{endpoint}"


@check("opensearch_index_count", REAL_AWS_ONLY, "an OpenSearch index holds at least N documents (optionally matching a search)")
def opensearch_index_count(clients, *, domain: str, index: str, min_docs: int = 1, query: str = "") -> Outcome:
    base = _domain_url(clients, domain)
    url = f"{base}/{quote(index, safe='')}/_count" + (f"?q={quote(query, safe='')}" if query else "")
    try:
        status, body = clients.signed_request("es", "GET", url)
    except ConnectionInvalid as error:
        return Outcome(False, str(error))
    if status == 404:
        return Outcome(False, f"domain {domain} has no index {index}")
    if status in (401, 403):
        return Outcome(False, f"domain {domain} refused the app's signed request (HTTP {status}): map the lab's IAM identity to a role that may read {index}")
    if status != 200:
        return Outcome(False, f"domain {domain} answered HTTP {status} when counting documents in {index}")
    count = json.loads(body).get("count", 0)
    what = f"document(s) matching {query}" if query else "document(s)"
    return Outcome(count >= min_docs, "" if count >= min_docs else f"index {index} holds {count} {what}; expected at least {min_docs}")


@check("opensearch_domain_active", CONFIG_ONLY, "an OpenSearch domain has finished creating and has an endpoint")
def opensearch_domain_active(clients, *, domain: str) -> Outcome:
    status = _domain_status(clients, domain)
    if status.get("Deleted"):
        return Outcome(False, f"domain {domain} is being deleted")
    if status.get("Processing") or not _endpoint(status):
        return Outcome(False, f"domain {domain} is still being created or changed (a new domain takes 15 to 30 minutes)")
    return Outcome(True)


@check("opensearch_domain_small", CONFIG_ONLY, "an OpenSearch domain is sized for a lab: one small data node, little storage, no extra node types")
def opensearch_domain_small(clients, *, domain: str, instance_type: str = "t3.small.search", max_nodes: int = 1, max_volume_gb: int = 10) -> Outcome:
    status = _domain_status(clients, domain)
    cluster, ebs = status.get("ClusterConfig", {}), status.get("EBSOptions", {})
    problems = []
    if cluster.get("InstanceType") != instance_type:
        problems.append(f"its data nodes are {cluster.get('InstanceType') or 'of an unknown type'}, not {instance_type}")
    if cluster.get("InstanceCount", 1) > max_nodes:
        problems.append(f"it has {cluster['InstanceCount']} data nodes; {max_nodes} is enough here")
    if cluster.get("DedicatedMasterEnabled"):
        problems.append("it has dedicated master nodes")
    if cluster.get("WarmEnabled"):
        problems.append("it has UltraWarm nodes")
    if ebs.get("EBSEnabled") and ebs.get("VolumeSize", 0) > max_volume_gb:
        problems.append(f"each node has {ebs['VolumeSize']} GiB of EBS storage; {max_volume_gb} GiB is enough here")
    return Outcome(not problems, "" if not problems else f"domain {domain} costs more than this lab needs: {'; '.join(problems)}")


@check("opensearch_no_anonymous_access", CONFIG_ONLY, "an OpenSearch domain's access policy lets in only the account's IAM principals (NotPrincipal and conditions evaluated)")
def opensearch_no_anonymous_access(clients, *, domain: str, account: str = "") -> Outcome:
    status = _domain_status(clients, domain)
    document = status.get("AccessPolicies") or "{}"
    try:
        policy = json.loads(document) if isinstance(document, str) else document
    except json.JSONDecodeError:
        return Outcome(False, f"the access policy of domain {domain} is not valid JSON")
    account = account or status.get("ARN", "::::").split(":")[4]
    problem = outsiders_admitted(policy, account)
    if problem:
        return Outcome(False, f"the access policy of domain {domain} admits principals outside account {account}: {problem}. Allow only your account's IAM principals")
    return Outcome(True)
