"""First steps after sign-up, and the signed-in home page: continue where you left off, today's plan."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from quizzes.models import Attempt
from quizzes.practice import DIAGNOSTIC_SIZE, diagnostic_quotas

from .. import board_cache, progress
from ..exam_guide import DOMAINS, EXAM_MINUTES, EXAM_QUESTIONS, PASSING_SCORE, SCORED_QUESTIONS
from ..models import Lesson, StudyPlan


@login_required
@require_GET
def first_steps(request: HttpRequest) -> HttpResponse:
    quotas = diagnostic_quotas()
    context = {
        "domains": [{"domain": d, "questions": quotas[d.number]} for d in DOMAINS], "exam_questions": EXAM_QUESTIONS,
        "scored_questions": SCORED_QUESTIONS, "unscored": EXAM_QUESTIONS - SCORED_QUESTIONS, "exam_minutes": EXAM_MINUTES,
        "passing_score": PASSING_SCORE, "diagnostic_size": DIAGNOSTIC_SIZE, "first_lesson": Lesson.objects.filter(retired=False).first(),
        "plan": StudyPlan.objects.filter(user=request.user).first(), "today": timezone.localdate(),
    }
    return render(request, "studyapp/first_steps.html", context)


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home page (the landing view calls it): where to pick up, and what today asks for."""
    user = request.user
    done = progress.completed_lesson_ids(user)
    next_lesson = Lesson.objects.filter(retired=False).exclude(id__in=done).select_related("module").first()
    open_set = Attempt.objects.filter(user=user, kind=Attempt.PRACTICE, submitted_at__isnull=True, responses__chosen__isnull=True).distinct().first()
    resume_position = open_set.responses.filter(chosen__isnull=True).order_by("position").values_list("position", flat=True).first() if open_set else None
    context = {
        "board": board_cache.board(user), "next_lesson": next_lesson, "lessons_done": len(done), "open_set": open_set,
        "resume_position": resume_position, "new_learner": not Attempt.objects.filter(user=user).exists() and not done,
    }
    return render(request, "studyapp/home.html", context)
