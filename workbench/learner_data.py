"""The workbench's part of a learner's data export: solved exercises (not their scratch tables)."""



from studyapp.learner_data import parse_time

from . import database
from .models import Exercise, ExerciseCompletion


def export(user) -> list[dict]:
    return [
        {"exercise": slug, "completed_at": at.isoformat(), "sql": sql}
        for slug, at, sql in ExerciseCompletion.objects.filter(user=user).values_list("exercise__slug", "completed_at", "sql")
    ]


def wipe(user) -> None:
    ExerciseCompletion.objects.filter(user=user).delete()
    database.reset(user.id)


def load(user, data) -> None:
    exercises = dict(Exercise.objects.values_list("slug", "id"))
    for row in data or []:
        if row["exercise"] in exercises:
            ExerciseCompletion.objects.create(user=user, exercise_id=exercises[row["exercise"]], sql=row["sql"],
                                              completed_at=parse_time(row["completed_at"]))
