"""Smart practice: a set aimed at the learner's weakest task statements, weighted by what they are worth on the exam.

Each task statement gets a need: (1 - estimated accuracy) x its share of the exam (its domain's weight split
evenly over the domain's tasks). Accuracy starts from one right and one wrong, as the readiness estimate does,
so an untried task counts as half known. Questions are handed out one at a time to the task with the highest
need per question already given to it (D'Hondt), so a set spreads over several weak tasks. Within a task,
questions due for review come first, then unseen ones, then missed ones, then the rest.
"""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from studyapp.exam_guide import DOMAINS_BY_NUMBER, TASKS, TASKS_BY_ID

from .models import Attempt, CardState, Question
from .practice import SIZES, ScopeInvalid, answer_history, create_attempt

PRIOR_RIGHT, PRIOR_TOTAL = 1, 2


@dataclass
class TaskPick:
    task: str
    count: int
    right: int
    answered: int
    share: float  # of the exam, percent
    due: int = 0
    unseen: int = 0

    @property
    def reason(self) -> str:
        record = f"{self.right} of {self.answered} right so far" if self.answered else "not practised yet"
        mix = ", ".join(part for part in (f"{self.due} due for review" if self.due else "", f"{self.unseen} new" if self.unseen else "") if part)
        return f"Task {self.task} {TASKS_BY_ID[self.task].title}: {self.count} question{'s' if self.count != 1 else ''} ({record}; about {self.share:.0f}% of the exam{'; ' + mix if mix else ''})"


def _share(task: str) -> float:
    domain = TASKS_BY_ID[task].domain
    return DOMAINS_BY_NUMBER[domain].weight / sum(t.domain == domain for t in TASKS)


def choose(user, size: int, rng: random.Random) -> tuple[list[Question], list[TaskPick]]:
    history = answer_history(user)
    now = timezone.now()
    due = set(CardState.objects.filter(user=user, question__isnull=False, due__lte=now, suspended=False).values_list("question_id", flat=True))
    by_task: dict[str, list[Question]] = {}
    for question in Question.objects.filter(retired=False).order_by("qid"):
        by_task.setdefault(question.task, []).append(question)
    picks: dict[str, TaskPick] = {}
    for task, questions in by_task.items():
        answered = [history[q.id] for q in questions if q.id in history]
        picks[task] = TaskPick(task, 0, sum(answered), len(answered), _share(task))
    ordered = {task: _ordered(questions, history, due, rng) for task, questions in by_task.items()}
    need = {task: (1 - (p.right + PRIOR_RIGHT) / (p.answered + PRIOR_TOTAL)) * p.share for task, p in picks.items()}
    chosen: list[Question] = []
    while len(chosen) < size:
        open_tasks = [t for t in ordered if picks[t].count < len(ordered[t])]
        if not open_tasks:
            break
        task = max(open_tasks, key=lambda t: (need[t] / (picks[t].count + 1), t))
        question = ordered[task][picks[task].count]
        picks[task].count += 1
        picks[task].due += question.id in due
        picks[task].unseen += question.id not in history
        chosen.append(question)
    rng.shuffle(chosen)
    return chosen, sorted((p for p in picks.values() if p.count), key=lambda p: (-p.count, p.task))


def _ordered(questions: list[Question], history: dict[int, bool], due: set[int], rng: random.Random) -> list[Question]:
    groups: tuple[list[Question], ...] = ([], [], [], [])  # due for review, unseen, missed, the rest
    for question in questions:
        if question.id in due:
            groups[0].append(question)
        elif question.id not in history:
            groups[1].append(question)
        else:
            groups[2 if not history[question.id] else 3].append(question)
    for group in groups:
        rng.shuffle(group)
    return [q for group in groups for q in group]


@transaction.atomic
def start_smart(user, *, size: int, certainty: bool, seed: int | None = None) -> tuple[Attempt, list[TaskPick]]:
    if size not in SIZES:
        raise ScopeInvalid("Choose a set size.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    questions, picks = choose(user, size, rng)
    if not questions:
        raise ScopeInvalid("No questions match that choice yet.")
    label = "Smart practice: " + ", ".join(p.task for p in picks)
    return create_attempt(user, questions, label[:200], certainty, seed, rng), picks
