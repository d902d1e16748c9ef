"""Spaced repetition with FSRS: the review queue of flashcards and missed questions, rating, undo, suspend, bury."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from studyapp import compiled, rows
from studyapp.numbers import whole_number

from .decks import Deck
from .models import CardState, Flashcard, Question, Review, StudyPreferences

RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}
RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
UNDO_WINDOW = timedelta(hours=1)  # undo is for the review just made, not for last week's
ALL = Deck()


class NothingToUndo(Exception):
    pass


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


@dataclass(frozen=True)
class Session:
    """What to review: a deck, plus the custom-study options (cards due within `ahead_days`, `extra_new` new cards)."""

    deck: Deck = ALL
    ahead_days: int = 0
    extra_new: int = 0


DEFAULT_SESSION = Session()


def preferences(user) -> StudyPreferences:
    row = compiled.first_row("srs.preferences", _preferences_of, user=user.pk)
    if row is None:
        return StudyPreferences.objects.get_or_create(user=user)[0]
    return rows.instance(StudyPreferences, row)


def _preferences_of(user: int) -> QuerySet[StudyPreferences]:
    return StudyPreferences.objects.filter(user_id=user)[:1]


def new_card(now: datetime) -> Card:
    """A card never reviewed, due now. fsrs.Card() left to pick its own id takes the epoch milliseconds and then
    sleeps a millisecond so the next one differs, holding a web worker on every missed answer; a card state has a
    database id of its own, so the card is given the same milliseconds as its id and nothing sleeps."""
    return Card(card_id=int(now.timestamp() * 1000), due=now)


def scheduler_for(prefs: StudyPreferences) -> Scheduler:
    if prefs.fsrs_parameters:  # fitted to the learner's own reviews (quizzes/optimizer.py)
        return Scheduler(parameters=prefs.fsrs_parameters, desired_retention=prefs.desired_retention, enable_fuzzing=False)
    return Scheduler(desired_retention=prefs.desired_retention, enable_fuzzing=False)


def start_of_day(now: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localtime(now).date(), time.min))


def new_cards_left_today(user, prefs: StudyPreferences, now: datetime, extra: int = 0) -> int:
    introduced = CardState.objects.filter(user=user, flashcard__isnull=False, reviews__gt=0, created_at__gte=start_of_day(now)).count()
    return max(prefs.new_cards_per_day + extra - introduced, 0)


def due_states(user, now: datetime, session: Session = DEFAULT_SESSION) -> QuerySet[CardState]:
    return _due(session.deck, user, now, now + timedelta(days=session.ahead_days))


def _due(deck: Deck, user, now: datetime, horizon: datetime) -> QuerySet[CardState]:
    return CardState.objects.filter(user=user).filter(_due_condition(now, horizon, deck))


def _due_condition(now: datetime, horizon: datetime, deck: Deck) -> Q:
    """Due card states, as a condition on the learner's CardState rows (a queryset's, or one figure's among several counted at once).
    In play: not suspended, not buried, not retired. A flashcard state with no review yet (made by a bury or suspend) is still a
    new card, not a due one."""
    active = Q(suspended=False) & ~Q(buried_until__gt=now) & ~Q(flashcard__retired=True) & ~Q(question__retired=True)
    return active & Q(due__lte=horizon) & (Q(reviews__gt=0) | Q(question__isnull=False)) & deck.states()


def new_flashcards(user, now: datetime, deck: Deck = ALL) -> QuerySet[Flashcard]:
    condition = deck.flashcards()
    if condition is None:
        return Flashcard.objects.none()
    held = CardState.objects.filter(user=user, flashcard__isnull=False).filter(Q(reviews__gt=0) | Q(suspended=True) | Q(buried_until__gt=now))
    return Flashcard.objects.filter(retired=False).filter(condition).exclude(id__in=held.values("flashcard_id")).order_by("id")


def counts(user, now: datetime | None = None, session: Session = DEFAULT_SESSION, prefs: StudyPreferences | None = None) -> dict:
    """prefs: the learner's preferences, when the caller has them already.

    Every flashcard page shows these, and building their querysets cost ten times what the database spends
    on them, so a deck whose token fixes the query's shape (not a lesson's or a service's, which name
    anything) has its SQL compiled once per process (studyapp.compiled)."""
    now = now or timezone.now()
    prefs = prefs or preferences(user)
    deck = session.deck
    today, horizon = start_of_day(now), now + timedelta(days=session.ahead_days)
    learner = user.pk
    # One statement: the states counted four ways, beside the unmet flashcards and today's reviews counted.
    states_sql, states_params = compiled.sql(_deck_key("srs.counts states", deck), partial(_states_counted, deck), user=learner, now=now,
                                             horizon=horizon, today=today)
    reviewed_sql, reviewed_params = compiled.sql("srs.counts reviewed", _reviewed, user=learner, today=today)
    if deck.has_flashcards:
        unmet_sql, unmet_params = compiled.sql(_deck_key("srs.counts unmet", deck), partial(_unmet, deck), user=learner, now=now)
        unmet_count = f"(SELECT COUNT(*) FROM ({unmet_sql}) unmet)"
    else:
        unmet_count, unmet_params = "0", []
    with connection.cursor() as cursor:
        # The learner may have no card states: the states' row is then missing, and the outer join gives nulls.
        cursor.execute(f"SELECT states.*, {unmet_count}, (SELECT COUNT(*) FROM ({reviewed_sql}) reviewed) "
                       f"FROM (SELECT 1 AS one) one LEFT JOIN ({states_sql}) states ON 1 = 1",
                       [*unmet_params, *reviewed_params, *states_params])
        *counted, unmet, reviewed = cursor.fetchone()
    states = dict(zip(("due_flashcards", "due_questions", "suspended", "introduced"), (n or 0 for n in counted), strict=True))
    return {
        "due_flashcards": states["due_flashcards"],
        "due_questions": states["due_questions"],
        "new_available": min(max(prefs.new_cards_per_day + session.extra_new - states["introduced"], 0), unmet),
        "unmet": unmet,
        "reviewed_today": reviewed,
        "suspended": states["suspended"],
    }


def _states_counted(deck: Deck, user: int, now: datetime, horizon: datetime, today: datetime) -> QuerySet:
    """The learner's card states counted four ways in one query (each as due_states, new_cards_left_today and the suspended list count them)."""
    due = _due_condition(now, horizon, deck)
    return CardState.objects.filter(user_id=user).order_by().values("user_id").annotate(
        due_flashcards=Count("id", filter=due & Q(flashcard__isnull=False)),
        due_questions=Count("id", filter=due & Q(question__isnull=False)),
        suspended=Count("id", filter=Q(suspended=True) & deck.states()),
        introduced=Count("id", filter=Q(flashcard__isnull=False, reviews__gt=0, created_at__gte=today)),
    ).values_list("due_flashcards", "due_questions", "suspended", "introduced")


def _unmet(deck: Deck, user: int, now: datetime) -> QuerySet:
    return new_flashcards(user, now, deck).values("id")


def _reviewed(user: int, today: datetime) -> QuerySet:
    return Review.objects.filter(user_id=user, reviewed_at__gte=today).values("id")


def next_item(user, now: datetime | None = None, session: Session = DEFAULT_SESSION) -> QueueItem | None:
    """Due cards first (oldest due first), then new flashcards within today's allowance.

    Asked before every card, so its queries are compiled once per process where the deck allows (as in `counts`)."""
    now = now or timezone.now()
    deck, learner = session.deck, user.pk
    row = compiled.first_row(_deck_key("srs.first due", deck), partial(_first_due, deck), user=learner, now=now, horizon=now + timedelta(days=session.ahead_days))
    if row:
        return _item_from_row(row)
    if not deck.has_flashcards or new_cards_left_today(user, preferences(user), now, session.extra_new) == 0:
        return None
    row = compiled.first_row(_deck_key("srs.first new", deck), partial(_first_new, deck), user=learner, now=now)
    if row is None:
        return None
    flashcard = rows.instance(Flashcard, row)
    return QueueItem(state=_state_of_flashcard(user, flashcard), flashcard=flashcard, question=None)


_FIXED_SHAPE = frozenset({"all", "missed", "domain", "task"})


def _deck_key(name: str, deck: Deck):
    """The key of a query about one deck, when the deck's token fixes its shape (studyapp.compiled); else None."""
    return (name, deck.token) if deck.kind in _FIXED_SHAPE else None


def _first_due(deck: Deck, user: int, now: datetime, horizon: datetime) -> QuerySet[CardState]:
    return _due(deck, user, now, horizon).select_related("flashcard", "question").order_by("due", "id")[:1]


def _first_new(deck: Deck, user: int, now: datetime) -> QuerySet[Flashcard]:
    return new_flashcards(user, now, deck)[:1]


def _state_of_flashcard(user, flashcard: Flashcard) -> CardState | None:
    """The learner's state for a flashcard they may not have met yet."""
    row = compiled.first_row("srs.flashcard state", _flashcard_state, user=user.pk, flashcard=flashcard.id)
    return rows.instance(CardState, row) if row else None


def _flashcard_state(user: int, flashcard: int) -> QuerySet[CardState]:
    return CardState.objects.filter(user_id=user, flashcard_id=flashcard)[:1]


def _item_from_row(row) -> QueueItem:
    """A card state selected with its flashcard and question (select_related); the side it is not about came back as nulls."""
    state, flashcard, question, _ = rows.split(row, CardState, Flashcard, Question)
    state.flashcard, state.question = (flashcard, None) if state.flashcard_id is not None else (None, question)
    return QueueItem(state=state, flashcard=state.flashcard, question=state.question)


def find_item(user, ref: str) -> QueueItem | None:
    """The queue item a rating form refers to, only if it is the learner's own."""
    kind, number = ref[:1], whole_number(ref[1:])
    if number is None:
        return None
    if kind == "s":
        row = compiled.first_row("srs.find_item", _state_with_its_card, user=user.pk, state=number)
        return _item_from_row(row) if row else None
    if kind == "f":
        flashcard = Flashcard.objects.filter(id=number, retired=False).first()
        if flashcard is None:
            return None
        return QueueItem(state=_state_of_flashcard(user, flashcard), flashcard=flashcard, question=None)
    return None


def _state_with_its_card(user: int, state: int) -> QuerySet[CardState]:
    return CardState.objects.filter(user_id=user, id=state).select_related("flashcard", "question")


def _state_for(user, item: QueueItem, now: datetime) -> tuple[CardState, bool]:
    if item.state is not None:
        return item.state, False
    return CardState.objects.get_or_create(user=user, flashcard=item.flashcard, defaults={"fsrs": new_card(now).to_dict(), "due": now})


@transaction.atomic
def rate(user, item: QueueItem, rating: int, now: datetime | None = None) -> CardState:
    now = now or timezone.now()
    scheduler = scheduler_for(preferences(user))
    state, created = _state_for(user, item, now)
    previous = {"created": True} if created else {"fsrs": state.fsrs, "due": state.due.isoformat(), "reviews": state.reviews}
    card, _log = scheduler.review_card(Card.from_dict(state.fsrs), RATINGS[rating], now)
    state.fsrs, state.due, state.reviews, state.buried_until = card.to_dict(), card.due, state.reviews + 1, None
    state.save(update_fields=["fsrs", "due", "reviews", "buried_until"])
    Review.objects.create(user=user, card=state, rating=rating, reviewed_at=now, previous=previous)
    return state


def undoable_review(user, now: datetime | None = None) -> Review | None:
    """The learner's latest review, if it can still be undone."""
    now = now or timezone.now()
    row = compiled.first_row("srs.latest review", _latest_review, user=user.pk)
    review = rows.instance(Review, row) if row else None
    if review is None or review.previous is None or review.reviewed_at < now - UNDO_WINDOW:
        return None
    return review


def _latest_review(user: int) -> QuerySet[Review]:
    return Review.objects.filter(user_id=user).order_by("-reviewed_at", "-id")[:1]


@transaction.atomic
def undo_last(user, now: datetime | None = None) -> QueueItem:
    """Put the card back as it was before the latest review and drop that review from the log."""
    review = undoable_review(user, now)
    if review is None:
        raise NothingToUndo("There is no recent rating to undo.")
    state = CardState.objects.select_for_update(of=("self",)).select_related("flashcard", "question").get(id=review.card_id)
    if review.previous.get("created"):
        flashcard = state.flashcard
        state.delete()  # the review goes with it
        return QueueItem(state=None, flashcard=flashcard, question=None)
    state.fsrs, state.due, state.reviews = review.previous["fsrs"], datetime.fromisoformat(review.previous["due"]), review.previous["reviews"]
    state.save(update_fields=["fsrs", "due", "reviews"])
    review.delete()
    return QueueItem(state=state, flashcard=state.flashcard, question=state.question)


@transaction.atomic
def set_suspended(user, item: QueueItem, suspended: bool, now: datetime | None = None) -> CardState:
    now = now or timezone.now()
    state, _ = _state_for(user, item, now)
    state.suspended = suspended
    state.save(update_fields=["suspended"])
    return state


@transaction.atomic
def bury(user, item: QueueItem, now: datetime | None = None) -> CardState:
    """Hide the card until the start of tomorrow."""
    now = now or timezone.now()
    state, _ = _state_for(user, item, now)
    state.buried_until = start_of_day(now) + timedelta(days=1)
    state.save(update_fields=["buried_until"])
    return state


def add_missed_questions(user, questions: list[Question], now: datetime) -> None:
    """A question answered wrongly joins (or comes back to the front of) the learner's review queue.

    One statement on every answer missed: insert the question's state, or where the learner has one already, bring
    its due time forward to now (never back). The unique learner + question pair settles two answers sent at the
    same moment. Written by hand: the ORM's read then insert cost about 0.4 ms more CPU per missed answer."""
    question_ids = sorted({question.id for question in questions})
    if not question_ids:
        return
    fresh, due, created = (rows.db_value(CardState, "fsrs", new_card(now).to_dict()), rows.db_value(CardState, "due", now),
                           rows.db_value(CardState, "created_at", timezone.now()))
    table = rows.table(CardState)
    values = ", ".join(["(%s, NULL, %s, %s, %s, 0, %s, NULL, %s)"] * len(question_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, flashcard_id, question_id, fsrs, due, reviews, suspended, buried_until, created_at) VALUES {values} "
            f"ON CONFLICT (user_id, question_id) DO UPDATE SET due = excluded.due WHERE {table}.due > excluded.due",
            [value for question_id in question_ids for value in (user.pk, question_id, fresh, due, False, created)],
        )


def preview_intervals(user, item: QueueItem, now: datetime | None = None, prefs: StudyPreferences | None = None) -> dict[int, timedelta]:
    """How long until the card comes back for each rating, shown on the buttons."""
    now = now or timezone.now()
    scheduler = scheduler_for(prefs or preferences(user))
    card = Card.from_dict(item.state.fsrs) if item.state else new_card(now)
    return {value: scheduler.review_card(card, rating, now)[0].due - now for value, rating in RATINGS.items()}


def human_interval(delta: timedelta) -> str:
    """Anki's short style: 10m, 5h, 4d, 3mo, 1.5y."""
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(round(seconds / 60), 1)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.0f}mo"
    return f"{days / 365:.1f}y"


def estimated_retention(user, now: datetime | None = None) -> float | None:
    """True retention over the last 30 days from the review log (see stats.true_retention); None before any recall test."""
    from .stats import true_retention

    return true_retention(user, now).rate


def flashcards_for_tasks(tasks: list[str], limit: int = 5) -> list[Flashcard]:
    """Cards on the given task statements, for pages that want to offer a quick refresher."""
    return list(Flashcard.objects.filter(retired=False, task__in=tasks).order_by("task", "id")[:limit])


def suspended_states(user) -> list[CardState]:
    return list(CardState.objects.filter(user=user, suspended=True).select_related("flashcard", "question").order_by("id"))
