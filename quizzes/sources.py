"""The question bank and flashcard decks as a content source (see studyapp/sources.py)."""

import functools
from collections import Counter
from pathlib import Path

from django.conf import settings

from studyapp.content import ContentError, Course
from studyapp.exam_guide import DOMAINS, TASKS
from studyapp.sources import in_own_process

from .bank import Bank, PreparedBank, prepare_bank, read_bank
from .cues import cue_stats
from .models import Flashcard, Question

# A new Python process takes about 0.25 s to start: worth it for the shipped bank (1.7 MB of YAML, about 0.8 s
# of parsing and Markdown), not for a test's few items.
OWN_PROCESS_MIN_BYTES = 256 * 1024


class BankSource:
    name = "question bank"

    def __init__(self):
        self.bank = Bank()
        self.prepared: PreparedBank | None = None

    def prepare(self) -> None:
        """Parse the files and convert their Markdown (most of reading the bank), in another process for a large bank."""
        root = Path(settings.QUIZZES_DIR)
        if not root.is_dir():
            return
        work = functools.partial(prepare_bank, root)
        size = sum(path.stat().st_size for path in root.rglob("*.yaml"))
        self.prepared = in_own_process(work) if size >= OWN_PROCESS_MIN_BYTES else work()

    def read(self, course: Course) -> list[ContentError]:
        self.bank = read_bank(Path(settings.QUIZZES_DIR), course, self.prepared)
        return self.bank.errors

    def sync(self) -> str:
        questions = _sync_questions(self.bank)
        cards = _sync_flashcards(self.bank)
        return f"{questions}; {cards}"

    def stats(self) -> dict:
        questions = self.bank.questions
        by_task = Counter(q.task for q in questions)
        by_domain = Counter(q.task.split(".")[0] for q in questions)
        return {
            "questions": len(questions),
            "questions_by_domain": {str(d.number): by_domain.get(str(d.number), 0) for d in DOMAINS},
            "questions_by_task": {t.id: by_task.get(t.id, 0) for t in TASKS},
            "questions_by_type": dict(sorted(Counter(q.type for q in questions).items())),
            "questions_by_difficulty": {str(k): v for k, v in sorted(Counter(q.difficulty for q in questions).items())},
            "flashcards": len(self.bank.flashcards),
            "flashcards_by_task": {t.id: sum(c.task == t.id for c in self.bank.flashcards) for t in TASKS},
            "questions_with_sources": sum(bool(q.sources) for q in questions),
            "flashcards_with_sources": sum(bool(c.sources) for c in self.bank.flashcards),
            "cues": cue_stats(questions),
        }


def _sync_questions(bank: Bank) -> str:
    existing = {q.qid: q for q in Question.objects.all()}
    created, updated, new = 0, 0, []
    for data in bank.questions:
        fields = {
            "type": data.type, "task": data.task, "domain": int(data.task.split(".")[0]), "services": data.services,
            "difficulty": data.difficulty, "stem_html": data.stem_html, "options": [o.__dict__ for o in data.options],
            "answer": sorted(data.answer), "lesson": data.lesson, "lab": data.lab, "sources": data.sources, "content_hash": data.content_hash,
            "retired": False,
        }
        question = existing.get(data.id)
        if question is None:
            new.append(Question(qid=data.id, **fields))
            created += 1
        elif question.content_hash != data.content_hash or question.retired:
            Question.objects.filter(id=question.id).update(**fields)
            updated += 1
    Question.objects.bulk_create(new, batch_size=200)  # a first load inserts every question: one statement per 200, not one each
    retired = Question.objects.filter(retired=False).exclude(qid__in={q.id for q in bank.questions}).update(retired=True)
    return f"questions: {created} created, {updated} updated, {retired} retired"


def _sync_flashcards(bank: Bank) -> str:
    existing = {c.cid: c for c in Flashcard.objects.all()}
    created, updated, new = 0, 0, []
    for data in bank.flashcards:
        fields = {"front_html": data.front_html, "back_html": data.back_html, "task": data.task, "lesson": data.lesson, "sources": data.sources, "retired": False}
        card = existing.get(data.id)
        if card is None:
            new.append(Flashcard(cid=data.id, **fields))
            created += 1
        elif any(getattr(card, key) != value for key, value in fields.items()):
            Flashcard.objects.filter(id=card.id).update(**fields)
            updated += 1
    Flashcard.objects.bulk_create(new, batch_size=200)
    retired = Flashcard.objects.filter(retired=False).exclude(cid__in={c.id for c in bank.flashcards}).update(retired=True)
    return f"flashcards: {created} created, {updated} updated, {retired} retired"
