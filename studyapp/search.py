"""Full-text search over lesson sections: SQLite FTS5 or PostgreSQL, whichever is in use."""

import functools
import html
import re
from dataclasses import dataclass, field

from django.db import connection

from .models import Lesson, Section

FTS_TABLE = "studyapp_section_fts"
MARK_START, MARK_END = "\x02", "\x03"
MAX_SECTIONS = 1000  # every match is shown (paged by lesson); this only bounds a pathological query
MAX_QUERY_TERMS = 12
SNIPPET_WORDS = 30


@dataclass
class Hit:
    lesson_slug: str
    lesson_title: str
    module_title: str
    anchor: str
    heading: str
    snippet_html: str
    words: list[str] = field(default_factory=list, repr=False, compare=False)  # what the query matches, marked by prefix
    text: str = field(default="", repr=False, compare=False)  # the section's text and the lesson's summary: the snippet's source
    summary: str = field(default="", repr=False, compare=False)

    @property
    def url(self) -> str:
        return f"/lessons/{self.lesson_slug}/" + (f"#{self.anchor}" if self.anchor else "")

    @property
    def heading_html(self) -> str:
        return mark_words(self.heading, self.words)  # only the hits a page shows ask


@dataclass
class LessonHits:
    """The matching sections of one lesson, in rank order; lessons come in the order of their best section."""

    lesson_slug: str
    lesson_title: str
    module_title: str
    hits: list[Hit]

    @property
    def url(self) -> str:
        return f"/lessons/{self.lesson_slug}/"


def group_by_lesson(hits: list[Hit]) -> list[LessonHits]:
    groups: dict[str, LessonHits] = {}
    for hit in hits:
        group = groups.setdefault(hit.lesson_slug, LessonHits(hit.lesson_slug, hit.lesson_title, hit.module_title, []))
        group.hits.append(hit)
    return list(groups.values())


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def terms(query: str) -> list[str]:
    return re.findall(r"\w+", query.lower())[:MAX_QUERY_TERMS]


def highlight(snippet: str) -> str:
    """Escape a snippet, then turn the engine's match markers into <mark> tags."""
    return html.escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _word_pattern(words: list[str]) -> re.Pattern:
    return _prefix_pattern(tuple(words))


@functools.lru_cache(maxsize=256)
def _prefix_pattern(words: tuple[str, ...]) -> re.Pattern:
    # Prefix matches, as the engines match them.
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def mark_words(text: str, words: list[str]) -> str:
    """Escaped text with each word the query matches (by prefix) in <mark>."""
    if not words:
        return html.escape(text)
    return highlight(_word_pattern(words).sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text))


def snippet_html(engine_snippet: str, hit: Hit) -> str:
    """SQLite's snippet when it marks a match; else a window of the text around the first match; never empty."""
    if engine_snippet and MARK_START in engine_snippet:
        return highlight(engine_snippet)
    words = hit.words
    text = hit.text or hit.summary or hit.heading
    found = _word_pattern(words).search(text) if words else None
    if found is None:
        window, more_after = _first_words(text, SNIPPET_WORDS)
        return mark_words(" ".join(window) + ("…" if more_after else ""), words)
    before, more_before = _last_words(text[: found.start()], SNIPPET_WORDS // 3)
    after, more_after = _first_words(text[found.start():], SNIPPET_WORDS - len(before))
    return mark_words(("…" if more_before else "") + " ".join(before + after) + ("…" if more_after else ""), words)


# A snippet needs a few dozen words: only this many characters per word wanted are split, near the match, and the
# whole text only when its words are longer than that. (Splitting whole sections was a tenth of a search's CPU.)
CHARS_PER_WORD = 40


def _first_words(text: str, count: int) -> tuple[list[str], bool]:
    """The first `count` words of `text`, and whether more follow."""
    head = text[: count * CHARS_PER_WORD]
    words = head.split()
    if len(words) <= count and len(head) < len(text):  # the cut may have split a word, and not enough came before it
        words = text.split()
    return words[:count], len(words) > count


def _last_words(text: str, count: int) -> tuple[list[str], bool]:
    """The last `count` words of `text`, and whether more come before them."""
    tail = text[-count * CHARS_PER_WORD:]
    words = tail.split()
    if len(words) <= count and len(tail) < len(text):
        words = text.split()
    return words[-count:], len(words) > count


# PostgreSQL: each section's weighted vector is computed once, when the lesson is synced, and stored
# in studyapp_section.search_vector (GIN-indexed, migration 0004), so a search reads the index.
PG_VECTOR = """
    setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('english', text), 'B')
    || setweight(to_tsvector('english', %s), 'A')
"""


def index_sections(lesson: Lesson, sections: list[Section]) -> None:
    if not sections:
        return
    if not _is_sqlite():
        ids = [s.id for s in sections]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE studyapp_section SET search_vector = {PG_VECTOR} WHERE id = ANY(%s)", [lesson.title, ids])
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, heading, text, lesson_title) VALUES (%s, %s, %s, %s)",
            [(s.id, s.heading, s.text, lesson.title) for s in sections],
        )


def remove_lesson(lesson: Lesson) -> None:
    if not _is_sqlite():
        return
    ids = list(lesson.sections.values_list("id", flat=True))
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)


@dataclass
class Matches:
    """What a query matched: its sections, best first, as ids only, and the words a snippet marks (the query's
    words, and on PostgreSQL the stems they matched). The sections' text is read later, only for the hits shown."""

    words: list[str]
    sections: list[tuple[int, int]] = field(default_factory=list)  # (section id, lesson id)

    def by_lesson(self) -> list[list[int]]:
        """The section ids grouped by lesson, lessons in the order of their best section."""
        groups: dict[int, list[int]] = {}
        for section_id, lesson_id in self.sections:
            groups.setdefault(lesson_id, []).append(section_id)
        return list(groups.values())


def find(query: str) -> Matches:
    words = terms(query)
    if not words:
        return Matches(words)
    if _is_sqlite():
        return Matches(words, _match_sqlite(words))
    sections, stems = _match_postgres(words)
    return Matches(words + stems, sections)


def hits(matches: Matches, section_ids: list[int]) -> list[Hit]:
    """These matched sections as hits with their snippets, in the order given."""
    if not section_ids:
        return []
    rows = _details_sqlite(matches.words, section_ids) if _is_sqlite() else _details_postgres(section_ids)
    return [_hit(rows[section_id], matches.words) for section_id in section_ids if section_id in rows]


def lesson_groups(matches: Matches, groups: list[list[int]]) -> list[LessonHits]:
    """The hits of these groups of section ids (a page of Matches.by_lesson()), grouped by lesson."""
    return group_by_lesson(hits(matches, [section_id for group in groups for section_id in group]))


def search_lessons(query: str) -> list[Hit]:
    """Every matching section, best first, with its snippet."""
    matches = find(query)
    return hits(matches, [section_id for section_id, _ in matches.sections])


def _tsquery(words: list[str]) -> str:
    # Words are \w+ only, so the raw tsquery syntax is safe; ":*" prefix-matches like FTS5's "*".
    return " & ".join(f"{word}:*" for word in words)


# What a hit shows of its section, read only for the sections a page shows (a search can match a thousand).
HIT_COLUMNS = "s.id, s.anchor, s.heading, s.text, l.slug, l.title, l.summary, m.title"
_LESSON_JOINS = "JOIN studyapp_lesson l ON l.id = s.lesson_id JOIN studyapp_module m ON m.id = l.module_id"


def _fts_match(words: list[str]) -> str:
    # Each word quoted (so FTS5 syntax in the query is inert) and prefix-matched.
    return " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)


def _match_sqlite(words: list[str]) -> list[tuple[int, int]]:
    sql = f"""
        SELECT s.id, s.lesson_id
        FROM {FTS_TABLE} f JOIN studyapp_section s ON s.id = f.rowid JOIN studyapp_lesson l ON l.id = s.lesson_id
        WHERE {FTS_TABLE} MATCH %s AND NOT l.retired
        ORDER BY bm25({FTS_TABLE}, 5.0, 1.0, 3.0), s.id LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts_match(words), MAX_SECTIONS])
        return cursor.fetchall()


def _details_sqlite(words: list[str], section_ids: list[int]) -> dict[int, tuple]:
    """Each section's columns, and FTS5's snippet of its text (the engine marks its own matches)."""
    sql = f"""
        SELECT {HIT_COLUMNS}, snippet({FTS_TABLE}, 1, %s, %s, '…', 24)
        FROM {FTS_TABLE} f JOIN studyapp_section s ON s.id = f.rowid {_LESSON_JOINS}
        WHERE {FTS_TABLE} MATCH %s AND f.rowid IN ({",".join(["%s"] * len(section_ids))})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_END, _fts_match(words), *section_ids])
        return {row[0]: row for row in cursor.fetchall()}


def _match_postgres(words: list[str]) -> tuple[list[tuple[int, int]], list[str]]:
    """The matching sections, best first, and the stems the query matched (to mark "partitioned" for "partitions").
    The match and the rank read the stored vectors; no section is parsed."""
    sql = """
        SELECT s.id, s.lesson_id, query::text
        FROM studyapp_section s JOIN studyapp_lesson l ON l.id = s.lesson_id, to_tsquery('english', %s) query
        WHERE s.search_vector @@ query AND NOT l.retired
        ORDER BY ts_rank(s.search_vector, query) DESC, s.id LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_tsquery(words), MAX_SECTIONS])
        rows = cursor.fetchall()
    stems = sorted({stem.replace("''", "'") for stem in re.findall(r"'((?:[^']|'')+)'", rows[0][2])} - set(words)) if rows else []
    return [row[:2] for row in rows], stems


def _details_postgres(section_ids: list[int]) -> dict[int, tuple]:
    """Each section's columns; its snippet is made from the stored text (no document is parsed again, as
    ts_headline would)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {HIT_COLUMNS}, NULL FROM studyapp_section s {_LESSON_JOINS} WHERE s.id = ANY(%s)", [section_ids])
        return {row[0]: row for row in cursor.fetchall()}


def _hit(row: tuple, words: list[str]) -> Hit:
    _, anchor, heading, text, lesson_slug, lesson_title, summary, module_title, engine_snippet = row
    hit = Hit(lesson_slug=lesson_slug, lesson_title=lesson_title, module_title=module_title, anchor=anchor, heading=heading,
              snippet_html="", words=words, text=text, summary=summary)
    hit.snippet_html = snippet_html(engine_snippet or "", hit)
    return hit
