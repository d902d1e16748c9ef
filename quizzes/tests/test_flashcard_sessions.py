"""Undo, suspend, bury, decks and custom study."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes import decks, srs
from quizzes.models import CardState, Flashcard, Question, Review, StudyPreferences
from studyapp.testing.instances import assert_loaded_as_orm

from .reviewing import reveal_and_rate

pytestmark = pytest.mark.django_db


def test_undo_restores_a_reviewed_card_and_removes_the_review(alice_client, alice, loaded_bank):
    now = timezone.now() - timedelta(minutes=30)
    state = srs.rate(alice, srs.next_item(alice, now), 3, now)  # an earlier review, undoable on its own
    before = (state.fsrs, state.due, state.reviews)
    Review.objects.update(previous=None)  # ...but say it predates undo
    reveal_and_rate(alice_client, f"s{state.id}", "1")
    assert Review.objects.filter(card=state).count() == 2
    response = alice_client.post("/flashcards/undo")
    assert response.status_code == 302 and response["Location"] == f"/flashcards/review?card=s{state.id}"
    state.refresh_from_db()
    assert (state.fsrs, state.due, state.reviews) == before
    assert Review.objects.filter(card=state).count() == 1
    assert alice_client.post("/flashcards/undo").status_code == 409  # the older review cannot be undone


def test_undo_of_a_first_rating_makes_the_card_new_again(alice_client, alice, loaded_bank):
    card = Flashcard.objects.order_by("id").first()
    reveal_and_rate(alice_client, f"f{card.id}", "4")
    assert CardState.objects.filter(user=alice, flashcard=card).exists()
    alice_client.post("/flashcards/undo")
    assert not CardState.objects.filter(user=alice, flashcard=card).exists() and not Review.objects.exists()
    assert srs.next_item(alice).flashcard == card
    assert srs.counts(alice)["new_available"] == 3


def test_undo_touches_only_the_learners_own_reviews(client, alice, bob, loaded_bank):
    state = srs.rate(alice, srs.next_item(alice), 3)
    client.force_login(bob)
    assert client.post("/flashcards/undo").status_code == 409
    assert Review.objects.filter(card=state).count() == 1


def test_an_old_review_is_past_undo(alice, loaded_bank):
    now = timezone.now()
    srs.rate(alice, srs.next_item(alice, now), 3, now - timedelta(hours=2))
    assert srs.undoable_review(alice, now) is None


def test_a_suspended_card_leaves_the_queue_until_unsuspended(alice_client, alice, loaded_bank):
    card = Flashcard.objects.order_by("id").first()
    assert alice_client.post("/flashcards/suspend", {"card": f"f{card.id}"}).status_code == 302
    assert srs.next_item(alice).flashcard != card
    assert srs.counts(alice)["unmet"] == 2
    html = alice_client.get("/flashcards/suspended/").content.decode()
    assert card.front_html.removeprefix("<p>").removesuffix("</p>") in html
    state = CardState.objects.get(user=alice, flashcard=card)
    alice_client.post("/flashcards/unsuspend", {"card": f"s{state.id}", "next": "suspended"})
    assert srs.next_item(alice).flashcard == card and srs.counts(alice)["unmet"] == 3


def test_a_buried_card_comes_back_tomorrow(alice, loaded_bank):
    now = timezone.now()
    question = Question.objects.get(qid="deep-archive-cheapest")
    srs.add_missed_questions(alice, [question], now - timedelta(minutes=1))
    item = srs.next_item(alice, now)
    assert item.question == question
    srs.bury(alice, item, now)
    assert srs.next_item(alice, now).question is None
    tomorrow = srs.start_of_day(now) + timedelta(days=1, minutes=1)
    assert srs.next_item(alice, tomorrow).question == question


def test_other_learners_cards_cannot_be_suspended(client, alice, bob, loaded_bank):
    state = srs.rate(alice, srs.next_item(alice), 3)
    client.force_login(bob)
    assert client.post("/flashcards/suspend", {"card": f"s{state.id}"}).status_code == 400
    state.refresh_from_db()
    assert not state.suspended


@pytest.mark.parametrize(("token", "expected"), [
    ("task:2.3", {"card-deep-archive"}),
    ("domain:2", {"card-crawler", "card-deep-archive"}),
    ("lesson:basics/welcome", {"card-questions"}),
    ("missed", set()),
])
def test_a_deck_holds_only_its_cards(alice, loaded_bank, token, expected):
    deck = decks.parse_deck(token)
    assert set(srs.new_flashcards(alice, timezone.now(), deck).values_list("cid", flat=True)) == expected


def test_the_missed_questions_deck_and_a_service_deck(alice, loaded_bank):
    now = timezone.now()
    srs.add_missed_questions(alice, list(Question.objects.filter(qid__in=["deep-archive-cheapest", "crawler-fills-catalog"])), now - timedelta(minutes=1))
    missed = srs.Session(deck=decks.parse_deck("missed"))
    assert srs.counts(alice, now, missed)["due_questions"] == 2 and srs.counts(alice, now, missed)["new_available"] == 0
    glue = srs.Session(deck=decks.parse_deck("service:AWS Glue"))
    assert srs.next_item(alice, now, glue).question.qid == "crawler-fills-catalog"
    assert srs.counts(alice, now, glue)["due_questions"] == 1


def test_the_review_page_follows_the_deck_and_keeps_it_after_rating(alice_client, alice, loaded_bank):
    card = Flashcard.objects.get(cid="card-deep-archive")
    html = alice_client.get("/flashcards/review?deck=task:2.3").content.decode()
    assert f'data-card="f{card.id}"' in html and "Task 2.3" in html
    response = reveal_and_rate(alice_client, f"f{card.id}", "4", query="deck=task:2.3", deck="task:2.3", ahead="0", new="0")
    assert response["Location"] == "/flashcards/review?deck=task%3A2.3"
    assert "All caught up" in alice_client.get(response["Location"]).content.decode()


def test_custom_study_reviews_ahead_and_adds_new_cards(alice, loaded_bank):
    now = timezone.now()
    prefs = srs.preferences(alice)
    prefs.new_cards_per_day = 0
    prefs.save()
    assert srs.next_item(alice, now) is None
    item = srs.next_item(alice, now, srs.Session(extra_new=1))
    state = srs.rate(alice, item, 4, now)  # Easy: days away
    assert srs.next_item(alice, now, srs.Session(extra_new=1)) is None  # the one extra card is used
    ahead = srs.Session(ahead_days=(state.due - now).days + 1)
    assert srs.next_item(alice, now, ahead).state == state


def test_bad_decks_and_options_are_400(alice_client, loaded_bank):
    for query in ["deck=nope", "deck=task:9.9", "deck=domain:7", "ahead=400", "new=-1", "ahead=x"]:
        assert alice_client.get(f"/flashcards/review?{query}").status_code == 400


def test_a_suspended_card_stays_suspended_through_export_and_import(alice, loaded_bank):
    from studyapp import learner_data

    state = srs.set_suspended(alice, srs.next_item(alice), True)
    data = learner_data.export(alice)
    learner_data.wipe(alice)
    learner_data.load(alice, data)
    assert CardState.objects.get(user=alice, flashcard=state.flashcard).suspended


def _counts_one_query_each(user, now, session):
    """srs.counts as it was: one query per figure, from due_states and new_cards_left_today."""
    prefs = srs.preferences(user)
    due = srs.due_states(user, now, session)
    unmet = srs.new_flashcards(user, now, session.deck).count()
    return {"due_flashcards": due.filter(flashcard__isnull=False).count(), "due_questions": due.filter(question__isnull=False).count(),
            "new_available": min(srs.new_cards_left_today(user, prefs, now, session.extra_new), unmet), "unmet": unmet,
            "reviewed_today": Review.objects.filter(user=user, reviewed_at__gte=srs.start_of_day(now)).count(),
            "suspended": CardState.objects.filter(user=user, suspended=True).filter(session.deck.states()).count()}


def _mixed_history(alice, bob, now) -> list:
    """Missed questions, cards rated again and easy, a suspended and a buried card; the sessions to look at them through."""
    srs.add_missed_questions(alice, list(Question.objects.filter(qid__in=["deep-archive-cheapest", "crawler-fills-catalog"])), now - timedelta(minutes=1))
    srs.add_missed_questions(bob, list(Question.objects.all()), now - timedelta(minutes=1))
    cards = list(Flashcard.objects.order_by("id"))
    srs.rate(alice, srs.QueueItem(state=None, flashcard=cards[0], question=None), 1, now - timedelta(hours=1))  # again: due soon
    srs.rate(alice, srs.QueueItem(state=None, flashcard=cards[1], question=None), 4, now)  # easy: due in days
    srs.set_suspended(alice, srs.QueueItem(state=None, flashcard=cards[2], question=None), True, now)
    srs.bury(alice, srs.next_item(alice, now), now)
    sessions = [srs.DEFAULT_SESSION, srs.Session(ahead_days=30, extra_new=2)]
    lesson = cards[0].lesson.partition("#")[0]
    return sessions + [srs.Session(deck=decks.parse_deck(token)) for token in ["missed", "service:AWS Glue", "task:2.3", "domain:2", f"lesson:{lesson}"]]


def test_the_counts_in_one_query_equal_the_counts_one_query_each(alice, bob, loaded_bank, django_user_model):
    now = timezone.now()
    sessions = _mixed_history(alice, bob, now)
    newcomer = django_user_model.objects.create_user("newcomer", "newcomer@example.org", "unused-password-1")  # no card state yet
    # The fixed-shape decks' SQL is compiled once and then rebound: every learner, moment and option after the first reuses it.
    for user in (alice, bob, newcomer):
        prefs = srs.preferences(user)
        for session in sessions:
            for moment in (now, now + timedelta(days=2)):
                with CaptureQueriesContext(connection) as queries:
                    counted = srs.counts(user, moment, session, prefs)
                statements = [query["sql"] for query in queries.captured_queries]
                assert sum("COUNT(" in sql for sql in statements) == 1, (user, session)
                if session.deck.kind != "service":  # a service's deck first looks up the lessons and questions naming it
                    assert len(statements) == 1, (user, session)
                assert counted == _counts_one_query_each(user, moment, session), (user, session)


def _next_item_from_querysets(user, now, session):
    """srs.next_item as querysets build it."""
    state = srs.due_states(user, now, session).select_related("flashcard", "question").order_by("due", "id").first()
    if state:
        return state, state.flashcard, state.question
    if srs.new_cards_left_today(user, srs.preferences(user), now, session.extra_new) > 0:
        flashcard = srs.new_flashcards(user, now, session.deck).first()
        if flashcard:
            return CardState.objects.filter(user=user, flashcard=flashcard).first(), flashcard, None
    return None, None, None


def test_the_next_item_is_the_one_querysets_pick(alice, bob, loaded_bank):
    now = timezone.now()
    sessions = _mixed_history(alice, bob, now)
    newcomer, resting = (User.objects.create_user(name) for name in ("carol", "dave"))  # no history: new cards, or none at all
    for user in (bob, resting):
        StudyPreferences.objects.update_or_create(user=user, defaults={"new_cards_per_day": 0})
    seen = set()
    for user in (alice, bob, newcomer, resting):
        for session in sessions:
            for moment in (now, now + timedelta(days=2), now + timedelta(days=40)):
                item = srs.next_item(user, moment, session)
                expected = _next_item_from_querysets(user, moment, session)
                got = (item.state, item.flashcard, item.question) if item else (None, None, None)
                for loaded, want in zip(got, expected, strict=True):
                    assert (loaded is None) == (want is None), (user, session, moment)
                    if want is not None:
                        assert_loaded_as_orm(loaded, want)
                seen.add(item.ref[0] + ("q" if item.question else "f") if item else "none")
    assert seen == {"sq", "sf", "ff", "none"}  # due questions, due cards, new cards and an empty queue were all compared


def test_bury_suspend_and_unsuspend_say_what_they_did_once(alice_client, loaded_bank):
    first, second = Flashcard.objects.order_by("id")[:2]
    alice_client.post("/flashcards/bury", {"card": f"f{first.id}"})
    assert '<p class="note" role="status" id="rated">Buried until tomorrow.</p>' in alice_client.get("/flashcards/review").content.decode()
    assert "Buried" not in alice_client.get("/flashcards/review").content.decode()
    response = alice_client.post("/flashcards/suspend", {"card": f"f{second.id}", "next": "suspended"})
    assert response["Location"] == "/flashcards/suspended/"
    assert "Suspended: it stays out of your reviews" in alice_client.get(response["Location"]).content.decode()
    state = CardState.objects.get(flashcard=second)
    alice_client.post("/flashcards/unsuspend", {"card": f"s{state.id}", "next": "suspended"})
    assert "Unsuspended." in alice_client.get("/flashcards/suspended/").content.decode()
    assert "Unsuspended." not in alice_client.get("/flashcards/suspended/").content.decode()


def test_a_note_is_said_only_to_the_learner_it_was_left_for(client, alice, bob, loaded_bank):
    card = Flashcard.objects.order_by("id").first()
    client.force_login(alice)
    client.post("/flashcards/bury", {"card": f"f{card.id}"})
    client.force_login(bob)  # the same browser, the note's cookie still in it
    assert "Buried" not in client.get("/flashcards/review").content.decode()
    client.cookies["flashcards_note"] = "forged"
    assert client.get("/flashcards/review").status_code == 200
