"""Practice sets: choose questions by scope, unseen and previously missed first, no repeats."""

import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from studyapp.exam_guide import DOMAINS_BY_NUMBER, TASKS_BY_ID
from studyapp.numbers import whole_number

from .models import Attempt, Question, Response

SIZES = (5, 10, 20, 40)
SCOPE_KINDS = ("all", "domain", "task", "service", "lesson", "missed", "unseen")


class ScopeInvalid(Exception):
    pass


@dataclass(frozen=True)
class Scope:
    kind: str
    value: str = ""

    def describe(self) -> str:
        if self.kind == "domain":
            return f"Domain {self.value}: {DOMAINS_BY_NUMBER[int(self.value)].title}"
        if self.kind == "task":
            return f"Task {self.value}: {TASKS_BY_ID[self.value].title}"
        return {"all": "All questions", "missed": "Questions I missed", "unseen": "Questions I have never seen"}.get(self.kind, f"{self.kind.title()}: {self.value}")


def parse_scope(kind: str, value: str) -> Scope:
    value = (value or "").strip()
    if kind not in SCOPE_KINDS:
        raise ScopeInvalid("Unknown scope.")
    if kind == "domain" and whole_number(value) not in DOMAINS_BY_NUMBER:
        raise ScopeInvalid("Choose a domain from 1 to 4.")
    if kind == "task" and value not in TASKS_BY_ID:
        raise ScopeInvalid("Choose a task statement such as 2.2.")
    if kind in {"service", "lesson"} and not value:
        raise ScopeInvalid(f"Choose a {kind}.")
    return Scope(kind, value)


def answer_history(user) -> dict[int, bool]:
    """Each question the learner answered -> whether their latest answer was right."""
    latest: dict[int, bool] = {}
    rows = Response.objects.filter(attempt__user=user, answered_at__isnull=False).order_by("answered_at").values_list("question_id", "correct")
    for question_id, correct in rows:
        latest[question_id] = bool(correct)
    return latest


def _pool(scope: Scope, history: dict[int, bool]) -> QuerySet[Question]:
    live = Question.objects.filter(retired=False)
    if scope.kind == "domain":
        return live.filter(domain=int(scope.value))
    if scope.kind == "task":
        return live.filter(task=scope.value)
    if scope.kind == "lesson":
        return live.filter(lesson__startswith=scope.value + "#")
    if scope.kind == "missed":
        return live.filter(id__in=[qid for qid, right in history.items() if not right])
    if scope.kind == "unseen":
        return live.exclude(id__in=list(history))
    return live


def choose(questions: list[Question], history: dict[int, bool], size: int, rng: random.Random, service: str = "") -> list[Question]:
    if service:
        questions = [q for q in questions if service in q.services]
    groups: tuple[list[Question], ...] = ([], [], [])  # unseen, missed, the rest
    for question in sorted(questions, key=lambda q: q.qid):
        seen = question.id in history
        groups[0 if not seen else (1 if not history[question.id] else 2)].append(question)
    chosen: list[Question] = []
    for group in groups:
        rng.shuffle(group)
        chosen += group[: size - len(chosen)]
    rng.shuffle(chosen)
    return chosen


@transaction.atomic
def start_practice(user, *, scope: Scope, size: int, certainty: bool, seed: int | None = None) -> Attempt:
    if size not in SIZES:
        raise ScopeInvalid("Choose a set size.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    history = answer_history(user)
    questions = choose(list(_pool(scope, history)), history, size, rng, service=scope.value if scope.kind == "service" else "")
    if not questions:
        raise ScopeInvalid("No questions match that choice yet.")
    attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope=scope.describe(), certainty=certainty, seed=seed, started_at=timezone.now())
    responses = []
    for position, question in enumerate(questions, start=1):
        order = [option["id"] for option in question.options]
        rng.shuffle(order)
        responses.append(Response(attempt=attempt, position=position, question=question, option_order=order))
    Response.objects.bulk_create(responses)
    return attempt


def services_in_bank() -> list[str]:
    names = set()
    for services in Question.objects.filter(retired=False).values_list("services", flat=True):
        names.update(services)
    return sorted(names)
