"""Flashcards: decks, the review (front, then reveal, then rating), undo, suspend and bury, settings, statistics, export."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from .. import charts, decks, export, optimizer, review_marks, srs, stats
from ..views.common import ordered_options

FITTED = "flashcards_fitted"  # session key: the last optimizer run's result, shown once on the flashcards page
MAX_AHEAD_DAYS, MAX_EXTRA_NEW = 30, 100


class _BadSession(Exception):
    pass


def _session(data) -> srs.Session:
    """The deck and custom-study options from a query string or a form."""
    try:
        deck = decks.parse_deck(data.get("deck", "all"))
    except decks.DeckInvalid as error:
        raise _BadSession(str(error)) from error
    ahead, extra = data.get("ahead", "0") or "0", data.get("new", "0") or "0"
    if not (ahead.isdigit() and int(ahead) <= MAX_AHEAD_DAYS and extra.isdigit() and int(extra) <= MAX_EXTRA_NEW):
        raise _BadSession(f"Review ahead at most {MAX_AHEAD_DAYS} days and add at most {MAX_EXTRA_NEW} new cards.")
    return srs.Session(deck=deck, ahead_days=int(ahead), extra_new=int(extra))


def _query(session: srs.Session, **extra) -> str:
    params = {"deck": session.deck.token if session.deck.kind != "all" else "", "ahead": session.ahead_days or "", "new": session.extra_new or "", **extra}
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _review_url(session: srs.Session, **extra) -> str:
    query = _query(session, **extra)
    return "/flashcards/review" + (f"?{query}" if query else "")


def _bad(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "quizzes/message.html", {"title": "Cannot do that", "message": str(error), "back": "flashcards_home"}, status=400)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    prefs = srs.preferences(user)
    deck_rows = [{"deck": deck, "counts": srs.counts(user, now, srs.Session(deck=deck), prefs)} for deck in decks.main_decks()]
    retention = stats.true_retention(user, now)
    context = {
        "counts": deck_rows[0]["counts"], "deck_rows": deck_rows, "deck_groups": decks.deck_choices(), "prefs": prefs,
        "retention": retention, "retention_days": stats.WINDOW_DAYS, "forecast": charts.due_forecast(stats.due_forecast(user, now), timezone.localdate(now)),
        "load": stats.daily_load(user, now), "max_ahead": MAX_AHEAD_DAYS, "max_new": MAX_EXTRA_NEW,
        "fitted": request.session.pop(FITTED, None), "min_training": optimizer.MIN_TRAINING_ITEMS,
    }
    return render(request, "quizzes/flashcards_home.html", context)


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    try:
        session = _session(request.GET)
    except _BadSession as error:
        return _bad(request, error)
    user = request.user
    shown = request.GET.get("show") or request.GET.get("card") or ""
    item = srs.find_item(user, shown) or srs.next_item(user, session=session)
    prefs = srs.preferences(user)  # read once for the counts and the rating buttons
    counts = srs.counts(user, session=session, prefs=prefs)
    rated = review_marks.read_note(request)
    undo = srs.undoable_review(user)
    if item is None:
        context = {"counts": counts, "rated": rated, "undo": undo, "session": session, "query": _query(session)}
        return review_marks.clear_note(request, render(request, "quizzes/flashcards_done.html", context))
    revealed = request.GET.get("show") == item.ref
    buttons = []
    if revealed:
        intervals = srs.preview_intervals(user, item, prefs=prefs)
        buttons = [{"value": v, "label": srs.RATING_LABELS[v], "interval": srs.human_interval(intervals[v])} for v in (1, 2, 3, 4)]
    context = {
        "item": item, "revealed": revealed, "buttons": buttons, "options": ordered_options(item.question) if item.question else None,
        "counts": counts, "session": session, "query": _query(session), "show_url": _review_url(session, show=item.ref),
        "rated": rated, "undo": undo, "shown_mark": review_marks.shown_mark(user, item) if revealed else "",
    }
    return review_marks.clear_note(request, render(request, "quizzes/flashcards_review.html", context))


@login_required
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    ref, rating = request.POST.get("card", ""), request.POST.get("rating", "")
    item = srs.find_item(request.user, ref)
    if item is None or rating not in {"1", "2", "3", "4"}:
        return HttpResponseBadRequest("Unknown card or rating.")
    if not review_marks.was_shown(request.user, item, request.POST.get("shown", "")):
        return HttpResponseBadRequest("Show the answer before rating the card.")
    try:
        session = _session(request.POST)
    except _BadSession as error:
        return _bad(request, error)
    now = timezone.now()
    state = srs.rate(request.user, item, int(rating), now)
    note = f"{srs.RATING_LABELS[int(rating)]}: this card comes back in {srs.human_interval(state.due - now)} ({timezone.localtime(state.due):%a %d %b, %H:%M})."
    return review_marks.leave_note(redirect(_review_url(session)), request.user, note)


@login_required
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    try:
        session = _session(request.POST)
        item = srs.undo_last(request.user)
    except (_BadSession, srs.NothingToUndo) as error:
        return render(request, "quizzes/message.html", {"title": "Nothing to undo", "message": str(error), "back": "flashcards_home"}, status=409)
    return review_marks.leave_note(redirect(_review_url(session, card=item.ref)), request.user, "Rating undone: the card is back as it was.")


@login_required
@require_POST
def hold(request: HttpRequest, action: str) -> HttpResponse:
    """Suspend, unsuspend or bury one card."""
    item = srs.find_item(request.user, request.POST.get("card", ""))
    if item is None:
        return HttpResponseBadRequest("Unknown card.")
    try:
        session = _session(request.POST)
    except _BadSession as error:
        return _bad(request, error)
    if action == "bury":
        srs.bury(request.user, item)
        note = "Buried until tomorrow."
    else:
        srs.set_suspended(request.user, item, action == "suspend")
        note = "Suspended: it stays out of your reviews until you unsuspend it." if action == "suspend" else "Unsuspended."
    response = redirect("flashcards_suspended") if request.POST.get("next") == "suspended" else redirect(_review_url(session))
    return review_marks.leave_note(response, request.user, note)


@login_required
@require_GET
def suspended(request: HttpRequest) -> HttpResponse:
    states = srs.suspended_states(request.user)
    response = render(request, "quizzes/flashcards_suspended.html", {"states": states, "rated": review_marks.read_note(request)})
    return review_marks.clear_note(request, response)


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


@login_required
@require_GET
def export_deck(request: HttpRequest) -> HttpResponse:
    """Download a deck as an Anki package or CSV; ids come from the course's card ids, so re-imports update."""
    file_format = request.GET.get("format", "apkg")
    try:
        deck = decks.parse_deck(request.GET.get("deck", "all"))
    except decks.DeckInvalid as error:
        return _bad(request, error)
    if file_format not in {"apkg", "csv"}:
        return _bad(request, ValueError("Choose .apkg or CSV."))
    cards = export.cards_for(request.user, deck, request.build_absolute_uri("/"))
    name = f"dea-c01-{slugify(deck.token.replace(':', '-')) or 'all'}.{file_format}"
    if file_format == "apkg":
        response = HttpResponse(export.to_apkg(cards, deck), content_type="application/octet-stream")
    else:
        response = HttpResponse(export.to_csv(cards), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def optimize(request: HttpRequest) -> HttpResponse:
    """Fit FSRS to the learner's own log; a few seconds of Rust for even a long log, so it runs in the request."""
    try:
        fit = optimizer.optimize(request.user, srs.preferences(request.user))
    except optimizer.NotEnoughReviews as error:
        return render(request, "quizzes/message.html", {"title": "Not enough reviews yet", "message": str(error), "back": "flashcards_home"}, status=409)
    request.session[FITTED] = {"items": fit.items, "before": round(fit.loss_before, 4), "after": round(fit.loss_after, 4), "kept": fit.kept}
    return redirect("flashcards_home")
