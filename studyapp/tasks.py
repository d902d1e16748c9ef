"""Small housekeeping tasks of the core app."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

RELEASE_RETRY_SECONDS = 20
logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def echo(value: str) -> str:
    """Return its argument: lets operators and tests prove a worker round trip."""
    return value


@shared_task
def refresh_sandbox_services() -> int:
    """Probe the sandbox's services into the shared cache before the kept answer expires (beat: every 20 s),
    so no lab page waits on the probe. Returns how many services were probed."""
    from . import health

    return len(health.sandbox_services(fresh=True))


@shared_task(bind=True, acks_late=True, max_retries=90)
def delete_account(self, user_id: int, leave_resources: bool = False) -> str:
    """Release what the learner still holds outside the app (running labs), then delete everything.

    Each hook in settings.ACCOUNT_RELEASE_HOOKS asks for its resources to be torn down and says how
    many are still alive; the task comes back later until none are, so no lab outlives its owner. If they
    are still alive after the last try, the account is given back (active again, nothing deleted), so the
    learner can sign in, see what is stuck, and delete the account again accepting to leave it
    (`leave_resources`): an account can always be deleted.
    """
    user = get_user_model().objects.filter(id=user_id).first()
    if user is None:
        return "already deleted"
    still_alive = sum(import_string(path)(user, leave_resources=leave_resources) for path in settings.ACCOUNT_RELEASE_HOOKS)
    if still_alive:
        if self.request.retries >= self.max_retries:
            logger.error("Account %s not deleted: %s lab run(s) still being torn down after %s tries; the account is active again.",
                         user_id, still_alive, self.max_retries)
            user.is_active = True
            user.save(update_fields=["is_active"])
            return "gave up: labs still being torn down; account reactivated"
        raise self.retry(countdown=RELEASE_RETRY_SECONDS)
    from .learner_data import wipe

    wipe(user)  # each app removes its own rows first (lab runs protect their connections from a plain cascade)
    user.delete()
    return "deleted"
