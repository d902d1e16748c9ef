"""Practice sets: choose questions by scope, unseen and previously missed first, no repeats."""

import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from studyapp.exam_guide import DOMAINS, DOMAINS_BY_NUMBER, TASKS, TASKS_BY_ID
from studyapp.models import Lesson
from studyapp.numbers import whole_number

from .models import Attempt, Question, Response

SIZES = (5, 10, 20, 40)
SCOPE_KINDS = ("all", "domain", "task", "service", "lesson", "missed", "unseen", "diagnostic")
DIAGNOSTIC_SIZE = 10


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
        if self.kind == "lesson":
            title = Lesson.objects.filter(slug=self.value).values_list("title", flat=True).first()
            return f"Lesson: {title or self.value}"
        return {"all": "All questions", "missed": "Questions I missed", "unseen": "Questions I have never seen",
                "diagnostic": "Diagnostic: 10 questions across the four domains"}.get(self.kind, f"{self.kind.title()}: {self.value}")

    @property
    def token(self) -> str:
        """The scope as one form value ("task:2.2"), so a single control holds both kind and value."""
        return f"{self.kind}:{self.value}" if self.value else self.kind


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


def scope_from_form(data) -> Scope:
    """Read the scope from one value "kind:value" (the practice form's select, the lesson and dashboard links).

    The older pair of fields (scope=task&task=2.2) is still understood.
    """
    raw = str(data.get("scope", "all"))
    kind, has_value, value = raw.partition(":")
    if not has_value and kind in {"domain", "task", "service", "lesson"}:
        value = data.get(kind, "")
    return parse_scope(kind, value)


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


def diagnostic_quotas(size: int = DIAGNOSTIC_SIZE) -> dict[int, int]:
    """Questions per domain in proportion to the exam weights (largest remainder): 3, 3, 2, 2 for ten."""
    exact = {d.number: size * d.weight / 100 for d in DOMAINS}
    quotas = {number: int(value) for number, value in exact.items()}
    for number in sorted(exact, key=lambda n: exact[n] - quotas[n], reverse=True)[: size - sum(quotas.values())]:
        quotas[number] += 1
    return quotas


def _diagnostic(history: dict[int, bool], rng: random.Random) -> list[Question]:
    live = list(Question.objects.filter(retired=False))
    chosen: list[Question] = []
    for domain, quota in diagnostic_quotas().items():
        chosen += choose([q for q in live if q.domain == domain], history, quota, rng)
    rng.shuffle(chosen)
    return chosen


@transaction.atomic
def start_practice(user, *, scope: Scope, size: int, certainty: bool, seed: int | None = None) -> Attempt:
    if size not in SIZES:
        raise ScopeInvalid("Choose a set size.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    history = answer_history(user)
    if scope.kind == "diagnostic":
        questions = _diagnostic(history, rng)
        if not questions:
            raise ScopeInvalid("No questions match that choice yet.")
        return create_attempt(user, questions, scope.describe(), certainty, seed, rng)
    questions = choose(list(_pool(scope, history)), history, size, rng, service=scope.value if scope.kind == "service" else "")
    if not questions:
        raise ScopeInvalid("No questions match that choice yet.")
    return create_attempt(user, questions, scope.describe(), certainty, seed, rng)


@transaction.atomic
def retry_missed(user, attempt: Attempt) -> Attempt:
    """A new set of exactly the questions the learner got wrong in a practice set, freshly shuffled."""
    questions = [r.question for r in attempt.responses.select_related("question").filter(correct=False, question__retired=False)]
    if not questions:
        raise ScopeInvalid("Nothing to retry: you missed no question in that set.")
    seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    rng.shuffle(questions)
    label = attempt.scope if attempt.scope.startswith("Retry missed") else f"Retry missed: {attempt.scope}"
    return create_attempt(user, questions, label[:200], attempt.certainty, seed, rng)


def create_attempt(user, questions: list[Question], label: str, certainty: bool, seed: int, rng: random.Random) -> Attempt:
    attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope=label, certainty=certainty, seed=seed, started_at=timezone.now())
    responses = []
    for position, question in enumerate(questions, start=1):
        order = [option["id"] for option in question.options]
        rng.shuffle(order)
        responses.append(Response(attempt=attempt, position=position, question=question, option_order=order))
    Response.objects.bulk_create(responses)
    return attempt


def scope_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The practice form's one scope control: (group label, [(value, text)]); an empty label is no group."""
    lessons = Lesson.objects.filter(retired=False).values_list("slug", "title")
    groups = [
        ("", [("all", "All questions"), ("unseen", "Questions I have never seen"), ("missed", "Questions I missed")]),
        ("Domain", [(f"domain:{d.number}", f"Domain {d.number}: {d.title}") for d in DOMAINS]),
        ("Task statement", [(f"task:{t.id}", f"Task {t.id}: {t.title}") for t in TASKS]),
        ("Service", [(f"service:{name}", name) for name in services_in_bank()]),
        ("Lesson", [(f"lesson:{slug}", title) for slug, title in lessons]),
    ]
    return [(label, choices) for label, choices in groups if choices]


def lesson_question_count(slug: str) -> int:
    return Question.objects.filter(retired=False, lesson__startswith=slug + "#").count()


def services_in_bank() -> list[str]:
    names = set()
    for services in Question.objects.filter(retired=False).values_list("services", flat=True):
        names.update(services)
    return sorted(names)
