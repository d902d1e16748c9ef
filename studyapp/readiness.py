"""Readiness: the exam score we would expect if the learner sat the exam today, with an 80% band.

The model, in plain words (the progress page shows the same text):

- Knowledge, per domain. Every answered question is evidence about the share of that domain's
  questions the learner gets right: a Beta distribution that starts at "one right, one wrong"
  and adds each answer with a weight. Recent answers weigh more (an answer loses half its weight
  every HALF_LIFE_DAYS days); a mock exam answer weighs MOCK_WEIGHT times a practice answer
  (exam conditions: timed, no feedback, questions not chosen by the learner); and answers given
  before the latest mock (older mocks' too) weigh SUPERSEDED times as much, because that mock measured the learner since.
- Completion. Unanswered questions score zero on the exam, so each mock also tells us the share
  of questions the learner answers in time. Without a mock we assume every question is answered.
- The expected share right is completion x the domains' knowledge averaged at the exam's weights
  (34/26/22/18). It is turned into 100-1000 with our mock exam's mapping (70% right is 720).
- The band is the 80% interval (+/- BAND_Z standard deviations) of the score of a real exam:
  what we do not know about the learner (domains assumed to move together with correlation
  DOMAIN_CORRELATION) plus the luck of a 50-question exam. studyapp/tests/test_readiness.py
  calibrates it on simulated learners of known ability: the band holds their true score about
  80% of the time.
- A failed mock is the strongest evidence: until a later mock passes, the predicted score stays
  below the pass mark whatever the practice answers say (the band may still reach above it).
- Below MIN_PER_DOMAIN answers in every domain (and MIN_ANSWERS in all) and with no mock, there
  is no number, only what to do to get one.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from quizzes.exam import scaled_score
from studyapp.exam_guide import DOMAINS, PASSING_SCORE

HALF_LIFE_DAYS = 14
MOCK_WEIGHT = 2.0
SUPERSEDED = 0.25
PRIOR_RIGHT, PRIOR_TOTAL = 1.0, 2.0
BAND_Z = 1.2816  # 80% of a normal distribution lies within +/- 1.2816 sd
DOMAIN_CORRELATION = 0.5
SCORED_QUESTIONS = 50
MIN_PER_DOMAIN, MIN_ANSWERS = 10, 40
RECENT_PER_TASK = 50  # the dashboard's next steps look at this many recent answers per task


@dataclass(frozen=True)
class Answer:
    task: str
    correct: bool
    when: datetime
    mock: bool = False


@dataclass(frozen=True)
class MockResult:
    when: datetime
    score: int
    answered: int  # questions with an answer, scored or not
    total: int
    started: datetime | None = None  # its own answers come after this; older ones are superseded

    @property
    def began(self) -> datetime:
        return self.started or self.when


@dataclass
class DomainEstimate:
    number: int
    right: int
    answered: int
    mean: float
    variance: float


@dataclass
class Readiness:
    answered: int
    domains: list[DomainEstimate]
    score: int | None = None
    low: int | None = None
    high: int | None = None
    needed: int = 0  # answers still needed before a number is shown (when there is no mock)
    completion: float = 1.0
    latest_mock: MockResult | None = None
    answers_since_mock: int = 0
    right_since_mock: int = 0
    capped: bool = False  # the failed latest mock held the prediction below the pass mark

    @property
    def enough(self) -> bool:
        return self.score is not None

    @property
    def band_width(self) -> int:
        return (self.high - self.low) if self.enough else 900

    @property
    def disagrees_with_mock(self) -> bool:
        """The latest mock lies outside the band, or failed while the prediction is higher."""
        mock = self.latest_mock
        if not (self.enough and mock):
            return False
        return not (self.low <= mock.score <= self.high) or (mock.score < PASSING_SCORE and self.score > mock.score)


def recent_answers(history: list[tuple[str, bool]]) -> dict[str, list[bool]]:
    """(task, correct) pairs, newest first -> each task's most recent answers (for the next steps)."""
    per_task: dict[str, list[bool]] = {}
    for task, correct in history:
        if len(per_task.setdefault(task, [])) < RECENT_PER_TASK:
            per_task[task].append(correct)
    return per_task


def _weight(answer: Answer, now: datetime, latest_mock: datetime | None) -> float:
    age_days = max((now - answer.when).total_seconds() / 86400, 0.0)
    weight = 0.5 ** (age_days / HALF_LIFE_DAYS)
    if answer.mock:
        weight *= MOCK_WEIGHT
    if latest_mock is not None and answer.when < latest_mock:
        weight *= SUPERSEDED
    return weight


def _completion(mocks: list[MockResult], now: datetime) -> tuple[float, float]:
    """Mean and variance of the share of questions answered in time (recent mocks weigh more)."""
    if not mocks:
        return 1.0, 0.0
    answered = unanswered = 0.0
    for mock in mocks:
        weight = 0.5 ** (max((now - mock.when).total_seconds() / 86400, 0.0) / HALF_LIFE_DAYS)
        answered += weight * mock.answered
        unanswered += weight * (mock.total - mock.answered)
    alpha, beta = 1 + answered, 1 + unanswered
    return alpha / (alpha + beta), alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))


def _to_scale(share: float) -> int:
    return scaled_score(round(min(max(share, 0.0), 1.0) * 10000), 10000)


@dataclass
class Tally:
    """What the model reads from the answers, summed: per domain number (as a string)
    [weighted right, weighted wrong, right, answered], the answer count, and the practice answers
    (count, right) given after the latest mock was submitted. `tally` sums it over a list of answers;
    studyapp/answer_stats.readiness_tally has the database do the same sums."""

    domains: dict[str, list]
    answered: int = 0
    since_mock: int = 0
    right_since_mock: int = 0
    tasks: dict[str, list[int]] = field(default_factory=dict)  # task id -> [right, answered], every task answered
    recent: dict[str, list[int]] = field(default_factory=dict)  # task id -> [right, answered] of its RECENT_PER_TASK latest answers


def empty_domains() -> dict[str, list]:
    return {str(domain.number): [0.0, 0.0, 0, 0] for domain in DOMAINS}


def latest_mock(mocks: list[MockResult]) -> MockResult | None:
    return sorted(mocks, key=lambda m: m.when)[-1] if mocks else None


def tally(answers: list[Answer], mocks: list[MockResult], now: datetime) -> Tally:
    latest = latest_mock(mocks)
    latest_when = latest.began if latest else None
    domains = empty_domains()
    summary = Tally(domains, len(answers))
    for answer in answers:
        per_task = summary.tasks.setdefault(answer.task, [0, 0])
        per_task[0] += answer.correct
        per_task[1] += 1
        bucket = domains.get(answer.task.partition(".")[0])
        if bucket is None:
            continue
        bucket[0 if answer.correct else 1] += _weight(answer, now, latest_when)
        bucket[2] += answer.correct
        bucket[3] += 1
    since = [a for a in answers if latest and a.when > latest.when and not a.mock]
    summary.since_mock, summary.right_since_mock = len(since), sum(a.correct for a in since)
    return summary


def estimate(answers: list[Answer], mocks: list[MockResult], now: datetime) -> Readiness:
    """answers: every answered question (practice and mock); mocks: submitted mock exams."""
    return estimate_from_tally(tally(answers, mocks, now), mocks, now)


def estimate_from_tally(summary: Tally, mocks: list[MockResult], now: datetime) -> Readiness:
    mocks = sorted(mocks, key=lambda m: m.when)
    latest = mocks[-1] if mocks else None
    domains, weights, sds = [], [], []
    knowledge = 0.0
    for domain in DOMAINS:
        right_w, wrong_w, right, answered = summary.domains[str(domain.number)]
        alpha, beta = PRIOR_RIGHT + right_w, (PRIOR_TOTAL - PRIOR_RIGHT) + wrong_w
        mean = alpha / (alpha + beta)
        variance = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
        domains.append(DomainEstimate(domain.number, right, answered, mean, variance))
        weights.append(domain.weight / 100)
        sds.append(math.sqrt(variance))
        knowledge += domain.weight / 100 * mean
    result = Readiness(answered=summary.answered, domains=domains, latest_mock=latest,
                       answers_since_mock=summary.since_mock, right_since_mock=summary.right_since_mock)
    if not mocks:
        short = sum(max(0, MIN_PER_DOMAIN - d.answered) for d in domains)
        result.needed = max(short, MIN_ANSWERS - summary.answered)
        if result.needed > 0:
            return result
    completion, completion_var = _completion(mocks, now)
    share = completion * knowledge
    knowledge_var = sum(
        weights[i] * weights[j] * sds[i] * sds[j] * (1.0 if i == j else DOMAIN_CORRELATION) for i in range(4) for j in range(4)
    )
    # Luck of the draw: 50 scored questions spread over the domains at their weights.
    luck_var = sum(w * (completion * d.mean) * (1 - completion * d.mean) for w, d in zip(weights, domains, strict=True)) / SCORED_QUESTIONS
    spread = BAND_Z * math.sqrt(completion**2 * knowledge_var + knowledge**2 * completion_var + luck_var)
    result.completion = completion
    result.score, result.low, result.high = _to_scale(share), _to_scale(share - spread), _to_scale(share + spread)
    if latest and latest.score < PASSING_SCORE and result.score >= PASSING_SCORE:
        result.score, result.capped = PASSING_SCORE - 1, True
    result.low = min(result.low, result.score)
    return result


def mock_note(result: Readiness) -> str:
    """Why the prediction and the latest mock differ, in words; empty when they agree."""
    if not result.disagrees_with_mock:
        return ""
    mock = result.latest_mock
    higher = result.score > mock.score
    parts = [f"Your latest mock scored {mock.score}, {'below' if higher else 'above'} this prediction."]
    if result.answers_since_mock:
        percent = round(100 * result.right_since_mock / result.answers_since_mock)
        parts.append(f"Since that mock you answered {result.answers_since_mock} practice question{'s' if result.answers_since_mock != 1 else ''}, "
                     f"{percent}% right, and recent answers weigh more.")
    elif higher:
        parts.append("Answers older than the mock still count a little, and they were better than the mock.")
    if mock.answered < mock.total:
        parts.append(f"You left {mock.total - mock.answered} of its {mock.total} questions unanswered: they count as wrong, "
                     f"and the prediction assumes you answer about {round(100 * result.completion)}% in time again.")
    if result.capped:
        parts.append(f"Because that mock failed, we do not predict a pass ({PASSING_SCORE}) until a mock passes.")
    parts.append("A mock exam is the best evidence: take another to check.")
    return " ".join(parts)
