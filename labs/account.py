"""What the labs app does when a learner deletes their account."""

import logging

from django.conf import settings

from .models import LabRun
from .tasks import teardown_run

logger = logging.getLogger(__name__)


def release_all(user, leave_resources: bool = False) -> int:
    """Ask for every active run to be torn down; return how many are still alive.

    A run whose teardown already gave up (LABS_TEARDOWN_ATTEMPTS) no longer holds the deletion back: the learner
    was told on its run page which resources to delete by hand, and the operator's log names it here. With
    `leave_resources` the learner has accepted deleting what may be left themselves: teardowns are still asked
    for, but nothing holds the deletion back.
    """
    alive = LabRun.objects.filter(user=user).exclude(state=LabRun.DELETED)
    for run in alive.filter(teardown_attempts__gte=settings.LABS_TEARDOWN_ATTEMPTS):
        logger.warning("Deleting account %s although lab run %s (prefix %s) could not be torn down.", user.id, run.id, run.prefix)
    active = list(alive.exclude(teardown_attempts__gte=settings.LABS_TEARDOWN_ATTEMPTS))
    for run in active:
        if run.state != LabRun.TEARING_DOWN:
            teardown_run.delay(run.id)
    if leave_resources and active:
        logger.warning("Deleting account %s without waiting for %s lab run(s) (%s): the learner accepted deleting what is left.",
                       user.id, len(active), ", ".join(run.prefix for run in active))
        return 0
    return len(active)


def active_runs(user) -> list[str]:
    """The learner's lab runs not yet torn down, as "<lab title> (<prefix>)", for the account deletion page."""
    alive = LabRun.objects.filter(user=user).exclude(state=LabRun.DELETED).select_related("lab")
    return [f"{run.lab.title} ({run.prefix})" for run in alive]
