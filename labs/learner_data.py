"""The labs' part of a learner's export: run history and check results, never a credential."""

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


def wipe(user) -> None:
    LabRun.objects.filter(user=user).delete()
    AwsConnection.objects.filter(user=user).delete()


def load(user, data) -> None:
    """History only: an imported run that was still active elsewhere is recorded as failed, since its resources live there."""
    labs = {lab.slug: lab for lab in Lab.objects.all()}
    for row in data or []:
        lab = labs.get(row["lab"])
        if lab is None:
            continue
        connection, _ = AwsConnection.objects.get_or_create(user=user, kind=AwsConnection.SANDBOX if row["connection_kind"] == "sandbox" else row["connection_kind"],
                                                            name=f"Imported ({row['connection_kind']})")
        state = row["state"] if row["state"] in (LabRun.DELETED, LabRun.FAILED) else LabRun.FAILED
        run = LabRun.objects.create(user=user, lab=lab, connection=connection, state=state, prefix=row["prefix"] + "-imported"[: 40 - len(row["prefix"])],
                                    expires_at=parse_time(row["expires_at"]), deleted_at=parse_time(row["deleted_at"]),
                                    failure=row["failure"] or ("imported from another instance" if state != row["state"] else ""))
        LabRun.objects.filter(id=run.id).update(created_at=parse_time(row["created_at"]))
        for check in row["checks"]:
            result = CheckResult.objects.create(user=user, run=run, step=check["step"], check_id=check["check"], passed=check["passed"],
                                                needs_real_aws=check["needs_real_aws"], reason=check["reason"], fidelity=check["fidelity"])
            CheckResult.objects.filter(id=result.id).update(checked_at=parse_time(check["checked_at"]))
