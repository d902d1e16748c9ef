"""What the SQL workbench adds to the progress dashboard."""

from studyapp import outline

from .models import Exercise, ExerciseCompletion


def summary(user) -> dict:
    completed = list(ExerciseCompletion.objects.filter(user=user, exercise__retired=False).values_list("completed_at", flat=True))
    return {"sql": {"completed": len(completed), "total": outline.per_version("live exercises", Exercise.objects.filter(retired=False).count)}, "events": completed}
