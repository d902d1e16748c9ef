"""Every kind of content file, read, validated, loaded and counted the same way.

Lessons come first (other content links to lesson sections); then each source named in
settings.CONTENT_SOURCES, e.g. the question bank or the lab catalog. A source is a class with:

    name: str
    prepare() -> None                    optional: slow work that needs no course, run in a thread while the lessons are read
    read(course) -> list[ContentError]   parse and validate its files; keep what it parsed
    sync() -> str                        write what it read to the database (idempotent); a one-line report
    stats() -> dict                      counts for `content_stats --json`
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from . import outline
from .content import ContentError, ContentInvalid, Course
from .stats import course_stats
from .sync import read_default_course, sync_lessons


@dataclass
class Catalog:
    course: Course
    sources: list = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


def read_catalog() -> Catalog:
    sources = [import_string(path)() for path in settings.CONTENT_SOURCES]
    with ThreadPoolExecutor(max_workers=1) as pool:
        prepared = [pool.submit(source.prepare) for source in sources if hasattr(source, "prepare")]
        course = read_default_course()
        for future in prepared:
            future.result()
    catalog = Catalog(course=course, errors=list(course.errors))
    for source in sources:
        catalog.errors.extend(source.read(course))
        catalog.sources.append(source)
    return catalog


@transaction.atomic
def sync_catalog(catalog: Catalog) -> list[str]:
    """Load everything, or (on any error) nothing."""
    if catalog.errors:
        raise ContentInvalid(catalog.errors)
    reports = [str(sync_lessons(catalog.course))]
    reports += [f"{source.name}: {source.sync()}" for source in catalog.sources]
    outline.forget()
    return reports


def catalog_stats(catalog: Catalog) -> dict:
    stats = course_stats(catalog.course)
    for source in catalog.sources:
        stats.update(source.stats())
    stats["errors"] = len(catalog.errors)
    return stats
