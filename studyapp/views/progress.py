"""The progress dashboard and the exam date."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import board_cache, readiness
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
    board, drawn = board_cache.board_with_charts(request.user)
    mock_rows, mock_trend = _mock_history(board.mocks)
    context = {
        "board": board, **drawn,
        "hours": board.minutes_studied // 60, "minutes": board.minutes_studied % 60,
        "mock_note": readiness.mock_note(board.readiness),
        "mock_rows": mock_rows, "mock_trend": mock_trend,
        "latest_mock_id": board.mocks[-1]["id"] if board.mocks else None,
        "half_life": readiness.HALF_LIFE_DAYS, "mock_weight": f"{readiness.MOCK_WEIGHT:g}", "min_per_domain": readiness.MIN_PER_DOMAIN,
        "today": timezone.localdate(),
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
