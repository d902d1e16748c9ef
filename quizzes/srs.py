"""Spaced repetition with FSRS: the daily review queue of flashcards and missed questions."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from .models import CardState, Flashcard, Question, Review, StudyPreferences

RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}
RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass
class QueueItem:
    """The next thing to review: an existing card state, or a flashcard the learner has not met yet."""

    state: CardState | None
    flashcard: Flashcard | None
    question: Question | None

    @property
    def ref(self) -> str:
        if self.state:
            return f"s{self.state.id}"
        return f"f{self.flashcard.id}"


def preferences(user) -> StudyPreferences:
    prefs, _ = StudyPreferences.objects.get_or_create(user=user)
    return prefs


def scheduler_for(prefs: StudyPreferences) -> Scheduler:
    return Scheduler(desired_retention=prefs.desired_retention, enable_fuzzing=False)


def _start_of_day(now: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localtime(now).date(), time.min))


def new_cards_left_today(user, prefs: StudyPreferences, now: datetime) -> int:
    introduced = CardState.objects.filter(user=user, flashcard__isnull=False, created_at__gte=_start_of_day(now)).count()
    return max(prefs.new_cards_per_day - introduced, 0)


def _unmet_flashcards(user):
    return Flashcard.objects.filter(retired=False).exclude(cardstate__user=user).order_by("id")


def counts(user, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    prefs = preferences(user)
    due = CardState.objects.filter(user=user, due__lte=now).exclude(flashcard__retired=True).exclude(question__retired=True)
    unmet = _unmet_flashcards(user).count()
    return {
        "due_flashcards": due.filter(flashcard__isnull=False).count(),
        "due_questions": due.filter(question__isnull=False).count(),
        "new_available": min(new_cards_left_today(user, prefs, now), unmet),
        "unmet": unmet,
        "reviewed_today": Review.objects.filter(user=user, reviewed_at__gte=_start_of_day(now)).count(),
    }


def next_item(user, now: datetime | None = None) -> QueueItem | None:
    """Due cards first (oldest due first), then new flashcards within today's allowance."""
    now = now or timezone.now()
    state = (
        CardState.objects.filter(user=user, due__lte=now)
        .exclude(flashcard__retired=True)
        .exclude(question__retired=True)
        .select_related("flashcard", "question")
        .order_by("due", "id")
        .first()
    )
    if state:
        return QueueItem(state=state, flashcard=state.flashcard, question=state.question)
    if new_cards_left_today(user, preferences(user), now) > 0:
        flashcard = _unmet_flashcards(user).first()
        if flashcard:
            return QueueItem(state=None, flashcard=flashcard, question=None)
    return None


def find_item(user, ref: str) -> QueueItem | None:
    """The queue item a rating form refers to, only if it is the learner's own."""
    kind, number = ref[:1], ref[1:]
    if not number.isdigit():
        return None
    if kind == "s":
        state = CardState.objects.filter(user=user, id=int(number)).select_related("flashcard", "question").first()
        return QueueItem(state=state, flashcard=state.flashcard, question=state.question) if state else None
    if kind == "f":
        flashcard = Flashcard.objects.filter(id=int(number), retired=False).first()
        if flashcard is None:
            return None
        state = CardState.objects.filter(user=user, flashcard=flashcard).first()
        return QueueItem(state=state, flashcard=flashcard, question=None)
    return None


@transaction.atomic
def rate(user, item: QueueItem, rating: int, now: datetime | None = None) -> CardState:
    now = now or timezone.now()
    scheduler = scheduler_for(preferences(user))
    state = item.state
    if state is None:
        state, _ = CardState.objects.get_or_create(user=user, flashcard=item.flashcard, defaults={"fsrs": Card(due=now).to_dict(), "due": now})
    card, _log = scheduler.review_card(Card.from_dict(state.fsrs), RATINGS[rating], now)
    state.fsrs, state.due, state.reviews = card.to_dict(), card.due, state.reviews + 1
    state.save(update_fields=["fsrs", "due", "reviews"])
    Review.objects.create(user=user, card=state, rating=rating, reviewed_at=now)
    return state


def add_missed_questions(user, questions: list[Question], now: datetime) -> None:
    """A question answered wrongly joins (or comes back to the front of) the learner's review queue."""
    if not questions:
        return
    existing = {s.question_id: s for s in CardState.objects.filter(user=user, question__in=questions)}
    for question in questions:
        state = existing.get(question.id)
        if state is None:  # get_or_create: two answers of the same learner at once may both get here
            CardState.objects.get_or_create(user=user, question=question, defaults={"fsrs": Card(due=now).to_dict(), "due": now})
        elif state.due > now:
            CardState.objects.filter(id=state.id).update(due=now)


def preview_intervals(user, item: QueueItem, now: datetime | None = None) -> dict[int, timedelta]:
    """How long until the card comes back for each rating, shown on the buttons."""
    now = now or timezone.now()
    scheduler = scheduler_for(preferences(user))
    card = Card.from_dict(item.state.fsrs) if item.state else Card(due=now)
    return {value: scheduler.review_card(card, rating, now)[0].due - now for value, rating in RATINGS.items()}


def estimated_retention(user, now: datetime | None = None) -> float | None:
    """The average chance, by FSRS, that the learner recalls each reviewed card right now."""
    now = now or timezone.now()
    scheduler = Scheduler(enable_fuzzing=False)
    states = CardState.objects.filter(user=user, reviews__gt=0).values_list("fsrs", flat=True)
    values = [scheduler.get_card_retrievability(Card.from_dict(data), now) for data in states]
    return sum(values) / len(values) if values else None


def flashcards_for_tasks(tasks: list[str], limit: int = 5) -> list[Flashcard]:
    """Cards on the given task statements, for pages that want to offer a quick refresher."""
    return list(Flashcard.objects.filter(retired=False, task__in=tasks).order_by("task", "id")[:limit])
