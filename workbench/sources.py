"""The SQL exercises as a content source (see studyapp/sources.py)."""

import functools
from pathlib import Path

from django.conf import settings

from studyapp.content import ContentError, Course
from studyapp.sources import in_own_process

from .exercises import ExerciseData, check_references, keep_references, read_exercises, reference_results, runner_settings, unknown_references
from .models import Exercise


class ExerciseSource:
    name = "SQL exercises"

    def __init__(self):
        self.exercises: list[ExerciseData] = []

    def prepare(self) -> None:
        """The reference queries not yet run, in a Python process of its own: run in a thread, the Python part of
        each query waits for the GIL the lesson reading holds (0.3 s more for a first sync on two cores)."""
        queries = unknown_references(Path(settings.WORKBENCH_EXERCISES_DIR))
        if queries:
            keep_references(in_own_process(functools.partial(reference_results, queries, runner_settings())))

    def read(self, course: Course) -> list[ContentError]:
        errors: list[ContentError] = []
        self.exercises = read_exercises(Path(settings.WORKBENCH_EXERCISES_DIR), course, errors)
        check_references(self.exercises, errors)
        return errors

    def sync(self) -> str:
        created = updated = 0
        for position, data in enumerate(self.exercises):
            fields = {"title": data.title, "prompt_html": data.prompt_html, "reference_sql": data.reference, "ordered": data.ordered,
                      "lesson": data.lesson, "position": position, "retired": False}
            _, was_created = Exercise.objects.update_or_create(slug=data.id, defaults=fields)
            created, updated = created + was_created, updated + (not was_created)
        retired = Exercise.objects.filter(retired=False).exclude(slug__in=[e.id for e in self.exercises]).update(retired=True)
        return f"{created} created, {updated} updated or unchanged, {retired} retired"

    def stats(self) -> dict:
        return {"sql_exercises": len(self.exercises)}
