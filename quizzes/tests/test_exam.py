from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import exam
from quizzes.models import Attempt, CardState
from quizzes.tests.conftest import make_questions

pytestmark = pytest.mark.django_db


def test_domain_quotas_follow_the_exam_weights():
    assert exam.domain_quotas(50) == {1: 17, 2: 13, 3: 11, 4: 9}
    assert sum(exam.domain_quotas(6).values()) == 6


def test_assembly_has_the_right_counts_weights_and_no_duplicates(exam_bank):
    slots = exam.assemble(exam_bank, total=65, scored=50, seed=7)
    assert len(slots) == 65 and len({slot.question.id for slot in slots}) == 65
    assert sum(slot.scored for slot in slots) == 50
    assert Counter(slot.question.domain for slot in slots if slot.scored) == {1: 17, 2: 13, 3: 11, 4: 9}


def test_assembly_is_deterministic_for_a_seed(exam_bank):
    first = [(s.question.qid, s.scored) for s in exam.assemble(exam_bank, total=65, scored=50, seed=3)]
    again = [(s.question.qid, s.scored) for s in exam.assemble(list(reversed(exam_bank)), total=65, scored=50, seed=3)]
    other = [(s.question.qid, s.scored) for s in exam.assemble(exam_bank, total=65, scored=50, seed=4)]
    assert first == again and first != other


def test_a_bank_too_small_for_a_domain_is_refused():
    questions = make_questions({1: 17, 2: 13, 3: 10, 4: 30})
    with pytest.raises(exam.BankTooSmall, match="domain 3 has 10 questions; a mock exam needs 11"):
        exam.assemble(questions, total=65, scored=50, seed=1)


@pytest.mark.parametrize(("correct", "expected"), [(0, 100), (35, 720), (50, 1000), (34, 702), (36, 739)])
def test_scaled_score_is_bounded_and_passes_at_seventy_percent(correct, expected):
    assert exam.scaled_score(correct, 50) == expected


def test_scaled_scores_never_leave_100_to_1000():
    assert all(100 <= exam.scaled_score(c, 50) <= 1000 for c in range(51))


def test_submission_scores_only_the_scored_questions(alice, exam_bank, settings):
    attempt = exam.start_mock(alice, seed=5)
    responses = list(attempt.responses.all())
    for response in responses:
        response.chosen, response.correct = ["a"], response.scored  # right on every scored one, wrong on unscored
        response.save()
    exam.submit(attempt)
    assert (attempt.scored_correct, attempt.scored_total, attempt.scaled_score) == (50, 50, 1000)
    assert CardState.objects.filter(user=alice).count() == 15  # the wrong ones join the review queue


def test_a_second_submit_does_nothing(alice, exam_bank):
    attempt = exam.start_mock(alice, seed=5)
    assert exam.submit(attempt) is True
    assert exam.submit(attempt) is False


def test_expired_exams_are_submitted_at_their_deadline_even_if_nobody_looks(alice, exam_bank):
    attempt = exam.start_mock(alice, seed=5)
    later = attempt.deadline + timedelta(minutes=30)
    assert exam.submit_expired(now=later) == 1
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline and attempt.scaled_score == 100


def test_the_reaper_leaves_running_exams_alone(alice, exam_bank):
    exam.start_mock(alice, seed=5)
    assert exam.submit_expired(now=timezone.now()) == 0
    assert Attempt.objects.get().is_open
