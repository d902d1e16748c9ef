"""The dashboard's figures, summarised by the database, equal the same figures computed over the whole history in Python."""

import random
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone
from fsrs import Card

from quizzes.models import Attempt, CardState, Flashcard, Question, Response, Review
from quizzes.tests.conftest import make_questions
from studyapp import answer_stats, dashboard, progress, readiness
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


def _mock(user, questions, started, rng: random.Random, score: int) -> None:
    attempt = Attempt.objects.create(user=user, kind=Attempt.MOCK, scope="mock", seed=2, started_at=started,
                                     submitted_at=started + timedelta(minutes=90), scaled_score=score)
    Response.objects.bulk_create(
        Response(attempt=attempt, position=i + 1, question=question, option_order=["a"], chosen=["a"] if i % 5 else None,
                 correct=rng.random() < 0.5 if i % 5 else False, answered_at=started + timedelta(minutes=i + 1) if i % 5 else None)
        for i, question in enumerate(questions[:20]))


@pytest.mark.parametrize("mocks", [0, 2])
def test_the_readiness_tally_of_the_database_equals_the_model_over_every_answer(alice, bob, loaded_course, mocks):
    rng = random.Random(5)
    _history(alice, rng)
    _history(bob, random.Random(6))
    questions = list(Question.objects.all())
    now = timezone.now()
    for days_ago, score in [(6, 650), (2, 700)][:mocks]:  # answers before, between and after the mocks
        _mock(alice, questions, now - timedelta(days=days_ago), rng, score)
    results = [readiness.MockResult(a.submitted_at, a.scaled_score, a.responses.exclude(chosen=None).count(), a.responses.count(), a.started_at)
               for a in Attempt.objects.filter(user=alice, kind=Attempt.MOCK)]
    answers = [readiness.Answer(task, bool(correct), moment, kind == Attempt.MOCK) for moment, task, correct, kind in
               Response.objects.filter(attempt__user=alice, answered_at__isnull=False).values_list("answered_at", "question__task", "correct", "attempt__kind")]
    expected, got = readiness.tally(answers, results, now), answer_stats.readiness_tally(alice, results, now)
    assert (got.answered, got.since_mock, got.right_since_mock, got.tasks) == (expected.answered, expected.since_mock, expected.right_since_mock, expected.tasks)
    assert got.domains.keys() == expected.domains.keys()
    for key, values in expected.domains.items():
        assert got.domains[key][2:] == values[2:] and got.domains[key][:2] == pytest.approx(values[:2], rel=1e-9)
    latest = readiness.recent_answers(answer_stats.recent_history(alice, readiness.RECENT_PER_TASK))
    assert got.recent == {task: [sum(values), len(values)] for task, values in latest.items()}
    assert any(n == readiness.RECENT_PER_TASK < got.tasks[task][1] for task, (_, n) in got.recent.items())  # the cut is exercised
    if mocks:
        assert expected.since_mock > 0  # answers after the latest mock are covered
    assert answer_stats.answered_between(alice, now - timedelta(days=3), now - timedelta(days=1)) == sum(
        1 for a in answers if now - timedelta(days=3) <= a.when < now - timedelta(days=1))
    estimate = readiness.estimate(answers, results, now)
    board = dashboard.gather(alice, now)
    assert (board.readiness.score, board.readiness.low, board.readiness.high, board.readiness.answered, board.readiness.needed) == (
        estimate.score, estimate.low, estimate.high, estimate.answered, estimate.needed)
    assert [(d.right, d.answered) for d in board.readiness.domains] == [(d.right, d.answered) for d in estimate.domains]
    assert [d.mean for d in board.readiness.domains] == pytest.approx([d.mean for d in estimate.domains], rel=1e-9)
    assert readiness.mock_note(board.readiness) == readiness.mock_note(estimate)
