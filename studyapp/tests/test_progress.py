import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes import exam, srs
from quizzes.models import Attempt, Question, Response
from quizzes.practice import Scope, start_practice
from quizzes.tests.conftest import make_questions, pick
from studyapp import dashboard, progress
from studyapp.models import Lesson, LessonProgress, StudyPlan

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
    assert "Answer <strong>20</strong> more questions across all four domains" in html  # 20 answers: too few for a number
    for text in ["Am I ready?", "How this prediction works", "Next best steps", "day streak", "Quiz accuracy", "Mock exams", "Flashcards", "Download everything as JSON"]:
        assert text in html
    assert 'role="img"' in html and "Study calendar: you studied on" in html
    assert "1. Data Ingestion and Transformation: 60% of 5, exam weight 34%" in html


def test_the_dashboard_costs_the_same_queries_for_10_and_10000_answers(client, alice, bob, loaded_course):
    make_questions({1: 30, 2: 30, 3: 30, 4: 30})
    answer_many(alice, 10)
    answer_many(bob, 10_000)
    counts = []
    for user in (alice, bob):  # every part of the page runs: a plan judged over past days, a submitted mock
        plan = StudyPlan.objects.create(user=user, exam_date=timezone.localdate() + timedelta(days=20))
        StudyPlan.objects.filter(id=plan.id).update(created_at=timezone.now() - timedelta(days=5))
        Attempt.objects.create(user=user, kind=Attempt.MOCK, seed=1, started_at=timezone.now() - timedelta(days=2),
                               submitted_at=timezone.now() - timedelta(days=2), scaled_score=690)
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
    assert plan["on_track"] is None  # nothing to judge on the day the plan is made
    html = alice_client.get("/progress/").content.decode()
    assert "10</strong> days until your exam" in html and "Plan starts today" in html and "Behind plan" not in html


def test_behind_plan_only_after_a_whole_day_with_the_target_missed(alice_client, alice, loaded_course):
    from studyapp.models import StudyPlan

    make_questions({1: 30})
    StudyPlan.objects.create(user=alice, exam_date=timezone.localdate() + timedelta(days=10))
    answer_many(alice, 1)  # today's work does not count until the day is over
    StudyPlan.objects.filter(user=alice).update(created_at=timezone.now() - timedelta(days=1))
    assert dashboard.gather(alice).plan["on_track"] is False
    assert "Behind plan" in alice_client.get("/progress/").content.decode()


def test_a_learner_who_keeps_pace_is_on_track(alice, loaded_course):
    make_questions({1: 20})
    from studyapp.models import StudyPlan

    StudyPlan.objects.create(user=alice, exam_date=timezone.localdate() + timedelta(days=30))
    StudyPlan.objects.filter(user=alice).update(created_at=timezone.now() - timedelta(days=2))
    for lesson in Lesson.objects.all():
        progress.mark_complete(alice, lesson)
    answer_many(alice, 20)
    yesterday = timezone.now() - timedelta(days=1)
    LessonProgress.objects.filter(user=alice).update(completed_at=yesterday)
    Response.objects.filter(attempt__user=alice).update(answered_at=yesterday)
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
        "modules": [(m["slug"], m["done"]) for m in board.modules], "minutes": board.minutes_studied, "streak": board.streak,
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


def _mock(user, *, right: int, answered: int, questions, days_ago: int = 0) -> Attempt:
    """A submitted mock exam over `questions`: the first `answered` answered, the first `right` of those right."""
    now = timezone.now() - timedelta(days=days_ago)
    attempt = Attempt.objects.create(user=user, kind=Attempt.MOCK, scope="Mock exam", seed=1, started_at=now - timedelta(hours=2),
                                     deadline=now, submitted_at=now - timedelta(minutes=1))
    Response.objects.bulk_create(
        Response(attempt=attempt, position=i + 1, question=q, option_order=["a", "b", "c", "d"], chosen=["a"] if i < answered else None,
                 correct=(i < right) if i < answered else None, answered_at=now - timedelta(hours=1) if i < answered else None)
        for i, q in enumerate(questions)
    )
    scored = [i < right for i in range(len(questions))]
    attempt.scored_correct, attempt.scored_total = sum(scored), len(scored)
    attempt.scaled_score = exam.scaled_score(sum(scored), len(scored))
    attempt.save()
    return attempt


def test_a_failed_mock_with_blank_answers_pulls_readiness_down_and_is_explained(alice_client, alice, loaded_course):
    questions = make_questions({1: 20, 2: 15, 3: 15, 4: 15})
    answer_many(alice, 200, right_every=1)  # all practice right, before the mock
    mock = _mock(alice, right=16, answered=18, questions=questions)
    assert mock.scaled_score < 400
    board = dashboard.gather(alice)
    assert board.readiness.score < 720 and board.readiness.completion < 0.35
    html = alice_client.get("/progress/").content.decode()
    assert f"Latest mock exam: <a href=\"/mock/{mock.id}/result\">{mock.scaled_score}</a>" in html
    assert board.readiness.low <= mock.scaled_score <= board.readiness.high  # the figure agrees with the mock: no note needed
    assert board.readiness.score > mock.scaled_score and "Why this differs from your mock" in html and "47 of its 65 questions unanswered" in html


def test_practice_after_a_failed_mock_never_shows_a_higher_figure_without_a_reason(alice_client, alice, loaded_course):
    questions = make_questions({1: 20, 2: 15, 3: 15, 4: 15})
    _mock(alice, right=20, answered=65, questions=questions, days_ago=1)
    answer_many(alice, 300, right_every=1)  # afterwards, and all right
    board = dashboard.gather(alice)
    assert board.readiness.score > board.mocks[-1]["score"] and board.readiness.score < 720
    html = alice_client.get("/progress/").content.decode()
    assert "Why this differs from your mock" in html and "Since that mock you answered 300 practice questions, 100% right" in html


def test_mock_history_shows_each_score_its_change_and_the_trend(alice_client, alice, loaded_course):
    questions = make_questions({1: 20, 2: 15, 3: 15, 4: 15})
    first = _mock(alice, right=20, answered=65, questions=questions, days_ago=3)
    second = _mock(alice, right=50, answered=60, questions=questions, days_ago=1)
    html = alice_client.get("/progress/").content.decode()
    change = second.scaled_score - first.scaled_score
    assert f"Up {change} points over your 2 mock exams." in html
    assert f'<a href="/mock/{second.id}/result">{second.scaled_score}</a></td>\n    <td>+{change}</td><td>60 / 65</td>' in html
    table = html[html.index('class="mock-history"'):]
    assert table.index(f"/mock/{second.id}/result") < table.index(f"/mock/{first.id}/result")  # newest first
