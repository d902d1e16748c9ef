"""Practice sets with instant feedback."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp.exam_guide import DOMAINS, TASKS
from studyapp.models import Lesson
from studyapp.numbers import whole_number

from .. import answers, option_tokens, practice
from ..models import Attempt
from .common import get_attempt, get_response, ordered_options


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "domains": DOMAINS, "tasks": TASKS, "sizes": practice.SIZES, "services": practice.services_in_bank(),
        "lessons": Lesson.objects.filter(retired=False).only("slug", "title"),
        "recent": Attempt.objects.filter(user=request.user, kind=Attempt.PRACTICE)[:10],
    }
    return render(request, "quizzes/practice_home.html", context)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("scope", "all")
    try:
        scope = practice.parse_scope(kind, request.POST.get(kind, ""))
        size = whole_number(request.POST.get("size", "10")) or 0
        attempt = practice.start_practice(request.user, scope=scope, size=size, certainty=request.POST.get("certainty") == "on")
    except practice.ScopeInvalid as error:
        return render(request, "quizzes/message.html", {"title": "Cannot start that set", "message": str(error), "back": "practice_home"}, status=400)
    return redirect("practice_question", attempt_id=attempt.id, position=1)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = get_attempt(request.user, attempt_id, Attempt.PRACTICE)
    response = get_response(attempt, position)
    error, status = "", 200
    if request.method == "POST":
        try:
            sent = option_tokens.option_ids(response, request.POST.getlist("option"))
            choice = answers.parse_choice(response, sent, request.POST.get("certainty"), attempt.certainty)
            answers.record(attempt, response, choice)
        except answers.AnswerRejected as rejected:
            error, status = str(rejected), rejected.status
    total = attempt.responses.count()
    context = {
        "attempt": attempt, "response": response, "question": response.question, "options": ordered_options(response.question, response.option_order, response),
        "total": total, "is_last": position == total, "error": error, "answered": response.chosen is not None,
        "mark": answers.cbm_mark(response),
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
        "cbm_total": sum(marks) if marks else None, "calibration": calibration,
    }
    return render(request, "quizzes/practice_summary.html", context)
