"""True retention from the review log, the due forecast and the daily load of a desired retention."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import srs, stats
from quizzes.models import CardState, Flashcard, Review

pytestmark = pytest.mark.django_db


def test_no_retention_claim_right_after_a_first_again(alice_client, alice, loaded_bank):
    srs.rate(alice, srs.next_item(alice), 1)
    assert stats.true_retention(alice).rate is None
    html = alice_client.get("/flashcards/").content.decode()
    assert '<strong id="true-retention">–</strong>' in html and "100%" not in html


def test_true_retention_counts_only_reviews_after_a_gap(alice, loaded_bank):
    start = timezone.now() - timedelta(days=10)
    state = srs.rate(alice, srs.next_item(alice, start), 3, start)
    state = srs.rate(alice, srs.find_item(alice, f"s{state.id}"), 3, start + timedelta(minutes=10))  # a learning step: not a test
    state = srs.rate(alice, srs.find_item(alice, f"s{state.id}"), 3, start + timedelta(days=2))  # passed
    srs.rate(alice, srs.find_item(alice, f"s{state.id}"), 1, start + timedelta(days=6))  # forgotten
    retention = stats.true_retention(alice, start + timedelta(days=7))
    assert (retention.passed, retention.tests) == (1, 2) and retention.rate == 0.5
    assert stats.true_retention(alice, start + timedelta(days=40)).tests == 0  # outside the 30-day window


def _retention_by_walking_the_log(user, now):
    """The definition, in Python: each review in the window whose card was last reviewed RECALL_GAP or more before."""
    since, last_seen, passed, tests = now - timedelta(days=stats.WINDOW_DAYS), {}, 0, 0
    for card_id, reviewed_at, rating in Review.objects.filter(user=user).order_by("reviewed_at", "id").values_list("card_id", "reviewed_at", "rating"):
        before = last_seen.get(card_id)
        if before is not None and reviewed_at >= since and reviewed_at - before >= stats.RECALL_GAP:
            tests, passed = tests + 1, passed + (rating > 1)
        last_seen[card_id] = reviewed_at
    return passed, tests


def test_the_databases_count_matches_the_definition_on_a_long_random_log(alice, loaded_bank):
    rng = random.Random(7)
    now = timezone.now().replace(microsecond=0)
    states = [CardState.objects.create(user=alice, flashcard=card, fsrs={}, due=now) for card in Flashcard.objects.all()[:6]]
    gaps = [stats.RECALL_GAP, stats.RECALL_GAP - timedelta(seconds=1), timedelta(minutes=5), timedelta(days=3)]  # exactly the limit included
    moment = now - timedelta(days=stats.WINDOW_DAYS + 10)
    for _ in range(400):
        moment += rng.choice(gaps) / len(states)
        Review.objects.create(user=alice, card=rng.choice(states[:-1]), rating=rng.randint(1, 4), reviewed_at=min(moment, now))
    edge = states[-1]  # reviews on the limits: at the window's start, then exactly the gap later, then a second short of it
    for at in (now - timedelta(days=stats.WINDOW_DAYS), now - timedelta(days=stats.WINDOW_DAYS) + stats.RECALL_GAP, now - timedelta(days=2),
               now - timedelta(days=2) + stats.RECALL_GAP - timedelta(seconds=1)):
        Review.objects.create(user=alice, card=edge, rating=3, reviewed_at=at)
    for at in (now, now - timedelta(days=9), now + timedelta(days=20)):
        retention = stats.true_retention(alice, at)
        assert (retention.passed, retention.tests) == _retention_by_walking_the_log(alice, at)
    assert stats.true_retention(alice, now).tests > 20


def test_the_forecast_puts_each_card_on_its_due_day(alice, loaded_bank):
    now = timezone.now()
    first = srs.rate(alice, srs.next_item(alice, now), 4, now)
    second = srs.rate(alice, srs.next_item(alice, now), 1, now)  # due in a minute: today
    forecast = stats.due_forecast(alice, now)
    assert len(forecast) == 30 and sum(forecast) == 2
    assert forecast[0] == 1 and forecast[(timezone.localtime(first.due).date() - timezone.localdate(now)).days] == 1
    assert second.due < now + timedelta(hours=1)


def test_higher_retention_means_more_reviews_a_day(alice, loaded_bank):
    now = timezone.now()
    for _ in range(3):
        srs.rate(alice, srs.next_item(alice, now), 4, now)
    load = {row["retention"]: row["per_day"] for row in stats.daily_load(alice, now)}
    assert 0 < load[0.8] < load[0.9] < load[0.95]
    assert [row["current"] for row in stats.daily_load(alice, now)].count(True) == 1


def test_the_home_page_has_decks_forecast_and_load(alice_client, alice, loaded_bank):
    srs.rate(alice, srs.next_item(alice), 4)
    html = alice_client.get("/flashcards/").content.decode()
    assert "My missed questions" in html and "Domain 2: Data Store Management" in html
    assert 'role="img" aria-label="Cards due in the next 30 days: 1 in all' in html
    assert 'id="daily-load"' in html and "0.90 (yours)" in html
