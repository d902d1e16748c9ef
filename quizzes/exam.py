"""Mock exams: assemble them at the exam's domain weights, enforce the deadline, score them.

AWS does not publish how raw results become the 100-1000 scaled score. Ours is a
stated assumption, shown on the result page: a raw 70% of the scored questions maps
to the 720 pass mark, and the score is linear on either side of it.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from studyapp.exam_guide import DOMAINS, PASSING_SCORE

from .models import Attempt, Question, Response

PASS_RAW_FRACTION = 0.70
MIN_SCALED, MAX_SCALED = 100, 1000


class BankTooSmall(Exception):
    """The bank has too few live questions in some domain to assemble an exam."""


@dataclass(frozen=True)
class Slot:
    question: Question
    scored: bool


def domain_quotas(scored_total: int) -> dict[int, int]:
    """Scored questions per domain at the exam's weights (largest remainder, so they add up)."""
    exact = {d.number: scored_total * d.weight / 100 for d in DOMAINS}
    quotas = {number: int(value) for number, value in exact.items()}
    leftovers = sorted(exact, key=lambda number: (exact[number] - quotas[number], -number), reverse=True)
    for number in leftovers[: scored_total - sum(quotas.values())]:
        quotas[number] += 1
    return quotas


def assemble(questions: list[Question], *, total: int, scored: int, seed: int) -> list[Slot]:
    """Pick `scored` questions at the domain weights plus `total - scored` unscored ones, shuffled together."""
    rng = random.Random(seed)
    by_domain: dict[int, list[Question]] = {d.number: [] for d in DOMAINS}
    for question in sorted(questions, key=lambda q: q.qid):
        by_domain[question.domain].append(question)
    slots, rest = [], []
    for number, quota in domain_quotas(scored).items():
        pool = by_domain[number]
        if len(pool) < quota:
            raise BankTooSmall(f"domain {number} has {len(pool)} questions; a mock exam needs {quota}")
        rng.shuffle(pool)
        slots += [Slot(q, True) for q in pool[:quota]]
        rest += pool[quota:]
    unscored = total - scored
    if len(rest) < unscored:
        raise BankTooSmall(f"the bank has {len(rest)} questions left for the {unscored} unscored ones")
    rng.shuffle(rest)
    slots += [Slot(q, False) for q in rest[:unscored]]
    rng.shuffle(slots)
    return slots


def scaled_score(correct: int, total: int) -> int:
    """Our mapping of a raw result to 100-1000 (see the module docstring)."""
    if total <= 0:
        return MIN_SCALED
    fraction = correct / total
    if fraction <= PASS_RAW_FRACTION:
        value = MIN_SCALED + fraction / PASS_RAW_FRACTION * (PASSING_SCORE - MIN_SCALED)
    else:
        value = PASSING_SCORE + (fraction - PASS_RAW_FRACTION) / (1 - PASS_RAW_FRACTION) * (MAX_SCALED - PASSING_SCORE)
    return round(value)


def passed(attempt: Attempt) -> bool:
    return attempt.scaled_score is not None and attempt.scaled_score >= PASSING_SCORE


@transaction.atomic
def start_mock(user, *, seed: int | None = None) -> Attempt:
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    questions = list(Question.objects.filter(retired=False))
    slots = assemble(questions, total=settings.MOCK_EXAM_QUESTIONS, scored=settings.MOCK_EXAM_SCORED, seed=seed)
    now = timezone.now()
    attempt = Attempt.objects.create(
        user=user, kind=Attempt.MOCK, scope="Mock exam", seed=seed, started_at=now, deadline=now + timedelta(minutes=settings.MOCK_EXAM_MINUTES)
    )
    rng = random.Random(seed)
    Response.objects.bulk_create(
        Response(attempt=attempt, position=i, question=slot.question, scored=slot.scored, option_order=_shuffled_ids(slot.question, rng))
        for i, slot in enumerate(slots, start=1)
    )
    return attempt


def _shuffled_ids(question: Question, rng: random.Random) -> list[str]:
    ids = [option["id"] for option in question.options]
    rng.shuffle(ids)
    return ids


def is_expired(attempt: Attempt, now=None) -> bool:
    return attempt.deadline is not None and (now or timezone.now()) >= attempt.deadline


def submit(attempt: Attempt, now=None) -> bool:
    """Score and close an open attempt; False if it was already closed (by another request or the reaper)."""
    from studyapp import board_cache

    from . import srs

    now = now or timezone.now()
    closed_at = min(now, attempt.deadline) if attempt.deadline else now
    with transaction.atomic():
        # Claim it with a conditional update, so two submitters never both score it.
        if not Attempt.objects.filter(id=attempt.id, submitted_at__isnull=True).update(submitted_at=closed_at):
            return False
        responses = list(attempt.responses.select_related("question"))
        scored = [r for r in responses if r.scored]
        correct = sum(bool(r.correct) for r in scored)
        values = {"scored_correct": correct, "scored_total": len(scored)}
        if attempt.kind == Attempt.MOCK:
            values["scaled_score"] = scaled_score(correct, len(scored))
        Attempt.objects.filter(id=attempt.id).update(**values)
        srs.add_missed_questions(attempt.user, [r.question for r in responses if r.correct is False], now)
    board_cache.forget([attempt.user_id])  # the deadline reaper closes mocks outside any request of the learner's
    attempt.refresh_from_db()
    return True


def submit_expired(now=None) -> int:
    """Close every mock exam whose deadline passed while nobody was looking (the beat task calls this)."""
    now = now or timezone.now()
    expired = Attempt.objects.filter(kind=Attempt.MOCK, submitted_at__isnull=True, deadline__lte=now)
    return sum(submit(attempt, now) for attempt in expired)


def breakdown(attempt: Attempt) -> dict:
    """Scored results per domain and per task statement."""
    domains: dict[int, list[int]] = {d.number: [0, 0] for d in DOMAINS}
    tasks: dict[str, list[int]] = {}
    for response in attempt.responses.filter(scored=True).select_related("question"):
        question = response.question
        for bucket in (domains[question.domain], tasks.setdefault(question.task, [0, 0])):
            bucket[0] += bool(response.correct)
            bucket[1] += 1
    return {"domains": domains, "tasks": dict(sorted(tasks.items()))}
