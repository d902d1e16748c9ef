"""What the labs add to the progress dashboard (and the navigation's running-lab badge)."""

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from studyapp import auth_backend, board_cache, outline, redis_cache

from .models import CheckResult, LabRun

RUNNING_CACHE_SECONDS = 300  # also bounds how long a drop missed while Redis was unreachable lasts


def running_cache_key(user_id: int) -> str:
    return f"labs-running:{user_id}"


def _running_rows(user) -> list[tuple]:
    """The learner's active runs: (id, created_at, lab title, cost per hour), from the shared cache.

    Every page's navigation reads this. The entry is dropped on every write to one of the learner's
    runs (save, delete, or a bulk update of a field shown here: LabRunQuerySet.update), and it
    carries the content version, so a sync that renames a lab or changes its price replaces it.
    """
    cache = caches["shared"]
    key = running_cache_key(user.pk)
    kept = auth_backend.read_with_user(user, key)  # read with the signed-in user (settings.READ_WITH_USER)
    if kept is auth_backend.NOT_READ:
        kept = cache.get(key)
    version = outline.version()
    if kept is not None and kept[0] == version:
        return kept[1]
    rows = list(LabRun.objects.filter(user=user, state__in=LabRun.ACTIVE).values_list("id", "created_at", "lab__title", "lab__cost_per_hour"))
    cache.set(key, (version, rows), RUNNING_CACHE_SECONDS)
    return rows


def forget_running(user_ids) -> None:
    """The badge and the dashboard board (studyapp/board_cache.py) of these learners: the lab workers write runs outside their requests."""
    redis_cache.drop([running_cache_key(user_id) for user_id in user_ids])
    board_cache.forget(user_ids)


def _forget_run(sender, instance, **kwargs) -> None:
    forget_running([instance.user_id])


post_save.connect(_forget_run, sender=LabRun, dispatch_uid="labs-forget-running-on-save")
post_delete.connect(_forget_run, sender=LabRun, dispatch_uid="labs-forget-running-on-delete")
post_save.connect(_forget_run, sender=CheckResult, dispatch_uid="labs-forget-board-on-check-save")
post_delete.connect(_forget_run, sender=CheckResult, dispatch_uid="labs-forget-board-on-check-delete")


def running(user) -> list[dict]:
    now = timezone.now()
    rows = []
    for run_id, created_at, title, cost_per_hour in _running_rows(user):
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

    total = outline.per_version("live labs", Lab.objects.filter(retired=False).count)
    return {
        "labs": {"completed": len(completed), "checks_passed": sum(len(v) for v in passed_by_run.values()), "running": running(user),
                 "remaining": max(total - len(completed), 0)},
        "events": [row[5] for row in results],
    }
