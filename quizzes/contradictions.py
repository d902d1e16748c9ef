"""Facts the course once got wrong, and the check that no item states them wrongly again.

Each Fact names one claim that a review found contradicted across the content (a lesson said one
thing, a question keyed the opposite). It carries two patterns over plain text: `true` matches a
sentence stating the fact, `false` matches a sentence stating its opposite. The check fails when

- a lesson or a flashcard states the opposite,
- a question keys as right an option that states the opposite, or
- a question keys as wrong an option that states the fact,

so two items can never again key opposite answers to the same fact. Add a Fact whenever a
review finds such a contradiction; keep the patterns tight enough that they cannot fire on
neighbouring truths (the tests show each pattern on the sentences that motivated it).
"""

import re
from dataclasses import dataclass

from studyapp.content import ContentError, Course

TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Fact:
    name: str
    statement: str  # the fact, in words, for the error message
    true: re.Pattern
    false: re.Pattern


_CHANGED = r"(overwrit\w*|modif\w*|in[- ]place|edit\w*|chang\w*)"
_S3_ITEM = r"(files?|objects?|\.csv)\b"
FACTS = [
    Fact(
        name="glue-bookmarks-reread-changed-s3-objects",
        statement="Glue job bookmarks compare S3 objects' last-modified times, so an object overwritten since the last run is read again",
        true=re.compile(_S3_ITEM + r"[^.]{0,80}" + _CHANGED + r"[^.]{0,80}\b(read|reads|reprocess\w*|processed|picked up)\b[^.]{0,30}\bagain", re.I),
        false=re.compile(
            r"(" + _S3_ITEM + r"[^.]{0,60}" + _CHANGED + r"[^.]{0,60}\b(not|never|n't)\s+(be\s+)?(re)?(process|detect|notic|read|pick|treat)"
            r"|\b(not|never|n't)\s+(detect|notice)\w*[^.]{0,20}(in[- ]place|edits|changes to (files|objects))"
            r"|track\w* new objects, not edits)",
            re.I,
        ),
    ),
]


def plain(html: str) -> str:
    return " ".join(TAG.sub(" ", html).split())


def check(course: Course, questions: list, flashcards: list) -> list[ContentError]:
    errors = []
    for fact in FACTS:
        for lesson in course.lessons:
            match = fact.false.search(" ".join(lesson.body.split()))
            if match:
                errors.append(ContentError(lesson.path, lesson.body_line, _message(fact, f"states the opposite: {match.group(0)!r}")))
        for card in flashcards:
            if fact.false.search(plain(card.front_html + " " + card.back_html)):
                errors.append(ContentError(card.path, card.line, _message(fact, f"flashcard {card.id!r} states the opposite")))
        for question in questions:
            for option in question.options:
                text, keyed = plain(option.html), option.id in question.answer
                if keyed and fact.false.search(text):
                    errors.append(ContentError(question.path, question.line, _message(fact, f"{question.id!r} keys option {option.id} as right, which states the opposite")))
                elif not keyed and fact.true.search(text) and not fact.false.search(text):
                    errors.append(ContentError(question.path, question.line, _message(fact, f"{question.id!r} keys option {option.id} as wrong, which states the fact")))
    return errors


def _message(fact: Fact, what: str) -> str:
    return f"contradicts the fact {fact.name!r} ({fact.statement}): {what}"
