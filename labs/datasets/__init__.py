"""Deterministic generators of the course data sets (no Django, no randomness between runs).

    generate(name) -> bytes     the file's content
    filename(name) -> str       the file name it is uploaded as
    DATASETS                    name -> one-line description
"""

from . import movies, sales, taxi

DATASETS = {
    "customers": "Customers, no header row (as the setup lab uploads them)",
    "employees": "Employees, no header row",
    "orders": "Order lines, no header row",
    "customers_headers": "Customers with a header row (for the Glue crawler)",
    "employees_headers": "Employees with a header row",
    "orders_headers": "Order lines with a header row",
    "taxi_trips": "Taxi trips with a header row (the EMR lab)",
    "movies_bulk": "Movies as an OpenSearch _bulk NDJSON file",
}

_FILENAMES = {"taxi_trips": "taxi_trips.csv", "movies_bulk": "movies_bulk.ndjson"}


def filename(name: str) -> str:
    if name not in DATASETS:
        raise KeyError(f"unknown data set {name!r}")
    return _FILENAMES.get(name, f"{name.removesuffix('_headers')}.csv")


def generate(name: str) -> bytes:
    if name not in DATASETS:
        raise KeyError(f"unknown data set {name!r}")
    if name == "taxi_trips":
        return taxi.csv_bytes()
    if name == "movies_bulk":
        return movies.bulk_ndjson()
    table, _, headers = name.partition("_")
    return sales.csv(table, header=bool(headers))
