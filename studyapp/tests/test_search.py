import pytest

from studyapp import search
from studyapp.models import Lesson
from studyapp.search import SNIPPET_WORDS, Hit, search_lessons, snippet_html
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


def test_the_results_list_escapes_titles_and_links_each_section(alice_client, loaded_course):
    lesson = loaded_course / "01-basics" / "02-glue-catalog.md"
    lesson.write_text(lesson.read_text().replace("title: The Glue Data Catalog", 'title: "Catalog <b>tables</b> & \'views\'"'))
    module = loaded_course / "01-basics" / "module.yaml"
    module.write_text(module.read_text().replace("title: Basics", "title: Basics <i>one</i>"))
    sync_lessons(read_default_course())
    html = alice_client.get("/lessons/search/", {"q": "crawler"}).content.decode()
    assert ('<h2><a href="/lessons/basics/glue-catalog/">Catalog &lt;b&gt;tables&lt;/b&gt; &amp; &#x27;views&#x27;</a> '
            '<span class="muted small">Basics &lt;i&gt;one&lt;/i&gt;</span></h2>') in html
    assert '<a href="/lessons/basics/glue-catalog/#crawlers-and-classifiers"><mark>Crawlers</mark> and classifiers</a>' in html
    assert "<b>" not in html and "<i>" not in html


EXAM_TIPS = '!!! tip "Exam tips"\n    - A tip.\n'


def add_lessons(course, count: int) -> None:
    for i in range(count):
        (course / "02-storage" / f"{10 + i:02d}-quokka-{i}.md").write_text(
            f"---\ntitle: Quokka lesson {i}\nsummary: Lesson {i} of many.\nminutes: 1\ntasks: [\"2.1\"]\nservices: [Amazon S3]\n---\n"
            f"Intro {i}.\n\n## First quokka part\n\nA quokka is small.\n\n## Second quokka part\n\nAnother quokka, here.\n\n" + EXAM_TIPS
        )
    sync_lessons(read_default_course())


def test_every_result_is_shown_grouped_by_lesson_and_paged(alice_client, loaded_course):
    add_lessons(loaded_course, 23)
    assert len(search_lessons("quokka")) == 69  # 3 sections in each of 23 lessons: no silent cap at 20
    first = alice_client.get("/lessons/search/", {"q": "quokka"}).content.decode()
    assert "69 results for “quokka” in 23 lessons · page 1 of 3" in first
    assert first.count('class="hit-group"') == 10 and first.count('class="hit"') == 30
    assert "More lessons →" in first
    last = alice_client.get("/lessons/search/", {"q": "quokka", "page": 3}).content.decode()
    assert last.count('class="hit-group"') == 3 and '<ol class="hit-groups" start="21">' in last
    assert "← Previous lessons" in last and "More lessons" not in last
    assert alice_client.get("/lessons/search/", {"q": "quokka", "page": "x"}).status_code == 200  # a bad page number shows page 1


def test_each_snippet_is_non_empty_and_highlights_where_it_can(loaded_course):
    path = loaded_course / "02-storage" / "01-s3-basics.md"
    text = path.read_text()
    tips = text.index('!!! tip "Exam tips"')
    added = "## Wombat notes\n\n### Details\n\nBurrows are dug by the marsupial.\n\n## More\n\n" + "Filler words here. " * 40 + "The wombat is last.\n\n"
    path.write_text(text[:tips] + added + text[tips:])
    sync_lessons(read_default_course())
    hits = {h.anchor: h for h in search_lessons("wombat")}
    assert hits["wombat-notes"].heading_html == "<mark>Wombat</mark> notes"
    assert hits["wombat-notes"].snippet_html == "Buckets, objects and prefixes."  # a heading with no text of its own: the lesson summary
    far = hits["more"].snippet_html
    assert "<mark>wombat</mark>" in far and far.startswith("…")  # a window around the match, deep in the text
    for hit in search_lessons("s3") + search_lessons("glue") + search_lessons("wombat"):
        assert hit.snippet_html.strip()
def test_postgres_searches_the_stored_vectors_not_the_text(loaded_course):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL stores a vector per section; SQLite has FTS5")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM studyapp_section WHERE search_vector IS NULL")
        assert cursor.fetchone()[0] == 0  # sync filled every section's vector
        cursor.execute("UPDATE studyapp_section SET search_vector = NULL")
    assert search_lessons("zymurgical") == []  # the text still has the word: only the stored vector is read


def test_postgres_snippets_mark_the_stems_the_query_matched(loaded_course):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 snippet marks its own matches")
    hit = search_lessons("infers")[0]  # the text says "infers"; the stem 'infer' is what the vector holds
    assert "<mark>infers</mark>" in hit.snippet_html
    hit = search_lessons("inferring")[0]  # no word of the text starts with "inferring": the stem marks "infers"
    assert "<mark>infers</mark>" in hit.snippet_html


def test_a_results_page_reads_the_text_only_of_the_hits_it_shows(alice_client, loaded_course, monkeypatch):
    everything = search.search_lessons("glue")
    first_lesson = [hit for hit in everything if hit.lesson_slug == everything[0].lesson_slug]
    assert len(first_lesson) < len(everything)  # more than one page of lessons
    read = []
    real = search.hits
    monkeypatch.setattr(search, "hits", lambda matches, section_ids: (read.append(section_ids), real(matches, section_ids))[1])
    monkeypatch.setattr("studyapp.views.lessons.SEARCH_LESSONS_PER_PAGE", 1)
    page = alice_client.get("/lessons/search/?q=glue").content.decode()
    assert [len(section_ids) for section_ids in read] == [len(first_lesson)]
    assert f"{len(everything)} results for" in page and "page 1 of 2" in page
    assert all(hit.snippet_html in page for hit in first_lesson)
    assert all(hit.snippet_html.strip() for hit in everything)


def test_a_snippet_from_part_of_a_long_text_is_the_one_the_whole_text_gives():
    import random

    def from_whole_text(text: str, words: list[str]) -> str:  # splits every word of the section, as snippets once did
        found = search._word_pattern(words).search(text)
        if found is None:
            return search.mark_words(" ".join(text.split()[:SNIPPET_WORDS]) + ("…" if len(text.split()) > SNIPPET_WORDS else ""), words)
        before = text[: found.start()].split()[-SNIPPET_WORDS // 3:]
        after = text[found.start():].split()[: SNIPPET_WORDS - len(before)]
        window = ("…" if len(before) < len(text[: found.start()].split()) else "") + " ".join(before + after)
        return search.mark_words(window + ("…" if len(after) < len(text[found.start():].split()) else ""), words)

    chance = random.Random(18)
    vocabulary = ["a", "of", "partition", "data", "x" * 45, "y" * 400, "glue,", "(s3)", "\n\n", "z" * 39]
    for _ in range(3000):
        text = " ".join(chance.choice(vocabulary) for _ in range(chance.randint(0, 120)))
        words = chance.choice([["partition"], ["glue"], ["nothing"], ["s3", "data"]])
        hit = Hit("l", "L", "M", "a", "Heading", "", words=words, text=text)
        assert snippet_html("", hit) == (from_whole_text(text, words) if text else from_whole_text("Heading", words)), text
