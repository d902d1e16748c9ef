"""Step-level help on the run page: a check's own hint when it fails, a step's reference solution on request
(recorded as a LabEvent, so the score can say it was used), and the run's score."""

from .models import LabEvent, LabRun

SOLUTION = "solution"  # the LabEvent kind that records a revealed solution


def solution_message(step_id: str) -> str:
    return f"Showed the reference solution of step {step_id}."


def reveal_solution(run: LabRun, step_id: str) -> None:
    """Record (once) that the learner asked for the step's reference commands."""
    if not LabEvent.objects.filter(run=run, kind=SOLUTION, message=solution_message(step_id)).exists():
        LabEvent.objects.create(user_id=run.user_id, run=run, kind=SOLUTION, message=solution_message(step_id))


def revealed_steps(run: LabRun) -> set[str]:
    messages = set(LabEvent.objects.filter(run=run, kind=SOLUTION).values_list("message", flat=True))
    return {step["id"] for step in run.lab.definition["steps"] if solution_message(step["id"]) in messages}


def hints_shown(run: LabRun) -> set[str]:
    """The checks whose own hint the learner has been shown: those with a hint that failed at least once."""
    with_hint = {check["id"] for step in run.lab.definition["steps"] for check in step["checks"] if check.get("hint")}
    failed = set(run.check_results.filter(passed=False, needs_real_aws=False).values_list("check_id", flat=True))
    return with_hint & failed


def score(run: LabRun, steps: list[dict]) -> dict:
    """Checks passed out of those this connection can verify (their latest result), hints and solutions used."""
    checks = [check for step in steps for check in step["checks"]]
    verifiable = [c for c in checks if not (c["result"] and c["result"].needs_real_aws)]
    passed = sum(1 for c in verifiable if c["result"] and c["result"].passed)
    return {"passed": passed, "total": len(verifiable), "needs_real_aws": len(checks) - len(verifiable),
            "hints": len(hints_shown(run)), "solutions": len(revealed_steps(run)),
            "complete": bool(verifiable) and passed == len(verifiable)}
