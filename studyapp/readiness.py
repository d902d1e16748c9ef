"""Predicted exam score with an uncertainty band, from a learner's recent answers.

The model, in plain words (also shown on the dashboard):
- For each domain we count the learner's most recent answers (at most RECENT_PER_TASK per
  task statement, practice and mock exams alike) and how many were right.
- We start every domain from a prior of PRIOR_RIGHT right out of PRIOR_TOTAL, i.e. "we
  know nothing: about half". Each answer moves the estimate away from that prior; a domain
  with no answers stays at the prior with a wide band.
- The expected share right on the exam is the exam-weighted average of the four domains
  (34/26/22/18). Its uncertainty has two parts: what we do not know about the learner (each
  domain's Beta distribution, assumed to move together across domains, so a learner with no
  data gets a band over nearly the whole scale), and the luck of a 50-question exam drawing
  only 9 to 17 questions per domain. The band is +/- BAND_Z standard deviations (about 90%),
  so even a learner with thousands of answers keeps a band of roughly +/- 100 points.
- Shares are turned into the 100-1000 scale with the same mapping as our mock exam report.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from quizzes.exam import scaled_score
from studyapp.exam_guide import DOMAINS

RECENT_PER_TASK = 50
PRIOR_RIGHT, PRIOR_TOTAL = 1.0, 2.0
BAND_Z = 1.645
SCORED_QUESTIONS = 50


@dataclass
class DomainEstimate:
    number: int
    right: int
    answered: int
    mean: float
    variance: float


@dataclass
class Readiness:
    score: int
    low: int
    high: int
    answered: int
    domains: list[DomainEstimate]

    @property
    def band_width(self) -> int:
        return self.high - self.low


def recent_answers(history: list[tuple[str, bool]]) -> dict[str, list[bool]]:
    """(task, correct) pairs, newest first -> each task's most recent answers."""
    per_task: dict[str, list[bool]] = defaultdict(list)
    for task, correct in history:
        if len(per_task[task]) < RECENT_PER_TASK:
            per_task[task].append(correct)
    return per_task


def estimate(history: list[tuple[str, bool]]) -> Readiness:
    """history: the learner's answers as (task id, correct), newest first."""
    per_task = recent_answers(history)
    domains, mean, answered = [], 0.0, 0
    knowledge_sd, luck_variance = 0.0, 0.0
    for domain in DOMAINS:
        answers = [a for task, values in per_task.items() if task.startswith(f"{domain.number}.") for a in values]
        right = sum(answers)
        alpha, beta = PRIOR_RIGHT + right, (PRIOR_TOTAL - PRIOR_RIGHT) + len(answers) - right
        d_mean = alpha / (alpha + beta)
        d_var = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
        weight = domain.weight / 100
        mean += weight * d_mean
        # What we do not know about the learner is assumed shared across domains (someone weak
        # in one is often weak in others), so those uncertainties add up rather than cancel.
        knowledge_sd += weight * math.sqrt(d_var)
        # The exam's luck of the draw is independent per domain (worst case p = 0.5).
        luck_variance += weight**2 * 0.25 / (SCORED_QUESTIONS * weight)
        answered += len(answers)
        domains.append(DomainEstimate(domain.number, right, len(answers), d_mean, d_var))
    spread = BAND_Z * math.sqrt(knowledge_sd**2 + luck_variance)
    low, high = max(mean - spread, 0.0), min(mean + spread, 1.0)
    return Readiness(
        score=scaled_score(round(mean * 10000), 10000),
        low=scaled_score(round(low * 10000), 10000),
        high=scaled_score(round(high * 10000), 10000),
        answered=answered,
        domains=domains,
    )
