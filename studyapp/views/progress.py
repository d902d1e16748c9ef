"""The progress dashboard and the exam date."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import board_cache, charts, readiness
from ..models import StudyPlan


def _mock_history(mocks: list[dict]) -> tuple[list[dict], str]:
    """Newest first, each with its change from the one before, and the trend in words."""
    rows = [{**mock, "change": mock["score"] - mocks[i - 1]["score"] if i else None} for i, mock in enumerate(mocks)]
    trend = ""
    if len(mocks) >= 2:
        change = mocks[-1]["score"] - mocks[0]["score"]
        trend = f"{'Up' if change > 0 else 'Down' if change < 0 else 'No change'}{f' {abs(change)} points' if change else ''} over your {len(mocks)} mock exams."
    return rows[::-1], trend


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    board = board_cache.board(request.user)
    mock_rows, mock_trend = _mock_history(board.mocks)
    today = timezone.localdate()
    domain_rows = [{"label": f'{d["domain"].number}. {d["domain"].title}', "percent": d["percent"], "answered": d["answered"], "weight": d["domain"].weight} for d in board.domains]
    task_rows = [{"label": f'{t["task"].id} {t["task"].title}', "percent": t["percent"], "answered": t["answered"], "weight": None} for t in board.tasks]
    context = {
        "board": board,
        "hours": board.minutes_studied // 60, "minutes": board.minutes_studied % 60,
        "domain_chart": charts.accuracy_bars(domain_rows),
        "task_chart": charts.accuracy_bars(task_rows),
        "score_chart": charts.score_history(board.mocks) if board.mocks else None,
        "calendar": charts.study_calendar(board.study_days, today),
        "readiness_chart": charts.readiness_band(board.readiness.score, board.readiness.low, board.readiness.high) if board.readiness.enough else None,
        "mock_note": readiness.mock_note(board.readiness),
        "mock_rows": mock_rows, "mock_trend": mock_trend,
        "latest_mock_id": board.mocks[-1]["id"] if board.mocks else None,
        "half_life": readiness.HALF_LIFE_DAYS, "mock_weight": f"{readiness.MOCK_WEIGHT:g}", "min_per_domain": readiness.MIN_PER_DOMAIN,
        "today": today,
    }
    return render(request, "studyapp/progress.html", context)


@login_required
@require_POST
def set_exam_date(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("exam_date", "")
    if not raw:
        StudyPlan.objects.filter(user=request.user).delete()
        return redirect("progress_home")
    try:
        exam_date = date.fromisoformat(raw)
    except ValueError:
        return HttpResponseBadRequest("The exam date must look like 2027-03-31.")
    if exam_date < timezone.localdate():
        return HttpResponseBadRequest("The exam date is in the past.")
    StudyPlan.objects.update_or_create(user=request.user, defaults={"exam_date": exam_date})
    return redirect("first_steps" if request.POST.get("next") == "start" else "progress_home")
