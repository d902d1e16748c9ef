"""Full-text search over lesson sections: SQLite FTS5 or PostgreSQL, whichever is in use."""

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
    heading_html: str = ""
    section: Section | None = field(default=None, repr=False, compare=False)  # kept until the snippet is made
    words: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def url(self) -> str:
        return f"/lessons/{self.lesson_slug}/" + (f"#{self.anchor}" if self.anchor else "")


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
    # Prefix matches, as the engines match them.
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def mark_words(text: str, words: list[str]) -> str:
    """Escaped text with each word the query matches (by prefix) in <mark>."""
    if not words:
        return html.escape(text)
    return highlight(_word_pattern(words).sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text))


def snippet_html(engine_snippet: str, section: Section, words: list[str]) -> str:
    """The engine's snippet when it marks a match; else a window of the text around the first match; never empty."""
    if engine_snippet and MARK_START in engine_snippet:
        plain = engine_snippet.replace(MARK_START, "").replace(MARK_END, "").strip()
        # PostgreSQL's headline, unlike SQLite's snippet, does not say that it starts inside the text.
        if not engine_snippet.startswith("…") and not (section.text or "").lstrip().startswith(plain[:40]):
            engine_snippet = "…" + engine_snippet
        return highlight(engine_snippet)
    text = section.text or section.lesson.summary or section.heading
    found = _word_pattern(words).search(text) if words else None
    if found is None:
        window = " ".join(text.split()[:SNIPPET_WORDS])
        return mark_words(window + ("…" if len(text.split()) > SNIPPET_WORDS else ""), words)
    before = text[: found.start()].split()[-SNIPPET_WORDS // 3:]
    after = text[found.start():].split()[: SNIPPET_WORDS - len(before)]
    window = ("…" if len(before) < len(text[: found.start()].split()) else "") + " ".join(before + after)
    return mark_words(window + ("…" if len(after) < len(text[found.start():].split()) else ""), words)
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


def search_lessons(query: str, snippets: bool = True) -> list[Hit]:
    """Every matching section, best first. With `snippets=False` on PostgreSQL the snippets are left to
    `add_snippets`, so a results page builds them only for the hits it shows (each is a parse of the section)."""
    words = terms(query)
    if not words:
        return []
    if _is_sqlite():  # FTS5 makes its snippets in the same scan, at no extra cost
        return [_hit(section, snippet, words) for section, snippet in _search_sqlite(words)]
    hits = [_hit(section, None, words) for section in _search_postgres(words)]
    if snippets:
        add_snippets(hits)
    return hits


def add_snippets(hits: list[Hit]) -> None:
    """Make the snippets these hits still lack: one PostgreSQL query for all of them."""
    pending = [hit for hit in hits if hit.section is not None and not hit.snippet_html]
    if not pending:
        return
    words = pending[0].words
    sql = """
        SELECT s.id, ts_headline('english', s.text, to_tsquery('english', %s), %s)
        FROM studyapp_section s WHERE s.id = ANY(%s)
    """
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=15"
    with connection.cursor() as cursor:
        cursor.execute(sql, [_tsquery(words), options, [hit.section.id for hit in pending]])
        headlines = dict(cursor.fetchall())
    for hit in pending:
        hit.snippet_html = snippet_html(headlines.get(hit.section.id, ""), hit.section, hit.words)


def _tsquery(words: list[str]) -> str:
    # Words are \w+ only, so the raw tsquery syntax is safe; ":*" prefix-matches like FTS5's "*".
    return " & ".join(f"{word}:*" for word in words)


def _search_sqlite(words: list[str]) -> list[tuple[Section, str]]:
    # Each word quoted (so FTS5 syntax in the query is inert) and prefix-matched.
    match = " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)
    sql = f"""
        SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, '…', 24)
        FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
        ORDER BY bm25({FTS_TABLE}, 5.0, 1.0, 3.0) LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_END, match, MAX_SECTIONS])
        rows = cursor.fetchall()
    snippets = dict(rows)
    sections = _hit_sections().filter(id__in=snippets, lesson__retired=False)
    by_id = {section.id: section for section in sections}
    ordered = [by_id[section_id] for section_id, _ in rows if section_id in by_id]
    return [(section, snippets[section.id]) for section in ordered]


def _search_postgres(words: list[str]) -> list[Section]:
    # The match and the rank read the stored vectors; no section is parsed here (snippets: add_snippets).
    sql = """
        SELECT s.id
        FROM studyapp_section s JOIN studyapp_lesson l ON l.id = s.lesson_id, to_tsquery('english', %s) query
        WHERE s.search_vector @@ query AND NOT l.retired
        ORDER BY ts_rank(s.search_vector, query) DESC, s.id LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_tsquery(words), MAX_SECTIONS])
        ids = [row[0] for row in cursor.fetchall()]
    by_id = _hit_sections().in_bulk(ids)
    return [by_id[section_id] for section_id in ids if section_id in by_id]


def _hit_sections():
    """Sections with only what a hit shows (not the lesson's rendered HTML)."""
    return Section.objects.select_related("lesson__module").only(
        "anchor", "heading", "text", "lesson__slug", "lesson__title", "lesson__summary", "lesson__module__title")


def _hit(section: Section, snippet: str | None, words: list[str]) -> Hit:
    """A hit; with `snippet` None its snippet is made later (add_snippets)."""
    return Hit(
        lesson_slug=section.lesson.slug,
        lesson_title=section.lesson.title,
        module_title=section.lesson.module.title,
        anchor=section.anchor,
        heading=section.heading,
        snippet_html="" if snippet is None else snippet_html(snippet, section, words),
        heading_html=mark_words(section.heading, words),
        section=section,
        words=words,
    )
