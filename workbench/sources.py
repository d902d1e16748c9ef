"""The SQL exercises as a content source (see studyapp/sources.py)."""

from pathlib import Path

from django.conf import settings

from studyapp.content import ContentError, Course

from .exercises import ExerciseData, check_references, read_exercises, run_references
from .models import Exercise


class ExerciseSource:
    name = "SQL exercises"

    def __init__(self):
        self.exercises: list[ExerciseData] = []

    def prepare(self) -> None:
        run_references(Path(settings.WORKBENCH_EXERCISES_DIR))

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
