"""The flashcard review's reads run SQL compiled once (studyapp.compiled): what they load must be what a queryset
loads, field by field, and only ever the asking learner's own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import srs
from quizzes.models import CardState, Flashcard, Question, Review, StudyPreferences
from studyapp.testing.instances import assert_loaded_as_orm

pytestmark = pytest.mark.django_db


def test_preferences_are_the_learners_own_and_made_on_first_use(alice, bob):
    assert not StudyPreferences.objects.exists()
    made = srs.preferences(alice)
    assert StudyPreferences.objects.get(user=alice).id == made.id and not StudyPreferences.objects.filter(user=bob).exists()
    StudyPreferences.objects.filter(user=alice).update(desired_retention=0.85, new_cards_per_day=7, fsrs_parameters=[0.5] * 21)
    loaded = srs.preferences(alice)
    assert_loaded_as_orm(loaded, StudyPreferences.objects.get(user=alice))
    assert loaded.fsrs_parameters == [0.5] * 21 and srs.preferences(bob).new_cards_per_day == 20


def test_find_item_loads_a_state_with_its_flashcard_or_question_as_the_orm_does(alice, bob, loaded_bank):
    now = timezone.now()
    flashcard = Flashcard.objects.order_by("id").first()
    srs.rate(alice, srs.QueueItem(state=None, flashcard=flashcard, question=None), 3, now)
    srs.add_missed_questions(alice, [Question.objects.order_by("id").first()], now)
    for state in CardState.objects.filter(user=alice):
        item = srs.find_item(alice, f"s{state.id}")
        expected = CardState.objects.select_related("flashcard", "question").get(id=state.id)
        assert_loaded_as_orm(item.state, expected)
        for got, want in ((item.flashcard, expected.flashcard), (item.question, expected.question)):
            if want is None:
                assert got is None
            else:
                assert_loaded_as_orm(got, want)
        assert (item.state.flashcard, item.state.question) == (item.flashcard, item.question)
        assert srs.find_item(bob, f"s{state.id}") is None
    assert srs.find_item(alice, "s999999999") is None


def test_the_undoable_review_is_the_learners_latest_as_the_orm_loads_it(alice, bob, loaded_bank):
    now = timezone.now()
    first, second = Flashcard.objects.order_by("id")[:2]
    srs.rate(alice, srs.QueueItem(state=None, flashcard=first, question=None), 3, now - timedelta(minutes=5))
    srs.rate(alice, srs.QueueItem(state=None, flashcard=second, question=None), 1, now - timedelta(minutes=2))
    srs.rate(bob, srs.QueueItem(state=None, flashcard=first, question=None), 4, now)
    loaded = srs.undoable_review(alice, now)
    assert_loaded_as_orm(loaded, Review.objects.filter(user=alice).latest("reviewed_at"))
    assert loaded.card_id == CardState.objects.get(user=alice, flashcard=second).id and loaded.previous == {"created": True}
    assert srs.undoable_review(bob, now).user_id == bob.id
