"""Each learner's own DuckDB database, built from the course data sets, and locked down.

Why a file per learner (VAR_DIR/workbench/learners/<user id>.duckdb) rather than a fresh
in-memory database per request: the learner's INSERTs, CREATE TABLEs and VIEWs must last
between runs, and only their file is ever opened for them, so nobody sees anyone else's
tables. A reset deletes the file; the next run copies the pristine base database again.

Learner SQL never runs in the web process: runner.py hands it to a child process
(sandbox.py) under operating-system limits, and every connection it opens has file access,
extension loading and configuration changes switched off, one thread and a memory cap.
Even the sidebar's list of tables is read that way.
"""

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
from django.conf import settings

from labs.datasets import generate

SCHEMA_VERSION = "1"
MAX_DATABASE_BYTES = 100 * 1024 * 1024
TABLES = {
    "customers": ("customers", [("customerid", "INTEGER"), ("firstname", "VARCHAR"), ("lastname", "VARCHAR"), ("fullname", "VARCHAR")]),
    "employees": ("employees", [
        ("employeeid", "INTEGER"), ("managerid", "INTEGER"), ("firstname", "VARCHAR"), ("lastname", "VARCHAR"), ("fullname", "VARCHAR"),
        ("jobtitle", "VARCHAR"), ("organizationlevel", "INTEGER"), ("maritalstatus", "VARCHAR"), ("gender", "VARCHAR"),
        ("territory", "VARCHAR"), ("country", "VARCHAR"), ("group", "VARCHAR"),
    ]),
    "orders": ("orders", [
        ("salesorderid", "INTEGER"), ("salesorderdetailid", "INTEGER"), ("orderdate", "VARCHAR"), ("duedate", "VARCHAR"),
        ("shipdate", "VARCHAR"), ("employeeid", "INTEGER"), ("customerid", "INTEGER"), ("subtotal", "DOUBLE"), ("taxamt", "DOUBLE"),
        ("freight", "DOUBLE"), ("totaldue", "DOUBLE"), ("productid", "INTEGER"), ("orderqty", "INTEGER"), ("unitprice", "DOUBLE"),
        ("unitpricediscount", "DOUBLE"), ("linetotal", "DOUBLE"),
    ]),
    "taxi_trips": ("taxi_trips", [
        ("vendorid", "INTEGER"), ("tpep_pickup_datetime", "TIMESTAMP"), ("tpep_dropoff_datetime", "TIMESTAMP"), ("passenger_count", "INTEGER"),
        ("trip_distance", "DOUBLE"), ("payment_type", "INTEGER"), ("fare_amount", "DOUBLE"), ("tip_amount", "DOUBLE"), ("total_amount", "DOUBLE"),
    ]),
}
HEADED = {"taxi_trips"}


def root() -> Path:
    path = Path(settings.VAR_DIR) / "workbench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def locked_config(path: Path | None = None) -> dict:
    # The secret directory would otherwise be the server account's home: keep it beside the database.
    return {**({"secret_directory": f"{path}.secrets"} if path else {}),
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": settings.WORKBENCH_MEMORY_LIMIT,
        "threads": 1,
        "max_temp_directory_size": "100MB",
        "lock_configuration": True,
    }


@cache
def data_version() -> str:
    """A short hash of the course data: changes whenever the generators' output does."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in TABLES:
        digest.update(generate(name))
    return digest.hexdigest()[:16]


def base_path() -> Path:
    """The pristine database with the course tables, built once per version of the data."""
    path = root() / f"base-{data_version()}.duckdb"
    if not path.exists():
        _build(path)
        for old in root().glob("base-*.duckdb"):  # built from course data that has since changed
            if old != path:
                _remove(old)
    return path


def _build(path: Path) -> None:
    work = Path(tempfile.mkdtemp(dir=root()))
    try:
        target = work / "base.duckdb"
        with duckdb.connect(str(target)) as connection:  # trusted code: may read the CSVs it writes
            for name, (table, columns) in TABLES.items():
                csv_path = work / f"{name}.csv"
                csv_path.write_bytes(generate(name))
                connection.execute(f'CREATE TABLE {table} ({", ".join(f"{_quote(c)} {t}" for c, t in columns)})')
                connection.execute(f"COPY {table} FROM '{csv_path}' (HEADER {'true' if name in HEADED else 'false'})")
        os.replace(target, path)  # atomic: a half-built base is never used
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _quote(name: str) -> str:
    return f'"{name}"'


def learner_path(user_id: int) -> Path:
    """learners/<id>/learner.duckdb: DuckDB names the catalog after the file, so every learner's is just "learner"."""
    folder = root() / "learners" / str(int(user_id))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "learner.duckdb"
    earlier = root() / "learners" / f"{int(user_id)}.duckdb"  # the layout before: keep the learner's tables
    if earlier.exists() and not path.exists():
        earlier.rename(path)
    return path


def learner_database(user_id: int) -> Path:
    """The learner's own database file, copied from the base on first use."""
    path = learner_path(user_id)
    if not path.exists():
        shutil.copyfile(base_path(), path)
    return path


@contextmanager
def scratch_database() -> Iterator[Path]:
    """A throwaway copy of the base database (for checking exercises), deleted afterwards."""
    handle, name = tempfile.mkstemp(dir=root(), suffix=".duckdb")
    os.close(handle)
    path = Path(name)
    try:
        shutil.copyfile(base_path(), path)
        yield path
    finally:
        _remove(path)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    shutil.rmtree(f"{path}.tmp", ignore_errors=True)


def state(user_id: int) -> str:
    """Changes whenever the learner's database file (or its write-ahead log) is written, replaced or removed."""
    parts = []
    for path in (learner_path(user_id), Path(f"{learner_path(user_id)}.wal")):
        try:
            info = path.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{info.st_ino}.{info.st_mtime_ns}.{info.st_size}")
    return ":".join(parts)


def reset(user_id: int) -> None:
    _remove(learner_path(user_id))


def oversized(user_id: int) -> bool:
    path = learner_path(user_id)
    return path.exists() and path.stat().st_size > MAX_DATABASE_BYTES


SCHEMA_SQL = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
              "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position")


def schema(rows: list[list]) -> list[dict]:
    """Tables and views with their columns, for the sidebar, from the rows of SCHEMA_SQL."""
    tables: dict[str, list] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append({"name": column, "type": data_type})
    return [{"name": name, "columns": columns, "course": name in TABLES} for name, columns in tables.items()]
