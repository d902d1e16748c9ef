"""The landing page and the health endpoint."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import health
from ..exam_guide import DOMAINS, EXAM_MINUTES, EXAM_QUESTIONS, PASSING_SCORE
from . import start


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return start.home(request)
    context = {"domains": DOMAINS, "exam_questions": EXAM_QUESTIONS, "exam_minutes": EXAM_MINUTES, "passing_score": PASSING_SCORE}
    return render(request, "studyapp/landing.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """ok / degraded for anyone (load balancers); which part failed and why only for staff or with HEALTHZ_TOKEN."""
    report = health.cached_report()
    body = report.as_dict() if health.may_see_details(request) else {"status": report.as_dict()["status"]}
    return JsonResponse(body, status=200 if report.healthy else 503)
