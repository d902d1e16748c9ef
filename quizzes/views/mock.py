"""The timed mock exam: navigator, flags, review, confirmation, submission, result."""

from functools import cache, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp import rows
from studyapp.exam_guide import DOMAINS, PASSING_SCORE, TASKS_BY_ID

from .. import exam, mock_flow, mock_followup, mock_report, option_tokens
from ..answers import AnswerRejected
from ..models import Attempt, Response
from .common import get_attempt, get_attempt_and_response, get_response, ordered_options


def _closed_if_expired(attempt: Attempt) -> Attempt:
    if attempt.is_open and exam.is_expired(attempt):
        exam.submit(attempt)
    return attempt


def _timer(attempt: Attempt) -> dict:
    seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return {"deadline_iso": attempt.deadline.isoformat(), "seconds_left": seconds_left, "minutes_left": seconds_left // 60}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    exam.submit_expired()
    history = Attempt.objects.filter(user=request.user, kind=Attempt.MOCK)
    open_attempt = history.filter(submitted_at__isnull=True).first()
    context = {
        "history": history, "questions": settings.MOCK_EXAM_QUESTIONS, "scored": settings.MOCK_EXAM_SCORED,
        "unscored": settings.MOCK_EXAM_QUESTIONS - settings.MOCK_EXAM_SCORED, "minutes": settings.MOCK_EXAM_MINUTES, "passing": PASSING_SCORE,
        "open": open_attempt, "resume_position": mock_flow.resume_position(open_attempt) if open_attempt else None,
    }
    return render(request, "quizzes/mock_home.html", context)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    open_attempt = Attempt.objects.filter(user=request.user, kind=Attempt.MOCK, submitted_at__isnull=True).first()
    if open_attempt and not exam.is_expired(open_attempt):
        return redirect("mock_question", attempt_id=open_attempt.id, position=mock_flow.resume_position(open_attempt))
    try:
        attempt = exam.start_mock(request.user)
    except exam.BankTooSmall as error:
        return render(request, "quizzes/message.html", {"title": "The question bank is too small", "message": str(error), "back": "mock_home"}, status=409)
    return redirect("mock_question", attempt_id=attempt.id, position=1)


def _navigator(attempt: Attempt) -> list[dict]:
    """Every question's place, answered or not and flagged or not: SQL written once, as for the page's other lookup
    (studyapp.rows says why); it reads no answer, only whether there is one."""
    with connection.cursor() as cursor:
        cursor.execute(_navigator_sql(), [attempt.id])
        return [{"position": position, "answered": bool(answered), "flagged": bool(flagged)} for position, answered, flagged in cursor.fetchall()]


@cache
def _navigator_sql() -> str:
    quote = connection.ops.quote_name
    position, chosen, flagged, attempt = (quote(name) for name in ("position", "chosen", "flagged", "attempt_id"))
    return f"SELECT {position}, {chosen} IS NOT NULL, {flagged} FROM {rows.table(Response)} WHERE {attempt} = %s ORDER BY {position}"


def _navigator_cells(navigator: list[dict], current: int) -> SafeString:
    """The navigator's buttons (they submit the answer form), built here: 65 cells through the template engine cost more than the rest of the page."""
    cells = []
    for item in navigator:
        position, answered, flagged, here = item["position"], item["answered"], item["flagged"], item["position"] == current
        classes = "nav-cell" + (" answered" if answered else "") + (" flagged" if flagged else "") + (" current" if here else "")
        label = f"Question {position}" + (", answered" if answered else ", unanswered") + (", flagged" if flagged else "")
        step = ' aria-current="step"' if here else ""
        cells.append(f'<li><button type="submit" form="answer-form" name="go" value="{position}" data-position="{position}" class="{classes}"\n'
                     f'    aria-label="{label}"{step}>{position}<span class="flag-mark" aria-hidden="true">⚑</span></button></li>')
    return mark_safe("".join(cells))  # only integers and fixed words: nothing to escape


def _apply(request: HttpRequest, attempt: Attempt, response) -> None:
    """Save what the form carries: always the selection, and the flag when it is sent."""
    chosen = mock_flow.parse_selection(response, option_tokens.option_ids(response, request.POST.getlist("option")))
    mock_flow.save_selection(attempt, response, chosen)
    if "flag" in request.POST:
        mock_flow.set_flag(attempt, response, request.POST["flag"] == "1")


def _target(request: HttpRequest, attempt: Attempt, position: int, total: int) -> HttpResponse:
    go = request.POST.get("go", "stay" if "flag" in request.POST else "next")
    if go == "review":
        return redirect("mock_review", attempt_id=attempt.id)
    if go == "submit":
        return redirect("mock_submit", attempt_id=attempt.id)
    if go.isdigit():
        target = int(go)
    else:
        target = {"next": position + 1, "previous": position - 1}.get(go, position)
    if 1 <= target <= total:
        return redirect("mock_question", attempt_id=attempt.id, position=target)
    return redirect("mock_review", attempt_id=attempt.id)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt, response = get_attempt_and_response(request.user, attempt_id, Attempt.MOCK, position)
    if not _closed_if_expired(attempt).is_open:
        return redirect("mock_result", attempt_id=attempt.id)
    navigator = _navigator(attempt)
    error, status = "", 200
    if request.method == "POST":
        try:
            _apply(request, attempt, response)
            return _target(request, attempt, position, len(navigator))
        except AnswerRejected as rejected:
            error, status = str(rejected), rejected.status
            if status == 403:
                exam.submit(attempt)
                return redirect("mock_result", attempt_id=attempt.id)
    context = {
        "attempt": attempt, "response": response, "question": response.question, "options": ordered_options(response.question, response.option_order, response),
        "navigator": navigator, "navigator_cells": _navigator_cells(navigator, response.position), "total": len(navigator), "error": error, **_timer(attempt),
    }
    return render(request, "quizzes/mock_question.html", context, status=status)


@login_required
@require_POST
def save(request: HttpRequest, attempt_id: int, position: int) -> JsonResponse:
    """The page's script saves every change here as it happens; the answer is in the database before the next click."""
    attempt, response = get_attempt_and_response(request.user, attempt_id, Attempt.MOCK, position)
    _closed_if_expired(attempt)
    try:
        _apply(request, attempt, response)
    except AnswerRejected as rejected:
        return JsonResponse({"error": str(rejected)}, status=rejected.status)
    return JsonResponse({"position": position, "answered": response.chosen is not None, "flagged": response.flagged})


@login_required
@require_POST
def flag(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if not attempt.is_open:
        return redirect("mock_result", attempt_id=attempt.id)
    mock_flow.set_flag(attempt, get_response(attempt, position), request.POST.get("flagged") == "1")
    return redirect("mock_question", attempt_id=attempt.id, position=position)


@login_required
@require_GET
def review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if not attempt.is_open:
        return redirect("mock_result", attempt_id=attempt.id)
    show = request.GET.get("show", "all")
    if show not in mock_flow.REVIEW_FILTERS:
        show = "all"
    context = {
        "attempt": attempt, "counts": mock_flow.counts(attempt), "rows": mock_flow.review_rows(attempt, show), "show": show,
        "filters": mock_flow.REVIEW_FILTERS, **_timer(attempt),
    }
    return render(request, "quizzes/mock_review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """GET asks for confirmation with the counts; POST submits."""
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if request.method == "GET":
        if not attempt.is_open:
            return redirect("mock_result", attempt_id=attempt.id)
        return render(request, "quizzes/mock_confirm.html", {"attempt": attempt, "counts": mock_flow.counts(attempt), **_timer(attempt)})
    exam.submit(attempt)
    return redirect("mock_result", attempt_id=attempt.id)


def _after_submission(view):
    """A follow-up of a submitted mock exam: the view gets the closed attempt; one still open answers 409."""
    @wraps(view)
    def with_closed_attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
        attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
        if attempt.is_open:
            return HttpResponse("Submit the exam first.", status=409)
        return view(request, attempt)
    return with_closed_attempt


@login_required
@require_GET
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _closed_if_expired(get_attempt(request.user, attempt_id, Attempt.MOCK))
    if attempt.is_open:
        return redirect("mock_question", attempt_id=attempt.id, position=mock_flow.resume_position(attempt))
    filters = mock_report.Filters.parse(request.GET)
    report = mock_report.summary(attempt)
    responses = [
        {"response": r, "options": ordered_options(r.question, r.option_order), "first_line": mock_flow.first_line(r.question.stem_html)}
        for r in attempt.responses.select_related("question") if filters.keeps(r)
    ]
    context = {
        "attempt": attempt, "passed": exam.passed(attempt), "passing": PASSING_SCORE, "report": report, "filters": filters,
        "responses": responses, "pass_fraction": round(exam.PASS_RAW_FRACTION * 100), "show_choices": mock_report.SHOW,
        "domain_choices": DOMAINS, "task_choices": [TASKS_BY_ID[row["task"]] for row in report["tasks"]],
        "weakest": mock_report.weakest_tasks(attempt),
    }
    return render(request, "quizzes/mock_result.html", context)


@login_required
@require_POST
@_after_submission
def practise_weakest(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    try:
        drill = mock_followup.start_weak_task_practice(attempt)
    except mock_followup.NothingToDo as nothing:
        messages.info(request, str(nothing))
        return redirect("mock_result", attempt_id=attempt.id)
    return redirect("practice_question", attempt_id=drill.id, position=1)


@login_required
@require_POST
@_after_submission
def missed_to_review(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    try:
        added, already = mock_followup.add_missed_to_review(attempt)
    except mock_followup.NothingToDo as nothing:
        messages.info(request, str(nothing))
    else:
        messages.success(request, f"{added} missed question{'s' if added != 1 else ''} added to your review cards"
                                  + (f"; {already} already there." if already else "."))
    return redirect("mock_result", attempt_id=attempt.id)
