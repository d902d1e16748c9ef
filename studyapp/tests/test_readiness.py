"""The readiness model: its behaviour, and its band calibrated on simulated learners of known ability."""

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from quizzes.exam import domain_quotas, scaled_score
from studyapp.exam_guide import DOMAINS, PASSING_SCORE
from studyapp.readiness import Answer, MockResult, estimate, mock_note

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
TASKS = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.4", "4.1", "4.5"]


def history(right: int, wrong: int, tasks=TASKS, seed: int = 0, days_ago: float = 1) -> list[Answer]:
    rng = random.Random(seed)
    answers = [True] * right + [False] * wrong
    rng.shuffle(answers)
    return [Answer(tasks[i % len(tasks)], a, NOW - timedelta(days=days_ago, minutes=i)) for i, a in enumerate(answers)]


def mock(score_right: int, answered: int, days_ago: float = 1, total: int = 65, seed: int = 0) -> tuple[list[Answer], MockResult]:
    """A mock with `score_right` of 50 scored right; only the first `answered` of its questions answered."""
    when = NOW - timedelta(days=days_ago)
    tasks = [f"{d.number}.1" for d in DOMAINS for _ in range(domain_quotas(total)[d.number])]
    random.Random(seed).shuffle(tasks)
    right = round(score_right * total / 50)  # the same share right among all its questions
    answers = [Answer(task, i < right, when, mock=True) for i, task in enumerate(tasks[:answered])]
    return answers, MockResult(when, scaled_score(score_right, 50), answered, total)


def test_no_evidence_gives_no_number_but_what_to_do():
    result = estimate([], [], NOW)
    assert not result.enough and result.score is None and result.needed == 40
    lopsided = estimate(history(60, 0, tasks=["1.1"]), [], NOW)
    assert not lopsided.enough and lopsided.needed == 30  # ten more in each of the three other domains


def test_enough_answers_in_every_domain_give_a_number():
    result = estimate(history(30, 10), [], NOW)
    assert result.enough and 100 <= result.low <= result.score <= result.high <= 1000


def test_a_mock_alone_is_enough_and_unanswered_questions_count_as_wrong():
    answers, result_313 = mock(12, answered=18)
    assert result_313.score == 313
    result = estimate(answers, [result_313], NOW)
    assert result.enough and result.score < 450 and result.completion < 0.35


def test_a_learner_whose_mock_scores_313_is_never_predicted_to_pass():
    for answered in (18, 65):  # most of it left blank, or all answered and mostly wrong
        mock_answers, result_313 = mock(12, answered=answered, days_ago=2)
        for practice in (history(0, 0), history(400, 20, days_ago=10), history(600, 10, days_ago=0.5), history(2000, 0, days_ago=0.1)):
            result = estimate(practice + mock_answers, [result_313], NOW)
            assert result.score < PASSING_SCORE
            if result.score > 313:
                assert "Your latest mock scored 313, below this prediction" in mock_note(result)
    assert "unanswered" in mock_note(estimate(history(600, 10, days_ago=0.5) + mock(12, answered=18, days_ago=2)[0], [mock(12, 18, 2)[1]], NOW))


def test_a_later_mock_supersedes_an_earlier_one():
    old_answers, old = mock(12, answered=65, days_ago=20)
    new_answers, new = mock(42, answered=65, days_ago=1, seed=1)
    result = estimate(old_answers + new_answers, [old, new], NOW)
    assert result.score >= PASSING_SCORE and not result.capped


def test_recent_answers_weigh_more():
    improving = history(10, 90, days_ago=60) + history(90, 10, days_ago=1, seed=1)
    declining = history(90, 10, days_ago=60) + history(10, 90, days_ago=1, seed=1)
    assert estimate(improving, [], NOW).score > 650 > 450 > estimate(declining, [], NOW).score


def test_domains_count_at_their_exam_weight():
    strong_in_1 = [Answer(f"{d}.1", d == 1, NOW) for d in range(1, 5) for _ in range(30)]
    strong_in_4 = [Answer(f"{d}.1", d == 4, NOW) for d in range(1, 5) for _ in range(30)]
    assert estimate(strong_in_1, [], NOW).score > estimate(strong_in_4, [], NOW).score


def test_more_correct_answers_never_lower_the_prediction():
    base = history(30, 20)
    previous = estimate(base, [], NOW).score
    for step in range(60):
        base = [Answer(TASKS[step % len(TASKS)], True, NOW)] + base
        score = estimate(base, [], NOW).score
        assert score >= previous
        previous = score


def test_more_evidence_at_the_same_accuracy_narrows_the_band():
    widths = [estimate(history(3 * n, n, seed=n), [], NOW).band_width for n in (10, 20, 60, 200)]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]


def test_a_strong_learner_is_predicted_to_pass_and_a_weak_one_to_fail():
    assert estimate(history(380, 20), [], NOW).low > PASSING_SCORE
    assert estimate(history(100, 300), [], NOW).high < PASSING_SCORE


# --- calibration on simulated learners ---------------------------------------------------

STUDY_DAYS = 60


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class SimulatedLearner:
    """Known ability per domain that grows over the study period, and a habit of answering in time."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.base = rng.gauss(0.6, 1.0)
        self.offsets = {d.number: rng.gauss(0, 0.5) for d in DOMAINS}
        self.growth = rng.uniform(0, 1.2)  # logit gained over the study period
        self.completion = 1.0 if rng.random() < 0.85 else rng.uniform(0.25, 0.95)

    def p(self, domain: int, day: float) -> float:
        return _sigmoid(self.base + self.offsets[domain] + self.growth * day / STUDY_DAYS)

    def practice(self) -> list[Answer]:
        answers = []
        for _ in range(self.rng.randint(20, 500)):
            day, domain = self.rng.uniform(0, STUDY_DAYS), self.rng.randint(1, 4)
            answers.append(Answer(f"{domain}.1", self.rng.random() < self.p(domain, day), NOW - timedelta(days=STUDY_DAYS - day)))
        return answers

    def sit(self, day: float, total: int = 65, scored: int = 50) -> tuple[list[Answer], int, int]:
        """A mock (or the real exam): the first share of questions answered in time, the rest left blank."""
        quotas = domain_quotas(total)
        questions = [(d, i < round(quotas[d] * scored / total)) for d in quotas for i in range(quotas[d])]
        self.rng.shuffle(questions)
        answered = round(self.completion * total)
        when = NOW - timedelta(days=STUDY_DAYS - day)
        answers, right = [], 0
        for index, (domain, counts) in enumerate(questions):
            if index >= answered:
                continue
            correct = self.rng.random() < self.p(domain, day)
            answers.append(Answer(f"{domain}.1", correct, when, mock=True))
            right += correct and counts
        return answers, right, answered


def simulate(learners: int, seed: int):
    rng = random.Random(seed)
    for _ in range(learners):
        learner = SimulatedLearner(rng)
        answers, mocks = learner.practice(), []
        for _ in range(rng.choice([0, 0, 1, 2])):
            day = rng.uniform(STUDY_DAYS / 3, STUDY_DAYS - 0.5)
            mock_answers, right, answered = learner.sit(day)
            answers += mock_answers
            mocks.append(MockResult(NOW - timedelta(days=STUDY_DAYS - day), scaled_score(right, 50), answered, 65))
        _, exam_right, _ = learner.sit(STUDY_DAYS)
        yield estimate(answers, mocks, NOW), scaled_score(exam_right, 50), mocks


@pytest.fixture(scope="module")
def simulated() -> list:
    return list(simulate(800, seed=16))


def test_the_80_percent_band_holds_the_true_exam_score_about_80_percent_of_the_time(simulated):
    shown = [(result, true_score) for result, true_score, _ in simulated if result.enough]
    inside = sum(result.low <= true_score <= result.high for result, true_score in shown)
    assert len(shown) > 600
    assert 0.75 <= inside / len(shown) <= 0.85, inside / len(shown)


def test_no_simulated_learner_whose_latest_mock_scores_313_or_less_is_predicted_to_pass(simulated):
    failed = [result for result, _, mocks in simulated if mocks and max(mocks, key=lambda m: m.when).score <= 313]
    assert len(failed) > 10
    assert all(result.score < PASSING_SCORE for result in failed)


def test_a_figure_above_a_failed_latest_mock_always_comes_with_an_explanation(simulated):
    above = [result for result, _, mocks in simulated
             if mocks and result.latest_mock.score < PASSING_SCORE and result.score > result.latest_mock.score]
    assert len(above) > 10
    assert all(mock_note(result).startswith(f"Your latest mock scored {result.latest_mock.score}, below this prediction.") for result in above)
