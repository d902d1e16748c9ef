"""What the labs add to the progress dashboard (and the navigation's running-lab badge)."""

from django.utils import timezone

from .models import CheckResult, LabRun


def running(user) -> list[dict]:
    now = timezone.now()
    rows = []
    # Every page's navigation reads this: four columns, never the lab's definition (a large JSON document).
    for run_id, created_at, title, cost_per_hour in LabRun.objects.filter(user=user, state__in=LabRun.ACTIVE).values_list(
            "id", "created_at", "lab__title", "lab__cost_per_hour"):
        hours = (now - created_at).total_seconds() / 3600
        minutes = int(hours * 60)
        rows.append({"title": title, "url": f"/labs/runs/{run_id}/", "elapsed": f"{minutes // 60} h {minutes % 60:02d} min",
                     "cost_so_far": f"{float(cost_per_hour) * hours:.2f}"})
    return rows


def summary(user) -> dict:
    results = list(CheckResult.objects.filter(run__user=user).values_list("run__lab_id", "run_id", "check_id", "passed", "needs_real_aws", "checked_at"))
    passed_by_run: dict[int, set] = {}
    checkable_by_run: dict[int, set] = {}
    lab_of_run = {}
    for lab_id, run_id, check_id, passed, needs_real, _ in results:
        lab_of_run[run_id] = lab_id
        if not needs_real:
            checkable_by_run.setdefault(run_id, set()).add(check_id)
            if passed:
                passed_by_run.setdefault(run_id, set()).add(check_id)
    completed = {lab_of_run[r] for r, checkable in checkable_by_run.items() if checkable and checkable <= passed_by_run.get(r, set())}
    from .models import Lab

    total = Lab.objects.filter(retired=False).count()
    return {
        "labs": {"completed": len(completed), "checks_passed": sum(len(v) for v in passed_by_run.values()), "running": running(user),
                 "remaining": max(total - len(completed), 0)},
        "events": [row[5] for row in results],
    }
