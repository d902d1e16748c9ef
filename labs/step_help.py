"""Step-level help on the run page: a check's own hint when it fails, a step's reference solution on request
(recorded as a LabEvent, so the score can say it was used), and the run's score."""

from . import lookups
from .models import LabEvent, LabRun

SOLUTION = "solution"  # the LabEvent kind that records a revealed solution


def solution_message(step_id: str) -> str:
    return f"Showed the reference solution of step {step_id}."


def reveal_solution(run: LabRun, step_id: str) -> None:
    """Record (once) that the learner asked for the step's reference commands."""
    if not LabEvent.objects.filter(run=run, kind=SOLUTION, message=solution_message(step_id)).exists():
        LabEvent.objects.create(user_id=run.user_id, run=run, kind=SOLUTION, message=solution_message(step_id))


def revealed_steps(run: LabRun, steps: list[dict] | None = None) -> set[str]:
    """steps: the run page's steps, when they already say which solutions were shown (no second query)."""
    if steps is not None and all("solution_shown" in step for step in steps):
        return {step["step"]["id"] for step in steps if step["solution_shown"]}
    messages = lookups.event_messages(run, SOLUTION)
    return {step["id"] for step in run.lab.definition["steps"] if solution_message(step["id"]) in messages}


def hints_shown(run: LabRun, steps: list[dict] | None = None) -> set[str]:
    """The checks whose own hint the learner has been shown: those with a hint that failed at least once.
    steps: the run page's steps, when each check already says so (no second query)."""
    checks = [check for step in steps or [] for check in step["checks"]]
    if steps is not None and all("hint_shown" in check for check in checks):
        return {check["id"] for check in checks if check["hint_shown"]}
    with_hint = {check["id"] for step in run.lab.definition["steps"] for check in step["checks"] if check.get("hint")}
    failed = set(run.check_results.filter(passed=False, needs_real_aws=False).values_list("check_id", flat=True))
    return with_hint & failed


def score(run: LabRun, steps: list[dict]) -> dict:
    """Checks passed out of those this connection can verify (their latest result), hints and solutions used."""
    checks = [check for step in steps for check in step["checks"]]
    verifiable = [c for c in checks if not (c["result"] and c["result"].needs_real_aws)]
    passed = sum(1 for c in verifiable if c["result"] and c["result"].passed)
    return {"passed": passed, "total": len(verifiable), "needs_real_aws": len(checks) - len(verifiable),
            "hints": len(hints_shown(run, steps)), "solutions": len(revealed_steps(run, steps)),
            "complete": bool(verifiable) and passed == len(verifiable)}
