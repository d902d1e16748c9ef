"""Recording a learner's answer to one question of an attempt."""

from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from studyapp import rows

from . import srs
from .models import Attempt, Response

# Moodle's certainty-based marking: marks for (right, wrong) at certainty 1 (low), 2 (mid), 3 (high).
CBM_MARKS = {1: (1, 0), 2: (2, -2), 3: (3, -6)}


class AnswerRejected(Exception):
    """The answer cannot be taken (closed attempt, past the deadline, malformed choice)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Choice:
    options: list[str]
    certainty: int | None = None


def parse_choice(response: Response, option_ids: list[str], certainty: str | None, needs_certainty: bool) -> Choice:
    """Validate what the form sent against the question; anything tampered with is rejected."""
    question = response.question
    valid = {option["id"] for option in question.options}
    chosen = sorted(set(option_ids))
    if not chosen:
        raise AnswerRejected("Choose an answer first.")
    if not set(chosen) <= valid or len(chosen) != len(option_ids):
        raise AnswerRejected("That answer does not belong to this question.")
    expected = len(question.answer)
    if question.type == "single" and len(chosen) != 1:
        raise AnswerRejected("Choose exactly one option.")
    if question.type == "multi" and len(chosen) != expected:
        raise AnswerRejected(f"Choose exactly {expected} options.")
    level = None
    if needs_certainty:
        if certainty not in {"1", "2", "3"}:
            raise AnswerRejected("Say how sure you are (low, medium or high).")
        level = int(certainty)
    return Choice(options=chosen, certainty=level)


def record(attempt: Attempt, response: Response, choice: Choice, now=None) -> Response:
    """Store the answer; all-or-nothing scoring as on the exam. Missed practice questions join the review queue."""
    now = now or timezone.now()
    if not attempt.is_open:
        raise AnswerRejected("This attempt is already submitted.", status=409)
    if attempt.deadline and now >= attempt.deadline:
        raise AnswerRejected("Time is up: answers after the deadline are not accepted.", status=403)
    if attempt.kind == Attempt.PRACTICE and response.chosen is not None:
        raise AnswerRejected("You already answered this question.", status=409)
    response.chosen = choice.options
    response.correct = choice.options == sorted(response.question.answer)
    response.certainty = choice.certainty
    response.answered_at = now
    fields = {"chosen": response.chosen, "correct": response.correct, "certainty": response.certainty, "answered_at": now}
    if attempt.kind != Attempt.PRACTICE:
        response.save(update_fields=list(fields))
        return response
    # A missed answer and its review card are stored together or not at all: the learner can answer again.
    with transaction.atomic() if not response.correct else nullcontext():
        if not _store_if_unanswered(response.id, fields):
            raise AnswerRejected("You already answered this question.", status=409)
        if not response.correct:
            srs.add_missed_questions(attempt.user, [response.question], now)
    return response


def _store_if_unanswered(response_id: int, fields: dict) -> bool:
    """Write the answer unless the response has one: of several answers sent at once (two tabs, a double click)
    exactly one counts. Written by hand, as srs.add_missed_questions is: it runs on every practice answer, and the
    ORM spent more CPU building this UPDATE than the database spends running it."""
    assignments = ", ".join(f"{connection.ops.quote_name(Response._meta.get_field(name).column)} = %s" for name in fields)
    values = [rows.db_value(Response, name, value) for name, value in fields.items()]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {rows.table(Response)} SET {assignments} WHERE id = %s AND chosen IS NULL", [*values, response_id])
        return cursor.rowcount == 1


def cbm_mark(response: Response) -> int | None:
    if response.certainty is None or response.correct is None:
        return None
    right, wrong = CBM_MARKS[response.certainty]
    return right if response.correct else wrong
