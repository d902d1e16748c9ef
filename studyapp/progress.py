"""Lesson completion per learner: the only code that writes LessonProgress."""

from django.db.models import Q
from django.utils import timezone

from .models import Lesson, LessonProgress


def completed_lesson_ids(user) -> set[int]:
    return set(LessonProgress.objects.filter(user=user).values_list("lesson_id", flat=True))


def is_completed(user, lesson: Lesson) -> bool:
    return LessonProgress.objects.filter(user=user, lesson=lesson).exists()


def mark_complete(user, lesson: Lesson) -> None:
    LessonProgress.objects.get_or_create(user=user, lesson=lesson, defaults={"completed_at": timezone.now()})


def mark_incomplete(user, lesson: Lesson) -> None:
    LessonProgress.objects.filter(user=user, lesson=lesson).delete()


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one in course order (across modules)."""
    live = Lesson.objects.filter(retired=False, module__retired=False).only("slug", "title")  # a link each: not their HTML
    key = (lesson.module.position, lesson.module.slug, lesson.position)
    before = live.filter(
        Q(module__position__lt=key[0])
        | Q(module__position=key[0], module__slug__lt=key[1])
        | Q(module=lesson.module, position__lt=key[2])
    ).order_by("-module__position", "-module__slug", "-position").first()
    after = live.filter(
        Q(module__position__gt=key[0])
        | Q(module__position=key[0], module__slug__gt=key[1])
        | Q(module=lesson.module, position__gt=key[2])
    ).order_by("module__position", "module__slug", "position").first()
    return before, after
