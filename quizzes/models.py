"""Questions and flashcards (an index of quizzes/bank and quizzes/flashcards), and each learner's attempts and reviews."""

from django.conf import settings
from django.db import models


def lesson_section_url(reference: str) -> str:
    """"glue/crawlers#classifiers" -> "/lessons/glue/crawlers/#classifiers"."""
    slug, _, anchor = reference.partition("#")
    return f"/lessons/{slug}/" + (f"#{anchor}" if anchor else "")


class Question(models.Model):
    SINGLE, MULTI = "single", "multi"

    qid = models.CharField(max_length=120, unique=True)  # the bank's stable id; never changes once published
    type = models.CharField(max_length=10, choices=[(SINGLE, "Single answer"), (MULTI, "Multiple response")])
    task = models.CharField(max_length=5)
    domain = models.PositiveSmallIntegerField()
    services = models.JSONField(default=list)
    difficulty = models.PositiveSmallIntegerField()
    stem_html = models.TextField()
    options = models.JSONField()  # [{"id", "html", "why_html"}]
    answer = models.JSONField()  # sorted option ids
    lesson = models.CharField(max_length=250)  # "<module>/<lesson>#<anchor>"
    lab = models.CharField(max_length=80, blank=True)
    sources = models.JSONField(default=list, blank=True)  # AWS documentation URLs that settle the question
    content_hash = models.CharField(max_length=64)
    retired = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["domain", "task"])]

    def __str__(self) -> str:
        return self.qid

    @property
    def lesson_url(self) -> str:
        return lesson_section_url(self.lesson)

    @property
    def lesson_slug(self) -> str:
        return self.lesson.partition("#")[0]


class Flashcard(models.Model):
    cid = models.CharField(max_length=120, unique=True)
    front_html = models.TextField()
    back_html = models.TextField()
    task = models.CharField(max_length=5)
    lesson = models.CharField(max_length=250)
    sources = models.JSONField(default=list, blank=True)
    retired = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.cid

    @property
    def lesson_url(self) -> str:
        return lesson_section_url(self.lesson)


class Attempt(models.Model):
    PRACTICE, MOCK = "practice", "mock"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(max_length=10, choices=[(PRACTICE, "Practice"), (MOCK, "Mock exam")])
    scope = models.CharField(max_length=200, blank=True)  # what the learner asked for, in words
    certainty = models.BooleanField(default=False)  # certainty-based marking on
    seed = models.BigIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)  # mock exams only
    submitted_at = models.DateTimeField(null=True, blank=True)
    scored_correct = models.PositiveIntegerField(null=True, blank=True)
    scored_total = models.PositiveIntegerField(null=True, blank=True)
    scaled_score = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "kind", "submitted_at"])]

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class Response(models.Model):
    """One question of an attempt: its place, option order, and the learner's answer (if any)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    scored = models.BooleanField(default=True)  # mock exams hide 15 unscored questions among the rest
    option_order = models.JSONField()
    chosen = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    certainty = models.PositiveSmallIntegerField(null=True, blank=True)  # 1..3
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="one_response_per_position")]
        indexes = [models.Index(fields=["question", "correct"])]


class CardState(models.Model):
    """A learner's FSRS memory state for one flashcard, or for a question they got wrong."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states")
    flashcard = models.ForeignKey(Flashcard, null=True, blank=True, on_delete=models.CASCADE)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE)
    fsrs = models.JSONField()  # fsrs.Card.to_dict()
    due = models.DateTimeField()
    reviews = models.PositiveIntegerField(default=0)
    suspended = models.BooleanField(default=False)  # out of every queue until the learner unsuspends it
    buried_until = models.DateTimeField(null=True, blank=True)  # hidden until then (the next day), then due again
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "flashcard"], name="one_state_per_flashcard"),
            models.UniqueConstraint(fields=["user", "question"], name="one_state_per_question"),
            models.CheckConstraint(
                condition=models.Q(flashcard__isnull=False, question__isnull=True) | models.Q(flashcard__isnull=True, question__isnull=False),
                name="card_is_flashcard_xor_question",
            ),
        ]
        indexes = [models.Index(fields=["user", "due"])]


class Review(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    card = models.ForeignKey(CardState, on_delete=models.CASCADE, related_name="review_log")
    rating = models.PositiveSmallIntegerField()  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at = models.DateTimeField()
    # The card as it was before this review, so the review can be undone: {"fsrs", "due", "reviews"},
    # or {"created": true} when this review created the card's state. Null for reviews made before undo existed.
    previous = models.JSONField(null=True, blank=True)


class StudyPreferences(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_preferences")
    desired_retention = models.FloatField(default=0.9)
    new_cards_per_day = models.PositiveSmallIntegerField(default=20)
    fsrs_parameters = models.JSONField(null=True, blank=True)  # fitted to this learner's reviews; FSRS's defaults when null
