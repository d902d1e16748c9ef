"""The benchmark's learners and what each page needs: generated in the benchmark's own database.

Runs inside the driver process after django.setup(), against the same database gunicorn serves.
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from labs.models import AwsConnection, Lab, LabRun
from quizzes import exam, practice, srs
from quizzes.models import Attempt, CardState, Flashcard, Question, Response, Review

ATTEMPT_SIZE = 500  # answers per attempt of a generated history
POST_SLOTS = 6000  # unanswered practice questions per wrk thread of an answering run
POST_ATTEMPT_SIZE = max(practice.SIZES)  # questions per attempt answered: the largest practice set a learner can choose


@dataclass
class Learner:
    answers: int
    user: User
    cookie: str
    csrf: str
    practice_url: str = ""
    mock_url: str = ""
    card_ref: str = ""
    run_status_url: str = ""
    post_attempts: list = field(default_factory=list)


def learner(answers: int, rng: random.Random) -> Learner:
    user = User.objects.create_user(f"bench{answers}", f"bench{answers}@example.org", secrets.token_urlsafe(16))
    client = Client()
    client.force_login(user)
    csrf = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))
    found = Learner(answers, user, cookie=f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}", csrf=csrf)
    _history(user, answers, rng)
    practising = _practice_attempt(user, 20, seed=1)
    found.practice_url = f"/practice/{practising.id}/1/"
    mock = exam.start_mock(user, seed=answers)
    found.mock_url = f"/mock/{mock.id}/1/"
    card = Flashcard.objects.filter(retired=False).order_by("id").first()
    now = timezone.now()
    state, _ = CardState.objects.get_or_create(user=user, flashcard=card, defaults={"fsrs": srs.new_card(now).to_dict(), "due": now})
    found.card_ref = f"s{state.id}"
    lab = Lab.objects.get(slug="setup")
    connection = AwsConnection.objects.create(user=user, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    run = LabRun.objects.create(user=user, lab=lab, connection=connection, state=LabRun.READY, prefix=f"bench{answers}x{user.id}",
                                ready_at=now, expires_at=now + timedelta(hours=2))
    found.run_status_url = f"/labs/runs/{run.id}/status"
    return found


def answering_attempts(user: User, threads: int) -> list[list[int]]:
    """For each wrk thread, fresh practice attempts of POST_ATTEMPT_SIZE unanswered single-answer questions, POST_SLOTS
    questions in all: the answers go to attempts of the size learners make, so their queries see real ones."""
    count = POST_SLOTS // POST_ATTEMPT_SIZE
    return [[_practice_attempt(user, POST_ATTEMPT_SIZE, seed=100 + thread * count + i, single_only=True).id for i in range(count)]
            for thread in range(threads)]


def answer_tokens(attempt_ids: list[int]) -> dict[int, list[str]]:
    """attempt -> the option token of each position in order: what the question page's form would send."""
    from quizzes.option_tokens import token

    found: dict[int, list[str]] = {attempt: [] for attempt in attempt_ids}
    rows = Response.objects.filter(attempt_id__in=attempt_ids).order_by("attempt_id", "position").values_list("attempt_id", "id", "option_order")
    for attempt, response, order in rows.iterator(chunk_size=2000):
        found[attempt].append(token(response, order[0]))
    return found


def extra_sessions(learner: Learner, count: int) -> list[str]:
    """`count` signed-in sessions of the learner, as Cookie header values (one per wrk thread)."""
    cookies = []
    for _ in range(count):
        client = Client()
        client.force_login(learner.user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}; csrftoken={learner.csrf}")
    return cookies


def rating_cards(user: User, count: int) -> list[str]:
    """References of `count` flashcards the learner has in review, one per wrk thread."""
    now = timezone.now()
    refs = []
    for card in Flashcard.objects.filter(retired=False).order_by("-id")[:count]:
        state, _ = CardState.objects.get_or_create(user=user, flashcard=card, defaults={"fsrs": srs.new_card(now).to_dict(), "due": now})
        refs.append(f"s{state.id}")
    return refs


def _practice_attempt(user: User, size: int, seed: int, single_only: bool = False) -> Attempt:
    questions = Question.objects.filter(retired=False).order_by("id")
    if single_only:
        questions = questions.filter(type=Question.SINGLE)
    questions = list(questions.only("id", "options"))
    attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope="bench", seed=seed, started_at=timezone.now())
    Response.objects.bulk_create(
        (Response(attempt=attempt, position=i + 1, question=questions[i % len(questions)],
                  option_order=[option["id"] for option in questions[i % len(questions)].options]) for i in range(size)),
        batch_size=2000,
    )
    return attempt


def _history(user: User, answers: int, rng: random.Random) -> None:
    """`answers` answered practice questions spread over the last 60 days, about 70% right, and a review per 10 answers."""
    questions = list(Question.objects.filter(retired=False).values_list("id", "options"))
    now = timezone.now()
    moments = sorted(now - timedelta(seconds=rng.randrange(60 * 86400)) for _ in range(answers))
    for start in range(0, answers, ATTEMPT_SIZE):
        chunk = moments[start:start + ATTEMPT_SIZE]
        attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope="bench", seed=start, started_at=chunk[0], submitted_at=chunk[-1])
        rows = []
        for i, moment in enumerate(chunk):
            question_id, options = questions[(start + i) % len(questions)]
            option = options[0]["id"]
            rows.append(Response(attempt=attempt, position=i + 1, question_id=question_id, option_order=[o["id"] for o in options],
                                 chosen=[option], correct=rng.random() < 0.7, answered_at=moment))
        Response.objects.bulk_create(rows)
    cards = list(Flashcard.objects.filter(retired=False).order_by("id")[: max(answers // 50, 0)])
    for card in cards:
        due = now + timedelta(days=rng.randrange(-3, 10))
        state = CardState.objects.create(user=user, flashcard=card, fsrs=srs.new_card(due).to_dict(), due=due, reviews=5)
        Review.objects.bulk_create(Review(user=user, card=state, rating=3, reviewed_at=moment) for moment in rng.sample(moments, 5))
