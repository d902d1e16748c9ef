from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quizzes import answers
from quizzes.models import Attempt, CardState
from quizzes.tests.conftest import pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def mock_attempt(alice_client, alice, exam_bank, short_exam):
    alice_client.post("/mock/start")
    return Attempt.objects.get(user=alice, kind=Attempt.MOCK)


def test_starting_opens_question_one_with_a_navigator(alice_client, mock_attempt):
    html = alice_client.get(f"/mock/{mock_attempt.id}/1/").content.decode()
    assert "Question 1 of 8" in html and 'aria-label="Question 8, unanswered"' in html
    assert 'data-seconds-left="' in html


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
    assert client.post("/mock/start")["Location"] == f"/mock/{mock_attempt.id}/2/"  # resumes at the first unanswered, no second exam


def test_flagging_shows_in_the_navigator_and_review(alice_client, mock_attempt):
    alice_client.post(f"/mock/{mock_attempt.id}/3/flag", {"flagged": "1"})
    assert 'aria-label="Question 3, unanswered, flagged"' in alice_client.get(f"/mock/{mock_attempt.id}/1/").content.decode()
    html = alice_client.get(f"/mock/{mock_attempt.id}/review").content.decode()
    assert "0 answered · 8 unanswered · 1 flagged" in html


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


@pytest.mark.parametrize("data", [{"option": "z"}, {"option": ["a", "b"]}, {"option": ["a", "a"]}, {"option": "<script>"}])
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


def _chosen(attempt, position):
    return attempt.responses.get(position=position).chosen


def test_moving_on_without_an_answer_leaves_the_question_unanswered(alice_client, mock_attempt):
    response = alice_client.post(f"/mock/{mock_attempt.id}/1/", {"go": "next"})
    assert response["Location"] == f"/mock/{mock_attempt.id}/2/" and _chosen(mock_attempt, 1) is None


def test_flagging_from_the_question_form_keeps_the_selection(alice_client, mock_attempt):
    response = alice_client.post(f"/mock/{mock_attempt.id}/2/", {"option": pick(mock_attempt, 2, "c"), "flag": "1"})
    assert response["Location"] == f"/mock/{mock_attempt.id}/2/"
    row = mock_attempt.responses.get(position=2)
    assert row.chosen == ["c"] and row.flagged and row.correct is False
    html = alice_client.get(response["Location"]).content.decode()
    assert f'value="{pick(mock_attempt, 2, "c")[0]}" checked' in html and "Remove flag" in html


def test_a_navigator_click_saves_the_selection_and_opens_that_question(alice_client, mock_attempt):
    response = alice_client.post(f"/mock/{mock_attempt.id}/1/", {"option": pick(mock_attempt, 1, "a"), "go": "5"})
    assert response["Location"] == f"/mock/{mock_attempt.id}/5/" and _chosen(mock_attempt, 1) == ["a"]
    assert alice_client.post(f"/mock/{mock_attempt.id}/1/", {"option": pick(mock_attempt, 1, "a"), "go": "99"})["Location"] == f"/mock/{mock_attempt.id}/review"


def test_the_save_endpoint_stores_changes_and_clears_an_emptied_selection(alice_client, mock_attempt):
    url = f"/mock/{mock_attempt.id}/3/save"
    reply = alice_client.post(url, {"option": pick(mock_attempt, 3, "b")})
    assert reply.status_code == 200 and reply.json() == {"position": 3, "answered": True, "flagged": False}
    assert _chosen(mock_attempt, 3) == ["b"]
    assert alice_client.post(url, {"flag": "1"}).json() == {"position": 3, "answered": False, "flagged": True}
    row = mock_attempt.responses.get(position=3)
    assert row.chosen is None and row.correct is None and row.flagged
    assert 'aria-label="Question 3, unanswered, flagged"' in alice_client.get(f"/mock/{mock_attempt.id}/1/").content.decode()  # the navigator agrees


def test_a_partial_multiple_response_selection_is_kept_and_scored_wrong(alice_client, mock_attempt):
    question = mock_attempt.responses.get(position=4).question
    question.type, question.answer = "multi", ["a", "b"]
    question.save()
    assert alice_client.post(f"/mock/{mock_attempt.id}/4/save", {"option": pick(mock_attempt, 4, "a")}).status_code == 200
    row = mock_attempt.responses.get(position=4)
    assert row.chosen == ["a"] and row.correct is False
    assert alice_client.post(f"/mock/{mock_attempt.id}/4/save", {"option": pick(mock_attempt, 4, "a", "b", "c")}).status_code == 400
    alice_client.post(f"/mock/{mock_attempt.id}/4/save", {"option": pick(mock_attempt, 4, "b", "a")})
    assert mock_attempt.responses.get(position=4).correct is True


def test_the_save_endpoint_refuses_tampering_late_answers_and_other_learners(alice_client, bob, mock_attempt):
    assert alice_client.post(f"/mock/{mock_attempt.id}/1/save", {"option": "z"}).status_code == 400
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.post(f"/mock/{mock_attempt.id}/1/save", {"option": pick(mock_attempt, 1, "a")}).status_code == 404
    Attempt.objects.filter(id=mock_attempt.id).update(deadline=timezone.now() - timedelta(seconds=1))
    assert alice_client.post(f"/mock/{mock_attempt.id}/1/save", {"option": pick(mock_attempt, 1, "a")}).status_code == 409
    assert _chosen(mock_attempt, 1) is None


def test_resume_opens_the_first_unanswered_question(alice_client, mock_attempt):
    for position in (1, 2, 4):
        alice_client.post(f"/mock/{mock_attempt.id}/{position}/save", {"option": pick(mock_attempt, position, "a")})
    assert f'href="/mock/{mock_attempt.id}/3/">Resume your exam' in alice_client.get("/mock/").content.decode()
    assert alice_client.post("/mock/start")["Location"] == f"/mock/{mock_attempt.id}/3/"


def test_the_review_lists_first_lines_and_filters_unanswered_and_flagged(alice_client, mock_attempt):
    alice_client.post(f"/mock/{mock_attempt.id}/1/save", {"option": pick(mock_attempt, 1, "a")})
    alice_client.post(f"/mock/{mock_attempt.id}/2/save", {"flag": "1"})
    html = alice_client.get(f"/mock/{mock_attempt.id}/review").content.decode()
    assert html.count("<tr class=") == 8 and "Synthetic question" in html and "Flagged" in html
    unanswered = alice_client.get(f"/mock/{mock_attempt.id}/review?show=unanswered").content.decode()
    assert unanswered.count("<tr class=") == 7 and f'href="/mock/{mock_attempt.id}/1/"' not in unanswered
    flagged = alice_client.get(f"/mock/{mock_attempt.id}/review?show=flagged").content.decode()
    assert flagged.count("<tr class=") == 1 and f'href="/mock/{mock_attempt.id}/2/"' in flagged
    assert alice_client.get(f"/mock/{mock_attempt.id}/review?show=<x>").status_code == 200


def test_submitting_asks_for_confirmation_with_the_counts(alice_client, mock_attempt):
    alice_client.post(f"/mock/{mock_attempt.id}/1/save", {"option": pick(mock_attempt, 1, "a"), "flag": "1"})
    html = alice_client.get(f"/mock/{mock_attempt.id}/submit").content.decode()
    assert "<strong>1</strong> answered · <strong>7</strong> unanswered · <strong>1</strong> flagged" in html
    assert "7 questions unanswered will count as wrong" in html
    mock_attempt.refresh_from_db()
    assert mock_attempt.is_open  # asking is not submitting


def test_the_timer_shows_the_servers_time_left(alice_client, mock_attempt):
    html = alice_client.get(f"/mock/{mock_attempt.id}/1/").content.decode()
    assert 'data-seconds-left="29' in html or 'data-seconds-left="30' in html  # 5 minutes
    Attempt.objects.filter(id=mock_attempt.id).update(deadline=timezone.now() + timedelta(minutes=10))
    html = alice_client.get(f"/mock/{mock_attempt.id}/1/").content.decode()
    assert 'class="timer low"' in html and "9 min" in html


def _finish(client, attempt, answers: dict[int, str], flagged=()):
    for position, option in answers.items():
        client.post(f"/mock/{attempt.id}/{position}/save", {"option": pick(attempt, position, option)})
    for position in flagged:
        client.post(f"/mock/{attempt.id}/{position}/save", {"option": pick(attempt, position, answers[position]) if position in answers else [], "flag": "1"})
    client.post(f"/mock/{attempt.id}/submit")
    attempt.refresh_from_db()


def test_the_result_puts_the_summary_first_with_time_used(alice_client, mock_attempt):
    Attempt.objects.filter(id=mock_attempt.id).update(started_at=mock_attempt.started_at - timedelta(minutes=3))
    _finish(alice_client, mock_attempt, {1: "a", 2: "b"})
    html = alice_client.get(f"/mock/{mock_attempt.id}/result").content.decode()
    assert html.index("pass mark <strong>720</strong>") < html.index("By domain") < html.index("By task statement") < html.index("The questions")
    assert "<strong>2 / 8</strong> answered" in html and 'id="time-used">3 min' in html and "per question" in html
    assert html.count("<details class=\"question") == 8 and "<article" not in html


@pytest.mark.parametrize("query, expected", [
    ("", 8), ("?show=incorrect", 1), ("?show=unanswered", 6), ("?show=flagged", 2), ("?show=bogus&domain=9&task=x", 8),
])
def test_the_result_questions_filter_by_state(alice_client, mock_attempt, query, expected):
    _finish(alice_client, mock_attempt, {1: "a", 2: "b"}, flagged=(2, 3))
    html = alice_client.get(f"/mock/{mock_attempt.id}/result{query}").content.decode()
    assert html.count("<details class=\"question") == expected and f"Showing {expected} of 8 questions" in html


def test_the_result_questions_filter_by_domain_and_task(alice_client, mock_attempt):
    _finish(alice_client, mock_attempt, {})
    in_domain_2 = mock_attempt.responses.filter(question__domain=2).count()
    html = alice_client.get(f"/mock/{mock_attempt.id}/result?domain=2").content.decode()
    assert html.count("<details class=\"question") == in_domain_2 > 0
    html = alice_client.get(f"/mock/{mock_attempt.id}/result?task=2.1&show=unanswered").content.decode()
    assert html.count("<details class=\"question") == in_domain_2  # the synthetic bank has one task per domain


def test_practising_the_weakest_tasks_starts_a_set_on_them(alice_client, alice, mock_attempt):
    right_everywhere_but_domain_3 = {r.position: "b" if r.question.domain == 3 else "a" for r in mock_attempt.responses.select_related("question")}
    _finish(alice_client, mock_attempt, right_everywhere_but_domain_3)
    assert "Practise my weakest tasks (3.1)" in alice_client.get(f"/mock/{mock_attempt.id}/result").content.decode()
    response = alice_client.post(f"/mock/{mock_attempt.id}/practise-weakest")
    drill = Attempt.objects.filter(user=alice, kind=Attempt.PRACTICE).get()
    assert response["Location"] == f"/practice/{drill.id}/1/"
    assert drill.responses.count() == 10 and set(drill.responses.values_list("question__task", flat=True)) == {"3.1"}


def test_missed_questions_become_review_cards_once(alice_client, alice, mock_attempt):
    _finish(alice_client, mock_attempt, {1: "b", 2: "a"})  # one wrong, one right, six blank
    assert CardState.objects.filter(user=alice).count() == 1  # submitting already queues wrong answers
    response = alice_client.post(f"/mock/{mock_attempt.id}/missed-to-review", follow=True)
    assert "6 missed questions added to your review cards; 1 already there." in response.content.decode()
    alice_client.post(f"/mock/{mock_attempt.id}/missed-to-review")
    assert CardState.objects.filter(user=alice).count() == 7


def test_result_actions_need_a_submitted_exam_of_ones_own(alice_client, bob, mock_attempt):
    assert alice_client.post(f"/mock/{mock_attempt.id}/missed-to-review").status_code == 409
    assert alice_client.post(f"/mock/{mock_attempt.id}/practise-weakest").status_code == 409
    _finish(alice_client, mock_attempt, {})
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.post(f"/mock/{mock_attempt.id}/missed-to-review").status_code == 404
    assert bob_client.post(f"/mock/{mock_attempt.id}/practise-weakest").status_code == 404
    assert bob_client.get(f"/mock/{mock_attempt.id}/result").status_code == 404
    assert not CardState.objects.exists()


def test_review_and_submit_from_a_question_carries_the_selection(alice_client, mock_attempt):
    response = alice_client.post(f"/mock/{mock_attempt.id}/6/", {"option": pick(mock_attempt, 6, "d"), "go": "review"})
    assert response["Location"] == f"/mock/{mock_attempt.id}/review" and _chosen(mock_attempt, 6) == ["d"]


def test_the_navigator_cells_built_in_python_equal_the_template_they_replace():
    from django.template import Context, Template

    from quizzes.views.mock import _navigator_cells

    template = Template(  # the loop _navigator.html had (in_form=True, its only use)
        '{% for item in navigator %}<li><button type="submit" form="answer-form" name="go" value="{{ item.position }}" data-position="{{ item.position }}" '
        'class="nav-cell{% if item.answered %} answered{% endif %}{% if item.flagged %} flagged{% endif %}{% if item.position == current %} current{% endif %}"\n'
        '    aria-label="Question {{ item.position }}{% if item.answered %}, answered{% else %}, unanswered{% endif %}{% if item.flagged %}, flagged{% endif %}"'
        '{% if item.position == current %} aria-current="step"{% endif %}>{{ item.position }}<span class="flag-mark" aria-hidden="true">⚑</span></button></li>'
        "{% endfor %}"
    )
    navigator = [{"position": p, "answered": p % 2 == 0, "flagged": p % 3 == 0} for p in range(1, 66)]
    for current in (1, 6, 65):
        assert _navigator_cells(navigator, current) == template.render(Context({"navigator": navigator, "current": current}))
