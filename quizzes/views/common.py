"""Helpers shared by the quiz views: fetch-or-404 scoped to the learner, question display."""

import functools

from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404

from studyapp import rows

from .. import option_tokens
from ..models import Attempt, Question, Response


def get_attempt(user, attempt_id: int, kind: str) -> Attempt:
    attempt = get_object_or_404(Attempt, id=attempt_id, user=user, kind=kind)
    attempt.user = user  # known, so recording an answer does not read it again
    return attempt


def get_attempt_and_response(user, attempt_id: int, kind: str, position: int) -> tuple[Attempt, Response]:
    """The learner's attempt and its question at `position` (with the question), in one query: what every question
    page and answer needs. The attempt also carries `total`, its number of questions."""
    with connection.cursor() as cursor:
        cursor.execute(_attempt_and_response_sql(), [attempt_id, user.id, kind, position])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such question in your attempts.")
    response, attempt, question, (total,) = rows.split(row, Response, Attempt, Question)
    response.attempt, response.question, attempt.total = attempt, question, total
    attempt.user = user  # known, so recording an answer does not read it again
    return attempt, response


@functools.cache
def _attempt_and_response_sql() -> str:
    """Written once rather than built by the ORM on every request (studyapp.rows says why)."""
    responses, attempts, questions = (rows.table(model) for model in (Response, Attempt, Question))
    return (f"SELECT {rows.columns(Response, 'r')}, {rows.columns(Attempt, 'a')}, {rows.columns(Question, 'q')}, "
            f"(SELECT COUNT(*) FROM {responses} n WHERE n.attempt_id = r.attempt_id) "
            f"FROM {responses} r JOIN {attempts} a ON a.id = r.attempt_id JOIN {questions} q ON q.id = r.question_id "
            "WHERE r.attempt_id = %s AND a.user_id = %s AND a.kind = %s AND r.position = %s")


def get_response(attempt: Attempt, position: int) -> Response:
    response = attempt.responses.select_related("question").filter(position=position).first()
    if response is None:
        raise Http404("No such question in this attempt.")
    return response


def ordered_options(question: Question, order: list[str] | None = None, response=None) -> list[dict]:
    """The question's options in an attempt's shuffled order (or the bank's), labelled A, B, C...; with a response,
    each carries the token its answer form sends (option_tokens)."""
    by_id = {option["id"]: option for option in question.options}
    order = order or list(by_id)
    return [{"label": chr(65 + i), "correct": option_id in question.answer, "token": option_tokens.token(response.id, option_id) if response else "",
             **by_id[option_id]} for i, option_id in enumerate(order) if option_id in by_id]
