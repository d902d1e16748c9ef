"""Fitting FSRS's parameters to a learner's review log."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import optimizer, srs
from quizzes.models import CardState, Flashcard, Review

pytestmark = pytest.mark.django_db


def long_log(user, cards: int = 50, seed: int = 7) -> None:
    """A learner who forgets more often than FSRS's defaults expect: each card reviewed six times, days apart."""
    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=200)
    flashcards = Flashcard.objects.bulk_create(
        Flashcard(cid=f"synthetic-{i}", front_html="<p>f</p>", back_html="<p>b</p>", task="1.1", lesson="basics/welcome#how-lessons-work") for i in range(cards)
    )
    reviews = []
    for flashcard in flashcards:
        state = CardState.objects.create(user=user, flashcard=flashcard, fsrs={}, due=start)
        moment, gap = start + timedelta(hours=rng.randrange(48)), 1
        for _ in range(6):
            reviews.append(Review(user=user, card=state, rating=1 if rng.random() < 0.3 else 3, reviewed_at=moment))
            gap = gap * 2 + rng.randrange(2)
            moment += timedelta(days=gap)
    Review.objects.bulk_create(reviews)


def test_a_short_log_is_not_enough(alice_client, alice, loaded_bank):
    srs.rate(alice, srs.next_item(alice), 3)
    response = alice_client.post("/flashcards/optimize")
    assert response.status_code == 409 and b"you have 0" in response.content
    assert srs.preferences(alice).fsrs_parameters is None


def test_a_long_log_fits_parameters_that_predict_it_better(alice_client, alice, db):
    long_log(alice)
    assert len(optimizer.training_items(alice)) == 250
    response = alice_client.post("/flashcards/optimize")
    html = alice_client.get(response["Location"]).content.decode()
    prefs = srs.preferences(alice)
    assert len(prefs.fsrs_parameters) == 21 and prefs.fsrs_parameters != list(optimizer.DEFAULT_PARAMETERS)
    assert "Log loss" in html and "fitted parameters saved" in html
    assert srs.scheduler_for(prefs).parameters == tuple(prefs.fsrs_parameters)
