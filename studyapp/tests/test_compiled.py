"""studyapp.compiled: a queryset compiled once and rebound to each call's values gives the SQL and parameters
the ORM gives for those values."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from quizzes.models import Review
from studyapp import compiled

pytestmark = pytest.mark.django_db


def reviews_since(user: int, since, rating: int = 3):
    return Review.objects.filter(user_id=user, reviewed_at__gte=since, rating=rating).values("id")


def test_a_rebound_query_equals_the_query_built_for_those_values():
    now = timezone.now()
    for user, since in [(1, now), (2, now - timedelta(days=3)), (999, now + timedelta(hours=1))]:
        assert compiled.sql("test rebound", reviews_since, user=user, since=since) == compiled.sql(None, reviews_since, user=user, since=since)


def test_the_same_value_twice_fills_both_places():
    def window(user: int, start, end):
        return Review.objects.filter(user_id=user, reviewed_at__gte=start, reviewed_at__lt=end).values("id")

    now = timezone.now()
    text, params = compiled.sql("test twice", window, user=7, start=now, end=now)
    assert (text, params) == compiled.sql(None, window, user=7, start=now, end=now)
    assert params.count(connection.ops.adapt_datetimefield_value(now)) == 2


def test_keys_keep_shapes_apart():
    now = timezone.now()
    good, easy = partial(reviews_since, rating=3), partial(reviews_since, rating=4)
    assert compiled.sql("test good", good, user=1, since=now)[1] != compiled.sql("test easy", easy, user=1, since=now)[1]


def test_a_value_the_query_does_not_use_is_refused():
    with pytest.raises(compiled.StandInLost, match="since"):
        compiled.sql("test lost", lambda user, since: Review.objects.filter(user_id=user).values("id"), user=1, since=timezone.now())


def test_only_times_and_whole_numbers_are_rebound():
    with pytest.raises(TypeError):
        compiled.sql("test text", lambda user: Review.objects.filter(user__username=user).values("id"), user="alice")
