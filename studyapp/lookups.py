"""The lesson page's read, as SQL written once (studyapp.rows says why): the lesson, its module and whether
the learner has completed it, in one query."""

import functools

from django.db import connection
from django.http import Http404

from . import rows
from .models import Lesson, LessonProgress, Module


def live_lesson(user, slug: str) -> Lesson:
    """The live lesson `slug` with its module, and `done`: has this learner completed it; a retired or unknown one is a 404."""
    with connection.cursor() as cursor:
        cursor.execute(_live_lesson_sql(), [user.id, slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such lesson.")
    lesson, module, (done,) = rows.split(row, Lesson, Module)
    lesson.module, lesson.done = module, bool(done)
    return lesson


@functools.cache
def _live_lesson_sql() -> str:
    lessons, modules, progress = (rows.table(model) for model in (Lesson, Module, LessonProgress))
    return (f"SELECT {rows.columns(Lesson, 'l')}, {rows.columns(Module, 'm')}, "
            f"EXISTS (SELECT 1 FROM {progress} p WHERE p.user_id = %s AND p.lesson_id = l.id) "
            f"FROM {lessons} l JOIN {modules} m ON m.id = l.module_id WHERE l.slug = %s AND NOT l.retired")
