"""A learner's moves during a mock exam: saving a selection as it changes, flags, where to resume, the review list.

Unlike practice, a mock exam takes any selection at any time until the deadline: a partial
multiple-response selection is kept (and scored wrong, as on the exam), and an empty one
clears the answer. Nothing is ever lost by navigating, flagging or reloading.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.utils import timezone

from .answers import AnswerRejected
from .models import Attempt, Response

REVIEW_FILTERS = ("all", "unanswered", "flagged")
FIRST_LINE_CHARS = 110


def parse_selection(response: Response, option_ids: list[str]) -> list[str]:
    """The options ticked so far, validated against the question; tampered input is rejected."""
    question = response.question
    valid = {option["id"] for option in question.options}
    chosen = sorted(set(option_ids))
    if not set(chosen) <= valid or len(chosen) != len(option_ids):
        raise AnswerRejected("That answer does not belong to this question.")
    limit = 1 if question.type == "single" else len(question.answer)
    if len(chosen) > limit:
        raise AnswerRejected("Choose exactly one option." if limit == 1 else f"Choose at most {limit} options.")
    return chosen


def _check_open(attempt: Attempt, now) -> None:
    if not attempt.is_open:
        raise AnswerRejected("This attempt is already submitted.", status=409)
    if attempt.deadline and now >= attempt.deadline:
        raise AnswerRejected("Time is up: answers after the deadline are not accepted.", status=403)


def save_selection(attempt: Attempt, response: Response, chosen: list[str], now=None) -> Response:
    """Store the current selection (empty clears it); all-or-nothing scoring as on the exam."""
    now = now or timezone.now()
    _check_open(attempt, now)
    if (response.chosen or []) == chosen:
        return response
    response.chosen = chosen or None
    response.correct = (chosen == sorted(response.question.answer)) if chosen else None
    response.answered_at = now if chosen else None
    response.save(update_fields=["chosen", "correct", "answered_at"])
    return response


def set_flag(attempt: Attempt, response: Response, flagged: bool, now=None) -> Response:
    _check_open(attempt, now or timezone.now())
    if response.flagged != flagged:
        response.flagged = flagged
        response.save(update_fields=["flagged"])
    return response


def resume_position(attempt: Attempt) -> int:
    """The first unanswered question, or the first question when all are answered."""
    first_open = attempt.responses.filter(chosen__isnull=True).order_by("position").values_list("position", flat=True).first()
    return first_open or 1


@dataclass
class Counts:
    total: int
    answered: int
    flagged: int

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def counts(attempt: Attempt) -> Counts:
    rows = list(attempt.responses.values_list("chosen", "flagged"))
    return Counts(total=len(rows), answered=sum(chosen is not None for chosen, _ in rows), flagged=sum(flagged for _, flagged in rows))


def first_line(html: str, limit: int = FIRST_LINE_CHARS) -> str:
    """The stem's first line as plain text, shortened on a word boundary."""
    block = re.split(r"</p>|<br\s*/?>|\n", html, maxsplit=1)[0]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", block)).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def review_rows(attempt: Attempt, show: str = "all") -> list[dict]:
    """Every question of the exam with its first line, whether answered and whether flagged, filtered."""
    rows = []
    for response in attempt.responses.select_related("question").order_by("position"):
        answered = response.chosen is not None
        if (show == "unanswered" and answered) or (show == "flagged" and not response.flagged):
            continue
        rows.append({"position": response.position, "first_line": first_line(response.question.stem_html), "answered": answered, "flagged": response.flagged})
    return rows
