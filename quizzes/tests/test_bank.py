import json
from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.models import Flashcard, Question, Response
from studyapp.sources import read_catalog, sync_catalog

pytestmark = pytest.mark.django_db


def write_bank(bank_dir: Path, text: str) -> None:
    (bank_dir / "bank" / "extra.yaml").write_text(text)


def errors(bank_dir: Path, text: str) -> list[str]:
    write_bank(bank_dir, text)
    return [str(e) for e in read_catalog().errors]


GOOD = """- id: extra-one
  type: single
  task: "3.3"
  services: [Amazon CloudWatch]
  difficulty: 2
  stem: Which metric shows a Kinesis consumer falling behind the stream?
  options:
    - {id: a, text: IteratorAgeMilliseconds, why: It grows as consumers lag.}
    - {id: b, text: PutRecord.Success, why: A producer metric.}
    - {id: c, text: ReadProvisionedThroughputExceeded, why: Throttling, not lag itself.}
    - {id: d, text: IncomingBytes, why: Write volume.}
  answer: [a]
  lesson: basics/welcome#how-lessons-work
"""


def test_the_fixture_bank_is_valid_and_loads(loaded_bank):
    assert Question.objects.filter(retired=False).count() == 4
    assert Flashcard.objects.count() == 3
    question = Question.objects.get(qid="partition-folders")
    assert question.type == "multi" and question.answer == ["a", "b"] and question.domain == 2
    assert all(option["why_html"] for option in question.options)


def test_a_valid_extra_question_has_no_errors(bank_dir):
    assert errors(bank_dir, GOOD) == []


@pytest.mark.parametrize(("change", "expected"), [
    ("answer: [a]", "answer: [a, b]", ),
    ("task: \"3.3\"", "task: \"9.1\""),
    ("lesson: basics/welcome#how-lessons-work", "lesson: basics/welcome#nowhere"),
    ("why: Write volume.", "why: ''"),
])
def test_invalid_questions_are_reported_at_their_line(bank_dir, change, expected):
    found = errors(bank_dir, GOOD.replace(change, expected))
    assert len(found) == 1, found
    line = next(i for i, text in enumerate(GOOD.replace(change, expected).splitlines(), start=1) if expected in text)
    assert found[0].startswith(f"quizzes/bank/extra.yaml:{line}: ")


def test_multi_response_needs_two_answers_among_five_options(bank_dir):
    text = GOOD.replace("type: single", "type: multi").replace("answer: [a]", "answer: [a, b]")
    assert errors(bank_dir, text) == ["quizzes/bank/extra.yaml:7: a multi-response question has two or more answers among five or more options"]


def test_duplicate_ids_are_reported(bank_dir):
    found = errors(bank_dir, GOOD.replace("extra-one", "crawler-fills-catalog"))
    assert found == ["quizzes/bank/extra.yaml:1: question id 'crawler-fills-catalog' is also used at quizzes/bank/basics.yaml:1"]


def test_near_duplicate_stems_are_flagged(bank_dir):
    twin = GOOD.replace("extra-one", "extra-two").replace("Which metric shows", "Which metric best shows")
    found = errors(bank_dir, GOOD + twin)
    assert len(found) == 1 and "'extra-two' is" in found[0] and "like 'extra-one'" in found[0]


def test_malformed_yaml_names_file_and_line(bank_dir):
    found = errors(bank_dir, "- id: x\n  stem: [unclosed\n")
    assert len(found) == 1 and found[0].startswith("quizzes/bank/extra.yaml:3: invalid YAML")


def test_an_edited_question_keeps_its_id_and_history_and_a_removed_one_retires(loaded_bank, alice):
    from quizzes.practice import Scope, start_practice

    attempt = start_practice(alice, scope=Scope("all"), size=5, certainty=False, seed=1)
    path = loaded_bank / "bank" / "basics.yaml"
    text = path.read_text().replace("What should they use?", "Which service should they use?")
    cut = text.index("- id: exam-question-count")
    path.write_text(text[:cut])
    reports = sync_catalog(read_catalog())
    assert "questions: 0 created, 1 updated, 1 retired" in reports[1]
    assert Question.objects.get(qid="exam-question-count").retired
    edited = Question.objects.get(qid="crawler-fills-catalog")
    assert "Which service should they use?" in edited.stem_html
    assert Response.objects.filter(attempt=attempt).count() == 4  # history survives


def test_content_stats_counts_questions_and_flashcards(bank_dir, capsys):
    call_command("content_stats", "--json")
    stats = json.loads(capsys.readouterr().out)
    assert stats["questions"] == 4 and stats["flashcards"] == 3
    assert stats["questions_by_domain"] == {"1": 1, "2": 3, "3": 0, "4": 0}
    assert stats["questions_by_type"] == {"multi": 1, "single": 3}
    assert stats["questions_by_task"]["2.2"] == 1


def test_a_question_naming_a_service_by_an_alias_is_told_the_canonical_name(bank_dir):
    found = errors(bank_dir, GOOD.replace("services: [Amazon CloudWatch]", "services: [AWS KMS]"))
    assert found == ["quizzes/bank/extra.yaml:4: service 'AWS KMS' is another name for 'AWS Key Management Service': write 'AWS Key Management Service'"]


def test_a_question_naming_an_unknown_service_is_rejected(bank_dir):
    found = errors(bank_dir, GOOD.replace("services: [Amazon CloudWatch]", "services: [Amazon CloudWatch, Amazon Imaginary]"))
    assert len(found) == 1 and "unknown service 'Amazon Imaginary'" in found[0]


def test_the_service_names_file_is_required(bank_dir):
    (bank_dir / "services.yaml").unlink()
    assert any("canonical service names is missing" in e for e in errors(bank_dir, GOOD))


def test_the_shipped_bank_names_each_service_once():
    from django.conf import settings

    from quizzes.services import read_service_names

    found: list = []
    names = read_service_names(Path(settings.BASE_DIR) / "quizzes", found)
    assert found == [] and "AWS Key Management Service" in names.canonical
    assert names.aliases["AWS KMS"] == "AWS Key Management Service" and "AWS KMS" not in names.canonical


MARKDOWN_QUESTION = GOOD.replace("extra-one", "extra-md").replace(
    "stem: Which metric", "stem: Which `GetRecords` metric").replace("why: Write volume.", "why: \"Write volume: *not* lag.\"")


def test_a_prepared_bank_reads_the_same_without_converting_again(bank_dir, monkeypatch):
    """sync_content parses and converts the bank in another process while the lessons are read (prepare_bank);
    reading with that gives the same questions, cards and errors, and converts no Markdown itself."""
    from quizzes import bank
    from studyapp.sync import read_default_course

    write_bank(bank_dir, MARKDOWN_QUESTION)
    (bank_dir / "bank" / "broken.yaml").write_text("- id: [unclosed\n")
    course = read_default_course()
    plain = bank.read_bank(bank_dir, course)
    prepared = bank.prepare_bank(bank_dir)
    assert "Which `GetRecords` metric shows a Kinesis consumer falling behind the stream?" in prepared.html
    assert str(bank_dir / "bank" / "broken.yaml") not in prepared.lists  # left to read_bank to report, with its line

    def no_conversion(text):
        raise AssertionError(f"converted again: {text!r}")

    monkeypatch.setattr(bank, "_markdown", no_conversion)
    again = bank.read_bank(bank_dir, course, prepared)
    assert (again.questions, again.flashcards) == (plain.questions, plain.flashcards)
    assert [str(e) for e in again.errors] == [str(e) for e in plain.errors] and any("bank/broken.yaml:2: invalid YAML" in str(e) for e in plain.errors)
    assert "<code>GetRecords</code>" in next(q for q in again.questions if q.id == "extra-md").stem_html


def test_a_large_bank_is_prepared_in_another_process(bank_dir, monkeypatch):
    from quizzes import sources

    processes = []

    def recording(work):
        processes.append(work)
        return studyapp_sources.in_own_process(work)

    from studyapp import sources as studyapp_sources

    monkeypatch.setattr(sources, "OWN_PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(sources, "in_own_process", recording)
    write_bank(bank_dir, MARKDOWN_QUESTION)
    catalog = read_catalog()
    assert len(processes) == 1 and catalog.errors == []
    bank_source = catalog.sources[0]
    assert "extra-md" in {q.id for q in bank_source.bank.questions} and bank_source.prepared.html
