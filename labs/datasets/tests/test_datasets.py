import csv
import io
import json

import pytest

from labs.datasets import DATASETS, filename, generate
from labs.datasets.sales import COLUMNS


def table(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(generate(name).decode())))


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_is_deterministic(name):
    assert generate(name) == generate(name) and len(generate(name)) > 1000


def test_file_names():
    assert filename("customers") == filename("customers_headers") == "customers.csv"
    assert filename("movies_bulk") == "movies_bulk.ndjson"
    with pytest.raises(KeyError):
        generate("nope")


@pytest.mark.parametrize("name", ["customers", "employees", "orders"])
def test_header_variants_differ_by_exactly_the_header_row(name):
    plain, headed = table(name), table(f"{name}_headers")
    assert headed[0] == COLUMNS[name] and headed[1:] == plain
    assert all(len(row) == len(COLUMNS[name]) for row in plain)


def test_the_course_notes_sample_rows_are_included():
    customers = table("customers")
    assert ["293", "Catherine", "Abel", "Catherine Abel"] in customers
    orders = table("orders")
    assert ["71782", "110667", "5/1/2014", "5/13/2014", "5/8/2014", "276", "293", "33319.986", "3182.8264", "994.6333",
            "37497.4457", "714", "3", "29.994", "0", "89.982"] in orders
    assert any(row[:4] == ["276", "274", "Linda", "Mitchell"] for row in table("employees"))


def test_sizes_and_referential_integrity():
    customers, employees, orders = table("customers"), table("employees"), table("orders")
    assert 200 <= len(customers) <= 1000 and 20 <= len(employees) <= 40 and 1000 <= len(orders) <= 3000
    customer_ids, employee_ids = {r[0] for r in customers}, {r[0] for r in employees}
    assert all(o[6] in customer_ids and o[5] in employee_ids for o in orders)
    assert all(e[1] == "" or e[1] in employee_ids for e in employees)
    assert len({o[1] for o in orders}) == len(orders)  # salesorderdetailid is unique


def test_order_arithmetic_is_consistent():
    for o in table("orders"):
        qty, price, discount, linetotal = int(o[12]), float(o[13]), float(o[14]), float(o[15])
        assert abs(qty * price * (1 - discount) - linetotal) < 0.001
        assert abs(float(o[7]) + float(o[8]) + float(o[9]) - float(o[10])) < 0.001


def test_some_customers_start_with_j():
    assert any(row[3].startswith("J") for row in table("customers"))


def test_the_movies_file_is_valid_bulk_ndjson():
    lines = generate("movies_bulk").decode().splitlines()
    assert len(lines) == 100
    for action, document in zip(lines[::2], lines[1::2], strict=True):
        assert json.loads(action)["index"]["_index"] == "movies" and "title" in json.loads(document)


def test_taxi_trips_have_a_header_and_sane_values():
    rows = table("taxi_trips")
    assert rows[0][0] == "vendorid" and len(rows) == 1501
    assert all(float(r[4]) > 0 and r[2] > r[1] for r in rows[1:])
