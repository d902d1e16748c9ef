import random

from studyapp.readiness import estimate

TASKS = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.4", "4.1", "4.5"]


def history(right: int, wrong: int, tasks=TASKS, seed: int = 0) -> list[tuple[str, bool]]:
    rng = random.Random(seed)
    answers = [True] * right + [False] * wrong
    rng.shuffle(answers)
    return [(tasks[i % len(tasks)], a) for i, a in enumerate(answers)]


def test_no_data_gives_a_wide_band_around_the_middle():
    result = estimate([])
    assert result.low < 400 and result.high > 900 and result.answered == 0


def test_a_domain_without_data_keeps_the_band_wide():
    only_domain_one = estimate([("1.1", True)] * 40)
    everywhere = estimate([(t, True) for t in ["1.1", "2.1", "3.1", "4.1"] * 10])
    assert only_domain_one.band_width > everywhere.band_width + 100
    assert only_domain_one.domains[3].answered == 0 and only_domain_one.domains[3].mean == 0.5


def test_more_correct_answers_never_lower_the_prediction():
    base = history(30, 20)
    previous = estimate(base).score
    for step in range(60):
        base = [(TASKS[step % len(TASKS)], True)] + base  # newest first
        score = estimate(base).score
        assert score >= previous
        previous = score


def test_turning_a_wrong_answer_right_never_lowers_it():
    answers = history(25, 25, seed=3)
    for i, (task, correct) in enumerate(answers):
        if not correct:
            better = answers[:i] + [(task, True)] + answers[i + 1 :]
            assert estimate(better).score >= estimate(answers).score


def test_more_evidence_at_the_same_accuracy_narrows_the_band():
    widths = [estimate(history(3 * n, n, seed=n)).band_width for n in (2, 8, 20, 60)]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]


def test_a_strong_learner_is_predicted_to_pass_and_a_weak_one_to_fail():
    assert estimate(history(360, 40)).low > 720
    assert estimate(history(100, 300)).high < 720


def test_the_prediction_stays_on_the_exam_scale():
    for right, wrong in [(0, 400), (400, 0), (0, 0), (1, 1)]:
        result = estimate(history(right, wrong))
        assert 100 <= result.low <= result.score <= result.high <= 1000
