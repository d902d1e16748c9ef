"""Export a flashcard deck to an Anki package (.apkg, via genanki) or CSV.

Ids are derived from the course's stable ids (a flashcard's `id`, a question's `id`), never from the
export time, so importing a later export into Anki updates the same notes instead of adding copies.
"""

import csv
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import genanki

from .decks import Deck
from .models import CardState, Flashcard, lesson_section_url

GUID_NAMESPACE = "dea-c01-study"
# Anki keys note types and decks by these numbers; they must never change once published.
MODEL_ID = 1_733_480_117
CSS = ".card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; } .why { color: #555; }"
MODEL = genanki.Model(
    MODEL_ID, "DEA-C01 study card",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "Id"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<p class="source">{{Source}}</p>'}],
    css=CSS,
    sort_field_index=3,
)


@dataclass
class ExportCard:
    key: str  # "flashcard:<cid>" or "question:<qid>": the stable id
    front: str
    back: str
    source: str
    tags: list[str]

    @property
    def guid(self) -> str:
        return genanki.guid_for(GUID_NAMESPACE, self.key)


def deck_id(deck: Deck) -> int:
    digest = hashlib.sha256(f"{GUID_NAMESPACE}:{deck.token}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def deck_name(deck: Deck) -> str:
    return "DEA-C01::" + deck.describe().replace("::", ":")


def _tags(task: str, lesson: str) -> list[str]:
    return [f"task::{task}", f"domain::{task.split('.')[0]}", "lesson::" + lesson.partition("#")[0].replace("/", "::")]


def cards_for(user, deck: Deck, base_url: str) -> list[ExportCard]:
    """The deck's flashcards, then the learner's own missed questions in it."""
    cards = []
    condition = deck.flashcards()
    if condition is not None:
        for card in Flashcard.objects.filter(retired=False).filter(condition).order_by("id"):
            cards.append(ExportCard(f"flashcard:{card.cid}", card.front_html, card.back_html, _source(base_url, card.lesson), _tags(card.task, card.lesson)))
    states = CardState.objects.filter(user=user, question__isnull=False, question__retired=False).filter(deck.states()).select_related("question")
    for state in states.order_by("question__qid"):
        question = state.question
        labelled = [(chr(65 + i), option) for i, option in enumerate(question.options)]
        front = question.stem_html + "".join(f"<p><b>{label}</b></p>{option['html']}" for label, option in labelled)
        back = "".join(
            f"<p><b>{label}{' ✓ right' if option['id'] in question.answer else ''}</b></p><div class=\"why\">{option['why_html']}</div>"
            for label, option in labelled
        )
        cards.append(ExportCard(f"question:{question.qid}", front, back, _source(base_url, question.lesson), [*_tags(question.task, question.lesson), "missed"]))
    return cards


def _source(base_url: str, lesson: str) -> str:
    url = base_url.rstrip("/") + lesson_section_url(lesson)
    return f'<a href="{url}">{url}</a>'


def to_apkg(cards: list[ExportCard], deck: Deck) -> bytes:
    anki_deck = genanki.Deck(deck_id(deck), deck_name(deck))
    for card in cards:
        anki_deck.add_note(genanki.Note(model=MODEL, fields=[card.front, card.back, card.source, card.key], guid=card.guid, tags=card.tags))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.apkg"
        genanki.Package(anki_deck).write_to_file(str(path))
        return path.read_bytes()


def to_csv(cards: list[ExportCard]) -> str:
    """Columns Anki's CSV import maps directly: guid, front, back, source, tags (HTML kept)."""
    out = io.StringIO()
    # Anki's file headers: no header row, so nothing is imported as a note by mistake.
    out.write("#separator:comma\n#html:true\n#columns:guid,front,back,source,tags\n#guid column:1\n#tags column:5\n")
    writer = csv.writer(out)
    for card in cards:
        writer.writerow([card.guid, card.front, card.back, card.source, " ".join(card.tags)])
    return out.getvalue()
