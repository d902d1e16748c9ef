"""The course outline: live modules, their live lessons in course order, and each lesson's number of
practice questions, kept once per process.

None of it depends on the learner, so one copy serves everyone; a page adds the learner's own
progress to it. The copy is keyed by the content digest row sync_content writes at the end of every
load (its digest and time), so a sync in any process replaces it within a second (see version()). Without such a
row (content loaded by other means, as tests do) nothing is kept; sync_lessons in this process
forgets the copy too.
"""

import time
from collections import Counter
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import redis_cache
from .models import ContentDigest, Lesson, Module

KEY = "catalog"  # content_digest.KEY (not imported: content_digest reads files, this module must stay light)
VERSION_CACHE_KEY = "content-version"
VERSION_CACHE_SECONDS = 300  # the digest row's signals drop it at once; the expiry covers writes made outside the ORM
VERSION_LOCAL_SECONDS = 1.0  # how long a process trusts the version it read: another process's sync shows within a second


@dataclass(frozen=True)
class Entry:
    id: int
    slug: str
    title: str
    minutes: int
    url: str
    module_slug: str
    questions: int  # practice questions pointing at a section of this lesson
    tasks: tuple[str, ...]  # the exam guide's task statements it covers
    items: tuple[SafeString, SafeString]  # its line of the module list: (not done, done)

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True)
class ModuleEntry:
    slug: str
    title: str
    summary: str
    lessons: tuple[Entry, ...]


@dataclass(frozen=True)
class Outline:
    modules: tuple[ModuleEntry, ...]
    lessons: tuple[Entry, ...]  # course order, across modules
    by_slug: dict[str, int]  # lesson slug -> index in lessons

    def neighbours(self, slug: str) -> tuple[Entry | None, Entry | None]:
        index = self.by_slug.get(slug)
        if index is None:
            return None, None
        return (self.lessons[index - 1] if index > 0 else None), (self.lessons[index + 1] if index + 1 < len(self.lessons) else None)

    def questions(self, slug: str) -> int:
        index = self.by_slug.get(slug)
        return self.lessons[index].questions if index is not None else 0


_seen: tuple[float, tuple] | None = None  # (monotonic time, version) last read from the shared cache
_per_version: dict[str, tuple[tuple, object]] = {}  # name -> (version, value): see per_version


def _question_counts() -> Counter:
    from quizzes.models import Question  # the bank is loaded by the same sync, under the same digest

    counts = Counter()
    for ref in Question.objects.filter(retired=False, lesson__contains="#").values_list("lesson", flat=True):
        counts[ref.partition("#")[0]] += 1
    return counts


def _build() -> Outline:
    counts = _question_counts()
    modules, ordered = [], []
    lessons = Lesson.objects.filter(retired=False, module__retired=False).only("id", "slug", "title", "minutes", "tasks", "module_id", "position")
    per_module: dict[int, list[Lesson]] = {}
    for lesson in lessons.order_by("position", "id"):
        per_module.setdefault(lesson.module_id, []).append(lesson)
    for module in Module.objects.filter(retired=False).order_by("position", "slug").only("id", "slug", "title", "summary"):
        entries = []
        for lesson in per_module.get(module.id, []):
            url = lesson.get_absolute_url()
            items = tuple(mark_safe(render_to_string("studyapp/_outline_lesson.html", {"slug": lesson.slug, "url": url, "title": lesson.title,
                                                                                       "minutes": lesson.minutes, "done": done}).strip())
                          for done in (False, True))
            entries.append(Entry(lesson.id, lesson.slug, lesson.title, lesson.minutes, url, module.slug, counts[lesson.slug], tuple(lesson.tasks), items))
        modules.append(ModuleEntry(module.slug, module.title, module.summary, tuple(entries)))
        ordered += entries
    return Outline(tuple(modules), tuple(ordered), {entry.slug: i for i, entry in enumerate(ordered)})


def version() -> tuple | None:
    """The last sync's (digest, time); None without a recorded sync.

    Every page asks, so the answer is kept for a second in the process, then read from the shared
    cache (which the digest row's signals clear), then from the database.
    """
    global _seen
    seen = _seen
    if seen is not None and time.monotonic() - seen[0] < VERSION_LOCAL_SECONDS:
        return seen[1]
    cache = caches["shared"]
    key = cache.get(VERSION_CACHE_KEY)
    if key is None:
        key = ContentDigest.objects.filter(key=KEY).values_list("digest", "synced_at").first()
        if key is None:
            return None
        cache.set(VERSION_CACHE_KEY, key, VERSION_CACHE_SECONDS)
    _seen = (time.monotonic(), key)
    return key


def current() -> Outline:
    return per_version("course outline", _build)


def per_version(name: str, compute):
    """What only a content sync changes (the outline, how many labs are live, which sections a task's questions
    cite): computed once per process and content version; every time without a recorded sync."""
    key = version()
    if key is None:
        return compute()
    kept = _per_version.get(name)
    if kept is not None and kept[0] == key:
        return kept[1]
    value = compute()
    _per_version[name] = (key, value)
    return value


def forget(**_signal) -> None:
    global _seen
    _seen = None
    _per_version.clear()
    redis_cache.drop([VERSION_CACHE_KEY])


# A sync in any process writes the digest row: every process then reads the new version.
post_save.connect(forget, sender=ContentDigest, dispatch_uid="outline-forget-on-digest-save")
post_delete.connect(forget, sender=ContentDigest, dispatch_uid="outline-forget-on-digest-delete")
