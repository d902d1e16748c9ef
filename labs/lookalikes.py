"""Resources a learner made during a run without its prefix or tag: the run's sweep cannot claim them, but they cost
money all the same.

At request time the run records what the lab asks the learner to create (the names its checks read, which carry
{Prefix}); at launch it records which resources of those kinds the account already held. At teardown, a resource of
one of those kinds that is new since launch, and named like no run, is a look-alike: it is listed to the learner, who
deletes it with one click or keeps it.
"""

from collections.abc import Callable

from . import sweep

# A check argument naming a resource the learner creates -> the sweep's kind label.
ARGUMENT_KINDS = {
    "stream": "Kinesis stream", "delivery_stream": "Firehose stream", "cluster_name": "EMR cluster", "domain": "OpenSearch domain",
    "job": "Glue job", "crawler": "Glue crawler", "trigger": "Glue trigger", "workflow": "Glue workflow",
    "ruleset": "Glue Data Quality ruleset", "workgroup": "Athena workgroup",
}
# Arguments whose meaning depends on the check kind: (check kind prefix, argument) -> label.
CHECK_ARGUMENT_KINDS = {
    ("dynamodb_", "table"): "DynamoDB table", ("glue_", "database"): "Glue database", ("redshift_", "cluster"): "Redshift cluster",
    ("msk_", "cluster"): "MSK cluster", ("state_machine_", "name"): "state machine",
}


def _label(check_kind: str, argument: str) -> str | None:
    if argument in ARGUMENT_KINDS:
        return ARGUMENT_KINDS[argument]
    return next((label for (kind, arg), label in CHECK_ARGUMENT_KINDS.items() if arg == argument and check_kind.startswith(kind)), None)


def asked(definition: dict, prefix: str) -> list[list[str]]:
    """[kind label, name] of each resource the lab's checks expect the learner to have created under the prefix."""
    names = {"{Prefix}": prefix, "{DbPrefix}": prefix.replace("-", "_")}
    found = []
    for step in definition.get("steps", []):
        for check in step.get("checks", []):
            for argument, value in (check.get("args") or {}).items():
                label = _label(check["kind"], argument)
                if label and isinstance(value, str) and any(placeholder in value for placeholder in names):
                    for placeholder, filled in names.items():
                        value = value.replace(placeholder, filled)
                    if [label, value] not in found:
                        found.append([label, value])
    return found


def kinds_asked(run) -> list[str]:
    return sorted({label for label, _ in run.asked})


def snapshot(clients, labels: list[str]) -> dict[str, list[str]]:
    """Ids of each kind already in the account; a kind that cannot be listed is left out (nothing can be compared for it)."""
    before = {}
    for label in labels:
        try:
            before[label] = [item.id for item in sweep.list_kind(sweep.BY_LABEL[label], clients)]
        except sweep.Unlisted:
            continue
    return before


def find(clients, run) -> list[dict]:
    """Resources of an asked kind that are new since launch and named like no run (a run's own are the sweep's)."""
    found = []
    for label, before in run.baseline.items():
        try:
            items = sweep.list_kind(sweep.BY_LABEL[label], clients)
        except sweep.Unlisted:
            continue
        for item in items:
            if item.id not in before and not sweep.RUN_PREFIX.match(item.name) and sweep.TAG_KEY not in item.tags:
                found.append({"kind": label, "id": item.id, "name": item.name})
    return found


def delete(clients, run, report: Callable[[str], None]) -> list[dict]:
    """Delete the run's listed look-alikes (only those: a post cannot name another resource); returns those still there."""
    for item in run.lookalikes:
        if item["kind"] in sweep.BY_LABEL:
            sweep.delete(clients, item["kind"], item["id"], report)
    still = {(item["kind"], item["id"]) for item in find(clients, run)}
    return [item for item in run.lookalikes if (item["kind"], item["id"]) in still]
