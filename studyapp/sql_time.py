"""Time arithmetic written in SQL for both databases the app runs on."""

from django.db import connection


def seconds_between(later: str, earlier: str) -> str:
    """SQL for the seconds from `earlier` to `later` (two timestamp expressions), exact enough to compare with a limit.

    SQLite's julianday() is a double in days: the result is rounded to the millisecond, so a gap of exactly
    the limit compares equal to it.
    """
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"ROUND((julianday({later}) - julianday({earlier})) * 86400.0, 3)"
