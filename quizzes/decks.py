"""Flashcard decks: views of the review queue by domain, task statement, service, lesson, or missed questions.

A deck is not stored: it is a filter over the learner's card states and the course's flashcards, named by
one value such as "task:2.2" (like practice scopes), so links and forms can carry it.
"""

from dataclasses import dataclass

from django.db.models import Q

from studyapp.exam_guide import DOMAINS, DOMAINS_BY_NUMBER, TASKS, TASKS_BY_ID
from studyapp.models import Lesson

from .models import Flashcard, Question

KINDS = ("all", "missed", "domain", "task", "service", "lesson")


class DeckInvalid(Exception):
    pass


@dataclass(frozen=True)
class Deck:
    kind: str = "all"
    value: str = ""

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind

    def describe(self) -> str:
        if self.kind in ("domain", "task", "lesson", "service"):
            from .practice import Scope  # a deck of one domain, task, lesson or service is named like that practice scope

            return Scope(self.kind, self.value).describe()
        return {"all": "All cards", "missed": "My missed questions"}[self.kind]

    def states(self) -> Q:
        """The filter on CardState rows in this deck."""
        if self.kind == "missed":
            return Q(question__isnull=False)
        if self.kind == "domain":
            return Q(flashcard__task__startswith=f"{self.value}.") | Q(question__domain=int(self.value))
        if self.kind == "task":
            return Q(flashcard__task=self.value) | Q(question__task=self.value)
        if self.kind == "lesson":
            return Q(flashcard__lesson__startswith=f"{self.value}#") | Q(question__lesson__startswith=f"{self.value}#")
        if self.kind == "service":
            return Q(flashcard__in=Flashcard.objects.filter(self._service_flashcards())) | Q(question_id__in=self._service_questions())
        return Q()

    @property
    def has_flashcards(self) -> bool:
        """Every deck but the missed questions' holds flashcards."""
        return self.kind != "missed"

    def flashcards(self) -> Q | None:
        """The filter on Flashcard rows in this deck (None: the deck has no flashcards, only missed questions)."""
        if not self.has_flashcards:
            return None
        if self.kind == "domain":
            return Q(task__startswith=f"{self.value}.")
        if self.kind == "task":
            return Q(task=self.value)
        if self.kind == "lesson":
            return Q(lesson__startswith=f"{self.value}#")
        if self.kind == "service":
            return self._service_flashcards()
        return Q()

    def _service_flashcards(self) -> Q:
        # Flashcards carry no services of their own: a card belongs to the services of the lesson it points at.
        slugs = [slug for slug, services in Lesson.objects.filter(retired=False).values_list("slug", "services") if self.value in services]
        condition = Q(pk__in=[])
        for slug in slugs:
            condition |= Q(lesson__startswith=f"{slug}#")
        return condition

    def _service_questions(self) -> list[int]:
        # services is a JSON list; SQLite cannot query inside it, and the bank is small enough to scan.
        return [qid for qid, services in Question.objects.values_list("id", "services") if self.value in services]


def parse_deck(token: str) -> Deck:
    kind, _, value = (token or "all").partition(":")
    if kind not in KINDS:
        raise DeckInvalid("Unknown deck.")
    if kind in {"all", "missed"}:
        return Deck(kind)
    if kind == "domain" and (not value.isdigit() or int(value) not in DOMAINS_BY_NUMBER):
        raise DeckInvalid("Choose a domain from 1 to 4.")
    if kind == "task" and value not in TASKS_BY_ID:
        raise DeckInvalid("Choose a task statement such as 2.2.")
    if kind in {"service", "lesson"} and not value.strip():
        raise DeckInvalid(f"Choose a {kind}.")
    return Deck(kind, value.strip())


def main_decks() -> list[Deck]:
    """The decks listed with their counts on the flashcards page."""
    return [Deck("all"), Deck("missed"), *(Deck("domain", str(d.number)) for d in DOMAINS)]


def deck_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every deck, grouped for one select (value, text)."""
    services = sorted({name for names in Question.objects.filter(retired=False).values_list("services", flat=True) for name in names})
    lessons = Lesson.objects.filter(retired=False).values_list("slug", "title")
    return [
        ("", [(deck.token, deck.describe()) for deck in main_decks()]),
        ("Task statement", [(f"task:{t.id}", f"Task {t.id}: {t.title}") for t in TASKS]),
        ("Service", [(f"service:{name}", name) for name in services]),
        ("Lesson", [(f"lesson:{slug}", title) for slug, title in lessons]),
    ]
