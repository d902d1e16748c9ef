import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes import srs
from quizzes.models import Attempt, Question, Response
from quizzes.practice import Scope, start_practice
from quizzes.tests.conftest import make_questions, pick
from studyapp import dashboard, progress
from studyapp.models import Lesson

pytestmark = pytest.mark.django_db


def answer_many(user, count: int, right_every: int = 2) -> None:
    """A synthetic history of `count` answered responses, spread over recent days."""
    questions = list(Question.objects.all())
    now = timezone.now()
    attempts, made = [], 0
    while made < count:
        attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope="synthetic", seed=made, started_at=now)
        batch = [
            Response(attempt=attempt, position=i + 1, question=questions[(made + i) % len(questions)], option_order=["a", "b", "c", "d"],
                     chosen=["a"], correct=(made + i) % right_every == 0, answered_at=now - timedelta(minutes=made + i))
            for i in range(min(200, count - made))
        ]
        Response.objects.bulk_create(batch)
        made += len(batch)
        attempts.append(attempt)


def test_the_dashboard_needs_a_login(client):
    assert client.get("/progress/").status_code == 302


def test_the_dashboard_shows_every_section(alice_client, alice, loaded_course):
    make_questions({1: 5, 2: 5, 3: 5, 4: 5})
    answer_many(alice, 20)
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    html = alice_client.get("/progress/").content.decode()
    for text in ["Predicted score", "How this prediction works", "Next best steps", "day streak", "Quiz accuracy", "Mock exams", "Flashcards", "Download everything as JSON"]:
        assert text in html
    assert 'role="img"' in html and "Study calendar: you studied on" in html
    assert "1. Data Ingestion and Transformation: 60% of 5, exam weight 34%" in html


def test_the_dashboard_costs_the_same_queries_for_10_and_10000_answers(client, alice, bob, loaded_course):
    make_questions({1: 30, 2: 30, 3: 30, 4: 30})
    answer_many(alice, 10)
    answer_many(bob, 10_000)
    counts = []
    for user in (alice, bob):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/progress/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_learners_only_see_their_own_figures(client, alice, bob, loaded_course):
    make_questions({1: 4})
    answer_many(alice, 40, right_every=1)
    client.force_login(bob)
    board = dashboard.gather(bob)
    assert board.readiness.answered == 0 and all(d["answered"] == 0 for d in board.domains)
    assert "no answers yet" in client.get("/progress/").content.decode()


def test_setting_an_exam_date_gives_a_daily_plan(alice_client, alice, loaded_course):
    make_questions({1: 30})
    exam_day = timezone.localdate() + timedelta(days=10)
    assert alice_client.post("/progress/exam-date", {"exam_date": exam_day.isoformat()}).status_code == 302
    plan = dashboard.gather(alice).plan
    assert plan["days_left"] == 10
    assert plan["remaining"]["lessons"] == 3 and plan["targets"]["lessons"] == 1
    assert plan["remaining"]["questions"] == 30 and plan["targets"]["questions"] == 3
    assert plan["on_track"] is False
    html = alice_client.get("/progress/").content.decode()
    assert "10</strong> days until your exam" in html and "Behind plan" in html


def test_a_learner_who_keeps_pace_is_on_track(alice, loaded_course):
    make_questions({1: 20})
    from studyapp.models import StudyPlan

    StudyPlan.objects.create(user=alice, exam_date=timezone.localdate() + timedelta(days=30))
    for lesson in Lesson.objects.all():
        progress.mark_complete(alice, lesson)
    answer_many(alice, 20)
    assert dashboard.gather(alice).plan["on_track"] is True


@pytest.mark.parametrize("value", ["tomorrow", "2020-01-01", "2027-02-30"])
def test_bad_exam_dates_get_a_400(alice_client, value):
    assert alice_client.post("/progress/exam-date", {"exam_date": value}).status_code == 400


def test_next_steps_point_at_the_weakest_tasks(alice, loaded_course):
    questions = make_questions({1: 10, 2: 10})
    now = timezone.now()
    attempt = Attempt.objects.create(user=alice, kind=Attempt.PRACTICE, scope="x", seed=1, started_at=now)
    Response.objects.bulk_create(
        Response(attempt=attempt, position=i + 1, question=q, option_order=["a"], chosen=["b"], correct=q.domain == 2, answered_at=now)
        for i, q in enumerate(questions)
    )
    steps = dashboard.gather(alice).next_steps
    assert steps[0]["task"].id == "1.1" and steps[0]["answered"] == 10 and steps[0]["right"] == 0
    assert steps[0]["lesson"].slug == "basics/welcome"


def figures(user) -> dict:
    board = dashboard.gather(user)
    return {
        "modules": [(m["module"].slug, m["done"]) for m in board.modules], "minutes": board.minutes_studied, "streak": board.streak,
        "domains": [(d["right"], d["answered"]) for d in board.domains], "mocks": [m["score"] for m in board.mocks],
        "readiness": (board.readiness.score, board.readiness.low, board.readiness.high),
        "cards": {k: v for k, v in board.flashcards.items()}, "plan": board.plan,
    }


def test_export_wipe_import_gives_an_identical_dashboard(alice_client, alice, loaded_bank):
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/glue-catalog"))
    attempt = start_practice(alice, scope=Scope("all"), size=5, certainty=True, seed=2)
    for response in attempt.responses.select_related("question"):
        alice_client.post(f"/practice/{attempt.id}/{response.position}/", {"option": pick(attempt, response.position, *response.question.answer), "certainty": "2"})
    srs.rate(alice, srs.next_item(alice), 3)
    alice_client.post("/progress/exam-date", {"exam_date": (timezone.localdate() + timedelta(days=20)).isoformat()})
    before = figures(alice)
    exported = alice_client.get("/progress/export.json")
    assert exported["Content-Disposition"].startswith("attachment;")
    from studyapp import learner_data

    learner_data.wipe(alice)
    assert figures(alice) != before
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("export.json", exported.content, content_type="application/json")
    response = alice_client.post("/progress/import", {"file": upload})
    assert response.status_code == 200 and b"Your data was imported." in response.content
    assert figures(alice) == before


@pytest.mark.parametrize("content", [b"not json", b'{"format": "other"}', b'{"format": "dea-c01-study-export", "version": 1, "attempts": [{"kind": 5}]}', b"\xff\xfe"])
def test_a_bad_import_is_refused_and_loses_nothing(alice_client, alice, loaded_course, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    response = alice_client.post("/progress/import", {"file": SimpleUploadedFile("x.json", content)})
    assert response.status_code == 400 and b"Nothing was imported" in response.content
    assert progress.is_completed(alice, Lesson.objects.get(slug="basics/welcome"))


def test_the_export_holds_only_the_learners_own_data(alice_client, alice, bob, loaded_course):
    progress.mark_complete(bob, Lesson.objects.get(slug="basics/welcome"))
    data = json.loads(alice_client.get("/progress/export.json").content)
    assert data["account"]["username"] == "alice" and data["lesson_progress"] == []


def test_deleting_needs_the_password(alice_client, alice):
    assert alice_client.post("/accounts/delete/", {"password": "wrong"}).status_code == 400
    alice.refresh_from_db()
    assert alice.is_active


def test_next_steps_link_to_the_section_their_questions_point_at(alice, loaded_course):
    questions = make_questions({1: 3})
    Question.objects.filter(id__in=[q.id for q in questions]).update(lesson="basics/glue-catalog#partitions")
    steps = dashboard.gather(alice).next_steps
    step = next(s for s in steps if s["task"].id == "1.1")
    assert step["lesson_url"] == "/lessons/basics/glue-catalog/#partitions" and step["lesson"].slug == "basics/glue-catalog"
