"""The course outline kept per process: the same for everyone, replaced after every sync, never anyone's progress."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quizzes.practice import lesson_question_count
from quizzes.tests.conftest import make_questions
from studyapp import content_digest, outline, progress
from studyapp.models import Lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(loaded_course):
    content_digest.record("first")  # as sync_content does at the end of a load: the outline is kept from now on
    yield loaded_course
    outline.forget()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_outline_is_kept_and_replaced_by_the_next_sync(alice, synced):
    client = _client(alice)
    assert "Welcome" in client.get("/lessons/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/lessons/")
    assert not any('"studyapp_lesson"' in q["sql"] for q in queries.captured_queries)  # kept: no lesson read
    Lesson.objects.filter(slug="basics/welcome").update(title="Welcome, renamed")
    content_digest.record("second")  # another process's sync: a new digest row
    assert "Welcome, renamed" in client.get("/lessons/").content.decode()
    assert "Welcome, renamed" in client.get("/lessons/basics/glue-catalog/").content.decode()  # the previous lesson's link


def test_without_a_recorded_sync_nothing_is_kept(alice, loaded_course):
    client = _client(alice)
    client.get("/lessons/")
    Lesson.objects.filter(slug="basics/welcome").update(title="Welcome, renamed")
    assert "Welcome, renamed" in client.get("/lessons/").content.decode()


def test_each_learner_sees_only_their_own_ticks(alice, bob, synced):
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    alice_html, bob_html = _client(alice).get("/lessons/").content.decode(), _client(bob).get("/lessons/").content.decode()
    assert 'class="done" data-lesson="basics/welcome"' in alice_html and 'aria-label="1 of 2 lessons complete"' in alice_html
    assert 'class="done"' not in bob_html and 'aria-label="0 of 2 lessons complete"' in bob_html
    assert "✓ You marked this lesson complete." in _client(alice).get("/lessons/basics/welcome/").content.decode()
    assert "✓ You marked this lesson complete." not in _client(bob).get("/lessons/basics/welcome/").content.decode()


def test_neighbours_and_question_counts_match_the_database(synced):
    make_questions({1: 3})
    outline.forget()  # questions added without a sync
    kept = outline.current()
    for lesson in Lesson.objects.filter(retired=False).select_related("module"):
        before, after = progress.neighbours(lesson)
        assert [e.slug if e else None for e in kept.neighbours(lesson.slug)] == [before.slug if before else None, after.slug if after else None]
        assert kept.questions(lesson.slug) == lesson_question_count(lesson.slug)
    assert sum(e.questions for e in kept.lessons) > 0


def test_per_version_figures_are_kept_until_the_next_sync(synced):
    computed = []

    def count() -> int:
        computed.append(1)
        return len(computed)

    assert outline.per_version("figure", count) == 1
    assert outline.per_version("figure", count) == 1  # kept: not computed again
    content_digest.record("second")  # another sync
    assert outline.per_version("figure", count) == 2


def test_per_version_figures_are_not_kept_without_a_recorded_sync(loaded_course):
    computed = []
    assert [outline.per_version("figure", lambda: computed.append(1) or len(computed)) for _ in range(2)] == [1, 2]
