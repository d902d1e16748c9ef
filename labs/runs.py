"""Lab runs: launch, verify, tear down. Each function does a bounded amount of AWS work and
records every state change; tasks.py calls them and re-schedules itself while AWS works.
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path

import botocore.exceptions
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import checks, costs, lookalikes
from . import sweep as sweeper
from .aws import Clients, ConnectionInvalid, ConnectionUnreachable, caller_account, sandbox_cli_key
from .aws_operations import sandbox_services_for
from .catalog import catalog_root
from .cfn_yaml import load_template
from .datasets import filename, generate
from .models import CheckResult, Lab, LabEvent, LabRun

TAG_KEY = sweeper.TAG_KEY
STACK_DONE = {"CREATE_COMPLETE"}
STACK_FAILED = {"CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "ROLLBACK_IN_PROGRESS", "DELETE_COMPLETE"}


THROTTLED = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "SlowDown"}


class LaunchRefused(Exception):
    pass


class Transient(Exception):
    """AWS is throttling or briefly unavailable beyond botocore's own retries: the task retries later, with backoff."""


def _raise_if_transient(error: botocore.exceptions.ClientError) -> None:
    code = error.response.get("Error", {}).get("Code", "")
    if code in THROTTLED or error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500:
        raise Transient(f"AWS answered {code or 'a server error'}; retrying.") from None


def event(run: LabRun, message: str, kind: str = "info") -> None:
    """Record what happened; it also counts as progress for the watchdog (tasks.watchdog)."""
    LabEvent.objects.create(user_id=run.user_id, run=run, kind=kind, message=message)
    LabRun.objects.filter(id=run.id).update(progress_at=timezone.now())


def move(run: LabRun, from_states: tuple[str, ...], to_state: str, **fields) -> bool:
    """Change state with a conditional update, so two workers never both act on one transition."""
    changed = LabRun.objects.filter(id=run.id, state__in=from_states).update(state=to_state, **fields)
    if changed:
        run.refresh_from_db()
        event(run, f"State: {to_state.replace('_', ' ')}.", kind="state")
    return bool(changed)


def run_minutes(lab: Lab) -> int:
    """How long a new run of the lab lives before it is torn down: the lab's own expiry_minutes (a costly lab sets a short one), else the default."""
    return lab.definition.get("expiry_minutes") or settings.LABS_RUN_MINUTES


def sandbox_problem(lab: Lab) -> str | None:
    """Why the sandbox cannot run this lab now (a service it needs is not working), or None."""
    from studyapp.health import sandbox_services
    from studyapp.sandbox import is_broken

    # A service that is merely slow or unreachable does not block: the launch then fails, or not, with its own reason.
    states = sandbox_services()
    failed = [f"{service} ({states[service]})" for service in sandbox_services_for(lab.services) if is_broken(states.get(service, "ok"))]
    if failed:
        return f"The AWS sandbox's {', '.join(failed)} is not working, so this lab cannot launch in the sandbox; the rest of the site is unaffected."
    return None


def request_run(user, lab: Lab, connection, *, confirmed_cost: bool) -> LabRun:
    if connection.user_id != user.id:
        raise LaunchRefused("That connection is not yours.")
    if connection.kind == connection.SANDBOX and (problem := sandbox_problem(lab)):
        raise LaunchRefused(problem)
    if lab.is_paid and connection.kind != connection.SANDBOX and not confirmed_cost:
        raise LaunchRefused(f"This lab costs about ${lab.cost_per_hour} per hour in your account; confirm the cost to launch it.")
    try:
        costs.check_launch(user, lab, connection)
    except costs.CostRefused as refused:
        raise LaunchRefused(str(refused)) from None
    prefix = f"dea-{secrets.token_hex(4)}"
    with transaction.atomic():
        run = LabRun.objects.create(user=user, lab=lab, connection=connection, prefix=prefix, asked=lookalikes.asked(lab.definition, prefix),
                                    expires_at=timezone.now() + timedelta(minutes=run_minutes(lab)))
        event(run, f"Requested {lab.title} with the connection {connection.name}.")
    return run


def stack_name(run: LabRun, template: str) -> str:
    return f"{run.prefix}-{Path(template).stem}"


def start_launch(run: LabRun) -> bool:
    """requested -> launching: check the connection, then create every stack (idempotent by request token).

    A run already launching is resumed: a worker killed mid-launch leaves it there, and the redelivered task
    creates whatever stack is still missing.
    """
    if not move(run, (LabRun.REQUESTED,), LabRun.LAUNCHING):
        run.refresh_from_db()
        if run.state != LabRun.LAUNCHING:
            return False
        event(run, "Resuming the launch.")
    try:
        account = caller_account(run.connection)
    except ConnectionUnreachable as error:  # a restarting sandbox, a network blip: the task retries with backoff
        event(run, f"{error} Trying again shortly.", kind="aws_error")
        raise Transient(str(error)) from None
    except ConnectionInvalid as error:
        fail(run, str(error))
        return False
    event(run, f"Connection checked: account {account}.")
    if run.connection.kind == run.connection.SANDBOX:
        sandbox_cli_key(run.connection)  # the run page's AWS CLI settings (issued again if the sandbox restarted)
    clients = Clients(run.connection)
    if run.asked and not run.baseline:  # what the account already holds of the kinds the learner will create
        run.baseline = lookalikes.snapshot(clients, lookalikes.kinds_asked(run))
        LabRun.objects.filter(id=run.id).update(baseline=run.baseline)
    folder = catalog_root() / run.lab.slug
    for template in run.lab.definition.get("templates", []):
        try:
            clients("cloudformation").create_stack(
                StackName=stack_name(run, template), TemplateBody=(folder / template).read_text(),
                Parameters=stack_parameters(run, account, (folder / template).read_text()),
                Capabilities=["CAPABILITY_NAMED_IAM"], ClientRequestToken=f"{run.prefix}-{Path(template).stem}-create",
                Tags=[{"Key": TAG_KEY, "Value": run.prefix}], OnFailure="DELETE",
            )
        except botocore.exceptions.ClientError as error:
            _raise_if_transient(error)
            if error.response["Error"]["Code"] != "AlreadyExistsException":
                fail(run, f"CloudFormation refused the stack: {error.response['Error'].get('Message', '')}")
                return False
        event(run, f"Creating stack {stack_name(run, template)}.")
    return True


BOUNDARY_POLICY = "studyapp-labs-boundary"  # created by templates/labs/role-template.yaml


def stack_parameters(run: LabRun, account: str, template_body: str) -> list[dict]:
    """The run's prefix; and, in an account reached through the app's role, the permissions boundary that role
    requires on every role a lab stack creates (a template with roles declares the PermissionsBoundary parameter)."""
    parameters = [{"ParameterKey": "Prefix", "ParameterValue": run.prefix}]
    if run.connection.kind == run.connection.ROLE and "PermissionsBoundary" in (load_template(template_body).get("Parameters") or {}):
        parameters.append({"ParameterKey": "PermissionsBoundary", "ParameterValue": f"arn:aws:iam::{account}:policy/{BOUNDARY_POLICY}"})
    return parameters


def poll_launch(run: LabRun) -> str:
    """One describe per stack: 'wait', 'ready' or 'failed'."""
    LabRun.objects.filter(id=run.id).update(progress_at=timezone.now())  # a poll chain is alive: the watchdog leaves it be
    clients = Clients(run.connection)
    outputs = {}
    for template in run.lab.definition.get("templates", []):
        try:
            stack = clients("cloudformation").describe_stacks(StackName=stack_name(run, template))["Stacks"][0]
        except botocore.exceptions.ClientError as error:
            _raise_if_transient(error)
            fail(run, f"The stack disappeared: {error.response['Error'].get('Message', '')}")
            return "failed"
        if stack["StackStatus"] in STACK_FAILED:
            fail(run, f"Stack {stack['StackName']} failed: {failure_reason(clients('cloudformation'), stack)}")
            return "failed"
        if stack["StackStatus"] not in STACK_DONE:
            return "wait"
        outputs.update({item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])})
    _stage_datasets(run, clients, outputs)
    move(run, (LabRun.LAUNCHING,), LabRun.READY, outputs=outputs, ready_at=timezone.now())
    return "ready"


def failure_reason(cloudformation, stack: dict) -> str:
    """CloudFormation's own words: the first resource that failed, else the stack's status reason."""
    try:
        events = cloudformation.describe_stack_events(StackName=stack["StackId"])["StackEvents"]
    except botocore.exceptions.ClientError:
        events = []
    failed = [e for e in reversed(events) if e.get("ResourceStatus", "").endswith("_FAILED") and e.get("ResourceStatusReason")]
    if failed:
        return f"{failed[0].get('LogicalResourceId', 'a resource')}: {failed[0]['ResourceStatusReason']}"
    return stack.get("StackStatusReason") or stack["StackStatus"]


def _stage_datasets(run: LabRun, clients, outputs: dict) -> None:
    bucket = outputs.get("BucketName")
    for name in run.lab.definition.get("datasets", []):
        key = f"staged/{name}/{filename(name)}"
        clients("s3").put_object(Bucket=bucket, Key=key, Body=generate(name))
        event(run, f"Staged data set {name} at s3://{bucket}/{key}.")


def fail(run: LabRun, reason: str) -> None:
    LabRun.objects.filter(id=run.id).exclude(state__in=(LabRun.DELETED,)).update(state=LabRun.FAILED, failure=reason)
    run.refresh_from_db()
    event(run, reason, kind="aws_error")


PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


def fill(value, outputs: dict, prefix: str):
    """Put the run's outputs into a check's arguments or CLI text: "{BucketName}" -> the bucket's name.

    Only {Name} is replaced, so JSON in CLI examples stays as it is; a name not known yet (the run
    is not ready) shows as <Name>. {DbPrefix} is the prefix with underscores, for Glue and Athena names.
    """
    if isinstance(value, str):
        known = {**outputs, "Prefix": prefix, "DbPrefix": prefix.replace("-", "_")}
        return PLACEHOLDER.sub(lambda match: str(known.get(match[1], f"<{match[1]}>")), value)
    if isinstance(value, dict):
        return {key: fill(item, outputs, prefix) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, outputs, prefix) for item in value]
    return value


def verify(run: LabRun, step_id: str | None = None, clients=None) -> list[CheckResult]:
    """Run the checks of one step (or all) and store each result (by default with the app's own clients for the run's connection)."""
    clients = clients or Clients(run.connection)
    results = []
    for step in run.lab.definition["steps"]:
        if step_id and step["id"] != step_id:
            continue
        for item in step["checks"]:
            kind = checks.KINDS[item["kind"]]
            outcome = checks.run_check(item["kind"], clients, fill(item.get("args", {}), run.outputs, run.prefix), clients.sandbox)
            results.append(CheckResult.objects.create(user_id=run.user_id, run=run, step=step["id"], check_id=item["id"], passed=outcome.passed,
                                                      needs_real_aws=outcome.needs_real_aws, reason=outcome.reason, fidelity=kind.fidelity))
    passed = sum(r.passed for r in results)
    event(run, f"Checked {len(results)} check(s): {passed} passed.")
    return results


def teardown(run: LabRun) -> bool:
    """Delete the run's stacks and everything carrying its prefix; True once the sweep finds nothing left."""
    if run.state == LabRun.DELETED:
        return True
    move(run, (LabRun.REQUESTED, LabRun.LAUNCHING, LabRun.READY, LabRun.VERIFYING, LabRun.FAILED), LabRun.TEARING_DOWN)
    LabRun.objects.filter(id=run.id).update(teardown_attempts=run.teardown_attempts + 1)
    clients = Clients(run.connection)
    for bucket in [b for b in sweeper.find_all(clients, run.prefix, only=["bucket"]).get("bucket", []) if not b.startswith("(")]:
        sweeper.empty_and_delete_bucket(clients, bucket)
        event(run, f"Deleted bucket {bucket}.")
    for template in run.lab.definition.get("templates", []):
        try:
            clients("cloudformation").delete_stack(StackName=stack_name(run, template))
        except botocore.exceptions.ClientError as error:
            event(run, f"Deleting stack {stack_name(run, template)}: {error.response['Error'].get('Message', '')}", kind="aws_error")
    leftovers = sweep(run, clients)
    LabRun.objects.filter(id=run.id).update(remaining=leftovers)
    if leftovers:
        event(run, "Still present: " + ", ".join(leftovers[:10]) + (f" and {len(leftovers) - 10} more" if len(leftovers) > 10 else ""))
        return False
    found = lookalikes.find(clients, run)
    move(run, (LabRun.TEARING_DOWN,), LabRun.DELETED, deleted_at=timezone.now(), lookalikes=found, remaining=[])
    if found:
        event(run, f"Everything named or tagged for the run is deleted, but {len(found)} resource(s) made during the run without its prefix "
                   "remain: " + ", ".join(f"{item['kind']} {item['name']}" for item in found[:10]), kind="aws_error")
    return True


SANDBOX_RESTARTED = "The sandbox restarted and lost this run's resources: relaunch the lab."


def sandbox_lost(run: LabRun) -> bool:
    """A ready sandbox run whose stack is gone: the emulator restarted (it keeps nothing). The run fails with a clear
    message, and the learner's CLI key is issued again (the old one would now name nobody's account)."""
    templates = run.lab.definition.get("templates", [])
    if run.connection.kind != run.connection.SANDBOX or not templates:
        return False
    try:
        Clients(run.connection)("cloudformation").describe_stacks(StackName=stack_name(run, templates[0]))
        return False
    except botocore.exceptions.ClientError as error:
        if "does not exist" not in error.response.get("Error", {}).get("Message", ""):
            return False
    fail(run, SANDBOX_RESTARTED)
    sandbox_cli_key(run.connection)
    return True


def delete_lookalikes(run: LabRun) -> list[dict]:
    """The learner's one click: delete the run's listed look-alikes; returns (and stores) those still there."""
    clients = Clients(run.connection)
    still = lookalikes.delete(clients, run, lambda message: event(run, message, kind="aws_error"))
    LabRun.objects.filter(id=run.id).update(lookalikes=still)
    gone = len(run.lookalikes) - len(still)
    event(run, f"Deleted {gone} resource(s) made without the run's prefix." + (f" {len(still)} still there." if still else ""))
    run.lookalikes = still
    return still


def sweep(run: LabRun, clients) -> list[str]:
    """Delete whatever still carries the run's prefix or tag; return what is still there (empty: all gone)."""
    return sweeper.sweep(clients, run.prefix, lambda message: event(run, message, kind="aws_error"))


def leftovers(run: LabRun, clients) -> list[str]:
    """Only look: what still carries the run's prefix or tag."""
    return sweeper.leftovers(clients, run.prefix)


def load_solution(folder: Path):
    """A lab's reference solution (its solve.py) as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"labs_solve_{folder.name.replace('-', '_')}", folder / "solve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solve(run: LabRun, clients=None) -> None:
    """Run the lab's reference solution (solve.py: `solve(clients, outputs, prefix)`) against the run, by default
    with the app's own clients for the run's connection."""
    load_solution(catalog_root() / run.lab.slug).solve(clients or Clients(run.connection), run.outputs, run.prefix)
