"""Smart practice: weakest tasks first, weighted by exam share, due and unseen questions mixed in, with reasons."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import smart, srs
from quizzes.models import Attempt, Question
from quizzes.practice import Scope, start_practice
from quizzes.tests.conftest import make_questions

pytestmark = pytest.mark.django_db


def answer_all(alice, qids: list[str], right: bool) -> None:
    attempt = start_practice(alice, scope=Scope("all"), size=40, certainty=False, seed=1)
    for response in attempt.responses.select_related("question"):
        if response.question.qid in qids:
            response.chosen, response.correct, response.answered_at = (["a"] if right else ["b"]), right, timezone.now()
            response.save()
    attempt.responses.filter(answered_at__isnull=True).delete()


def test_a_weak_task_gets_more_questions_than_a_strong_one(alice):
    make_questions({1: 10, 2: 10})  # tasks 1.1 and 2.1
    answer_all(alice, [f"q-1-{i}" for i in range(5)], right=True)
    answer_all(alice, [f"q-2-{i}" for i in range(5)], right=False)
    questions, picks = smart.choose(alice, 10, random.Random(1))
    by_task = {p.task: p.count for p in picks}
    assert len(questions) == 10 and by_task["2.1"] > by_task.get("1.1", 0)
    reason = next(p.reason for p in picks if p.task == "2.1")
    assert reason.startswith("Task 2.1 Choose a data store:") and "0 of 5 right so far" in reason


def test_exam_weight_breaks_a_tie_between_untried_tasks(alice):
    make_questions({1: 10, 4: 10})  # domain 1 weighs 34% over 4 tasks, domain 4 18% over 5
    _, picks = smart.choose(alice, 5, random.Random(1))
    by_task = {p.task: p.count for p in picks}
    assert by_task["1.1"] > by_task.get("4.1", 0)


def test_due_reviews_then_unseen_come_first_within_a_task(alice):
    questions = make_questions({1: 6})
    answer_all(alice, [q.qid for q in questions[:4]], right=True)
    srs.add_missed_questions(alice, [questions[0]], timezone.now() - timedelta(minutes=1))
    chosen, picks = smart.choose(alice, 3, random.Random(2))
    assert {q.id for q in chosen} == {questions[0].id, questions[4].id, questions[5].id}
    assert "1 due for review, 2 new" in picks[0].reason


def test_starting_smart_practice_shows_why(alice_client, alice):
    make_questions({1: 3, 3: 3})
    response = alice_client.post("/practice/smart", {"size": "10"})
    attempt = Attempt.objects.get()
    assert response["Location"] == f"/practice/{attempt.id}/1/" and attempt.scope.startswith("Smart practice: ")
    html = alice_client.get(response["Location"]).content.decode()
    assert "Why these questions" in html and "not practised yet" in html and attempt.responses.count() == 6
    assert Question.objects.count() == 6
