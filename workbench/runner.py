"""Run learner-supplied SQL with a time limit and a row limit, and report what happened."""

import datetime
import decimal
import threading
import time
from dataclasses import dataclass, field

import duckdb
from django.conf import settings


@dataclass
class Result:
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    truncated: bool = False
    statements: int = 0
    elapsed_ms: int = 0
    error: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def run(connection: duckdb.DuckDBPyConnection, sql: str, *, row_limit: int | None = None, time_limit: float | None = None) -> Result:
    """Run every statement in `sql`; the last one's rows are returned (at most row_limit)."""
    row_limit = row_limit or settings.WORKBENCH_ROW_LIMIT
    time_limit = time_limit or settings.WORKBENCH_TIME_LIMIT_SECONDS
    result = Result()
    if not sql.strip():
        result.error = "Write a query first."
        return result
    timer = threading.Timer(time_limit, connection.interrupt)
    started = time.monotonic()
    timer.start()
    try:
        cursor = None
        for statement in connection.extract_statements(sql):
            cursor = connection.execute(statement)
            result.statements += 1
        if cursor is not None and cursor.description:
            result.columns = [column[0] for column in cursor.description]
            rows = cursor.fetchmany(row_limit + 1)
            result.truncated = len(rows) > row_limit
            result.rows = rows[:row_limit]
        else:
            result.message = f"Done: {result.statements} statement{'s' if result.statements != 1 else ''} ran."
    except duckdb.InterruptException:
        result.error = f"Stopped: the query ran longer than the {time_limit:g}-second limit."
    except duckdb.Error as error:
        result.error = str(error)
    finally:
        timer.cancel()
        result.elapsed_ms = round((time.monotonic() - started) * 1000)
    if result.truncated:
        result.message = f"Showing the first {row_limit} rows; the query returned more."
    return result


def normalise(value):
    """Values compared in a stable, readable form (floats to 4 decimals, dates as ISO text)."""
    if isinstance(value, float | decimal.Decimal):
        return round(float(value), 4)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return value
