import re
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone
from fsrs import Card

from quizzes import srs
from quizzes.models import CardState, Flashcard, Question, Review

from .reviewing import rate, reveal, reveal_and_rate

pytestmark = pytest.mark.django_db


def test_new_cards_come_in_until_todays_allowance_is_used(alice, loaded_bank):
    prefs = srs.preferences(alice)
    prefs.new_cards_per_day = 2
    prefs.save()
    now = timezone.now()
    for _ in range(2):
        item = srs.next_item(alice, now)
        assert item.flashcard is not None and item.state is None
        srs.rate(alice, item, 4, now)  # Easy: not due again today
    assert srs.next_item(alice, now) is None
    assert srs.counts(alice, now)["new_available"] == 0


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_each_rating_schedules_the_card_forward(alice, loaded_bank, rating):
    now = timezone.now()
    state = srs.rate(alice, srs.next_item(alice, now), rating, now)
    assert state.due > now and state.reviews == 1
    assert Review.objects.get(card=state).rating == rating


def test_better_ratings_give_longer_intervals(alice, loaded_bank):
    now = timezone.now()
    item = srs.next_item(alice, now)
    intervals = srs.preview_intervals(alice, item, now)
    assert intervals[1] <= intervals[2] <= intervals[3] <= intervals[4]
    # A card rated Good twice, days apart, comes back later than after one review.
    first = srs.rate(alice, item, 3, now)
    later = first.due + timedelta(minutes=1)
    second = srs.rate(alice, srs.find_item(alice, f"s{first.id}"), 3, later)
    assert second.due - later > first.due - now


def test_due_cards_come_before_new_ones(alice, loaded_bank):
    now = timezone.now()
    state = srs.rate(alice, srs.next_item(alice, now), 1, now)  # Again: due within minutes
    later = state.due + timedelta(seconds=1)
    assert srs.next_item(alice, later).state == state


def test_a_missed_question_becomes_due_and_reviewable(alice_client, alice, loaded_bank):
    question = Question.objects.get(qid="deep-archive-cheapest")
    srs.add_missed_questions(alice, [question], timezone.now() - timedelta(seconds=5))
    html = alice_client.get("/flashcards/review").content.decode()
    assert "A question you missed" in html and "Glacier Deep Archive" in html
    state = CardState.objects.get(user=alice, question=question)
    assert reveal_and_rate(alice_client, f"s{state.id}", "3").status_code == 302
    state.refresh_from_db()
    assert state.reviews == 1


def test_the_front_has_no_rating_buttons_only_show_answer(alice_client, loaded_bank):
    html = alice_client.get("/flashcards/review").content.decode()
    card = Flashcard.objects.order_by("id").first()
    assert "<kbd>Space</kbd>" in html and f'href="/flashcards/review?show=f{card.id}"' in html
    assert 'name="rating"' not in html and card.back_html not in html


def test_the_revealed_card_has_ratings_labelled_with_their_intervals(alice_client, loaded_bank):
    card = Flashcard.objects.order_by("id").first()
    html = alice_client.get(f"/flashcards/review?show=f{card.id}").content.decode()
    assert card.back_html in html and 'data-key="1"' in html and 'data-key="4"' in html
    # FSRS's defaults for a new card: Again 1 minute, Hard 6 minutes, Good 10 minutes, Easy some days.
    assert "Again <kbd>1</kbd></span><small>1m</small>" in html and "Good <kbd>3</kbd></span><small>10m</small>" in html
    assert re.search(r"Easy <kbd>4</kbd></span><small>\d+d</small>", html)


def test_a_rating_without_the_answer_shown_is_refused(alice_client, alice, loaded_bank):
    card, other = Flashcard.objects.order_by("id")[:2]
    response = alice_client.post("/flashcards/rate", {"card": f"f{card.id}", "rating": "4"})
    assert response.status_code == 400 and b"Show the answer" in response.content
    other_mark = reveal(alice_client, f"f{other.id}")
    for mark in ["", "x", other_mark, other_mark.replace(f"f{other.id}", f"f{card.id}")]:  # none, garbled, another card's, forged
        assert rate(alice_client, f"f{card.id}", "4", mark).status_code == 400
    assert not Review.objects.exists()
    mark = reveal(alice_client, f"f{card.id}")
    assert rate(alice_client, f"f{card.id}", "4", mark).status_code == 302
    # The reveal is spent: rating the card again needs the answer shown again, as the card now stands.
    state = CardState.objects.get(user=alice, flashcard=card)
    for ref in (f"f{card.id}", f"s{state.id}"):
        assert rate(alice_client, ref, "4", mark).status_code == 400
    assert Review.objects.count() == 1
    mark = reveal(alice_client, f"s{state.id}")
    assert rate(alice_client, f"s{state.id}", "4", mark).status_code == 302
    assert rate(alice_client, f"s{state.id}", "4", mark).status_code == 400
    assert Review.objects.count() == 2


def test_a_shown_mark_is_the_learners_own(client, alice, bob, loaded_bank):
    card = Flashcard.objects.order_by("id").first()
    client.force_login(alice)
    mark = reveal(client, f"f{card.id}")
    client.force_login(bob)
    assert rate(client, f"f{card.id}", "3", mark).status_code == 400
    assert not Review.objects.exists()


def test_reviewing_writes_no_session(alice_client, loaded_bank, monkeypatch):
    """Revealing, rating and the page that says what the rating did leave the session as it is."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    saved = []
    real_save = store.save
    monkeypatch.setattr(store, "save", lambda self, *args, **kwargs: (saved.append(self.session_key), real_save(self, *args, **kwargs))[1])
    card = Flashcard.objects.order_by("id").first()
    assert reveal_and_rate(alice_client, f"f{card.id}", "3").status_code == 302
    assert "comes back" in alice_client.get("/flashcards/review").content.decode()
    assert saved == []


def test_after_rating_the_page_says_when_the_card_comes_back(alice_client, loaded_bank):
    card = Flashcard.objects.order_by("id").first()
    reveal_and_rate(alice_client, f"f{card.id}", "3")
    html = alice_client.get("/flashcards/review").content.decode()
    assert "Good: this card comes back in 10m" in html
    assert "comes back" not in alice_client.get("/flashcards/review").content.decode()  # said once


def test_rating_someone_elses_card_or_a_bad_rating_is_400(client, alice, bob, loaded_bank):
    state = srs.rate(alice, srs.next_item(alice), 3)
    client.force_login(bob)
    assert reveal(client, f"s{state.id}") == ""  # not his: bob is shown his own next card instead, unrevealed
    assert reveal_and_rate(client, f"s{state.id}", "3").status_code == 400
    assert client.post("/flashcards/rate", {"card": "s-1", "rating": "3"}).status_code == 400
    assert client.post("/flashcards/rate", {"card": f"f{Flashcard.objects.first().id}", "rating": "9"}).status_code == 400
    state.refresh_from_db()
    assert state.reviews == 1


def test_desired_retention_is_validated_and_used(alice_client, alice, loaded_bank):
    assert alice_client.post("/flashcards/settings", {"desired_retention": "1.5", "new_cards_per_day": "20"}).status_code == 400
    assert alice_client.post("/flashcards/settings", {"desired_retention": "abc", "new_cards_per_day": "20"}).status_code == 400
    assert alice_client.post("/flashcards/settings", {"desired_retention": "0.95", "new_cards_per_day": "10"}).status_code == 302
    assert srs.scheduler_for(srs.preferences(alice)).desired_retention == 0.95


def test_higher_retention_schedules_reviews_sooner(alice, bob, loaded_bank):
    now = timezone.now()
    for user, retention in ((alice, 0.80), (bob, 0.95)):
        prefs = srs.preferences(user)
        prefs.desired_retention = retention
        prefs.save()
    due = {}
    for user in (alice, bob):
        state = srs.rate(user, srs.next_item(user, now), 3, now)
        state = srs.rate(user, srs.find_item(user, f"s{state.id}"), 3, state.due)
        due[user.username] = state.due
    assert due["bob"] < due["alice"]


def test_the_home_page_shows_counts(alice_client, loaded_bank):
    html = alice_client.get("/flashcards/").content.decode()
    assert "due now" in html and "new today" in html and "true retention" in html and "no recall test yet" in html


def test_a_missed_question_joins_the_queue_once_and_only_ever_comes_forward(alice, bob, loaded_bank):
    now = timezone.now()
    reviewed, overdue, fresh = Question.objects.order_by("id")[:3]
    tomorrow, yesterday = now + timedelta(days=1), now - timedelta(days=1)
    kept = CardState.objects.create(user=alice, question=reviewed, fsrs={"kept": True}, due=tomorrow, reviews=3)
    CardState.objects.create(user=alice, question=overdue, fsrs={}, due=yesterday)
    CardState.objects.create(user=bob, question=fresh, fsrs={}, due=tomorrow)
    srs.add_missed_questions(alice, [reviewed, overdue, fresh, fresh], now)
    srs.add_missed_questions(alice, [fresh], now + timedelta(minutes=1))  # answered wrongly again, as another tab could
    states = {state.question_id: state for state in CardState.objects.filter(user=alice)}
    assert len(states) == 3 and CardState.objects.filter(user=alice, question=fresh).count() == 1
    assert states[reviewed.id].due == now and states[reviewed.id].reviews == 3 and states[reviewed.id].fsrs == {"kept": True}
    assert states[overdue.id].due == yesterday  # already due: not pushed back behind newer ones
    assert states[fresh.id].due == now and states[fresh.id].reviews == 0 and states[fresh.id].fsrs["due"] == Card(due=now).to_dict()["due"]
    assert CardState.objects.get(user=bob, question=fresh).due == tomorrow  # another learner's state is untouched
    assert kept.id == states[reviewed.id].id


def test_new_cards_are_made_without_fsrs_sleeping(alice, alice_client, loaded_bank, monkeypatch):
    """fsrs.Card() without an id sleeps a millisecond; a missed answer, a new card's reveal and its first rating make none."""
    import fsrs.card

    def no_sleep(seconds):
        raise AssertionError(f"fsrs slept {seconds} s in a request")

    monkeypatch.setattr(fsrs.card, "time", SimpleNamespace(sleep=no_sleep))
    now = timezone.now()
    question = Question.objects.get(qid="deep-archive-cheapest")
    srs.add_missed_questions(alice, [question], now)
    card = Flashcard.objects.filter(retired=False).order_by("id").first()
    assert reveal_and_rate(alice_client, f"f{card.id}", "3").status_code == 302
    assert CardState.objects.get(user=alice, flashcard=card).reviews == 1
    missed = CardState.objects.get(user=alice, question=question)
    assert Card.from_dict(missed.fsrs).card_id == int(now.timestamp() * 1000)  # what fsrs would have chosen, the moment it was made
