"""A learner's data as one JSON document: export, import (into this or a fresh instance), delete.

Rows are referred to by their stable content ids (lesson slugs, question and flashcard
ids), never by database ids, so an export loads into another instance. Secrets are
never part of it. Other apps add their own part via settings.LEARNER_DATA_EXTRAS
(modules with `export(user) -> data` and `load(user, data)` and `wipe(user)`).
"""

import importlib
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.models import Attempt, CardState, Flashcard, Question, Response, Review, StudyPreferences

from . import import_check
from .models import Lesson, LessonProgress, StudyPlan

FORMAT, VERSION = "dea-c01-study-export", 1


class ImportInvalid(Exception):
    """The uploaded file is not an export of this app, or is damaged."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_time(value: str | None) -> datetime | None:
    """An exported ISO timestamp back to an aware datetime (None stays None)."""
    if value in (None, ""):
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _extras():
    return {path.split(".", 1)[0]: importlib.import_module(path) for path in settings.LEARNER_DATA_EXTRAS}


def export(user) -> dict:
    attempts = []
    for attempt in Attempt.objects.filter(user=user).prefetch_related("responses__question").order_by("started_at"):
        attempts.append({
            "kind": attempt.kind, "scope": attempt.scope, "certainty": attempt.certainty, "seed": attempt.seed,
            "started_at": _iso(attempt.started_at), "deadline": _iso(attempt.deadline), "submitted_at": _iso(attempt.submitted_at),
            "scored_correct": attempt.scored_correct, "scored_total": attempt.scored_total, "scaled_score": attempt.scaled_score,
            "responses": [
                {"position": r.position, "question": r.question.qid, "scored": r.scored, "option_order": r.option_order, "chosen": r.chosen,
                 "correct": r.correct, "certainty": r.certainty, "flagged": r.flagged, "answered_at": _iso(r.answered_at)}
                for r in attempt.responses.all()
            ],
        })
    reviews: dict[int, list] = {}
    for review in Review.objects.filter(user=user).order_by("reviewed_at"):
        reviews.setdefault(review.card_id, []).append({"rating": review.rating, "reviewed_at": _iso(review.reviewed_at)})
    cards = [
        {"flashcard": s.flashcard.cid if s.flashcard else None, "question": s.question.qid if s.question else None, "fsrs": s.fsrs,
         "due": _iso(s.due), "reviews": s.reviews, "suspended": s.suspended, "created_at": _iso(s.created_at), "review_log": reviews.get(s.id, [])}
        for s in CardState.objects.filter(user=user).select_related("flashcard", "question")
    ]
    prefs = StudyPreferences.objects.filter(user=user).first()
    plan = StudyPlan.objects.filter(user=user).first()
    return {
        "format": FORMAT, "version": VERSION, "exported_at": _iso(timezone.now()),
        "account": {"username": user.username, "email": user.email, "date_joined": _iso(user.date_joined)},
        "lesson_progress": [{"lesson": slug, "completed_at": _iso(at)} for slug, at in LessonProgress.objects.filter(user=user).values_list("lesson__slug", "completed_at")],
        "study_plan": {"exam_date": plan.exam_date.isoformat()} if plan else None,
        "study_preferences": {"desired_retention": prefs.desired_retention, "new_cards_per_day": prefs.new_cards_per_day} if prefs else None,
        "attempts": attempts,
        "card_states": cards,
        "extras": {name: module.export(user) for name, module in _extras().items()},
    }


def wipe(user) -> None:
    """Remove the learner's study data (the account itself stays)."""
    for module in _extras().values():
        module.wipe(user)
    Review.objects.filter(user=user).delete()
    CardState.objects.filter(user=user).delete()
    Attempt.objects.filter(user=user).delete()
    LessonProgress.objects.filter(user=user).delete()
    StudyPlan.objects.filter(user=user).delete()
    StudyPreferences.objects.filter(user=user).delete()


@transaction.atomic
def load(user, data) -> dict:
    """Replace the learner's study data with an export's; all or nothing. Returns counts of what was skipped."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportInvalid("This is not a file exported from this app.")
    if data.get("version") != VERSION:
        raise ImportInvalid(f"This export has version {data.get('version')!r}; this app reads version {VERSION}.")
    try:
        import_check.check(data)
    except import_check.Invalid as invalid:
        raise ImportInvalid(f"The file is damaged: {invalid}. Nothing was changed.") from None
    for module in _extras().values():
        refusal = getattr(module, "import_refusal", lambda user: "")(user)
        if refusal:
            raise ImportInvalid(refusal)
    try:
        wipe(user)
        return _load(user, data)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, IntegrityError) as error:
        raise ImportInvalid(f"The file is damaged ({type(error).__name__}); nothing was changed.") from error


def _load(user, data: dict) -> dict:
    skipped = {"lessons": 0, "questions": 0, "flashcards": 0}
    lessons = dict(Lesson.objects.values_list("slug", "id"))
    questions = {q.qid: q for q in Question.objects.all()}
    flashcards = {c.cid: c for c in Flashcard.objects.all()}
    for row in data["lesson_progress"]:
        if row["lesson"] in lessons:
            LessonProgress.objects.create(user=user, lesson_id=lessons[row["lesson"]], completed_at=parse_time(row["completed_at"]))
        else:
            skipped["lessons"] += 1
    if data.get("study_plan"):
        StudyPlan.objects.create(user=user, exam_date=datetime.fromisoformat(data["study_plan"]["exam_date"]).date())
    if data.get("study_preferences"):
        StudyPreferences.objects.create(user=user, **{k: data["study_preferences"][k] for k in ("desired_retention", "new_cards_per_day")})
    for row in data["attempts"]:
        attempt = Attempt.objects.create(
            user=user, kind=row["kind"], scope=row["scope"], certainty=row["certainty"], seed=row["seed"], started_at=parse_time(row["started_at"]),
            deadline=parse_time(row["deadline"]), submitted_at=parse_time(row["submitted_at"]), scored_correct=row["scored_correct"],
            scored_total=row["scored_total"], scaled_score=row["scaled_score"],
        )
        responses = []
        for r in row["responses"]:
            if r["question"] not in questions:
                skipped["questions"] += 1
                continue
            responses.append(Response(
                attempt=attempt, position=r["position"], question=questions[r["question"]], scored=r["scored"], option_order=r["option_order"],
                chosen=r["chosen"], correct=r["correct"], certainty=r["certainty"], flagged=r["flagged"], answered_at=parse_time(r["answered_at"]),
            ))
        Response.objects.bulk_create(responses)
    for row in data["card_states"]:
        flashcard, question = flashcards.get(row["flashcard"]), questions.get(row["question"])
        if flashcard is None and question is None:
            skipped["flashcards"] += 1
            continue
        state = CardState.objects.create(user=user, flashcard=flashcard, question=question, fsrs=row["fsrs"], due=parse_time(row["due"]), reviews=row["reviews"],
                                     suspended=bool(row.get("suspended", False)))
        CardState.objects.filter(id=state.id).update(created_at=parse_time(row["created_at"]))
        Review.objects.bulk_create(Review(user=user, card=state, rating=v["rating"], reviewed_at=parse_time(v["reviewed_at"])) for v in row["review_log"])
    for name, module in _extras().items():
        module.load(user, data.get("extras", {}).get(name))
    return skipped
