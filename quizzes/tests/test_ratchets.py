"""check_content's ratchets: items without sources may only get fewer, cue figures may only get better."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratchets(bank_dir, settings, tmp_path) -> Path:
    settings.CONTENT_RATCHETS_DIR = tmp_path / "ratchets"
    settings.CONTENT_SOURCES = ["quizzes.sources.BankSource"]
    call_command("check_content", update_ratchets=True, stdout=io.StringIO(), stderr=io.StringIO())
    return settings.CONTENT_RATCHETS_DIR


def check() -> tuple[bool, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_content", stdout=out, stderr=err)
        return True, out.getvalue(), err.getvalue()
    except CommandError:
        return False, out.getvalue(), err.getvalue()


def test_the_written_ratchets_pass_and_list_exactly_the_items_without_sources(ratchets):
    ok, out, err = check()
    assert ok, err
    pending = (ratchets / "sources-pending.txt").read_text().splitlines()
    assert "question partition-folders" in pending and "flashcard card-questions" in pending and "lesson basics/welcome" in pending
    assert "question crawler-fills-catalog" not in pending and "flashcard card-crawler" not in pending
    assert "median_stem_words >= 55" in out and "content OK" in out


def test_a_new_item_without_sources_fails(ratchets):
    pending = ratchets / "sources-pending.txt"
    pending.write_text(pending.read_text().replace("question partition-folders\n", ""))
    ok, _, err = check()
    assert not ok
    assert "quizzes/bank/basics.yaml:24: question partition-folders has no sources" in err


def test_a_listed_item_that_now_has_sources_must_leave_the_list(ratchets, bank_dir):
    bank = bank_dir / "bank" / "basics.yaml"
    bank.write_text(bank.read_text().replace(
        "  lesson: basics/glue-catalog#partitions\n",
        "  lesson: basics/glue-catalog#partitions\n  sources: [https://docs.aws.amazon.com/athena/latest/ug/partitions.html]\n", 1))
    ok, _, err = check()
    assert not ok
    line = (ratchets / "sources-pending.txt").read_text().splitlines().index("question partition-folders") + 1
    assert f"ratchets/sources-pending.txt:{line}: question partition-folders has sources now (or is gone): delete this line" in err


def test_a_cue_figure_that_gets_worse_fails_and_names_the_target(ratchets, bank_dir):
    bank = bank_dir / "bank" / "basics.yaml"
    text = bank.read_text()
    start = text.index("- id: partition-folders")
    bank.write_text(text[:start] + text[start:].replace("difficulty: 2", "difficulty: 1", 1))
    ok, _, err = check()
    assert not ok
    assert "cue figure easy_share of the whole bank got worse" in err and "target easy_share <= 0.25" in err
    assert "quizzes/bank/basics.yaml:1: cue figure easy_share of quizzes/bank/basics.yaml got worse" in err


def test_a_figure_within_its_target_may_move_but_never_leave_it(ratchets, bank_dir, monkeypatch):
    from quizzes import cues

    monkeypatch.setitem(cues.TARGETS, "easy_share", cues.Target("easy_share", 1.0, False))
    bank = bank_dir / "bank" / "basics.yaml"
    text = bank.read_text()
    start = text.index("- id: partition-folders")
    bank.write_text(text[:start] + text[start:].replace("difficulty: 2", "difficulty: 1", 1))
    ok, _, err = check()
    assert ok, err  # worse than the baseline, still within the limit
    monkeypatch.setitem(cues.TARGETS, "easy_share", cues.Target("easy_share", 0.0, False))
    ok, _, err = check()
    assert not ok and "cue figure easy_share of the whole bank got worse" in err


def test_a_new_bank_file_must_meet_the_targets(ratchets, bank_dir):
    (bank_dir / "bank" / "new.yaml").write_text("""- id: new-short-easy
  type: single
  task: "3.3"
  services: [Amazon CloudWatch]
  difficulty: 1
  stem: Which metric shows consumer lag?
  options:
    - {id: a, text: IteratorAgeMilliseconds of the stream, why: It grows as consumers lag.}
    - {id: b, text: PutRecord.Success, why: A producer metric.}
    - {id: c, text: IncomingBytes, why: Write volume.}
    - {id: d, text: IncomingRecords, why: Write count.}
  answer: [a]
  lesson: basics/welcome#how-lessons-work
  sources: [https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html]
""")
    ok, _, err = check()
    assert not ok
    for message in ["median_stem_words of quizzes/bank/new.yaml is 5", "single_key_longest of quizzes/bank/new.yaml is 1.0", "easy_share"]:
        assert message in err
    assert "a new bank file must meet the target" in err
