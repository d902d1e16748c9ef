"""Every kind of content file, read, validated, loaded and counted the same way.

Lessons come first (other content links to lesson sections); then each source named in
settings.CONTENT_SOURCES, e.g. the question bank or the lab catalog. A source is a class with:

    name: str
    prepare() -> None                    optional: slow work that needs no course, started in a thread before the lessons are
                                         read; work in Python goes on to a process of its own (in_own_process)
    read(course) -> list[ContentError]   parse and validate its files; keep what it parsed
    sync() -> str                        write what it read to the database (idempotent); a one-line report
    stats() -> dict                      counts for `content_stats --json`
"""

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

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


T = TypeVar("T")
# The child keeps its standard output for the result: anything the work prints goes to standard error.
_RUN_PICKLED = ("import os, pickle, sys; result = os.fdopen(os.dup(1), 'wb'); os.dup2(2, 1); "
                "work = pickle.load(sys.stdin.buffer); pickle.dump(work(), result); result.close()")


def in_own_process(work: Callable[[], T]) -> T:
    """work() in a new Python process, for a prepare() whose work is Python code: in a thread it would hold the GIL
    the lesson reading needs. `work` is a module-level function (or a functools.partial of one) that needs no
    Django setup; it travels pickled, and so does its result. A new interpreter, not a fork: nothing of this
    process (database connections, threads, the main module) is shared or run again."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
    done = subprocess.run([sys.executable, "-c", _RUN_PICKLED], input=pickle.dumps(work), capture_output=True, env=env, check=False)
    if done.returncode != 0:  # the error shows again (with its traceback) where it is run here
        return work()
    return pickle.loads(done.stdout)  # noqa: S301 (what our own child process wrote)


def read_catalog() -> Catalog:
    with ThreadPoolExecutor(max_workers=max(len(settings.CONTENT_SOURCES), 1)) as pool:
        sources, prepared = [], {}
        for path in settings.CONTENT_SOURCES:  # each starts preparing before the next is imported (the labs' imports take a while)
            sources.append(import_string(path)())
            if hasattr(sources[-1], "prepare"):
                prepared[id(sources[-1])] = pool.submit(sources[-1].prepare)
        course = read_default_course()
        catalog = Catalog(course=course, errors=list(course.errors))
        for source in sources:
            if id(source) in prepared:
                prepared[id(source)].result()  # its own preparation only: the others may still be at work
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
