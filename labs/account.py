"""What the labs app does when a learner deletes their account."""

import logging

from django.conf import settings

from .models import LabRun
from .tasks import teardown_run

logger = logging.getLogger(__name__)


def release_all(user) -> int:
    """Ask for every active run to be torn down; return how many are still alive.

    A run whose teardown already gave up (LABS_TEARDOWN_ATTEMPTS) no longer holds the deletion back: the learner
    was told on its run page which resources to delete by hand, and the operator's log names it here.
    """
    alive = LabRun.objects.filter(user=user).exclude(state=LabRun.DELETED)
    for run in alive.filter(teardown_attempts__gte=settings.LABS_TEARDOWN_ATTEMPTS):
        logger.warning("Deleting account %s although lab run %s (prefix %s) could not be torn down.", user.id, run.id, run.prefix)
    active = list(alive.exclude(teardown_attempts__gte=settings.LABS_TEARDOWN_ATTEMPTS))
    for run in active:
        if run.state != LabRun.TEARING_DOWN:
            teardown_run.delay(run.id)
    return len(active)
