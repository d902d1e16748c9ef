"""Fit FSRS's parameters to one learner's review log (fsrs-rs-python, Rust: no torch), with the log loss before and after."""

from dataclasses import dataclass

from django.utils import timezone
from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview

from .models import Review, StudyPreferences

# Reviews that test memory after at least a day; fewer than this and the fit says more about noise than about you.
MIN_TRAINING_ITEMS = 200


class NotEnoughReviews(Exception):
    pass


@dataclass
class Fit:
    items: int
    loss_before: float
    loss_after: float
    kept: bool  # True when the fitted parameters predicted the log better and were saved


def training_items(user) -> list[FSRSItem]:
    """One item per review that came a day or more after the card's previous one, holding the card's history up to it."""
    per_card: dict[int, list] = {}
    for card_id, reviewed_at, rating in Review.objects.filter(user=user).order_by("reviewed_at", "id").values_list("card_id", "reviewed_at", "rating"):
        per_card.setdefault(card_id, []).append((timezone.localdate(reviewed_at), rating))
    items = []
    for reviews in per_card.values():
        history, previous_day = [], None
        for day, rating in reviews:
            delta = 0 if previous_day is None else (day - previous_day).days
            history.append(FSRSReview(rating, delta))
            previous_day = day
            if len(history) > 1 and delta > 0:
                items.append(FSRSItem(list(history)))
    return items


def current_parameters(prefs: StudyPreferences) -> list[float]:
    return list(prefs.fsrs_parameters or DEFAULT_PARAMETERS)


def optimize(user, prefs: StudyPreferences) -> Fit:
    items = training_items(user)
    if len(items) < MIN_TRAINING_ITEMS:
        raise NotEnoughReviews(f"Optimizing needs {MIN_TRAINING_ITEMS} reviews made a day or more after the card's previous one; you have {len(items)}.")
    before = current_parameters(prefs)
    fitted = FSRS(before).compute_parameters(items)
    loss_before, loss_after = FSRS(before).evaluate(items).log_loss, FSRS(fitted).evaluate(items).log_loss
    kept = loss_after < loss_before
    if kept:
        prefs.fsrs_parameters = [round(value, 4) for value in fitted]
        prefs.save(update_fields=["fsrs_parameters"])
    return Fit(items=len(items), loss_before=loss_before, loss_after=loss_after, kept=kept)
