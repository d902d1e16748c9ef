"""Everything the progress dashboard shows, gathered in a fixed number of queries.

Each figure comes from one aggregate or one narrow list query, whatever the size of the
learner's history; the Python work over those lists is linear and cheap.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from quizzes import srs
from quizzes.models import Attempt, CardState, Question, Review, lesson_section_url
from studyapp import answer_stats, extensions, readiness
from studyapp import outline as course_outline
from studyapp.exam_guide import DOMAINS, TASKS, TASKS_BY_ID
from studyapp.models import Lesson, LessonProgress, StudyPlan

CALENDAR_DAYS = 84


@dataclass
class Dashboard:
    modules: list[dict]
    minutes_studied: int
    study_days: Counter
    streak: int
    domains: list[dict]
    tasks: list[dict]
    mocks: list[dict]
    flashcards: dict
    readiness: readiness.Readiness
    plan: dict | None
    next_steps: list[dict]
    extras: dict = field(default_factory=dict)  # labs, SQL exercises: from the apps that own them


def _modules(user) -> tuple[list[dict], dict[int, course_outline.Entry], set[int], dict[int, datetime]]:
    done = dict(LessonProgress.objects.filter(user=user).values_list("lesson_id", "completed_at"))
    rows, lessons = [], {}
    for module in course_outline.current().modules:
        lessons.update({lesson.id: lesson for lesson in module.lessons})
        # Title and slug, not the module entry: the board is kept in the shared cache, and the entry holds all its lessons.
        rows.append({"slug": module.slug, "title": module.title, "done": sum(lesson.id in done for lesson in module.lessons), "total": len(module.lessons)})
    return rows, lessons, set(done), done


def _streak(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _accuracy(per_task: dict[str, list[int]]) -> tuple[list[dict], list[dict]]:
    """per_task: task id -> [right, answered]."""
    domains = []
    for domain in DOMAINS:
        right = sum(v[0] for t, v in per_task.items() if t.startswith(f"{domain.number}."))
        answered = sum(v[1] for t, v in per_task.items() if t.startswith(f"{domain.number}."))
        domains.append({"domain": domain, "right": right, "answered": answered, "percent": round(100 * right / answered) if answered else None})
    tasks = []
    for task in TASKS:
        right, answered = per_task.get(task.id, (0, 0))
        tasks.append({"task": task, "right": right, "answered": answered, "percent": round(100 * right / answered) if answered else None})
    return domains, tasks


def _plan(user, today: date, lessons: dict[int, Lesson], done: set[int], flashcard_left: int, extras: dict) -> dict | None:
    plan = StudyPlan.objects.filter(user=user).first()
    if plan is None:
        return None
    days_left = (plan.exam_date - today).days
    remaining = {
        "lessons": sum(1 for lesson_id in lessons if lesson_id not in done),
        "questions": answer_stats.unseen_questions(user),
        "flashcards": flashcard_left,
        "labs": extras.get("labs", {}).get("remaining", 0),
    }
    days = max(days_left, 1)
    targets = {key: math.ceil(value / days) for key, value in remaining.items()}
    # Judge only whole days since the plan began (at most the last 7): a plan set today is never "behind".
    full_days = min((today - timezone.localdate(plan.created_at)).days, 7)
    on_track = None
    if full_days > 0:
        until = timezone.make_aware(datetime.combine(today, time.min))
        since = until - timedelta(days=full_days)
        recent_lessons = LessonProgress.objects.filter(user=user, completed_at__gte=since, completed_at__lt=until).count()
        recent_answers = answer_stats.answered_between(user, since, until)
        on_track = recent_lessons >= full_days * targets["lessons"] * 0.8 and recent_answers >= full_days * targets["questions"] * 0.8
    return {"exam_date": plan.exam_date, "days_left": days_left, "remaining": remaining, "targets": targets, "on_track": on_track}


def _question_references() -> tuple[Counter, Counter]:
    """(task, lab) and (task, lesson section) -> how many live questions name it."""
    labs, sections = Counter(), Counter()
    for task, lab, section in Question.objects.filter(retired=False).values_list("task", "lab", "lesson"):
        if lab:
            labs[(task, lab)] += 1
        sections[(task, section)] += 1
    return labs, sections


def _next_steps(user, recent: dict[str, list[int]], lessons: dict, done: set[int], now: datetime) -> list[dict]:
    """The weakest task statements (low accuracy or little evidence), each with what to do about it.
    recent: task id -> [right, answered] over its readiness.RECENT_PER_TASK latest answers."""
    scored = []
    for task in TASKS:
        right, answered = recent.get(task.id, (0, 0))
        mean = (readiness.PRIOR_RIGHT + right) / (readiness.PRIOR_TOTAL + answered)
        scored.append((mean, answered, task))
    weakest = [task for _, _, task in sorted(scored, key=lambda item: (item[0], item[1]))[:3]]
    weak_ids = [task.id for task in weakest]
    labs, sections = course_outline.per_version("questions' labs and sections per task", _question_references)
    due_cards = dict(
        CardState.objects.filter(user=user, due__lte=now, flashcard__task__in=weak_ids).values_list("flashcard__task").annotate(n=Count("id"))
    )
    steps = []
    for task in weakest:
        tagged = [lesson for lesson in lessons.values() if task.id in lesson.tasks]
        lesson = next((lesson for lesson in tagged if lesson.id not in done), tagged[0] if tagged else None)
        lab = max((lab for (t, lab) in labs if t == task.id), key=lambda lab: labs[(task.id, lab)], default="")
        # The section most of this task's questions point at; else the top of a lesson tagged with the task.
        section = max((ref for (t, ref) in sections if t == task.id), key=lambda ref: sections[(task.id, ref)], default="")
        section_lesson = next((candidate for candidate in lessons.values() if candidate.slug == section.partition("#")[0]), None)
        if section_lesson:
            lesson, lesson_url = section_lesson, lesson_section_url(section)
        else:
            lesson_url = lesson.get_absolute_url() if lesson else ""
        right, answered = recent.get(task.id, (0, 0))
        steps.append({"task": task, "answered": answered, "right": right, "lesson": lesson, "lesson_url": lesson_url, "lab": lab,
                      "due_flashcards": due_cards.get(task.id, 0)})
    return steps


def gather(user, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    modules, lessons, done, completed_at = _modules(user)
    extras = extensions.progress_extras(user)
    days, seconds = answer_stats.activity(user, extras.get("events", []))
    minutes = round(seconds / 60) + sum(lessons[i].minutes for i in done if i in lessons)
    days += Counter(timezone.localdate(moment) for moment in completed_at.values())
    mock_rows = Attempt.objects.filter(user=user, kind=Attempt.MOCK, submitted_at__isnull=False).order_by("submitted_at").annotate(
        answered=Count("responses", filter=Q(responses__chosen__isnull=False)), questions=Count("responses"))
    mocks = [{"id": a.id, "date": a.submitted_at, "started": a.started_at, "score": a.scaled_score, "answered": a.answered, "questions": a.questions}
             for a in mock_rows]
    mock_evidence = [readiness.MockResult(m["date"], m["score"], m["answered"], m["questions"], m["started"]) for m in mocks]
    evidence = answer_stats.readiness_tally(user, mock_evidence, now)
    domains, tasks = _accuracy(evidence.tasks)
    counts = srs.counts(user, now)
    flashcards = {**counts, "reviewed_total": Review.objects.filter(user=user).count(), "retention": srs.estimated_retention(user, now)}
    return Dashboard(
        modules=modules,
        minutes_studied=minutes,
        study_days=days,
        streak=_streak(set(days), today),
        domains=domains,
        tasks=tasks,
        mocks=mocks,
        flashcards=flashcards,
        readiness=readiness.estimate_from_tally(evidence, mock_evidence, now),
        plan=_plan(user, today, lessons, done, counts["due_flashcards"] + counts["unmet"], extras),
        next_steps=_next_steps(user, evidence.recent, lessons, done, now),
        extras=extras,
    )


def task_title(task_id: str) -> str:
    return TASKS_BY_ID[task_id].title
