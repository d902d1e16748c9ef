"""First steps after sign-up (exam, diagnostic, exam date) and the signed-in home page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.practice import diagnostic_quotas
from quizzes.tests.conftest import make_questions, pick
from studyapp import progress
from studyapp.models import Lesson, StudyPlan

pytestmark = pytest.mark.django_db


def test_the_diagnostic_follows_the_exam_weights():
    assert diagnostic_quotas() == {1: 3, 2: 3, 3: 2, 4: 2}


def test_the_start_page_explains_the_exam_and_starts_the_diagnostic(alice_client, alice, loaded_course):
    make_questions({1: 5, 2: 5, 3: 5, 4: 5})
    html = alice_client.get("/start/").content.decode()
    assert "65 questions in 130 minutes" in html and "720 passes" in html and 'value="diagnostic"' in html
    response = alice_client.post("/practice/start", {"scope": "diagnostic", "size": "10"})
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and attempt.scope.startswith("Diagnostic")
    domains = sorted(attempt.responses.values_list("question__domain", flat=True))
    assert domains == [1, 1, 1, 2, 2, 2, 3, 3, 4, 4]


def test_the_exam_date_form_returns_to_the_start_page(alice_client, alice, loaded_course):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = alice_client.post("/progress/exam-date", {"exam_date": day, "next": "start"})
    assert response["Location"] == "/start/" and StudyPlan.objects.get(user=alice).exam_date.isoformat() == day
    assert "Your exam is on" in alice_client.get("/start/").content.decode()


def test_home_is_continue_and_today_for_a_signed_in_learner(alice_client, alice, loaded_course):
    html = alice_client.get("/").content.decode()
    assert "Take the first steps" in html and "First lesson: Welcome" in html
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/welcome"))
    make_questions({1: 3})
    alice_client.post("/practice/start", {"scope": "all", "size": "5"})
    attempt = Attempt.objects.get()
    alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "a")})
    html = alice_client.get("/").content.decode()
    assert "Next lesson: The Glue Data Catalog" in html and "Take the first steps" not in html
    assert f'href="/practice/{attempt.id}/2/">Resume your practice set' in html
    assert "Set your exam date" in html


def test_visitors_still_get_the_landing_page(client, loaded_course):
    assert "Create a free account" in client.get("/").content.decode()
