"""What other apps add to the progress dashboard and the learner's data export.

settings.PROGRESS_EXTRAS names functions `summary(user) -> dict`. Each returns its own
key (e.g. {"labs": {...}}) and may add "events": [datetime, ...] (study activity, for the
time-studied figure and the streak calendar).
"""

from django.conf import settings
from django.utils.module_loading import import_string


def progress_extras(user) -> dict:
    merged: dict = {"events": []}
    for path in settings.PROGRESS_EXTRAS:
        extra = import_string(path)(user)
        merged["events"] += extra.pop("events", [])
        merged.update(extra)
    return merged
