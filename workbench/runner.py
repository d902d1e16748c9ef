"""Run learner-supplied SQL in a limited child process (workbench/sandbox.py) and report what happened."""

import datetime
import decimal
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .database import locked_config

SANDBOX = Path(__file__).with_name("sandbox.py")
ADDRESS_SPACE_BYTES = 1536 * 1024 * 1024  # the child's whole memory: Python + DuckDB (~0.8 GB of it is mapped at start)
FILE_SIZE_BYTES = 256 * 1024 * 1024  # no file the child writes (the learner's database, spill files) grows past this
KILL_GRACE_SECONDS = 3.0  # after the in-process interrupt, the parent's hard stop
CRASHED = ("The query was stopped: it needed more memory or disk than the workbench allows. "
           "Try it on fewer rows (add a LIMIT or a WHERE).")
BUSY = "Your workbench is busy with another query. Try again in a moment."


@dataclass
class Result:
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    truncated: bool = False
    statements: int = 0
    elapsed_ms: int = 0
    error: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _request(path: Path, sql: str, row_limit: int | None, time_limit: float | None) -> dict:
    """What sandbox.execute reads: the statements, the database file, DuckDB's locked settings and the limits."""
    return {"path": str(path), "sql": sql, "config": locked_config(path), "row_limit": row_limit or settings.WORKBENCH_ROW_LIMIT,
            "byte_limit": settings.WORKBENCH_RESULT_BYTES, "time_limit": time_limit or settings.WORKBENCH_TIME_LIMIT_SECONDS}


def _stopped(time_limit: float) -> str:
    return f"Stopped: the query ran longer than the {time_limit:g}-second limit."


def run(path: Path, sql: str, *, row_limit: int | None = None, time_limit: float | None = None) -> Result:
    """Run every statement in `sql` on the database file at `path`; the last one's rows are returned (at most row_limit)."""
    if not sql.strip():
        return Result(error="Write a query first.")
    request = {**_request(path, sql, row_limit, time_limit), "address_space_bytes": ADDRESS_SPACE_BYTES, "file_size_bytes": FILE_SIZE_BYTES}
    time_limit = request["time_limit"]
    try:
        child = subprocess.run([sys.executable, "-I", str(SANDBOX)], input=json.dumps(request), capture_output=True, text=True,
                               timeout=time_limit + KILL_GRACE_SECONDS, env={}, cwd=path.parent, check=False)
    except subprocess.TimeoutExpired:
        return Result(error=_stopped(time_limit), elapsed_ms=round((time_limit + KILL_GRACE_SECONDS) * 1000))
    try:
        answer = json.loads(child.stdout)
    except ValueError:
        return Result(error=CRASHED)
    return _result(scrub(answer, path), request["row_limit"], _stopped(time_limit))


def run_trusted(path: Path, sql: str, *, row_limit: int | None = None, time_limit: float | None = None) -> Result:
    """As run, for the project's own SQL (exercise reference queries): in this process, with the same answer.

    A child process per query protects the server from a learner's query; the content's queries are
    trusted like the code, and starting ~30 children made a first sync_content seconds slower.
    """
    from . import sandbox

    request = _request(path, sql, row_limit, time_limit)
    started = time.monotonic()
    answer = json.loads(json.dumps(sandbox.execute(request)))  # the values exactly as a child's JSON answer carries them
    answer["elapsed_ms"] = round((time.monotonic() - started) * 1000)
    return _result(scrub(answer, path), request["row_limit"], _stopped(request["time_limit"]))


def scrub(answer: dict, path: Path):
    """No server paths in what the learner sees (errors, PRAGMA database_list, duckdb_settings(), ...)."""
    replacements = [(str(path), "your database"), (str(path.parent), "your folder"), (str(Path(settings.VAR_DIR).resolve()), "the server"),
                    (str(Path(settings.VAR_DIR)), "the server"), (str(Path.home()), "the server")]

    def clean(value):
        if isinstance(value, str):
            for secret, shown in replacements:
                value = value.replace(secret, shown)
        elif isinstance(value, list):
            return [clean(item) for item in value]
        return value

    return {key: clean(value) if key in ("rows", "columns", "error") else value for key, value in answer.items()}


def _result(answer: dict, row_limit: int, stopped: str) -> Result:
    result = Result(columns=answer["columns"], rows=answer["rows"], truncated=answer["truncated"], statements=answer["statements"],
                    elapsed_ms=answer["elapsed_ms"], error=answer["error"])
    if answer["interrupted"]:
        result.error = stopped
    elif answer.get("too_large"):
        result.truncated = True
        result.message = (f"Showing the first {len(result.rows)} rows: the result is larger than the workbench shows "
                          f"({settings.WORKBENCH_RESULT_BYTES // 1024:,} KB). Add a LIMIT or select fewer columns.")
    elif "Could not set lock" in result.error:
        result.error = BUSY
    elif result.truncated:
        result.message = f"Showing the first {row_limit} rows; the query returned more."
    elif result.ok and not result.columns:
        result.message = f"Done: {result.statements} statement{'s' if result.statements != 1 else ''} ran."
    return result


def normalise(value):
    """Values compared in a stable, readable form (floats to 4 decimals, dates as ISO text)."""
    if isinstance(value, float | decimal.Decimal):
        return round(float(value), 4)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return value
