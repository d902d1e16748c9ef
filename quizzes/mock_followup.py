"""What a learner can do from a mock exam's result: practise the weakest tasks, turn misses into review cards."""

import random

from django.db import transaction
from django.utils import timezone

from . import mock_report, practice, srs
from .models import Attempt, CardState, Question

WEAK_SET_SIZE = 10


class NothingToDo(Exception):
    """The mock has no weak task or no missed question to act on."""


@transaction.atomic
def start_weak_task_practice(attempt: Attempt, *, seed: int | None = None) -> Attempt:
    """A practice set over the mock's weakest task statements: unseen and missed questions first."""
    tasks = mock_report.weakest_tasks(attempt)
    if not tasks:
        raise NothingToDo("Every scored question of this mock was right: there is no weak task to practise.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    history = practice.answer_history(attempt.user)
    questions = practice.choose(list(Question.objects.filter(retired=False, task__in=tasks)), history, WEAK_SET_SIZE, rng)
    if not questions:
        raise NothingToDo("No live question covers those task statements any more.")
    label = f"Weakest tasks of a mock exam: {', '.join(tasks)}"
    return practice.create_attempt(attempt.user, questions, label, False, seed, rng)


def add_missed_to_review(attempt: Attempt, now=None) -> tuple[int, int]:
    """Every question answered wrongly or left blank becomes a review card, once. Returns (added, already there)."""
    missed = [r.question for r in attempt.responses.select_related("question") if r.correct is not True]
    if not missed:
        raise NothingToDo("You missed no question in this mock.")
    existing = set(CardState.objects.filter(user=attempt.user, question__in=missed).values_list("question_id", flat=True))
    new = [question for question in missed if question.id not in existing]
    srs.add_missed_questions(attempt.user, new, now or timezone.now())
    return len(new), len(existing)
