"""What the mock exam result page shows: the summary first, then the questions, filterable."""

from dataclasses import dataclass
from datetime import timedelta

from studyapp.exam_guide import DOMAINS, DOMAINS_BY_NUMBER, TASKS_BY_ID

from . import exam
from .models import Attempt

SHOW = ("all", "incorrect", "unanswered", "flagged")


@dataclass(frozen=True)
class Filters:
    show: str = "all"
    domain: int | None = None
    task: str = ""

    @classmethod
    def parse(cls, query) -> "Filters":
        """Anything unknown in the query string falls back to "no filter" rather than an error."""
        show = query.get("show", "all")
        domain = query.get("domain", "")
        task = query.get("task", "")
        return cls(
            show=show if show in SHOW else "all",
            domain=int(domain) if domain.isdigit() and int(domain) in DOMAINS_BY_NUMBER else None,
            task=task if task in TASKS_BY_ID else "",
        )

    def keeps(self, response) -> bool:
        question = response.question
        if self.domain and question.domain != self.domain:
            return False
        if self.task and question.task != self.task:
            return False
        if self.show == "incorrect":
            return response.correct is False
        if self.show == "unanswered":
            return response.chosen is None
        if self.show == "flagged":
            return response.flagged
        return True


def duration(seconds: float) -> str:
    """1 h 5 min, 42 min, 1 min 34 s, 50 s."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes >= 10 or (minutes and not secs):
        return f"{minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _percent(right: int, total: int) -> int | None:
    return round(100 * right / total) if total else None


def summary(attempt: Attempt) -> dict:
    """Score, time used, and the scored results per domain and per task statement."""
    parts = exam.breakdown(attempt)
    questions = attempt.responses.count()
    used = (attempt.submitted_at - attempt.started_at) if attempt.submitted_at else timedelta(0)
    allowed = (attempt.deadline - attempt.started_at) if attempt.deadline else None
    domains = [
        {"label": f"{d.number}. {d.title}", "right": parts["domains"][d.number][0], "answered": parts["domains"][d.number][1],
         "percent": _percent(*parts["domains"][d.number]), "weight": d.weight}
        for d in DOMAINS
    ]
    tasks = [
        {"label": f"{task_id} {TASKS_BY_ID[task_id].title}", "task": task_id, "right": right, "answered": total, "percent": _percent(right, total), "weight": None}
        for task_id, (right, total) in parts["tasks"].items()
    ]
    return {
        "domains": domains, "tasks": tasks, "questions": questions,
        "time_used": duration(used.total_seconds()), "time_allowed": duration(allowed.total_seconds()) if allowed else "",
        "per_question": duration(used.total_seconds() / questions) if questions else "",
        "answered": attempt.responses.filter(chosen__isnull=False).count(),
    }


def weakest_tasks(attempt: Attempt, count: int = 3) -> list[str]:
    """The task statements with the lowest share right on this mock's scored questions (ties: more questions first)."""
    tasks = exam.breakdown(attempt)["tasks"]
    ranked = sorted(tasks.items(), key=lambda item: (item[1][0] / item[1][1], -item[1][1], item[0]))
    return [task_id for task_id, (right, total) in ranked if right < total][:count]
