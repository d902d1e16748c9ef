"""Counts for content authors (`manage.py content_stats`)."""

from collections import Counter

from .content import Course
from .exam_guide import TASKS


def course_stats(course: Course) -> dict:
    per_task = Counter(task for lesson in course.lessons for task in set(lesson.tasks))
    return {
        "modules": len(course.modules),
        "lessons": len(course.lessons),
        "minutes": sum(lesson.minutes for lesson in course.lessons),
        "lessons_per_task": {task.id: per_task.get(task.id, 0) for task in TASKS},
        "lessons_with_sources": sum(bool(lesson.sources) for lesson in course.lessons),
        "errors": len(course.errors),
    }
