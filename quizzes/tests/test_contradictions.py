"""No two items may key opposite answers to a fact the course once got wrong (Glue bookmarks first)."""

from pathlib import Path

import pytest

from quizzes.contradictions import FACTS
from studyapp.sources import read_catalog

pytestmark = pytest.mark.django_db

BOOKMARKS = next(fact for fact in FACTS if fact.name == "glue-bookmarks-reread-changed-s3-objects")

# The sentences a review found: they said an overwritten S3 object is not reprocessed.
WRONG_SENTENCES = [
    "They do not notice changes to files already processed: overwriting `orders.csv` in place with corrected data is not reprocessed (bookmarks track new objects, not edits).",
    "If a file that was already processed is overwritten in place with corrected data, bookmarks do not reprocess it.",
    "Deliver corrections as new files, because bookmarks track new objects, not edits to processed ones.",
    "What do Glue bookmarks not detect? In-place changes to files already processed, JDBC updates and deletes of old rows.",
    "`reset-job-bookmark` reprocesses everything; in-place file changes are not detected.",
]
RIGHT_SENTENCES = [
    "If an S3 object that was already processed is overwritten with corrected data, the next run reads that object again.",
    "An object overwritten since the last run is read again, because its last-modified time moved forward.",
]
# Neighbouring truths the patterns must leave alone.
NEUTRAL_SENTENCES = [
    "For JDBC sources they see new rows only, so rows updated in place are not read again.",
    "Bookmarks do not deduplicate records inside the data or capture deletes.",
    "What do Glue job bookmarks not track, and what happens to an S3 object overwritten after it was processed?",
]


@pytest.mark.parametrize("sentence", WRONG_SENTENCES)
def test_the_opposite_of_the_bookmark_fact_is_recognised(sentence):
    assert BOOKMARKS.false.search(sentence)


@pytest.mark.parametrize("sentence", RIGHT_SENTENCES)
def test_the_bookmark_fact_is_recognised_and_not_taken_for_its_opposite(sentence):
    assert BOOKMARKS.true.search(sentence) and not BOOKMARKS.false.search(sentence)


@pytest.mark.parametrize("sentence", NEUTRAL_SENTENCES)
def test_neighbouring_truths_are_not_flagged(sentence):
    assert not BOOKMARKS.false.search(sentence)


QUESTION = """- id: extra-bookmarks
  type: multi
  task: "1.2"
  services: [AWS Glue]
  difficulty: 2
  stem: Which two statements about AWS Glue job bookmarks on Amazon S3 sources are correct?
  options:
    - {id: a, text: "{a}", why: Explained.}
    - {id: b, text: "With job-bookmark-pause a run reads from the last bookmark without advancing it.", why: Right.}
    - {id: c, text: "Bookmarks deduplicate records inside each file.", why: Wrong.}
    - {id: d, text: "Bookmarks track data read with plain spark.read calls.", why: Wrong.}
    - {id: e, text: "Bookmark keys may repeat.", why: Wrong.}
  answer: {answer}
  lesson: basics/welcome#how-lessons-work
"""


def contradiction_errors(bank_dir: Path, option_a: str, answer: str) -> list[str]:
    (bank_dir / "bank" / "extra.yaml").write_text(QUESTION.replace("{a}", option_a).replace("{answer}", answer))
    return [str(e) for e in read_catalog().errors if "contradicts" in str(e)]


def test_a_question_keying_the_opposite_as_right_fails(bank_dir):
    found = contradiction_errors(bank_dir, WRONG_SENTENCES[1], "[a, b]")
    assert len(found) == 1 and "'extra-bookmarks' keys option a as right" in found[0]
    assert found[0].startswith("quizzes/bank/extra.yaml:1: ")


def test_a_question_keying_the_fact_as_wrong_fails(bank_dir):
    found = contradiction_errors(bank_dir, RIGHT_SENTENCES[0], "[b, c]")
    assert len(found) == 1 and "keys option a as wrong" in found[0]


def test_the_fact_keyed_right_and_the_opposite_keyed_wrong_both_pass(bank_dir):
    assert contradiction_errors(bank_dir, RIGHT_SENTENCES[0], "[a, b]") == []
    assert contradiction_errors(bank_dir, WRONG_SENTENCES[1], "[b, c]") == []


def test_a_flashcard_stating_the_opposite_fails(bank_dir):
    (bank_dir / "flashcards" / "extra.yaml").write_text(
        '- id: extra-card\n  front: "What do Glue bookmarks not detect?"\n  back: "In-place changes to files already processed."\n'
        '  task: "1.2"\n  lesson: basics/welcome#how-lessons-work\n'
    )
    found = [str(e) for e in read_catalog().errors if "contradicts" in str(e)]
    assert len(found) == 1 and "flashcard 'extra-card'" in found[0]


def test_a_lesson_stating_the_opposite_fails(bank_dir, settings):
    lesson = next(Path(settings.CONTENT_DIR).glob("*/*.md"))
    lesson.write_text(lesson.read_text() + "\nBookmarks track new objects, not edits.\n")
    found = [str(e) for e in read_catalog().errors if "contradicts" in str(e)]
    assert len(found) == 1 and found[0].startswith(f"content/{lesson.parent.name}/{lesson.name}:")
