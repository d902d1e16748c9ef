import pytest

from studyapp import progress
from studyapp.models import Lesson

pytestmark = pytest.mark.django_db


def test_learning_pages_need_a_login(client, loaded_course):
    for url in ["/lessons/", "/lessons/basics/welcome/", "/lessons/search/?q=glue"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_landing_page_explains_the_app_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sign up" in response.content and b"Data Ingestion and Transformation" in response.content


def test_the_module_list_shows_modules_and_completion(alice_client, alice, loaded_course):
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    html = alice_client.get("/lessons/").content.decode()
    assert "Basics" in html and "Storage" in html
    assert 'aria-label="1 of 2 lessons complete"' in html
    assert 'class="done" data-lesson="basics/welcome"' in html


def test_a_lesson_page_has_toc_tasks_minutes_and_neighbours(alice_client, loaded_course):
    html = alice_client.get("/lessons/basics/glue-catalog/").content.decode()
    assert '<a href="#crawlers-and-classifiers">Crawlers and classifiers</a>' in html
    assert "Task 2.2: Understand data cataloging systems" in html
    assert "10 min read" in html
    assert 'rel="prev" href="/lessons/basics/welcome/"' in html
    assert 'rel="next" href="/lessons/storage/s3-basics/"' in html


def test_marking_complete_persists_and_can_be_undone(alice_client, alice, loaded_course):
    lesson = Lesson.objects.get(slug="basics/welcome")
    response = alice_client.post("/lessons/basics/welcome/complete", {"done": "1"})
    assert response.status_code == 302
    assert progress.is_completed(alice, lesson)
    alice_client.post("/lessons/basics/welcome/complete", {"done": "1"})  # twice is harmless
    assert alice.lesson_progress.count() == 1
    alice_client.post("/lessons/basics/welcome/complete", {"done": "0"})
    assert not progress.is_completed(alice, lesson)


def test_one_learners_completion_is_invisible_to_another(client, alice, bob, loaded_course):
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    client.force_login(bob)
    html = client.get("/lessons/").content.decode()
    assert 'aria-label="0 of 2 lessons complete"' in html
    assert "You marked this lesson complete" not in client.get("/lessons/basics/welcome/").content.decode()


def test_unknown_or_retired_lessons_are_404(alice_client, loaded_course):
    Lesson.objects.filter(slug="basics/welcome").update(retired=True)
    assert alice_client.get("/lessons/basics/welcome/").status_code == 404
    assert alice_client.get("/lessons/basics/nothing/").status_code == 404
    assert alice_client.post("/lessons/basics/nothing/complete").status_code == 404


def test_completion_only_accepts_post(alice_client, loaded_course):
    assert alice_client.get("/lessons/basics/welcome/complete").status_code == 405


def test_a_post_without_csrf_token_is_refused(alice, loaded_course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/lessons/basics/welcome/complete", {"done": "1"}).status_code == 403


def test_the_module_list_and_dashboard_do_not_fetch_rendered_lessons(alice_client, loaded_course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/lessons/", "/progress/"):
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(url).status_code == 200
        heavy = [q["sql"] for q in queries.captured_queries if '"studyapp_lesson"."html"' in q["sql"]]
        assert heavy == [], url


def test_a_lesson_page_fetches_only_its_own_html(alice_client, loaded_course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert alice_client.get("/lessons/basics/glue-catalog/").status_code == 200  # a lesson with neighbours on both sides
    assert sum('"html"' in q["sql"] for q in queries.captured_queries) == 1  # the lesson's own, not its neighbours'


def test_the_lesson_lookup_loads_what_the_orm_loads_and_this_learners_completion(alice, bob, loaded_course):
    """studyapp.lookups writes the lesson page's SQL by hand: every field must match a queryset's (JSON tasks and toc,
    dates), `done` is the asking learner's own, and a retired or unknown lesson is a 404."""
    from django.http import Http404

    from studyapp.lookups import live_lesson
    from studyapp.testing.instances import assert_loaded_as_orm

    expected = Lesson.objects.select_related("module").get(slug="basics/welcome")
    progress.mark_complete(bob, expected)
    loaded = live_lesson(alice, "basics/welcome")
    for got, want in ((loaded, expected), (loaded.module, expected.module)):
        assert_loaded_as_orm(got, want)
    assert loaded.toc and loaded.done is False and live_lesson(bob, "basics/welcome").done is True
    Lesson.objects.filter(id=expected.id).update(retired=True)
    for slug in ("basics/welcome", "basics/nothing-here"):
        with pytest.raises(Http404):
            live_lesson(alice, slug)
