"""Lessons (an index of the files in content/) and each learner's progress."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Module(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="lessons")
    slug = models.CharField(max_length=160, unique=True)  # "<module>/<lesson>", stable across reordering
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    minutes = models.PositiveIntegerField(default=5)
    tasks = models.JSONField(default=list)
    services = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    html = models.TextField()
    toc = models.JSONField(default=list)  # [{"id", "title", "level"}]
    source_path = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64)
    retired = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module__position", "position"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lesson", kwargs=self._url_parts())

    def get_complete_url(self) -> str:
        return reverse("lesson_complete", kwargs=self._url_parts())

    def _url_parts(self) -> dict:
        module_slug, lesson_slug = self.slug.split("/")
        return {"module_slug": module_slug, "lesson_slug": lesson_slug}


class Section(models.Model):
    """A heading of a lesson and the text under it: the unit of search."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sections")
    anchor = models.CharField(max_length=200, blank=True)  # "" is the lesson's introduction
    heading = models.CharField(max_length=300)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["lesson", "position"]


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")]


class StudyPlan(models.Model):
    """The learner's exam date, from which the dashboard derives a daily plan."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_plan")
    exam_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)


class ContentDigest(models.Model):
    """The digest of the content files at the last successful sync (see content_digest.py)."""

    key = models.CharField(max_length=40, unique=True)
    digest = models.CharField(max_length=64)
    synced_at = models.DateTimeField(auto_now=True)
