"""Practice sets with instant feedback."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp.numbers import whole_number

from .. import answers, option_tokens, practice, smart
from ..models import Attempt
from .common import get_attempt, get_attempt_and_response, ordered_options


def _home(request: HttpRequest, *, selected: str, size: str = "10", certainty: bool = False, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "scope_groups": practice.scope_choices(), "sizes": practice.SIZES,
        "recent": Attempt.objects.filter(user=request.user, kind=Attempt.PRACTICE)[:10],
        "selected": selected, "size": size, "certainty": certainty, "error": error,
    }
    return render(request, "quizzes/practice_home.html", context, status=status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The practice form; ?scope=task:2.2 (from a lesson or the dashboard) preselects a scope."""
    return _home(request, selected=request.GET.get("scope", "all"))


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    size_text = request.POST.get("size", "10")
    certainty = request.POST.get("certainty") == "on"
    try:
        scope = practice.scope_from_form(request.POST)
        size = whole_number(size_text) or 0
        attempt = practice.start_practice(request.user, scope=scope, size=size, certainty=certainty)
    except practice.ScopeInvalid as error:
        return _home(request, selected=request.POST.get("scope", "all"), size=size_text, certainty=certainty, error=str(error), status=400)
    return redirect("practice_question", attempt_id=attempt.id, position=1)


SMART_REASONS = "practice_smart_reasons"  # session key: {attempt id: why each task was chosen}


@login_required
@require_POST
def start_smart(request: HttpRequest) -> HttpResponse:
    size_text = request.POST.get("size", "10")
    certainty = request.POST.get("certainty") == "on"
    try:
        attempt, picks = smart.start_smart(request.user, size=whole_number(size_text) or 0, certainty=certainty)
    except practice.ScopeInvalid as error:
        return _home(request, selected="all", size=size_text, certainty=certainty, error=str(error), status=400)
    request.session[SMART_REASONS] = {str(attempt.id): [pick.reason for pick in picks]}
    return redirect("practice_question", attempt_id=attempt.id, position=1)


@login_required
@require_POST
def retry(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = get_attempt(request.user, attempt_id, Attempt.PRACTICE)
    try:
        again = practice.retry_missed(request.user, attempt)
    except practice.ScopeInvalid as error:
        return render(request, "quizzes/message.html", {"title": "Nothing to retry", "message": str(error), "back": "practice_home"}, status=409)
    return redirect("practice_question", attempt_id=again.id, position=1)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt, response = get_attempt_and_response(request.user, attempt_id, Attempt.PRACTICE, position)
    error, status, kept_options, kept_certainty = "", 200, [], ""
    if request.method == "POST":
        try:
            sent = option_tokens.option_ids(response, request.POST.getlist("option"))
            choice = answers.parse_choice(response, sent, request.POST.get("certainty"), attempt.certainty)
            answers.record(attempt, response, choice)
        except answers.AnswerRejected as rejected:
            error, status = str(rejected), rejected.status
            # Give the learner back what they ticked, so "choose 2" does not cost them their first pick.
            kept_options, kept_certainty = request.POST.getlist("option"), request.POST.get("certainty", "")
    total = attempt.total  # responses are never added to or removed from an attempt once it exists
    context = {
        "attempt": attempt, "response": response, "question": response.question, "options": ordered_options(response.question, response.option_order, response),
        "total": total, "is_last": position == total, "error": error, "answered": response.chosen is not None,
        "mark": answers.cbm_mark(response), "cbm_marks": answers.CBM_MARKS, "kept_options": kept_options, "kept_certainty": kept_certainty,
        "smart_reasons": request.session.get(SMART_REASONS, {}).get(str(attempt.id), []),
    }
    return render(request, "quizzes/practice_question.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, attempt_id: int) -> HttpResponse:
    from ..exam import submit

    attempt = get_attempt(request.user, attempt_id, Attempt.PRACTICE)
    if request.method == "POST" and attempt.is_open:
        submit(attempt)
    responses = list(attempt.responses.select_related("question"))
    answered = [r for r in responses if r.chosen is not None]
    marks = [answers.cbm_mark(r) for r in answered if r.certainty]
    calibration = {}
    for level in (1, 2, 3):
        at_level = [r for r in answered if r.certainty == level]
        if at_level:
            calibration[level] = {"count": len(at_level), "right": sum(bool(r.correct) for r in at_level)}
    context = {
        "attempt": attempt, "responses": responses, "answered": len(answered), "right": sum(bool(r.correct) for r in answered),
        "missed": sum(r.correct is False for r in answered), "cbm_total": sum(marks) if marks else None, "calibration": calibration,
    }
    return render(request, "quizzes/practice_summary.html", context)
