import re

import pytest

from quizzes import practice
from quizzes.models import Attempt, CardState, Question, Response
from quizzes.tests.conftest import make_questions, pick
from studyapp.testing.instances import assert_loaded_as_orm

pytestmark = pytest.mark.django_db


def start(client, **data):
    response = client.post("/practice/start", {"scope": "all", "size": "5", **data})
    return response, Attempt.objects.filter(kind=Attempt.PRACTICE).order_by("-id").first()


def answer_right(client, attempt, position):
    response = attempt.responses.select_related("question").get(position=position)
    return client.post(f"/practice/{attempt.id}/{position}/", {"option": pick(attempt, position, *response.question.answer), "certainty": "3"})


def test_a_set_covers_the_scope_without_repeats(alice_client, loaded_bank):
    response, attempt = start(alice_client, scope="domain", domain="2")
    assert response.status_code == 302 and response["Location"] == f"/practice/{attempt.id}/1/"
    qids = list(attempt.responses.values_list("question__qid", flat=True))
    assert sorted(qids) == ["crawler-fills-catalog", "deep-archive-cheapest", "partition-folders"]


def test_feedback_explains_every_option_and_links_the_lesson(alice_client, loaded_bank):
    _, attempt = start(alice_client, scope="task", task="2.2")
    html = alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")}).content.decode()
    assert "Not quite." in html
    for why in ["Crawlers infer schemas", "Macie finds sensitive data", "DataSync moves files", "SNS sends notifications"]:
        assert why in html
    assert 'href="/lessons/basics/glue-catalog/#crawlers-and-classifiers"' in html


def test_multi_response_says_how_many_and_is_all_or_nothing(alice_client, loaded_bank):
    _, attempt = start(alice_client, scope="task", task="2.4")
    assert "Choose 2." in alice_client.get(f"/practice/{attempt.id}/1/").content.decode()
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "a")}).status_code == 400
    html = alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "a", "c")}).content.decode()
    assert "Not quite." in html and Response.objects.get(attempt=attempt).correct is False


def test_a_missed_question_joins_the_review_queue(alice_client, alice, loaded_bank):
    _, attempt = start(alice_client, scope="task", task="2.3")
    alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")})
    assert CardState.objects.filter(user=alice, question__qid="deep-archive-cheapest").exists()


def test_a_missed_answer_is_kept_only_with_its_review_card(alice_client, alice, loaded_bank, monkeypatch):
    from quizzes import srs

    _, attempt = start(alice_client, scope="task", task="2.3")

    def fail(*args, **kwargs):
        raise RuntimeError("the review card could not be stored")

    monkeypatch.setattr(srs, "add_missed_questions", fail)
    with pytest.raises(RuntimeError):
        alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")})
    assert Response.objects.get(attempt=attempt, position=1).chosen is None  # not answered: it can be answered again
    monkeypatch.undo()
    assert "Not quite." in alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")}).content.decode()
    assert CardState.objects.filter(user=alice, question__qid="deep-archive-cheapest").exists()


def test_unseen_then_missed_questions_come_first(alice, db):
    questions = make_questions({1: 6})
    history = {questions[0].id: False, questions[1].id: True, questions[2].id: True}
    import random

    chosen = practice.choose(questions, history, 4, random.Random(1))
    assert {q.id for q in chosen} == {q.id for q in questions[3:]} | {questions[0].id}


def test_questions_i_missed_scope(alice_client, alice, loaded_bank):
    _, attempt = start(alice_client, scope="task", task="2.3")
    alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")})
    _, missed = start(alice_client, scope="missed")
    assert list(missed.responses.values_list("question__qid", flat=True)) == ["deep-archive-cheapest"]


def test_options_are_shuffled_per_attempt(alice, db):
    make_questions({1: 1})
    orders = {tuple(practice.start_practice(alice, scope=practice.Scope("all"), size=5, certainty=False, seed=s).responses.get().option_order) for s in range(8)}
    assert len(orders) > 1


def test_certainty_marks_follow_moodles_scheme(alice_client, db):
    make_questions({1: 5})  # single-answer questions where option a is right
    _, attempt = start(alice_client, scope="all", size="5", certainty="on")
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "a"), "certainty": "3"}).status_code == 200
    missing = alice_client.post(f"/practice/{attempt.id}/2/", {"option": pick(attempt, 2, "b")})
    assert missing.status_code == 400 and b"how sure" in missing.content
    alice_client.post(f"/practice/{attempt.id}/2/", {"option": pick(attempt, 2, "b"), "certainty": "3"})
    alice_client.post(f"/practice/{attempt.id}/3/", {"option": pick(attempt, 3, "b"), "certainty": "1"})
    html = alice_client.post(f"/practice/{attempt.id}/summary").content.decode()
    assert "Your mark: <strong>-3</strong>" in html  # +3 right and certain, -6 wrong and certain, 0 wrong and unsure


def test_answering_twice_or_tampering_is_rejected(alice_client, loaded_bank):
    _, attempt = start(alice_client, scope="task", task="2.2")
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": "zz"}).status_code == 400
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "a")}).status_code == 200
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")}).status_code == 409
    assert Response.objects.get(attempt=attempt).chosen == ["a"]


def test_bad_scopes_get_a_400(alice_client, loaded_bank):
    for data in [{"scope": "domain", "domain": "9"}, {"scope": "task", "task": "x"}, {"scope": "nope"}, {"scope": "all", "size": "7"}]:
        assert alice_client.post("/practice/start", data).status_code == 400


def test_another_learners_practice_is_404(client, alice_client, bob, loaded_bank):
    _, attempt = start(alice_client)
    client.force_login(bob)
    assert client.get(f"/practice/{attempt.id}/1/").status_code == 404
    assert client.post(f"/practice/{attempt.id}/1/", {"option": "a"}).status_code == 404
    assert client.get(f"/practice/{attempt.id}/summary").status_code == 404


def test_the_hand_written_lookup_loads_what_the_orm_loads(alice, bob, loaded_bank):
    """get_attempt_and_response writes its SQL by hand (studyapp.rows): every field, type and conversion must match
    a queryset's, for a mock (deadline, JSON answers, certainty) and a practice attempt, on SQLite and PostgreSQL."""
    from datetime import timedelta

    from django.http import Http404

    from quizzes.views.common import get_attempt_and_response

    answered = practice.start_practice(alice, scope=practice.Scope("all"), size=5, certainty=True, seed=5)
    answered.responses.filter(position=2).update(chosen=["b", "d"], correct=False, certainty=2, flagged=True, answered_at=answered.started_at)
    exam = practice.start_practice(alice, scope=practice.Scope("all"), size=5, certainty=False, seed=6)
    Attempt.objects.filter(id=exam.id).update(kind=Attempt.MOCK, deadline=exam.started_at + timedelta(minutes=170))
    exam.refresh_from_db()
    for attempt in (answered, exam):
        for position in (1, 2):
            loaded_attempt, loaded = get_attempt_and_response(alice, attempt.id, attempt.kind, position)
            expected = Response.objects.select_related("attempt", "question").get(attempt=attempt, position=position)
            for got, want in ((loaded, expected), (loaded_attempt, expected.attempt), (loaded.question, expected.question)):
                assert_loaded_as_orm(got, want)
            assert loaded_attempt.total == attempt.responses.count() and loaded_attempt.user == alice
    for user, kind, position in ((bob, answered.kind, 1), (alice, Attempt.MOCK, 1), (alice, answered.kind, 99)):
        with pytest.raises(Http404):
            get_attempt_and_response(user, answered.id, kind, position)


def _queries_for_one_answer(client, attempt) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = attempt.responses.select_related("question").get(position=1)
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, next(o["id"] for o in response.question.options if o["id"] not in response.question.answer))})
        client.get(f"/practice/{attempt.id}/2/")
    return len(queries)


def test_answering_costs_the_same_queries_whatever_the_history(alice_client, alice):
    make_questions({1: 30, 2: 10})
    small = practice.start_practice(alice, scope=practice.Scope("all"), size=5, certainty=False, seed=1)
    alice_client.get("/practice/")  # the signed-in user and the nav's lab badge are read once, then kept in the shared cache
    first = _queries_for_one_answer(alice_client, small)
    # A long history: hundreds of answered responses.
    for seed in range(2, 40):
        attempt = practice.start_practice(alice, scope=practice.Scope("all"), size=20, certainty=False, seed=seed)
        attempt.responses.update(chosen=["b"], correct=False, answered_at=attempt.started_at)
    assert Response.objects.filter(attempt__user=alice, chosen__isnull=False).count() > 700
    big = practice.start_practice(alice, scope=practice.Scope("all"), size=5, certainty=False, seed=99)
    assert _queries_for_one_answer(alice_client, big) == first
    assert Question.objects.count() == 40


def test_one_scope_value_names_both_kind_and_choice(alice_client, loaded_bank):
    _, attempt = start(alice_client, scope="lesson:storage/s3-basics")
    assert list(attempt.responses.values_list("question__qid", flat=True)) == ["deep-archive-cheapest"]
    _, attempt = start(alice_client, scope="service:AWS Glue")
    assert sorted(attempt.responses.values_list("question__qid", flat=True)) == ["crawler-fills-catalog", "partition-folders"]
    _, attempt = start(alice_client, scope="task:2.4")
    assert attempt.scope == "Task 2.4: Design data models and schema evolution"


def test_the_form_is_one_select_and_a_link_can_preselect_it(alice_client, loaded_bank):
    html = alice_client.get("/practice/?scope=task:2.2").content.decode()
    assert html.count('name="scope"') == 1 and '<optgroup label="Service">' in html
    assert '<option value="task:2.2" selected>' in html and '<option value="all" selected>' not in html
    assert html.count(">AWS Glue</option>") == 1


def test_a_scope_error_keeps_the_learners_choices(alice_client, loaded_bank):
    response = alice_client.post("/practice/start", {"scope": "service:Amazon Imaginary", "size": "20", "certainty": "on"})
    html = response.content.decode()
    assert response.status_code == 400 and "No questions match" in html
    assert 'value="20" checked' in html and 'name="certainty" checked' in html


def test_choose_n_error_keeps_the_ticked_options(alice_client, loaded_bank):
    _, attempt = start(alice_client, scope="task:2.4", certainty="on")
    response = alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b"), "certainty": "2"})
    html = response.content.decode()
    assert response.status_code == 400 and "Choose exactly 2 options." in html
    assert f'value="{pick(attempt, 1, "b")[0]}" checked' in html and f'value="{pick(attempt, 1, "a")[0]}" checked' not in html
    assert 'name="certainty" value="2" checked' in html


def test_retry_missed_starts_a_set_of_exactly_the_missed_questions(alice_client, alice, loaded_bank):
    _, attempt = start(alice_client, scope="domain:2")
    for response in attempt.responses.select_related("question"):
        wrong = next(o["id"] for o in response.question.options if o["id"] not in response.question.answer)
        chosen = response.question.answer if response.question.qid == "partition-folders" else [wrong]
        if response.question.type == "multi" and chosen != response.question.answer:
            chosen = [wrong, response.question.answer[0]]
        alice_client.post(f"/practice/{attempt.id}/{response.position}/", {"option": pick(attempt, response.position, *chosen)})
    html = alice_client.post(f"/practice/{attempt.id}/summary").content.decode()
    assert "Retry the 2 missed questions" in html
    retry = alice_client.post(f"/practice/{attempt.id}/retry")
    again = Attempt.objects.order_by("-id").first()
    assert retry["Location"] == f"/practice/{again.id}/1/" and again.scope.startswith("Retry missed: Domain 2")
    assert sorted(again.responses.values_list("question__qid", flat=True)) == ["crawler-fills-catalog", "deep-archive-cheapest"]


def test_retry_with_nothing_missed_or_someone_elses_set_is_refused(client, alice_client, bob, loaded_bank):
    _, attempt = start(alice_client, scope="task:2.3")
    alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "a")})
    assert alice_client.post(f"/practice/{attempt.id}/retry").status_code == 409
    client.force_login(bob)
    assert client.post(f"/practice/{attempt.id}/retry").status_code == 404


def test_the_certainty_mark_comes_with_its_scale(alice_client, db):
    make_questions({1: 2})
    _, attempt = start(alice_client, scope="all", size="5", certainty="on")
    html = alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b"), "certainty": "3"}).content.decode()
    assert "Certainty mark: -6 (you said certain; the scale runs from −6 to +3)" in html
    assert "How certainty-based marking scores" in html and "<td>+3</td><td>−6</td>" in html


def test_a_lesson_page_offers_to_practise_that_lesson(alice_client, loaded_bank):
    from studyapp.sync import read_default_course, sync_lessons

    sync_lessons(read_default_course())
    html = alice_client.get("/lessons/storage/s3-basics/").content.decode()
    assert 'value="lesson:storage/s3-basics"' in html and "Practise this lesson" in html and "1 question" in html
    response = alice_client.post("/practice/start", {"scope": "lesson:storage/s3-basics", "size": "10"})
    attempt = Attempt.objects.order_by("-id").first()
    assert response.status_code == 302 and attempt.scope == "Lesson: Amazon S3 basics"
    Question.objects.filter(lesson__startswith="storage/s3-basics#").update(retired=True)
    html = alice_client.get("/lessons/storage/s3-basics/").content.decode()
    assert "S3 basics" in html and "Practise this lesson" not in html


def test_answer_forms_send_per_response_tokens_never_the_banks_option_ids(alice_client, loaded_bank):
    from quizzes.option_tokens import token

    _, attempt = start(alice_client, scope="all")
    page = alice_client.get(f"/practice/{attempt.id}/1/").content.decode()
    response = attempt.responses.get(position=1)
    values = re.findall(r'name="option" value="([^"]*)"', page)
    assert sorted(values) == sorted(token(response.id, option_id) for option_id in response.option_order)
    assert not set(values) & {option["id"] for option in response.question.options}
    # The bank's ids (always "a", say) are refused, and a token of another response does not fit this one.
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": response.question.answer, "certainty": "3"}).status_code == 400
    other = attempt.responses.get(position=2)
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": [token(other.id, a) for a in response.question.answer], "certainty": "3"}).status_code == 400
    assert alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, *response.question.answer), "certainty": "3"}).status_code == 200
