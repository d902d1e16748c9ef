"""SQL exercises (an index of workbench/exercises/*.yaml) and who solved them."""

from django.conf import settings
from django.db import models

from quizzes.models import lesson_section_url


class Exercise(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    prompt_html = models.TextField()
    reference_sql = models.TextField()
    ordered = models.BooleanField(default=False)
    lesson = models.CharField(max_length=250)  # "<module>/<lesson>#<anchor>"
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    @property
    def lesson_url(self) -> str:
        return lesson_section_url(self.lesson)


class ExerciseCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_completions")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField()
    sql = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "exercise"], name="one_completion_per_exercise")]
