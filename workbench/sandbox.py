"""The child process that runs one batch of learner SQL (no Django: it is started with `python -I`).

Why a child process: DuckDB's memory_limit covers its buffer pool but not every allocation
(a `repeat('x', 1e9)` or a wide string aggregate can take gigabytes), and a single function call
may not notice an interrupt for many seconds. Run in the web process, such a query could take the
server down. In a child, the operating system's limits hold whatever DuckDB does: RLIMIT_AS caps
the memory, RLIMIT_FSIZE the size of any file it writes, RLIMIT_CPU the processor time, and the
parent kills it when the wall-clock time is up. It gets an empty environment, so no secret of the
web process is in reach.

Protocol: one JSON request on stdin, one JSON answer on stdout (see `main`).
"""

import datetime
import decimal
import json
import resource
import signal
import sys
import threading
import time

MAX_CELL_CHARS = 10_000


def _limit(kind: int, value: int) -> None:
    resource.setrlimit(kind, (value, value))


def apply_limits(request: dict) -> None:
    _limit(resource.RLIMIT_AS, request["address_space_bytes"])
    _limit(resource.RLIMIT_FSIZE, request["file_size_bytes"])
    _limit(resource.RLIMIT_CPU, int(request["time_limit"]) + 5)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing us


def cell(value):
    """A value as JSON can carry it: numbers, text, booleans and NULL as they are, the rest as text."""
    if value is None or isinstance(value, bool | int | str):
        return value[:MAX_CELL_CHARS] if isinstance(value, str) else value
    if isinstance(value, float | decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return str(value)[:MAX_CELL_CHARS]


def fetch(cursor, row_limit: int, byte_limit: int) -> tuple[list, bool, bool]:
    """At most row_limit rows and about byte_limit bytes of them (as JSON): (rows, more rows exist, stopped by size)."""
    rows, size = [], 0
    while len(rows) <= row_limit:
        batch = cursor.fetchmany(min(256, row_limit + 1 - len(rows)))
        if not batch:
            return rows, False, False
        for row in batch:
            if len(rows) == row_limit:
                return rows, True, False
            converted = [cell(value) for value in row]
            size += len(json.dumps(converted))
            if size > byte_limit:
                return rows, True, True
            rows.append(converted)
    return rows, True, False


def execute(request: dict) -> dict:
    import duckdb  # after the limits, so even its loading is inside them

    answer = {"columns": [], "rows": [], "truncated": False, "too_large": False, "statements": 0, "error": "", "interrupted": False}
    try:
        connection = duckdb.connect(request["path"], config=request["config"])
    except duckdb.Error as error:
        answer["error"] = str(error)
        return answer
    timer = threading.Timer(request["time_limit"], connection.interrupt)
    timer.start()
    try:
        cursor = None
        for statement in connection.extract_statements(request["sql"]):
            cursor = connection.execute(statement)
            answer["statements"] += 1
        if cursor is not None and cursor.description:
            answer["columns"] = [column[0] for column in cursor.description]
            answer["rows"], answer["truncated"], answer["too_large"] = fetch(cursor, request["row_limit"], request["byte_limit"])
    except duckdb.InterruptException:
        answer["interrupted"] = True
    except duckdb.Error as error:
        answer["error"] = str(error)
    except MemoryError:
        answer["error"] = "Out of Memory Error: the query needed more memory than the workbench allows."
    finally:
        timer.cancel()
        connection.close()
    return answer


def main() -> None:
    request = json.loads(sys.stdin.read())
    apply_limits(request)
    started = time.monotonic()
    answer = execute(request)
    answer["elapsed_ms"] = round((time.monotonic() - started) * 1000)
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
