"""Querysets the ORM compiles once per process, then run again with each call's values.

Building a queryset with many conditions (the flashcard counts: due, new, suspended, introduced today)
costs milliseconds of Python on every call, many times what the database spends answering it. Where a
query's shape is fixed and only some values change (the learner, the time), `sql` builds it once with
stand-in values, keeps the SQL, and puts each call's values where the stand-ins were. A stand-in that the
compiled parameters do not show as it was given (the ORM transformed or dropped it) fails loudly rather than
running a query with the wrong values.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet

_STAND_IN_TIME = datetime(1901, 2, 3, tzinfo=UTC)  # no learner's data is this old
_STAND_IN_NUMBER = -1_000_000_007  # no row has a negative id
_kept: dict = {}


class StandInLost(Exception):
    """A value given to the build does not appear among the compiled parameters."""


def sql(key, build: Callable[..., QuerySet], **values) -> tuple[str, list]:
    """The SQL and parameters of `build(**values)`. With a key, compiled once per key and database: the key
    must decide everything about the query except `values` (datetimes and whole numbers). Without a key
    (None), built and compiled now."""
    if key is None:
        return _compile(build(**values))
    kept = _kept.get((key, connection.vendor))
    if kept is None:
        kept = _kept[(key, connection.vendor)] = _compile_with_stand_ins(build, values)
    text, params, slots = kept
    params = list(params)
    for index, name in slots:
        params[index] = _as_parameter(values[name])
    return text, params


def first_row(key, build: Callable[..., QuerySet], **values) -> tuple | None:
    """The first row of `sql(key, build, **values)`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(*sql(key, build, **values))
        return cursor.fetchone()


def _compile(queryset: QuerySet) -> tuple[str, list]:
    text, params = queryset.query.sql_with_params()
    return text, list(params)


def _compile_with_stand_ins(build, values: dict) -> tuple[str, tuple, tuple]:
    stand_ins = {name: _stand_in(value, number) for number, (name, value) in enumerate(values.items())}
    text, params = _compile(build(**stand_ins))
    as_given = {name: _as_parameter(stand_in) for name, stand_in in stand_ins.items()}
    slots = tuple((index, name) for index, param in enumerate(params) for name, given in as_given.items()
                  if type(param) is type(given) and param == given)
    found = {name for _, name in slots}
    if lost := set(values) - found:
        raise StandInLost(f"{', '.join(sorted(lost))} not among the compiled parameters of {text}")
    return text, tuple(params), slots


def _stand_in(value, number: int):
    if isinstance(value, datetime):
        return _STAND_IN_TIME + timedelta(seconds=number)
    if isinstance(value, int) and not isinstance(value, bool):
        return _STAND_IN_NUMBER - number
    raise TypeError(f"only datetimes and whole numbers can be rebound, not {type(value).__name__}")


def _as_parameter(value):
    """The value as the ORM hands it to the database driver (SQLite gets datetimes as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
