"""The cost guard for labs in a learner's own account: what a run has cost so far (from its launch and the lab's list
price), what an extension adds, how many paid runs a learner may have at once, and a monthly budget.

A run in the sandbox costs nothing and is never limited here.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from .models import AwsConnection, Lab, LabRun

EXTENSION = timedelta(hours=1)
FREE_RUN_CEILING = timedelta(hours=8)


class CostRefused(Exception):
    """The launch or extension would break a cost rule; the message says which, for the learner."""


def is_paid(lab: Lab, connection: AwsConnection) -> bool:
    return lab.is_paid and connection.kind != AwsConnection.SANDBOX


def cents(amount) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def so_far(run: LabRun) -> Decimal:
    """List price per hour times the hours since launch (until its teardown finished)."""
    if not is_paid(run.lab, run.connection):
        return Decimal("0.00")
    hours = ((run.deleted_at or timezone.now()) - run.created_at).total_seconds() / 3600
    return cents(run.lab.cost_per_hour * Decimal(str(hours)))


def spent_this_month(user) -> Decimal:
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    runs = LabRun.objects.filter(user=user, created_at__gte=start).exclude(connection__kind=AwsConnection.SANDBOX).select_related("lab", "connection")
    return cents(sum((so_far(run) for run in runs), Decimal("0")))


def check_launch(user, lab: Lab, connection: AwsConnection) -> None:
    """At most LABS_PAID_RUNS_PER_LEARNER paid runs at once; none once the month's LABS_MONTHLY_BUDGET_USD is spent."""
    if not is_paid(lab, connection):
        return
    active = LabRun.objects.filter(user=user, state__in=LabRun.ACTIVE, lab__cost_per_hour__gt=0).exclude(connection__kind=AwsConnection.SANDBOX)
    if active.count() >= settings.LABS_PAID_RUNS_PER_LEARNER:
        titles = ", ".join(run.lab.title for run in active.select_related("lab")[:3])
        raise CostRefused(f"You already have a paid lab running in your account ({titles}): tear it down before launching another.")
    budget = Decimal(str(settings.LABS_MONTHLY_BUDGET_USD))
    if budget > 0:
        spent = spent_this_month(user)
        if spent >= budget:
            raise CostRefused(f"Your monthly lab budget of ${cents(budget)} is reached (about ${spent} this month): paid labs can launch again next month.")


def ceiling(run: LabRun):
    limit = timedelta(hours=settings.LABS_PAID_RUN_MAX_HOURS) if is_paid(run.lab, run.connection) else FREE_RUN_CEILING
    return run.created_at + limit


def extension_cost(run: LabRun) -> Decimal:
    """What one more hour of the run costs (0 in the sandbox)."""
    return cents(run.lab.cost_per_hour) if is_paid(run.lab, run.connection) else Decimal("0.00")


def new_expiry(run: LabRun, confirmed: bool):
    """The expiry after one extension, or CostRefused: a paid run needs the added cost confirmed, and no run passes its ceiling."""
    limit = ceiling(run)
    if run.expires_at >= limit - timedelta(minutes=1):
        raise CostRefused(f"This run cannot be extended past {timezone.localtime(limit):%H:%M}: tear it down and launch again if you need more time.")
    if is_paid(run.lab, run.connection) and not confirmed:
        raise CostRefused(f"Extending by an hour adds about ${extension_cost(run)} in your account: confirm the added cost to extend.")
    return min(max(run.expires_at, timezone.now()) + EXTENSION, limit)
