"""Malformed input gets a 4xx with a message, never a 500 nor a partial write (issue 20, item 7), with property tests."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labs.models import AwsConnection
from quizzes import answers
from quizzes.models import CardState, Response
from quizzes.practice import Scope, start_practice
from studyapp import progress
from studyapp.models import Lesson
from studyapp.numbers import whole_number
from studyapp.tests.test_import_safety import VALID
from workbench.tests.conftest import workbench, workbench_var  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ODD_NUMBERS = ["²", "٣", "1²", "-1", "+1", " 1", "1.0", "9" * 5000, "1e3", "０", ""]


@pytest.mark.parametrize("text", ODD_NUMBERS)
def test_whole_number_takes_only_short_ascii_digits(text):
    assert whole_number(text) is None
    assert whole_number("42") == 42


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_practice_start_refuses_odd_numbers(alice_client, loaded_bank, value):
    assert alice_client.post("/practice/start", {"scope": "domain", "domain": value}).status_code == (302 if value == " 1" else 400)  # (stripped)
    assert alice_client.post("/practice/start", {"scope": "all", "size": value}).status_code in (302, 400)


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_flashcard_ratings_refuse_odd_card_refs(alice_client, loaded_bank, value):
    response = alice_client.post("/flashcards/rate", {"card": f"s{value}", "rating": "3"})
    assert 400 <= response.status_code < 500 or response.status_code == 302


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_lab_launch_refuses_odd_connection_ids(alice_client, loaded_labs, value):
    assert alice_client.post("/labs/setup/launch", {"connection": value}).status_code == 400


def test_concurrent_answers_to_one_practice_question_count_once(alice, loaded_bank):
    attempt = start_practice(alice, scope=Scope("all"), size=5, certainty=False, seed=3)
    first = attempt.responses.get(position=1)
    question = first.question
    wrong = [[option["id"]] for option in question.options if [option["id"]] != sorted(question.answer)]
    # Four requests each loaded the unanswered response before any of them saved.
    stale = [Response.objects.select_related("question").get(id=first.id) for _ in range(4)]
    outcomes = []
    for response, chosen in zip(stale, (wrong * 4)[:4], strict=True):
        try:
            answers.record(attempt, response, answers.Choice(options=chosen, certainty=None))
            outcomes.append("recorded")
        except answers.AnswerRejected as rejected:
            outcomes.append(rejected.status)
    assert outcomes == ["recorded", 409, 409, 409]
    assert CardState.objects.filter(user=alice, question=question).count() == 1


@PROPERTY
@given(scope=st.text(max_size=12), value=st.text(max_size=12), size=st.text(max_size=12), certainty=st.text(max_size=4))
def test_practice_start_never_fails_on_any_input(alice_client, loaded_bank, scope, value, size, certainty):
    response = alice_client.post("/practice/start", {"scope": scope, scope or "x": value, "size": size, "certainty": certainty})
    assert response.status_code in (302, 400)


@PROPERTY
@given(card=st.text(max_size=12), rating=st.text(max_size=6))
def test_flashcard_rating_never_fails_on_any_input(alice_client, loaded_bank, card, rating):
    assert alice_client.post("/flashcards/rate", {"card": card, "rating": rating}).status_code < 500


@PROPERTY
@given(retention=st.text(max_size=12), per_day=st.text(max_size=12))
def test_flashcard_settings_never_fail_on_any_input(alice_client, loaded_bank, retention, per_day):
    assert alice_client.post("/flashcards/settings", {"desired_retention": retention, "new_cards_per_day": per_day}).status_code in (302, 400)


@PROPERTY
@given(connection=st.text(max_size=12), kind=st.text(max_size=10), name=st.text(max_size=100))
def test_lab_forms_never_fail_on_any_input(alice_client, alice, loaded_labs, connection, kind, name):
    AwsConnection.objects.get_or_create(user=alice, kind="sandbox", name="sandbox")
    assert alice_client.post("/labs/setup/launch", {"connection": connection}).status_code < 500
    assert alice_client.post("/labs/connections/add", {"kind": kind, "name": name}).status_code < 500


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3), max_leaves=8)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


PATHS = [path for path in _paths(VALID) if path and path[0] not in ("format", "version")]


@PROPERTY
@given(path=st.sampled_from(PATHS), replacement=JSON)
def test_any_damaged_export_is_refused_whole_or_imported_whole(alice_client, alice, loaded_bank, loaded_labs, path, replacement):
    document = copy.deepcopy(VALID)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = replacement
    lesson = Lesson.objects.get(slug="basics/glue-catalog")
    progress.mark_complete(alice, lesson)
    upload = SimpleUploadedFile("export.json", json.dumps(document).encode(), content_type="application/json")
    response = alice_client.post("/progress/import", {"file": upload})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert progress.is_completed(alice, lesson)  # nothing was changed
    else:
        assert alice_client.get("/flashcards/review").status_code == 200 and alice_client.get("/progress/").status_code == 200


@PROPERTY
@given(username=st.text(max_size=40), email=st.text(max_size=40), password=st.text(max_size=40))
def test_account_forms_never_fail_on_any_input(client, alice, settings, username, email, password):
    from django.core.cache import caches

    caches["ratelimit"].clear()  # the limits are tested elsewhere; here every input must reach the form
    assert client.post("/accounts/signup/", {"username": username, "email": email, "password1": password, "password2": password}).status_code in (200, 302)
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code in (200, 302, 429)
    assert client.post("/accounts/password/reset/", {"email": email}).status_code in (200, 302)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # a child process each
@given(sql=st.text(max_size=200))
def test_the_workbench_never_fails_on_any_sql(alice_client, workbench, sql):  # noqa: F811 (the fixture)
    assert alice_client.post("/sql/run", {"sql": sql}, headers={"HX-Request": "true"}).status_code == 200
