"""Small housekeeping tasks of the core app."""

from celery import shared_task


@shared_task(acks_late=True)
def echo(value: str) -> str:
    """Return its argument: lets operators and tests prove a worker round trip."""
    return value
