"""The dashboard's figures, summarised by the database, equal the same figures computed over the whole history in Python."""

import random
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone
from fsrs import Card

from quizzes.models import Attempt, CardState, Flashcard, Question, Response, Review
from quizzes.tests.conftest import make_questions
from studyapp import answer_stats, dashboard, progress
from studyapp.models import Lesson

pytestmark = pytest.mark.django_db


def _history(user, rng: random.Random) -> None:
    questions = list(Question.objects.all()) or make_questions({1: 8, 2: 8, 3: 8, 4: 8})
    moment = timezone.now() - timedelta(days=9)
    attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope="x", seed=1, started_at=moment)
    rows = []
    for position in range(1, 400):
        # Gaps around the five-minute session limit (exactly on it too), and long pauses across days.
        moment += timedelta(seconds=rng.choice([5, 59, 299, 300, 301, 3600, 20 * 3600]), microseconds=rng.choice([0, 250_000]))
        rows.append(Response(attempt=attempt, position=position, question=rng.choice(questions), option_order=["a"], chosen=["a"],
                             correct=rng.random() < 0.6, answered_at=moment))
    rows.append(Response(attempt=attempt, position=400, question=questions[0], option_order=["a"]))  # not answered: not counted
    Response.objects.bulk_create(rows)
    card, _ = Flashcard.objects.get_or_create(cid="c1", defaults=dict( front_html="f", back_html="b", task="1.1", lesson="basics/welcome"))
    state = CardState.objects.create(user=user, flashcard=card, fsrs=Card(due=moment).to_dict(), due=moment)
    Review.objects.bulk_create(Review(user=user, card=state, rating=3, reviewed_at=r.answered_at + timedelta(seconds=30)) for r in rows[:-1:7])


def _reference(user, extra_events) -> dict:
    """The figures as the dashboard used to compute them: every answer loaded, newest first."""
    history = list(Response.objects.filter(attempt__user=user, answered_at__isnull=False).order_by("-answered_at", "-id")
                   .values_list("answered_at", "question__task", "correct"))
    events = sorted([m for m, _, _ in history] + list(Review.objects.filter(user=user).values_list("reviewed_at", flat=True)) + extra_events)
    seconds, previous = 0.0, None
    for moment in events:
        gap = (moment - previous) if previous else None
        seconds += gap.total_seconds() if gap is not None and gap <= timedelta(minutes=5) else 60
        previous = moment
    totals = defaultdict(lambda: [0, 0])
    for _, task, correct in history:
        totals[task][0] += bool(correct)
        totals[task][1] += 1
    return {"seconds": seconds, "days": Counter(timezone.localdate(m) for m in events), "totals": {t: tuple(v) for t, v in totals.items()}}


def test_database_summaries_equal_the_python_figures(alice, bob, loaded_course):
    _history(alice, random.Random(1))
    _history(bob, random.Random(2))  # someone else's history changes nothing of alice's
    extra = [timezone.now() - timedelta(days=3), timezone.now() - timedelta(days=3, seconds=-100)]
    expected = _reference(alice, extra)
    assert answer_stats.study_seconds(alice, extra) == pytest.approx(expected["seconds"], abs=0.01)
    assert answer_stats.actions_per_day(alice, extra) == expected["days"]
    assert answer_stats.task_totals(alice) == expected["totals"]


def test_the_dashboard_shows_the_database_figures(alice, loaded_course):
    _history(alice, random.Random(3))
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    expected = _reference(alice, [])
    board = dashboard.gather(alice)
    welcome = Lesson.objects.get(slug="basics/welcome")
    assert board.minutes_studied == round(expected["seconds"] / 60) + welcome.minutes
    assert board.study_days == expected["days"] + Counter([timezone.localdate()])
    assert [(d["right"], d["answered"]) for d in board.domains] == [
        (sum(v[0] for t, v in expected["totals"].items() if t[0] == str(n)), sum(v[1] for t, v in expected["totals"].items() if t[0] == str(n)))
        for n in (1, 2, 3, 4)]
    assert board.flashcards["reviewed_total"] == Review.objects.filter(user=alice).count()


def test_unseen_questions_and_recent_answers(alice, loaded_course):
    _history(alice, random.Random(4))
    answered = set(Response.objects.filter(attempt__user=alice, answered_at__isnull=False).values_list("question_id", flat=True))
    assert answer_stats.unseen_questions(alice) == Question.objects.filter(retired=False).exclude(id__in=answered).count()
    since = timezone.now() - timedelta(days=2)
    assert answer_stats.answered_since(alice, since) == Response.objects.filter(attempt__user=alice, answered_at__gte=since).count()
