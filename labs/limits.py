"""How many labs a learner may launch: at most settings.LABS_MAX_RUNNING at once, and a rate over time."""

from django.conf import settings
from django.http import HttpRequest

from studyapp import throttle

from .models import Lab, LabRun


def launch_refusal(request: HttpRequest, lab: Lab) -> str:
    """Why this launch is refused, or "" when it may go ahead."""
    running = LabRun.objects.filter(user=request.user, state__in=LabRun.ACTIVE).count()
    if running >= settings.LABS_MAX_RUNNING:
        return (f"You already have {running} labs running (at most {settings.LABS_MAX_RUNNING} at once). "
                "Tear one down from its run page, then launch this one.")
    if throttle.exceeded(request, "lab_launch"):
        return "You have launched many labs in the last hour; wait a while before launching another."
    return ""
