"""Helpers shared by the quiz views: fetch-or-404 scoped to the learner, question display."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import option_tokens
from ..models import Attempt, Question, Response


def get_attempt(user, attempt_id: int, kind: str) -> Attempt:
    attempt = get_object_or_404(Attempt, id=attempt_id, user=user, kind=kind)
    attempt.user = user  # known, so recording an answer does not read it again
    return attempt


def get_attempt_and_response(user, attempt_id: int, kind: str, position: int, with_total: bool = False) -> tuple[Attempt, Response]:
    """The learner's attempt and its question at `position` (with the question), in one query: what every question
    page and answer needs. with_total: the attempt also carries `total`, its number of questions, read in the same query."""
    responses = Response.objects.select_related("attempt", "question").filter(attempt_id=attempt_id, attempt__user=user, attempt__kind=kind, position=position)
    if with_total:
        count = Response.objects.filter(attempt=OuterRef("attempt_id")).order_by().values("attempt").annotate(n=Count("id")).values("n")
        responses = responses.annotate(total=Coalesce(Subquery(count), 0))
    response = responses.first()
    if response is None:
        raise Http404("No such question in your attempts.")
    if with_total:
        response.attempt.total = response.total
    response.attempt.user = user  # known, so recording an answer does not read it again
    return response.attempt, response


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
