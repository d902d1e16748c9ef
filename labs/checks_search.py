"""Check kinds for OpenSearch Service (domains, index document counts over signed HTTP), registered into labs.checks.KINDS."""

import json
from urllib.parse import quote

import botocore.exceptions

from .aws import ConnectionInvalid
from .checks import REAL_AWS_ONLY, Outcome, _not_found, check


def _domain_url(clients, domain: str) -> tuple[str, str]:
    """The domain's REST base URL, or a learner-facing reason why there is none."""
    try:
        status = clients("opensearch").describe_domain(DomainName=domain)["DomainStatus"]
    except botocore.exceptions.ClientError as error:
        if _not_found(error, "ResourceNotFoundException"):
            return "", f"there is no OpenSearch domain {domain}"
        raise
    endpoint = status.get("Endpoint") or status.get("Endpoints", {}).get("vpc", "")
    if not endpoint:
        return "", f"domain {domain} has no endpoint yet: it is still being created (this takes 15 to 30 minutes)"
    return (endpoint if "://" in endpoint else f"https://{endpoint}"), ""


@check("opensearch_index_count", REAL_AWS_ONLY, "an OpenSearch index holds at least N documents (optionally matching a search)")
def opensearch_index_count(clients, *, domain: str, index: str, min_docs: int = 1, query: str = "") -> Outcome:
    base, reason = _domain_url(clients, domain)
    if not base:
        return Outcome(False, reason)
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
