"""The dashboard board kept per learner for a minute, and every way it is dropped (studyapp/board_cache.py)."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from labs.models import AwsConnection, CheckResult, Lab, LabRun
from quizzes import exam
from quizzes.models import Attempt
from quizzes.tests.conftest import make_questions
from studyapp import board_cache, content_digest
from studyapp.tests.test_progress import answer_many

pytestmark = pytest.mark.django_db


def _answered(client: Client) -> str:
    """The dashboard's count of answers (the first domain row: '... of N, exam weight')."""
    html = client.get("/progress/").content.decode()
    start = html.index("1. Data Ingestion and Transformation")
    return html[start:html.index(",", start)]


@pytest.fixture
def learner(alice, alice_client, loaded_course):
    make_questions({1: 5, 2: 5, 3: 5, 4: 5})
    answer_many(alice, 10)
    return alice_client


def test_the_board_is_read_once_then_kept(learner):
    with CaptureQueriesContext(connection) as first:
        learner.get("/progress/")
    with CaptureQueriesContext(connection) as second:
        learner.get("/progress/")
    assert any("quizzes_response" in q["sql"] for q in first.captured_queries)
    assert not any("quizzes_response" in q["sql"] or "quizzes_cardstate" in q["sql"] for q in second.captured_queries)
    assert len(second) < len(first) / 3


def test_the_charts_are_drawn_with_the_board_and_kept_with_it(learner, monkeypatch):
    from studyapp import charts

    drawn = []
    real = charts.for_dashboard
    monkeypatch.setattr(charts, "for_dashboard", lambda board, today: (drawn.append(today), real(board, today))[1])
    first = learner.get("/progress/").content.decode()
    again = learner.get("/progress/").content.decode()
    assert len(drawn) == 1 and "Accuracy. 1. Data Ingestion and Transformation" in again
    assert first.split('name="csrfmiddlewaretoken"')[0] == again.split('name="csrfmiddlewaretoken"')[0]  # the same page, charts included
    learner.post("/progress/exam-date", {"exam_date": ""})
    learner.get("/progress/")
    assert len(drawn) == 2  # a new board, new charts


def test_a_change_request_of_the_learner_drops_their_board(learner, alice):
    before = _answered(learner)
    answer_many(alice, 5)  # written without a request of theirs: the kept board does not know
    assert _answered(learner) == before
    learner.post("/progress/exam-date", {"exam_date": ""})  # any POST of theirs, whatever it changes
    assert _answered(learner) != before


def test_the_home_page_shares_the_kept_board(learner, alice):
    learner.get("/progress/")
    with CaptureQueriesContext(connection) as home:
        assert learner.get("/").status_code == 200
    assert not any("quizzes_cardstate" in q["sql"] for q in home.captured_queries)


def test_a_mock_closed_by_the_deadline_reaper_drops_the_board(learner, alice):
    now = timezone.now()
    attempt = Attempt.objects.create(user=alice, kind=Attempt.MOCK, scope="Mock exam", seed=1, started_at=now - timedelta(hours=2), deadline=now)
    result_link = reverse("mock_result", args=[attempt.id])
    assert result_link not in learner.get("/progress/").content.decode()
    assert exam.submit_expired() == 1  # the beat task: no request of the learner's
    assert result_link in learner.get("/progress/").content.decode()


@pytest.fixture
def run(alice, loaded_labs):
    connection_ = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    return LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection_, prefix="dea-board001",
                                 state=LabRun.READY, expires_at=timezone.now() + timedelta(hours=1))


def test_a_lab_workers_writes_drop_the_board(learner, alice, run):
    board = board_cache.board(alice)
    assert len(board.extras["labs"]["running"]) == 1
    LabRun.objects.filter(id=run.id).update(state=LabRun.DELETED)  # the teardown task's write
    assert board_cache.board(alice).extras["labs"]["running"] == []
    passed_before = board_cache.board(alice).extras["labs"]["checks_passed"]
    CheckResult.objects.create(user=alice, run=run, step="s", check_id="c", passed=True, reason="", needs_real_aws=False, fidelity="emulated")
    assert board_cache.board(alice).extras["labs"]["checks_passed"] == passed_before + 1


def test_each_learner_has_their_own_board(learner, bob):
    other = Client()
    other.force_login(bob)
    alice_figure = _answered(learner)
    assert _answered(other) != alice_figure and _answered(learner) == alice_figure


def test_a_board_of_another_day_or_content_version_is_made_again(learner, alice):
    board_cache.board(alice)
    key = f"board:{alice.pk}"
    (day, version), kept, drawn = caches["shared"].get(key)
    caches["shared"].set(key, ((day - timedelta(days=1), version), "yesterday's board", drawn))
    assert board_cache.board(alice) != "yesterday's board"
    content_digest.record("a new sync")
    caches["shared"].set(key, ((day, version), "the board of the previous content", drawn))
    assert board_cache.board(alice) != "the board of the previous content"
