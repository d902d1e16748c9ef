"""Load validated lessons into the database: idempotent, and retiring instead of deleting."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import outline, search
from .content import ContentInvalid, Course, read_course
from .models import Lesson, Module, Section


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return f"lessons: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.retired} retired"


def read_default_course() -> Course:
    return read_course(Path(settings.CONTENT_DIR), Path(settings.BASE_DIR) / "static")


@transaction.atomic
def sync_lessons(course: Course) -> SyncReport:
    """Write the course to the database; raise ContentInvalid (and write nothing) if it has errors."""
    if course.errors:
        raise ContentInvalid(course.errors)
    report = SyncReport()
    modules = {}
    for module_file in course.modules:
        module, _ = Module.objects.update_or_create(
            slug=module_file.slug,
            defaults={"title": module_file.title, "summary": module_file.summary, "position": module_file.position, "retired": False},
        )
        modules[module.slug] = module
    Module.objects.exclude(slug__in=modules).update(retired=True)

    existing = {lesson.slug: lesson for lesson in Lesson.objects.all()}
    for lesson_file in course.lessons:
        lesson = existing.get(lesson_file.slug)
        fields = {
            "module": modules[lesson_file.module_slug],
            "title": lesson_file.title,
            "summary": lesson_file.summary,
            "minutes": lesson_file.minutes,
            "tasks": lesson_file.tasks,
            "services": lesson_file.services,
            "position": lesson_file.position,
            "source_path": lesson_file.path,
            "retired": False,
        }
        if lesson and lesson.content_hash == lesson_file.content_hash and all(getattr(lesson, k) == v for k, v in fields.items()):
            report.unchanged += 1
            continue
        rendered = lesson_file.rendered
        fields.update(html=rendered.html, toc=rendered.toc, content_hash=lesson_file.content_hash)
        if lesson is None:
            lesson = Lesson.objects.create(slug=lesson_file.slug, **fields)
            report.created += 1
        else:
            for key, value in fields.items():
                setattr(lesson, key, value)
            lesson.save()
            report.updated += 1
            _remove_sections(lesson)
        _add_sections(lesson, rendered.sections)

    seen = {lesson_file.slug for lesson_file in course.lessons}
    gone = Lesson.objects.filter(retired=False).exclude(slug__in=seen)
    for lesson in gone:
        search.remove_lesson(lesson)
    report.retired = gone.update(retired=True)
    outline.forget()
    return report


def _remove_sections(lesson: Lesson) -> None:
    search.remove_lesson(lesson)
    lesson.sections.all().delete()


def _add_sections(lesson: Lesson, rendered_sections) -> None:
    sections = Section.objects.bulk_create(
        Section(lesson=lesson, anchor=s.anchor, heading=s.heading, text=s.text, position=i) for i, s in enumerate(rendered_sections)
    )
    search.index_sections(lesson, sections)
