"""The timed mock exam: navigator, flags, review, submission, result."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp.exam_guide import DOMAINS, PASSING_SCORE, TASKS_BY_ID

from .. import answers, exam, option_tokens
from ..models import Attempt
from .common import get_attempt, get_response, ordered_options


def _closed_if_expired(attempt: Attempt) -> Attempt:
    if attempt.is_open and exam.is_expired(attempt):
        exam.submit(attempt)
    return attempt


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    exam.submit_expired()
    history = Attempt.objects.filter(user=request.user, kind=Attempt.MOCK)
    context = {
        "history": history, "questions": settings.MOCK_EXAM_QUESTIONS, "scored": settings.MOCK_EXAM_SCORED,
        "unscored": settings.MOCK_EXAM_QUESTIONS - settings.MOCK_EXAM_SCORED, "minutes": settings.MOCK_EXAM_MINUTES, "passing": PASSING_SCORE,
        "open": history.filter(submitted_at__isnull=True).first(),
    }
    return render(request, "quizzes/mock_home.html", context)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    open_attempt = Attempt.objects.filter(user=request.user, kind=Attempt.MOCK, submitted_at__isnull=True).first()
    if open_attempt and not exam.is_expired(open_attempt):
        return redirect("mock_question", attempt_id=open_attempt.id, position=1)
    try:
        attempt = exam.start_mock(request.user)
    except exam.BankTooSmall as error:
        return render(request, "quizzes/message.html", {"title": "The question bank is too small", "message": str(error), "back": "mock_home"}, status=409)
    return redirect("mock_question", attempt_id=attempt.id, position=1)


def _navigator(attempt: Attempt) -> list[dict]:
    return [
        {"position": p, "answered": chosen is not None, "flagged": flagged}
        for p, chosen, flagged in attempt.responses.order_by("position").values_list("position", "chosen", "flagged")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if not attempt.is_open:
        return redirect("mock_result", attempt_id=attempt.id)
    response = get_response(attempt, position)
    error, status = "", 200
    if request.method == "POST":
        try:
            choice = answers.parse_choice(response, option_tokens.option_ids(response, request.POST.getlist("option")), None, False)
            answers.record(attempt, response, choice)
            target = request.POST.get("go", "next")
            if target == "review":
                return redirect("mock_review", attempt_id=attempt.id)
            next_position = position + 1 if target == "next" else position - 1
            if attempt.responses.filter(position=next_position).exists():
                return redirect("mock_question", attempt_id=attempt.id, position=next_position)
            return redirect("mock_review", attempt_id=attempt.id)
        except answers.AnswerRejected as rejected:
            error, status = str(rejected), rejected.status
            if status == 403:
                exam.submit(attempt)
    navigator = _navigator(attempt)
    context = {
        "attempt": attempt, "response": response, "question": response.question, "options": ordered_options(response.question, response.option_order, response),
        "navigator": navigator, "total": len(navigator), "error": error, "deadline_iso": attempt.deadline.isoformat(),
    }
    return render(request, "quizzes/mock_question.html", context, status=status)


@login_required
@require_POST
def flag(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if not attempt.is_open:
        return redirect("mock_result", attempt_id=attempt.id)
    response = get_response(attempt, position)
    response.flagged = request.POST.get("flagged") == "1"
    response.save(update_fields=["flagged"])
    return redirect("mock_question", attempt_id=attempt.id, position=position)


@login_required
@require_GET
def review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if not attempt.is_open:
        return redirect("mock_result", attempt_id=attempt.id)
    navigator = _navigator(attempt)
    context = {
        "attempt": attempt, "navigator": navigator, "deadline_iso": attempt.deadline.isoformat(),
        "unanswered": sum(not item["answered"] for item in navigator), "flagged": sum(item["flagged"] for item in navigator),
    }
    return render(request, "quizzes/mock_review.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = get_attempt(request.user, attempt_id, Attempt.MOCK)
    exam.submit(attempt)
    return redirect("mock_result", attempt_id=attempt.id)


@login_required
@require_GET
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if attempt.is_open:
        return redirect("mock_question", attempt_id=attempt.id, position=1)
    parts = exam.breakdown(attempt)
    domains = [{"domain": d, "right": parts["domains"][d.number][0], "total": parts["domains"][d.number][1]} for d in DOMAINS]
    tasks = [{"task": TASKS_BY_ID[t], "right": v[0], "total": v[1]} for t, v in parts["tasks"].items()]
    responses = [{"response": r, "options": ordered_options(r.question, r.option_order)} for r in attempt.responses.select_related("question")]
    context = {
        "attempt": attempt, "passed": exam.passed(attempt), "passing": PASSING_SCORE, "domains": domains, "tasks": tasks,
        "responses": responses, "pass_fraction": round(exam.PASS_RAW_FRACTION * 100),
    }
    return render(request, "quizzes/mock_result.html", context)
