"""Lab pages: connections, the catalog, a run with its live status, checks and teardown. Views stay thin:
anything that talks to AWS for more than a moment is a Celery task."""

import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quizzes.srs import flashcards_for_tasks
from studyapp.health import background_problem
from studyapp.numbers import whole_number

from . import costs, lookups, runs, step_help, tasks
from .aws import ConnectionInvalid, caller_account, encrypt_secret, sandbox_cli_key, sandbox_cli_secret, sandbox_public_url
from .checks import KINDS, REAL_AWS_ONLY
from .datasets import DATASETS, filename, generate
from .instructions import render_instructions
from .limits import launch_refusal
from .models import AwsConnection, Lab, LabRun


def external_id(user) -> str:
    """A stable per-learner ExternalId for the assume-role trust policy."""
    return hmac.new(settings.SECRET_KEY.encode(), f"labs-external-id:{user.id}".encode(), hashlib.sha256).hexdigest()[:32]


def _check_summary(lab: Lab) -> dict:
    items = [(step["title"], check) for step in lab.definition["steps"] for check in step["checks"]]
    real_only = [f"{title}: {KINDS[check['kind']].describe}" for title, check in items if KINDS[check["kind"]].fidelity == REAL_AWS_ONLY]
    return {"total": len(items), "sandbox": len(items) - len(real_only), "real_only": real_only}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    labs = [{"lab": lab, "checks": _check_summary(lab)} for lab in Lab.objects.filter(retired=False)]
    active = LabRun.objects.filter(user=request.user, state__in=LabRun.ACTIVE).select_related("lab")
    return render(request, "labs/home.html", {"labs": labs, "active": active, "background_problem": background_problem()})


@login_required
@require_GET
def connections(request: HttpRequest) -> HttpResponse:
    return render(request, "labs/connections.html", _connections_context(request))


def _connections_context(request: HttpRequest, error: str = "") -> dict:
    return {
        "connections": AwsConnection.objects.filter(user=request.user), "kinds": AwsConnection.KINDS, "error": error,
        "external_id": external_id(request.user), "profiles_allowed": bool(settings.LABS_LOCAL_PROFILES),
        "app_principal": settings.LABS_APP_PRINCIPAL_ARN,
    }


@login_required
@require_POST
def connection_add(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in dict(AwsConnection.KINDS):
        return HttpResponseBadRequest("Unknown connection kind.")
    connection = AwsConnection(user=request.user, kind=kind, name=request.POST.get("name", "").strip()[:80] or dict(AwsConnection.KINDS)[kind],
                               region=request.POST.get("region", "us-east-1").strip()[:30] or "us-east-1")
    if kind == AwsConnection.PROFILE:
        connection.profile_name = request.POST.get("profile_name", "").strip()[:80]
    elif kind == AwsConnection.ROLE:
        connection.role_arn, connection.external_id = request.POST.get("role_arn", "").strip()[:200], external_id(request.user)
    elif kind == AwsConnection.KEYS:
        connection.access_key_id = request.POST.get("access_key_id", "").strip()[:40]
        secret = request.POST.get("secret_access_key", "").strip()
        if not connection.access_key_id or not secret:
            return _connection_error(request, "Enter both the access key ID and the secret access key.")
        connection.secret_encrypted = encrypt_secret(secret)
    try:
        connection.account_id = caller_account(connection)
    except ConnectionInvalid as error:
        return _connection_error(request, str(error))
    connection.validated_at = timezone.now()
    connection.save()
    return redirect("labs_connections")


def _connection_error(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "labs/connections.html", _connections_context(request, message), status=400)


@login_required
@require_POST
def connection_validate(request: HttpRequest, connection_id: int) -> HttpResponse:
    connection = get_object_or_404(AwsConnection, id=connection_id, user=request.user)
    try:
        account = caller_account(connection)
    except ConnectionInvalid as error:
        return _connection_error(request, f"{connection.name}: {error}")
    AwsConnection.objects.filter(id=connection.id).update(account_id=account, validated_at=timezone.now())
    return redirect("labs_connections")


@login_required
@require_POST
def connection_delete(request: HttpRequest, connection_id: int) -> HttpResponse:
    connection = get_object_or_404(AwsConnection, id=connection_id, user=request.user)
    if connection.runs.exclude(state=LabRun.DELETED).exists():
        return _connection_error(request, "Tear down the runs that use this connection first.")
    connection.runs.all().delete()
    connection.delete()
    return redirect("labs_connections")


@login_required
@require_GET
def role_template(request: HttpRequest) -> HttpResponse:
    """The assume-role template; not served before the operator names the principal it trusts (a placeholder
    would deploy a role nobody can use, or fail)."""
    if not settings.LABS_APP_PRINCIPAL_ARN:
        message = "The server's operator has not set LABS_APP_PRINCIPAL_ARN (the AWS principal this server runs as), so the role template is not available yet."
        return render(request, "labs/message.html", {"title": "Role template not available", "message": message}, status=503)
    response = render(request, "labs/role-template.yaml", {"external_id": external_id(request.user), "principal": settings.LABS_APP_PRINCIPAL_ARN},
                      content_type="text/yaml")
    response["Content-Disposition"] = 'attachment; filename="studyapp-labs-role.yaml"'
    return response


@login_required
@require_GET
def lab_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab, slug=slug, retired=False)
    context = {
        "lab": lab, "checks": _check_summary(lab), "connections": AwsConnection.objects.filter(user=request.user),
        "runs": LabRun.objects.filter(user=request.user, lab=lab)[:10], "datasets": _downloads(lab), "run_minutes": runs.run_minutes(lab),
        "background_problem": background_problem(),
        "sandbox_problem": runs.sandbox_problem(lab) if AwsConnection.objects.filter(user=request.user, kind=AwsConnection.SANDBOX).exists() else None,
    }
    return render(request, "labs/lab_detail.html", context)


def _downloads(lab: Lab) -> list[dict]:
    return [{"name": name, "filename": filename(name)} for name in lab.definition.get("downloads", ["customers", "employees", "orders"]) if name in DATASETS]


@login_required
@require_GET
def dataset_download(request: HttpRequest, name: str) -> HttpResponse:
    if name not in DATASETS:
        raise Http404("No such data set.")
    response = HttpResponse(generate(name), content_type="text/csv" if filename(name).endswith(".csv") else "application/x-ndjson")
    response["Content-Disposition"] = f'attachment; filename="{filename(name)}"'
    return response


@login_required
@require_POST
def launch(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab, slug=slug, retired=False)
    connection_id = whole_number(request.POST.get("connection", ""))
    if connection_id is None:
        return HttpResponseBadRequest("Choose a connection.")
    connection = get_object_or_404(AwsConnection, id=connection_id, user=request.user)
    refusal = launch_refusal(request, lab)
    if refusal:
        return render(request, "labs/message.html", {"title": "Not launched", "message": refusal, "lab": lab}, status=429)
    try:
        run = runs.request_run(request.user, lab, connection, confirmed_cost=request.POST.get("confirm_cost") == "on")
    except runs.LaunchRefused as refused:
        return render(request, "labs/message.html", {"title": "Not launched", "message": str(refused), "lab": lab}, status=400)
    transaction.on_commit(lambda: _send(request, run, tasks.launch_run, "the launch"))
    return redirect("labs_run", run_id=run.id)


QUEUE_DOWN = "The task queue is not reachable right now, so {work} has not started; it is saved and starts by itself once the queue is back."


def _send(request: HttpRequest, run: LabRun, task, work: str, *args) -> None:
    """Hand the run's work to the workers; while the broker is down, say so (the watchdog sends it once the broker is back)."""
    if not tasks.enqueue(task, run.id, *args):
        message = QUEUE_DOWN.format(work=work)
        runs.event(run, message, kind="aws_error")
        messages.warning(request, message)


# How the run page shows a check, by the status of its latest result (also its CSS class): its mark and what a screen reader says.
CHECK_STATUS = {"pass": ("✓", "Passed:"), "na": ("–", "Needs real AWS:"), "fail": ("✗", "Failed:"), "": ("○", "Not checked yet:")}


def _status(result) -> str:
    if result is None:
        return ""
    return "pass" if result.passed else "na" if result.needs_real_aws else "fail"


def _steps(run: LabRun) -> list[dict]:
    latest, failed = {}, set()
    for result in lookups.check_results(run):
        latest[(result.step, result.check_id)] = result
        if not result.passed and not result.needs_real_aws:
            failed.add(result.check_id)  # its hint has been shown (step_help.hints_shown)
    endpoint = f"--endpoint-url {sandbox_public_url()}" if run.connection.kind == AwsConnection.SANDBOX else ""
    steps, revealed = [], step_help.revealed_steps(run)
    for step in run.lab.definition["steps"]:
        known = {**run.outputs, "endpoint": endpoint}
        checks = []
        for c in step["checks"]:
            result = latest.get((step["id"], c["id"]))
            status = _status(result)
            checks.append({"id": c["id"], "kind": KINDS[c["kind"]], "result": result, "status": status, "mark": CHECK_STATUS[status][0],
                           "status_label": CHECK_STATUS[status][1], "hint": runs.fill(c.get("hint", ""), known, run.prefix),
                           "hint_shown": bool(c.get("hint")) and c["id"] in failed})
        cli = runs.fill(step.get("cli", ""), known, run.prefix)
        instructions = render_instructions(step["instructions"], known, run.prefix)
        steps.append({"step": step, "instructions": instructions, "hint": runs.fill(step["hint"], known, run.prefix), "cli": cli.strip(), "checks": checks,
                      "solution_shown": step["id"] in revealed,
                      "passed": bool(checks) and all(c["result"] and c["result"].passed for c in checks)})
    return steps


def _run_context(run: LabRun) -> dict:
    steps = _steps(run)
    failed = any(c["result"] and not c["result"].passed and not c["result"].needs_real_aws for step in steps for c in step["checks"])
    return {"run": run, "steps": steps, "score": step_help.score(run, steps), "events": run.events.all()[:200], "cost_so_far": costs.so_far(run),
            "metered": run.is_active and costs.is_paid(run.lab, run.connection), "extension_cost": costs.extension_cost(run),
            "related_flashcards": flashcards_for_tasks(run.lab.tasks) if failed else [],
            "sandbox": run.connection.kind == AwsConnection.SANDBOX, "sandbox_url": sandbox_public_url(),
            "sandbox_secret": sandbox_cli_secret(run.connection) if run.connection.kind == AwsConnection.SANDBOX else "",
            "busy": run.state in (LabRun.REQUESTED, LabRun.LAUNCHING, LabRun.VERIFYING, LabRun.TEARING_DOWN) or bool(run.lookalikes)}


@never_cache  # it shows the learner's sandbox secret: no shared or browser cache keeps it
@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    return render(request, "labs/run.html", {**_run_context(lookups.own_run(request.user, run_id)), "background_problem": background_problem()})


@never_cache
@login_required
@require_GET
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    return render(request, "labs/_run_status.html", _run_context(lookups.own_run(request.user, run_id)))


@login_required
@require_POST
def run_verify(request: HttpRequest, run_id: int) -> HttpResponse:
    run = lookups.own_run(request.user, run_id)
    step_ids = {step["id"] for step in run.lab.definition["steps"]}
    step = request.POST.get("step") or None
    if step is not None and step not in step_ids:
        return HttpResponseBadRequest("Unknown step.")
    # Moving to "verifying" here makes the page poll until the worker has stored the results.
    if runs.move(run, (LabRun.READY,), LabRun.VERIFYING):
        transaction.on_commit(lambda: _send(request, run, tasks.verify_run, "the check", step))
    return redirect("labs_run", run_id=run.id)


@login_required
@require_POST
def run_solution(request: HttpRequest, run_id: int) -> HttpResponse:
    run = lookups.own_run(request.user, run_id)
    step = request.POST.get("step", "")
    if step not in {item["id"] for item in run.lab.definition["steps"]}:
        return HttpResponseBadRequest("Unknown step.")
    step_help.reveal_solution(run, step)
    return redirect(f"/labs/runs/{run.id}/#step-{step}")


@login_required
@require_POST
def run_rotate_sandbox_key(request: HttpRequest, run_id: int) -> HttpResponse:
    run = lookups.own_run(request.user, run_id)
    if run.connection.kind != AwsConnection.SANDBOX:
        return HttpResponseBadRequest("Only sandbox connections have a sandbox key.")
    sandbox_cli_key(run.connection, rotate=True)
    return redirect("labs_run", run_id=run.id)


@login_required
@require_POST
def run_teardown(request: HttpRequest, run_id: int) -> HttpResponse:
    run = lookups.own_run(request.user, run_id)
    if run.state != LabRun.DELETED:
        runs.event(run, "Teardown requested by the learner.")
        runs.move(run, (LabRun.REQUESTED, LabRun.LAUNCHING, LabRun.READY, LabRun.VERIFYING, LabRun.FAILED), LabRun.TEARING_DOWN)
        transaction.on_commit(lambda: _send(request, run, tasks.teardown_run, "the teardown"))
    return redirect("labs_run", run_id=run.id)


@login_required
@require_POST
def run_lookalikes(request: HttpRequest, run_id: int) -> HttpResponse:
    """Resources made during the run without its prefix: delete them (a task does it) or keep them (forget the list)."""
    run = lookups.own_run(request.user, run_id)
    action = request.POST.get("action")
    if action not in ("delete", "keep"):
        return HttpResponseBadRequest("Choose delete or keep.")
    if run.lookalikes and action == "keep":
        runs.event(run, "The learner kept the resources made without the run's prefix: " + ", ".join(f"{i['kind']} {i['name']}" for i in run.lookalikes))
        LabRun.objects.filter(id=run.id).update(lookalikes=[])
    elif run.lookalikes:
        runs.event(run, "Deleting the resources made without the run's prefix, as the learner asked.")
        transaction.on_commit(lambda: _send(request, run, tasks.delete_lookalikes, "the deletion"))
    return redirect("labs_run", run_id=run.id)


@login_required
@require_POST
def run_extend(request: HttpRequest, run_id: int) -> HttpResponse:
    run = lookups.own_run(request.user, run_id)
    if run.is_active:
        try:
            new_expiry = costs.new_expiry(run, confirmed=request.POST.get("confirm_cost") == "on")
        except costs.CostRefused as refused:
            return render(request, "labs/message.html", {"title": "Not extended", "message": str(refused), "lab": run.lab}, status=400)
        LabRun.objects.filter(id=run.id).update(expires_at=new_expiry)
        added = costs.extension_cost(run)
        runs.event(run, f"Expiry extended to {timezone.localtime(new_expiry):%H:%M}" + (f" (about ${added} more)." if added else "."))
    return redirect("labs_run", run_id=run.id)
