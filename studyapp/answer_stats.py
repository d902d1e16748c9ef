"""A learner's answer history summarised by the database, so the dashboard never loads the whole history.

Each function is one query whose result size does not grow with the number of answers: totals per
task statement, the most recent answers per task (what the readiness model reads), and the study
time and study days computed over the timestamps inside the database.
"""

from collections import Counter
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, FloatField, Q, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from quizzes.models import Attempt, Question, Response, Review
from studyapp import readiness
from studyapp.sql_time import seconds_between

SESSION_GAP_SECONDS = 5 * 60  # a pause longer than this starts a new study session (counted as one minute)


def _answers(user):
    return Response.objects.filter(attempt__user=user, answered_at__isnull=False)


def task_totals(user) -> dict[str, tuple[int, int]]:
    """task id -> (right, answered), over every answer."""
    rows = _answers(user).values("question__task").annotate(right=Count("id", filter=Q(correct=True)), answered=Count("id"))
    return {row["question__task"]: (row["right"], row["answered"]) for row in rows}


def recent_history(user, per_task: int) -> list[tuple[str, bool]]:
    """(task, correct), newest first, keeping only each task's `per_task` most recent answers."""
    rank = Window(RowNumber(), partition_by=F("question__task"), order_by=[F("answered_at").desc(), F("id").desc()])
    rows = (_answers(user).annotate(task=F("question__task"), rank=rank).filter(rank__lte=per_task)
            .order_by("-answered_at", "-id").values_list("task", "correct"))
    return [(task, bool(correct)) for task, correct in rows]


def answered_since(user, moment: datetime) -> int:
    return _answers(user).filter(answered_at__gte=moment).count()


def answered_between(user, since: datetime, until: datetime) -> int:
    return _answers(user).filter(answered_at__gte=since, answered_at__lt=until).count()


def unseen_questions(user) -> int:
    return Question.objects.filter(retired=False).exclude(id__in=_answers(user).values("question_id")).count()


def _events_sql(user, extra_events: list[datetime]) -> tuple[str, list]:
    """Every study action's timestamp (answers, flashcard reviews, the other apps' events) as rows of one column `t`."""
    answers_sql, answers_params = _answers(user).values_list("answered_at").order_by().query.sql_with_params()  # no sort: the window sorts
    reviews_sql, reviews_params = Review.objects.filter(user=user).values_list("reviewed_at").query.sql_with_params()
    value = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    parts = [f"SELECT answered_at AS t FROM ({answers_sql}) AS answers", f"SELECT reviewed_at FROM ({reviews_sql}) AS reviews"]
    parts += [f"SELECT {value}" for _ in extra_events]
    params = [*answers_params, *reviews_params, *(connection.ops.adapt_datetimefield_value(moment) for moment in extra_events)]
    return " UNION ALL ".join(parts), params


def activity(user, extra_events: list[datetime]) -> tuple[Counter, float]:
    """In one query over every study action: date -> number of actions that day (in the site's time zone,
    TIME_ZONE, UTC by default), and the seconds studied: the time between consecutive actions, a pause
    longer than the session gap (and the first action) counting 60. Each action's gap is summed on its day."""
    events, params = _events_sql(user, extra_events)
    gap = seconds_between("t", "LAG(t) OVER (ORDER BY t)")
    if connection.vendor == "postgresql":
        day, params = "CAST(t AT TIME ZONE %s AS date)", [settings.TIME_ZONE, *params]
    else:
        day = "date(t)"  # SQLite holds UTC; the site's TIME_ZONE is UTC
    sql = f"""
        SELECT day, COUNT(*), SUM(CASE WHEN gap IS NOT NULL AND gap <= {SESSION_GAP_SECONDS} THEN gap ELSE 60 END)
        FROM (SELECT {day} AS day, {gap} AS gap FROM ({events}) AS events) AS gaps GROUP BY day
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    days = Counter({(d if isinstance(d, date) else date.fromisoformat(d)): n for d, n, _ in rows})
    return days, float(sum(seconds for _, _, seconds in rows))


def study_seconds(user, extra_events: list[datetime]) -> float:
    return activity(user, extra_events)[1]


def actions_per_day(user, extra_events: list[datetime]) -> Counter:
    return activity(user, extra_events)[0]


def _flag(condition: Q | None):
    return ExpressionWrapper(condition, output_field=BooleanField()) if condition is not None else Value(False)


def readiness_tally(user, mocks: list[readiness.MockResult], now: datetime, recent: int = readiness.RECENT_PER_TASK) -> readiness.Tally:
    """readiness.tally over every answer, summed by the database in one query grouped by task, right or wrong,
    mock or practice, before the latest mock began, after it was submitted, and among the task's `recent`
    latest answers (at most ~20 x 32 rows, whatever the history). Also fills Tally.recent."""
    latest = readiness.latest_mock(mocks)
    # An answer's age in days, never negative, then its decay 0.5 ** (age / half-life), as readiness._weight.
    if connection.vendor == "postgresql":
        age = "GREATEST(EXTRACT(EPOCH FROM (CAST(%s AS timestamp with time zone) - quizzes_response.answered_at))::float8, 0) / 86400.0"
    else:
        age = "MAX(julianday(%s) - julianday(quizzes_response.answered_at), 0)"
    decay = RawSQL(f"POWER(0.5, {age} / {float(readiness.HALF_LIFE_DAYS)})", [connection.ops.adapt_datetimefield_value(now)], output_field=FloatField())
    rank = Window(RowNumber(), partition_by=F("question__task"), order_by=[F("answered_at").desc(), F("id").desc()])
    inner = (
        _answers(user)
        .annotate(
            task=F("question__task"),
            mock=_flag(Q(attempt__kind=Attempt.MOCK)),
            superseded=_flag(Q(answered_at__lt=latest.began) if latest else None),
            after=_flag(Q(answered_at__gt=latest.when) if latest else None),
            decay=decay,
            rank=rank,
        )
        .values_list("task", "correct", "mock", "superseded", "after", "decay", "rank")
        .order_by()
    )
    inner_sql, params = inner.query.sql_with_params()
    sql = f"""
        SELECT task, correct, mock, superseded, after, rank <= %s AS recent, COUNT(*), SUM(decay)
        FROM ({inner_sql}) AS answers GROUP BY 1, 2, 3, 4, 5, 6
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [recent, *params])
        rows = cursor.fetchall()
    domains = readiness.empty_domains()
    summary = readiness.Tally(domains)
    for task, correct, mock, superseded, after, is_recent, n, decay_sum in rows:
        correct = bool(correct)
        summary.answered += n
        per_task = summary.tasks.setdefault(task, [0, 0])
        per_task[0] += n * correct
        per_task[1] += n
        if is_recent:
            latest_answers = summary.recent.setdefault(task, [0, 0])
            latest_answers[0] += n * correct
            latest_answers[1] += n
        if after and not mock:
            summary.since_mock += n
            summary.right_since_mock += n * correct
        bucket = domains.get(task.partition(".")[0])
        if bucket is None:
            continue
        weight = decay_sum * (readiness.MOCK_WEIGHT if mock else 1.0) * (readiness.SUPERSEDED if superseded else 1.0)
        bucket[0 if correct else 1] += weight
        bucket[2] += n * correct
        bucket[3] += n
    return summary
