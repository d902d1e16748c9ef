"""Rate limits on what is cheap to ask for and costly to answer: sign-ups, reset e-mails, lab launches, SQL runs.

Counted by django-ratelimit in the shared "ratelimit" cache (Redis outside tests), so every web worker sees
the same counts. Log-in lockout is django-axes' job (settings.AXES_*). Rates are settings.THROTTLE_RATES.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def exceeded(request: HttpRequest, group: str, key: str = "user_or_ip") -> bool:
    """Count this request against `group`'s limit (per learner, or per IP when anonymous); True once it is over."""
    return is_ratelimited(request, group=group, key=key, rate=settings.THROTTLE_RATES[group], increment=True)


def refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "throttled.html", {"message": message}, status=429)
