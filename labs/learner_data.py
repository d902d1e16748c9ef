"""The labs' part of a learner's export: run history and check results, never a credential."""

import secrets

from django.conf import settings
from django.utils import timezone

from studyapp.learner_data import parse_time

from .models import AwsConnection, CheckResult, Lab, LabRun


def export(user) -> list[dict]:
    history = []
    for run in LabRun.objects.filter(user=user).select_related("lab", "connection").prefetch_related("check_results"):
        history.append({
            "lab": run.lab.slug, "connection_kind": run.connection.kind, "state": run.state, "prefix": run.prefix,
            "created_at": run.created_at.isoformat(), "expires_at": run.expires_at.isoformat(),
            "deleted_at": run.deleted_at.isoformat() if run.deleted_at else None, "failure": run.failure,
            "checks": [{"step": c.step, "check": c.check_id, "passed": c.passed, "needs_real_aws": c.needs_real_aws, "reason": c.reason,
                        "fidelity": c.fidelity, "checked_at": c.checked_at.isoformat()} for c in run.check_results.all()],
        })
    return history


IMPORTED = "Imported lab history"


def wipe(user) -> None:
    """The lab history. The learner's connections stay (an import must not take their keys away); deleting the
    account removes them with the user."""
    LabRun.objects.filter(user=user).delete()
    AwsConnection.objects.filter(user=user, name=IMPORTED, access_key_id="").delete()


def import_refusal(user) -> str:
    """An import replaces the lab history, so runs that may still hold AWS resources must be torn down first."""
    live = LabRun.objects.filter(user=user).exclude(state=LabRun.DELETED).exclude(teardown_attempts__gte=settings.LABS_TEARDOWN_ATTEMPTS)
    if live.exists():
        return ("You have lab runs that are not torn down yet. Tear them down on their run pages (Labs, then the run), "
                "wait until they say deleted, then import again. Nothing was changed.")
    return ""


def load(user, data) -> None:
    """Read-only history: every imported run is recorded as deleted, under a fresh prefix, on a history-only sandbox
    connection, so nothing imported is ever active, queued, reaped or torn down, and no imported name matches a live one."""
    labs = {lab.slug: lab for lab in Lab.objects.all()}
    connection = None
    for row in data or []:
        lab = labs.get(row["lab"])
        if lab is None:
            continue
        if connection is None:
            connection = AwsConnection.objects.create(user=user, kind=AwsConnection.SANDBOX, name=IMPORTED)
        was = "" if row["state"] == LabRun.DELETED else f" It was {row['state'].replace('_', ' ')} when exported; any resources it left stay where they were."
        run = LabRun.objects.create(user=user, lab=lab, connection=connection, state=LabRun.DELETED, prefix=f"imported-{secrets.token_hex(8)}",
                                    expires_at=parse_time(row["expires_at"]), deleted_at=parse_time(row["deleted_at"]) or timezone.now(),
                                    failure=(row["failure"] + " " if row["failure"] else "") + f"Imported history.{was}")
        LabRun.objects.filter(id=run.id).update(created_at=parse_time(row["created_at"]))
        for check in row["checks"]:
            result = CheckResult.objects.create(user=user, run=run, step=check["step"], check_id=check["check"], passed=check["passed"],
                                                needs_real_aws=check["needs_real_aws"], reason=check["reason"], fidelity=check["fidelity"])
            CheckResult.objects.filter(id=result.id).update(checked_at=parse_time(check["checked_at"]))
