"""Flashcard statistics from the review log: true retention, the due forecast, the daily load a retention implies."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from fsrs import Scheduler

from studyapp.sql_time import seconds_between

from . import srs
from .models import Review

WINDOW_DAYS = 30
# A review counts as a test of memory only when the card was last seen at least this long before;
# the quick repeats of a card being learned (minutes apart) say nothing about retention.
RECALL_GAP = timedelta(hours=12)
LOAD_RETENTIONS = (0.80, 0.85, 0.90, 0.95)


@dataclass
class Retention:
    passed: int
    tests: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.tests if self.tests else None


def true_retention(user, now: datetime | None = None, days: int = WINDOW_DAYS) -> Retention:
    """Of the recall tests in the last `days` days, how many were not rated Again: a review in the window
    whose card was last reviewed RECALL_GAP or more before it. Counted by the database in one query
    (each review's previous one, per card), whatever the length of the review log."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    log_sql, params = Review.objects.filter(user=user).values_list("card_id", "reviewed_at", "rating", "id").order_by().query.sql_with_params()
    gap = seconds_between("reviewed_at", "before") + " >= %s"
    sql = f"""
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN rating > 1 THEN 1 ELSE 0 END), 0)
        FROM (SELECT rating, reviewed_at, LAG(reviewed_at) OVER (PARTITION BY card_id ORDER BY reviewed_at, id) AS before
              FROM ({log_sql}) AS log) AS tests
        WHERE before IS NOT NULL AND reviewed_at >= %s AND {gap}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, connection.ops.adapt_datetimefield_value(since), RECALL_GAP.total_seconds()])
        tests, passed = cursor.fetchone()
    return Retention(passed, tests)


def due_forecast(user, now: datetime | None = None, days: int = WINDOW_DAYS) -> list[int]:
    """Cards due on each of the next `days` days (today includes everything overdue)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    end = srs.start_of_day(now) + timedelta(days=days)
    per_day: Counter = Counter()
    for due in srs.due_states(user, now, srs.Session(ahead_days=days)).filter(due__lt=end).values_list("due", flat=True):
        per_day[max((timezone.localtime(due).date() - today).days, 0)] += 1
    return [per_day.get(day, 0) for day in range(days)]


def _interval_days(scheduler: Scheduler, stability: float, retention: float) -> float:
    """FSRS's interval for a card of this stability at a desired retention (the power forgetting curve solved for R)."""
    decay = -scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return max(stability / factor * (retention ** (1 / decay) - 1), 1.0)


def daily_load(user, now: datetime | None = None) -> list[dict]:
    """Expected reviews a day, at several desired retentions, for the cards the learner already knows."""
    now = now or timezone.now()
    scheduler = srs.scheduler_for(srs.preferences(user))
    stabilities = [data["stability"] for data in srs.due_states(user, now, srs.Session(ahead_days=36500)).values_list("fsrs", flat=True) if data.get("stability")]
    current = srs.preferences(user).desired_retention
    retentions = sorted({*LOAD_RETENTIONS, round(current, 2)})
    return [
        {"retention": r, "per_day": round(sum(1 / _interval_days(scheduler, s, r) for s in stabilities), 1), "current": abs(r - current) < 0.005}
        for r in retentions
    ]
