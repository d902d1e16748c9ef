"""Sources on questions and flashcards: validated, loaded, and shown once the answer is known."""

from pathlib import Path

import pytest

from quizzes.models import Attempt, Flashcard, Question
from quizzes.tests.conftest import pick
from quizzes.tests.test_bank import GOOD
from studyapp.sources import read_catalog

pytestmark = pytest.mark.django_db

CRAWLER_PAGE = "https://docs.aws.amazon.com/glue/latest/dg/add-crawler.html"

QUESTION = GOOD.replace("extra-one", "extra-sourced") + "  sources: SOURCES\n"  # the bank tests' valid question, with sources


def errors_for(bank_dir: Path, sources: str) -> list[str]:
    (bank_dir / "bank" / "extra.yaml").write_text(QUESTION.replace("SOURCES", sources))
    return [str(e) for e in read_catalog().errors]


def test_aws_documentation_sources_are_accepted(bank_dir):
    assert errors_for(bank_dir, "[https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html, https://aws.amazon.com/blogs/big-data/x/]") == []


@pytest.mark.parametrize(("sources", "message"), [
    ("[http://docs.aws.amazon.com/streams/]", "must use https"),
    ("[https://example.com/kinesis]", "is not on an AWS documentation host"),
    ("[https://docs.aws.amazon.com.evil.example/x]", "is not on an AWS documentation host"),
    ("[]", "non-empty list"),
    ("https://docs.aws.amazon.com/streams/", "non-empty list"),
    ("[https://docs.aws.amazon.com/a, https://docs.aws.amazon.com/a]", "the same URL twice"),
])
def test_bad_sources_are_reported_at_the_sources_line(bank_dir, sources, message):
    found = errors_for(bank_dir, sources)
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("quizzes/bank/extra.yaml:14: ")


def test_sources_are_loaded_with_questions_and_cards(loaded_bank):
    assert Question.objects.get(qid="crawler-fills-catalog").sources == [CRAWLER_PAGE]
    assert Flashcard.objects.get(cid="card-crawler").sources == [CRAWLER_PAGE]
    assert Question.objects.get(qid="partition-folders").sources == []


def test_practice_shows_the_sources_after_answering_only(alice_client, loaded_bank):
    alice_client.post("/practice/start", {"scope": "task", "task": "2.2", "size": "5"})
    attempt = Attempt.objects.get(kind=Attempt.PRACTICE)
    assert CRAWLER_PAGE not in alice_client.get(f"/practice/{attempt.id}/1/").content.decode()
    html = alice_client.post(f"/practice/{attempt.id}/1/", {"option": pick(attempt, 1, "b")}).content.decode()
    assert f'<a href="{CRAWLER_PAGE}"' in html and "Sources (AWS documentation)" in html


def test_the_flashcard_back_shows_the_sources(alice_client, loaded_bank):
    Flashcard.objects.update(sources=[CRAWLER_PAGE])
    front = alice_client.get("/flashcards/review").content.decode()
    assert CRAWLER_PAGE not in front  # the back, sources included, comes only once the answer is shown
    ref = front.split('data-card="', 1)[1].split('"', 1)[0]
    html = alice_client.get(f"/flashcards/review?show={ref}").content.decode()
    back = html.split('<div class="back"', 1)[1]
    assert f'<a href="{CRAWLER_PAGE}"' in back


def test_the_mock_result_shows_each_questions_sources(alice_client, alice, exam_bank, short_exam):
    Question.objects.update(sources=[CRAWLER_PAGE])
    alice_client.post("/mock/start")
    attempt = Attempt.objects.get(user=alice, kind=Attempt.MOCK)
    assert CRAWLER_PAGE not in alice_client.get(f"/mock/{attempt.id}/1/").content.decode()
    alice_client.post(f"/mock/{attempt.id}/submit")
    html = alice_client.get(f"/mock/{attempt.id}/result").content.decode()
    assert html.count(f'<a href="{CRAWLER_PAGE}"') == 8
