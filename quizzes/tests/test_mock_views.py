from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import answers
from quizzes.models import Attempt
from quizzes.tests.conftest import pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def mock_attempt(alice_client, alice, exam_bank, short_exam):
    alice_client.post("/mock/start")
    return Attempt.objects.get(user=alice, kind=Attempt.MOCK)


def test_starting_opens_question_one_with_a_navigator(alice_client, mock_attempt):
    html = alice_client.get(f"/mock/{mock_attempt.id}/1/").content.decode()
    assert "Question 1 of 8" in html and 'aria-label="Question 8, unanswered"' in html
    assert 'data-deadline="' in html


def test_no_answer_or_explanation_is_visible_before_submission(alice_client, mock_attempt):
    for position in range(1, 9):
        html = alice_client.get(f"/mock/{mock_attempt.id}/{position}/").content.decode()
        assert "Because " not in html and "is-correct" not in html and "unscored" not in html
    assert alice_client.get(f"/mock/{mock_attempt.id}/result").status_code == 302


def test_answers_are_saved_and_survive_a_closed_browser(alice_client, client, alice, mock_attempt):
    response = alice_client.post(f"/mock/{mock_attempt.id}/1/", {"option": pick(mock_attempt, 1, "b"), "go": "next"})
    assert response.status_code == 302 and response["Location"] == f"/mock/{mock_attempt.id}/2/"
    client.force_login(alice)  # a new browser session
    html = client.get(f"/mock/{mock_attempt.id}/1/").content.decode()
    assert f'value="{pick(mock_attempt, 1, "b")[0]}" checked' in html and 'aria-label="Question 1, answered"' in html
    assert client.post("/mock/start")["Location"] == f"/mock/{mock_attempt.id}/1/"  # resumes, no second exam


def test_flagging_shows_in_the_navigator_and_review(alice_client, mock_attempt):
    alice_client.post(f"/mock/{mock_attempt.id}/3/flag", {"flagged": "1"})
    html = alice_client.get(f"/mock/{mock_attempt.id}/review").content.decode()
    assert "8 unanswered · 1 flagged" in html and 'aria-label="Question 3, unanswered, flagged"' in html


def test_submitting_shows_the_score_report_with_explanations(alice_client, mock_attempt):
    for position in range(1, 9):
        alice_client.post(f"/mock/{mock_attempt.id}/{position}/", {"option": pick(mock_attempt, position, "a"), "go": "next"})
    response = alice_client.post(f"/mock/{mock_attempt.id}/submit")
    assert response["Location"] == f"/mock/{mock_attempt.id}/result"
    html = alice_client.get(response["Location"]).content.decode()
    assert "1000" in html and "Pass" in html and "Because a" in html and "How we compute the scaled score" in html
    assert "Data Ingestion and Transformation" in html


def test_answers_after_the_deadline_are_rejected_and_the_exam_is_submitted(alice_client, mock_attempt):
    Attempt.objects.filter(id=mock_attempt.id).update(deadline=timezone.now() - timedelta(seconds=1))
    response = alice_client.post(f"/mock/{mock_attempt.id}/1/", {"option": pick(mock_attempt, 1, "a"), "go": "next"})
    assert response.status_code in (302, 403)
    mock_attempt.refresh_from_db()
    assert not mock_attempt.is_open
    assert mock_attempt.responses.get(position=1).chosen is None


def test_a_submitted_exam_accepts_nothing(alice_client, mock_attempt):
    alice_client.post(f"/mock/{mock_attempt.id}/submit")
    response = alice_client.post(f"/mock/{mock_attempt.id}/1/", {"option": pick(mock_attempt, 1, "a")})
    assert response.status_code == 302 and response["Location"].endswith("/result")
    assert mock_attempt.responses.filter(chosen__isnull=False).count() == 0


def test_another_learners_exam_is_404(client, bob, mock_attempt):
    client.force_login(bob)
    for url in [f"/mock/{mock_attempt.id}/1/", f"/mock/{mock_attempt.id}/review", f"/mock/{mock_attempt.id}/result"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/mock/{mock_attempt.id}/1/", {"option": "a"}).status_code == 404
    assert client.post(f"/mock/{mock_attempt.id}/submit").status_code == 404
    mock_attempt.refresh_from_db()
    assert mock_attempt.is_open


@pytest.mark.parametrize("data", [{"option": "z"}, {"option": ["a", "b"]}, {}, {"option": "<script>"}])
def test_tampered_answers_get_a_400(alice_client, mock_attempt, data):
    assert alice_client.post(f"/mock/{mock_attempt.id}/1/", data).status_code == 400


def test_unknown_positions_and_attempts_are_404(alice_client, mock_attempt):
    assert alice_client.get(f"/mock/{mock_attempt.id}/99/").status_code == 404
    assert alice_client.get("/mock/999999/1/").status_code == 404


def test_the_server_refuses_an_answer_that_arrives_after_the_deadline(mock_attempt):
    response = mock_attempt.responses.select_related("question").get(position=1)
    choice = answers.parse_choice(response, ["a"], None, False)
    with pytest.raises(answers.AnswerRejected, match="Time is up") as rejected:
        answers.record(mock_attempt, response, choice, now=mock_attempt.deadline + timedelta(seconds=1))
    assert rejected.value.status == 403
