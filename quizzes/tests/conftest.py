"""Fixtures for the quiz tests: the small test bank, and synthetic banks for mock exams."""

import shutil
from pathlib import Path

import pytest

from quizzes.models import Question
from studyapp.sources import read_catalog, sync_catalog

FIXTURE_QUIZZES = Path(__file__).parent / "fixtures" / "quizzes"


@pytest.fixture
def bank_dir(settings, tmp_path, fixture_course) -> Path:
    target = tmp_path / "quizzes"
    shutil.copytree(FIXTURE_QUIZZES, target)
    settings.QUIZZES_DIR = target
    settings.CONTENT_SOURCES = ["quizzes.sources.BankSource"]
    return target


@pytest.fixture
def loaded_bank(bank_dir, db):
    sync_catalog(read_catalog())
    return bank_dir


def make_questions(per_domain: dict[int, int], prefix: str = "q") -> list[Question]:
    """Synthetic live questions: option a is always right."""
    tasks = {1: "1.1", 2: "2.1", 3: "3.1", 4: "4.1"}
    options = [{"id": letter, "html": f"<p>Option {letter}</p>", "why_html": f"<p>Because {letter}</p>"} for letter in "abcd"]
    rows = [
        Question(qid=f"{prefix}-{domain}-{i}", type="single", task=tasks[domain], domain=domain, services=["Amazon S3"], difficulty=1,
                 stem_html=f"<p>Synthetic question {domain}-{i}</p>", options=options, answer=["a"], lesson="basics/welcome#how-lessons-work", content_hash="x")
        for domain, count in per_domain.items() for i in range(count)
    ]
    return Question.objects.bulk_create(rows)


@pytest.fixture
def exam_bank(db):
    return make_questions({1: 25, 2: 20, 3: 18, 4: 15})


@pytest.fixture
def short_exam(settings):
    settings.MOCK_EXAM_QUESTIONS = 8
    settings.MOCK_EXAM_SCORED = 6
    settings.MOCK_EXAM_MINUTES = 5


def pick(attempt, position: int, *option_ids: str) -> list[str]:
    """What the answer form sends for these options of the question at `position` (per-response tokens)."""
    from quizzes.option_tokens import token

    response = attempt.responses.get(position=position)
    return [token(response.id, option_id) for option_id in option_ids]
