"""Deck export: an Anki package whose collection holds the notes, CSV, stable ids."""

import csv
import io
import sqlite3
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import srs
from quizzes.models import Flashcard, Question

pytestmark = pytest.mark.django_db


def notes_in(apkg: bytes, tmp_path) -> list[tuple]:
    with zipfile.ZipFile(io.BytesIO(apkg)) as package:
        assert "collection.anki2" in package.namelist()
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as collection:
        rows = collection.execute("SELECT guid, flds, tags FROM notes ORDER BY sfld").fetchall()
        decks = collection.execute("SELECT decks FROM col").fetchone()[0]
    return rows, decks


def test_a_deck_exports_as_an_anki_package_with_its_notes(alice_client, loaded_bank, tmp_path):
    response = alice_client.get("/flashcards/export?deck=domain:2&format=apkg")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="dea-c01-domain-2.apkg"'
    rows, decks = notes_in(response.content, tmp_path)
    fields = [row[1].split("\x1f") for row in rows]
    assert [f[3] for f in fields] == ["flashcard:card-crawler", "flashcard:card-deep-archive"]
    assert fields[0][0] == "<p>What fills the Glue Data Catalog automatically?</p>" and fields[0][1] == "<p>A crawler.</p>"
    assert "http://testserver/lessons/basics/glue-catalog/#crawlers-and-classifiers" in fields[0][2]
    assert "task::2.2" in rows[0][2] and "DEA-C01::Domain 2: Data Store Management" in decks


def test_a_re_export_keeps_the_same_note_guids(alice_client, loaded_bank, tmp_path):
    first, _ = notes_in(alice_client.get("/flashcards/export?deck=all&format=apkg").content, tmp_path)
    Flashcard.objects.filter(cid="card-crawler").update(back_html="<p>A Glue crawler.</p>")
    second, _ = notes_in(alice_client.get("/flashcards/export?deck=all&format=apkg").content, tmp_path)
    guid_of = {row[1].split("\x1f")[3]: row[0] for row in first}
    back_after = {row[0]: row[1].split("\x1f")[1] for row in second}
    assert set(back_after) == set(guid_of.values()) and len(guid_of) == 3
    assert back_after[guid_of["flashcard:card-crawler"]] == "<p>A Glue crawler.</p>"


def test_the_missed_questions_deck_exports_the_learners_own_questions(alice_client, alice, bob, loaded_bank, tmp_path):
    srs.add_missed_questions(alice, [Question.objects.get(qid="deep-archive-cheapest")], timezone.now() - timedelta(minutes=1))
    srs.add_missed_questions(bob, [Question.objects.get(qid="crawler-fills-catalog")], timezone.now())
    rows, _ = notes_in(alice_client.get("/flashcards/export?deck=missed&format=apkg").content, tmp_path)
    assert len(rows) == 1
    front, back, _source, key = rows[0][1].split("\x1f")
    assert key == "question:deep-archive-cheapest" and "Glacier Deep Archive" in front and "✓ right" in back and "missed" in rows[0][2]


def test_a_deck_exports_as_csv_with_the_same_guids(alice_client, loaded_bank, tmp_path):
    response = alice_client.get("/flashcards/export?deck=task:2.3&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.startswith("#separator:comma\n#html:true\n#columns:guid,front,back,source,tags\n")
    rows = list(csv.reader(line for line in text.splitlines() if not line.startswith("#")))
    apkg_rows, _ = notes_in(alice_client.get("/flashcards/export?deck=task:2.3&format=apkg").content, tmp_path)
    assert [(r[0], r[1]) for r in rows] == [(apkg_rows[0][0], "<p>Cheapest S3 storage class?</p>")]


def test_bad_export_requests_are_400(alice_client, loaded_bank):
    assert alice_client.get("/flashcards/export?deck=nope&format=apkg").status_code == 400
    assert alice_client.get("/flashcards/export?deck=all&format=pdf").status_code == 400
