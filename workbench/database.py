"""Each learner's own DuckDB database, built from the course data sets, and locked down.

Why a file per learner (VAR_DIR/workbench/learners/<user id>.duckdb) rather than a fresh
in-memory database per request: the learner's INSERTs, CREATE TABLEs and VIEWs must last
between runs, and only their file is ever opened for them, so nobody sees anyone else's
tables. A reset deletes the file; the next run copies the pristine base database again.

Every connection a learner's SQL runs on has file access, extension loading and
configuration changes switched off, one thread and a memory cap.
"""

import hashlib
import os
import shutil
import tempfile
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


class WorkbenchBusy(Exception):
    """The learner's database is in use by another of their queries."""


def root() -> Path:
    path = Path(settings.VAR_DIR) / "workbench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def locked_config() -> dict:
    return {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": settings.WORKBENCH_MEMORY_LIMIT,
        "threads": 1,
        "lock_configuration": True,
    }


def _fingerprint() -> str:
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in TABLES:
        digest.update(generate(name))
    return digest.hexdigest()[:16]


def base_path() -> Path:
    """The pristine database with the course tables, built once per version of the data."""
    path = root() / f"base-{_fingerprint()}.duckdb"
    if not path.exists():
        _build(path)
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
    folder = root() / "learners"
    folder.mkdir(exist_ok=True)
    return folder / f"{int(user_id)}.duckdb"


def connect_learner(user_id: int) -> duckdb.DuckDBPyConnection:
    path = learner_path(user_id)
    if not path.exists():
        shutil.copyfile(base_path(), path)
    return _connect(path)


def connect_scratch() -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A throwaway copy of the base database (for checking exercises); the caller deletes the file."""
    handle, name = tempfile.mkstemp(dir=root(), suffix=".duckdb")
    os.close(handle)
    shutil.copyfile(base_path(), name)
    return _connect(Path(name)), Path(name)


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), config=locked_config())
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WorkbenchBusy("Your workbench is busy with another query. Try again in a moment.") from None
        raise


def reset(user_id: int) -> None:
    learner_path(user_id).unlink(missing_ok=True)
    Path(str(learner_path(user_id)) + ".wal").unlink(missing_ok=True)


def oversized(user_id: int) -> bool:
    path = learner_path(user_id)
    return path.exists() and path.stat().st_size > MAX_DATABASE_BYTES


def schema(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    """Tables and views with their columns, for the sidebar."""
    rows = connection.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append({"name": column, "type": data_type})
    return [{"name": name, "columns": columns, "course": name in TABLES} for name, columns in tables.items()]
