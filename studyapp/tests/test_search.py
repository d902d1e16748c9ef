import pytest

from studyapp.models import Lesson
from studyapp.search import search_lessons
from studyapp.sync import read_default_course, sync_lessons

pytestmark = pytest.mark.django_db


def test_it_finds_a_word_and_links_to_its_section(loaded_course):
    hits = search_lessons("zymurgical")
    assert [(h.lesson_slug, h.anchor) for h in hits] == [("basics/glue-catalog", "crawlers-and-classifiers")]
    assert hits[0].url == "/lessons/basics/glue-catalog/#crawlers-and-classifiers"
    assert "<mark>zymurgical</mark>" in hits[0].snippet_html


def test_it_matches_word_prefixes_and_all_words(loaded_course):
    assert {h.lesson_slug for h in search_lessons("glaci deep")} == {"storage/s3-basics"}
    assert search_lessons("glacier zymurgical") == []


def test_query_syntax_and_markup_are_inert(loaded_course):
    for query in ['"unbalanced', "a OR b NEAR(", "<script>", "*", "col:val", "'); DROP TABLE x; --"]:
        search_lessons(query)  # must not raise
    assert search_lessons("   ") == []


def test_snippets_escape_html(loaded_course):
    path = loaded_course / "02-storage" / "01-s3-basics.md"
    path.write_text(path.read_text().replace("S3 stores objects", "S3 stores <b>objects</b> &amp; quixotic things"))
    sync_lessons(read_default_course())
    snippet = search_lessons("quixotic")[0].snippet_html
    assert "<b>" not in snippet and "<mark>quixotic</mark>" in snippet


def test_retired_lessons_are_not_found(loaded_course):
    Lesson.objects.filter(slug="basics/glue-catalog").update(retired=True)
    assert search_lessons("zymurgical") == []


def test_edits_reach_the_index(loaded_course):
    path = loaded_course / "01-basics" / "02-glue-catalog.md"
    path.write_text(path.read_text().replace("zymurgical", "flibbertigibbet"))
    sync_lessons(read_default_course())
    assert search_lessons("zymurgical") == []
    assert len(search_lessons("flibbertigibbet")) == 1


def test_the_search_page_shows_highlighted_snippets(alice_client, loaded_course):
    html = alice_client.get("/lessons/search/", {"q": "zymurgical"}).content.decode()
    assert "1 result for" in html
    assert '<a href="/lessons/basics/glue-catalog/#crawlers-and-classifiers">' in html
    assert "<mark>zymurgical</mark>" in html


def test_postgres_searches_the_stored_vectors_not_the_text(loaded_course):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL stores a vector per section; SQLite has FTS5")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM studyapp_section WHERE search_vector IS NULL")
        assert cursor.fetchone()[0] == 0  # sync filled every section's vector
        cursor.execute("UPDATE studyapp_section SET search_vector = NULL")
    assert search_lessons("zymurgical") == []  # the text still has the word: only the stored vector is read
