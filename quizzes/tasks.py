"""Periodic quiz work."""

from celery import shared_task

from . import exam


@shared_task(acks_late=True)
def submit_expired_mock_exams() -> int:
    """Score mock exams whose time ran out while the learner was away."""
    return exam.submit_expired()
