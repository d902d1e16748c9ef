"""The daily flashcard review."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import srs
from ..views.common import ordered_options


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {"counts": srs.counts(request.user), "prefs": srs.preferences(request.user), "retention": srs.estimated_retention(request.user)}
    return render(request, "quizzes/flashcards_home.html", context)


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    item = srs.next_item(request.user)
    if item is None:
        return render(request, "quizzes/flashcards_done.html", {"counts": srs.counts(request.user)})
    intervals = srs.preview_intervals(request.user, item)
    buttons = [{"value": v, "label": srs.RATING_LABELS[v], "interval": _human(intervals[v])} for v in (1, 2, 3, 4)]
    options = ordered_options(item.question) if item.question else None
    context = {"item": item, "buttons": buttons, "options": options, "counts": srs.counts(request.user)}
    return render(request, "quizzes/flashcards_review.html", context)


@login_required
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    item = srs.find_item(request.user, request.POST.get("card", ""))
    rating = request.POST.get("rating", "")
    if item is None or rating not in {"1", "2", "3", "4"}:
        return HttpResponseBadRequest("Unknown card or rating.")
    srs.rate(request.user, item, int(rating))
    return redirect("flashcards_review")


@login_required
@require_POST
def settings_update(request: HttpRequest) -> HttpResponse:
    prefs = srs.preferences(request.user)
    try:
        retention = float(request.POST.get("desired_retention", ""))
        per_day = int(request.POST.get("new_cards_per_day", ""))
    except ValueError:
        return HttpResponseBadRequest("Retention must be a number and new cards a whole number.")
    if not 0.7 <= retention <= 0.97 or not 0 <= per_day <= 200:
        return HttpResponseBadRequest("Retention must be between 0.70 and 0.97 and new cards per day between 0 and 200.")
    prefs.desired_retention, prefs.new_cards_per_day = retention, per_day
    prefs.save()
    return redirect("flashcards_home")


def _human(delta) -> str:
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(round(seconds / 60), 1)} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    return f"{round(days)} d" if days < 60 else f"{days / 30:.0f} mo"
