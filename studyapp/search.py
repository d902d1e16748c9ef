"""Full-text search over lesson sections: SQLite FTS5 or PostgreSQL, whichever is in use."""

import html
import re
from dataclasses import dataclass

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


def index_sections(lesson: Lesson, sections: list[Section]) -> None:
    if not _is_sqlite():
        return  # PostgreSQL searches the Section table directly
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


def search_lessons(query: str) -> list[Hit]:
    words = terms(query)
    if not words:
        return []
    found = _search_sqlite(words) if _is_sqlite() else _search_postgres(words)
    return [_hit(section, snippet, words) for section, snippet in found]


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
    sections = Section.objects.filter(id__in=snippets, lesson__retired=False).select_related("lesson__module")
    by_id = {section.id: section for section in sections}
    ordered = [by_id[section_id] for section_id, _ in rows if section_id in by_id]
    return [(section, snippets[section.id]) for section in ordered]


def _search_postgres(words: list[str]) -> list[tuple[Section, str]]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    # Words are \w+ only, so the raw tsquery syntax is safe; ":*" prefix-matches like FTS5's "*".
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="english")
    vector = SearchVector("heading", weight="A", config="english") + SearchVector("text", weight="B", config="english") + SearchVector("lesson__title", weight="A", config="english")
    sections = (
        Section.objects.filter(lesson__retired=False)
        .annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .annotate(snippet=SearchHeadline("text", query, config="english", start_sel=MARK_START, stop_sel=MARK_END, max_words=40, min_words=15))
        .select_related("lesson__module")
        .order_by("-rank", "id")[:MAX_SECTIONS]
    )
    return [(section, section.snippet) for section in sections]


def _hit(section: Section, snippet: str, words: list[str]) -> Hit:
    return Hit(
        lesson_slug=section.lesson.slug,
        lesson_title=section.lesson.title,
        module_title=section.lesson.module.title,
        anchor=section.anchor,
        heading=section.heading,
        snippet_html=snippet_html(snippet, section, words),
        heading_html=mark_words(section.heading, words),
    )
