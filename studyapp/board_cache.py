"""A learner's dashboard figures (and the progress page's charts of them), kept for a minute in the shared cache
and dropped by whatever changes them.

The board (dashboard.gather) reads some twenty figures from the learner's history, and both the
progress page and the signed-in home page show it; learners come back to them between study actions.
An entry belongs to one learner, one day and one content version, lives at most BOARD_SECONDS (what
moves with the clock alone catches up within that: cards falling due, the decay of old answers, a
running lab's cost so far), and is dropped
- after every change request (POST, PUT, PATCH, DELETE) the learner makes, whatever it changed
  (ForgetBoardMiddleware): answering, rating a card, completing a lesson, a lab launch, an import;
- when a mock exam is closed (quizzes.exam.submit, which the deadline reaper calls too);
- when a lab worker writes one of the learner's runs or check results (labs/progress.py).
"""

from django.core.cache import caches
from django.utils import timezone

from . import charts, dashboard, outline, redis_cache

BOARD_SECONDS = 60


def _key(user_id: int) -> str:
    return f"board:{user_id}"


def board(user) -> dashboard.Dashboard:
    return board_with_charts(user)[0]


def board_with_charts(user) -> tuple[dashboard.Dashboard, dict]:
    """The board and the progress page's charts of it, drawn when the board is made (a reload draws nothing)."""
    cache = caches["shared"]
    today = timezone.localdate()
    stamp = (today, outline.version())
    kept = cache.get(_key(user.pk))
    if kept is not None and kept[0] == stamp:
        return kept[1], kept[2]
    fresh = dashboard.gather(user)
    drawn = charts.for_dashboard(fresh, today)
    cache.set(_key(user.pk), (stamp, fresh, drawn), BOARD_SECONDS)
    return fresh, drawn


def forget(user_ids) -> None:
    redis_cache.drop([_key(user_id) for user_id in user_ids])


class ForgetBoardMiddleware:
    """After a signed-in learner's change request, their board is read afresh (after the view: its writes are in)."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user_id = request.user.pk if request.method not in self.SAFE and request.user.is_authenticated else None
        response = self.get_response(request)
        if user_id is not None:
            forget([user_id])
        return response
