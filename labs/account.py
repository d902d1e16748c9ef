"""What the labs app does when a learner deletes their account."""

from .models import LabRun
from .tasks import teardown_run


def release_all(user) -> int:
    """Ask for every active run to be torn down; return how many are still alive."""
    active = list(LabRun.objects.filter(user=user).exclude(state=LabRun.DELETED))
    for run in active:
        if run.state != LabRun.TEARING_DOWN:
            teardown_run.delay(run.id)
    return len(active)
