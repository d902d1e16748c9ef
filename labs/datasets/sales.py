"""The customers, employees and orders tables of the course (schemas and sample rows from the course notes)."""

import csv as csv_module
import io
import random
from datetime import date, timedelta
from functools import cache

SEED = 20240501
COLUMNS = {
    "customers": ["customerid", "firstname", "lastname", "fullname"],
    "employees": ["employeeid", "managerid", "firstname", "lastname", "fullname", "jobtitle", "organizationlevel",
                  "maritalstatus", "gender", "territory", "country", "group"],
    "orders": ["salesorderid", "salesorderdetailid", "orderdate", "duedate", "shipdate", "employeeid", "customerid", "subtotal",
               "taxamt", "freight", "totaldue", "productid", "orderqty", "unitprice", "unitpricediscount", "linetotal"],
}

SAMPLE_CUSTOMERS = [(293, "Catherine", "Abel"), (295, "Kim", "Abercrombie"), (297, "Humberto", "Acevedo")]
FIRST_NAMES = ["James", "Julia", "Jon", "Janet", "Jae", "Maria", "Liam", "Aisha", "Noah", "Olivia", "Chen", "Priya", "Lucas", "Sofia",
               "Ethan", "Amara", "Diego", "Hana", "Mateo", "Zoe", "Omar", "Ines", "Kenji", "Lena", "Ravi", "Elena", "Tom", "Grace"]
LAST_NAMES = ["Adams", "Baker", "Chan", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Khan", "Lopez", "Meyer",
              "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Vogel", "Wong", "Young", "Zimmer"]
TERRITORIES = [("Northwest", "US", "North America"), ("Northeast", "US", "North America"), ("Central", "US", "North America"),
               ("Southwest", "US", "North America"), ("Southeast", "US", "North America"), ("Canada", "CA", "North America"),
               ("France", "FR", "Europe"), ("Germany", "DE", "Europe"), ("United Kingdom", "GB", "Europe"), ("Australia", "AU", "Pacific")]


def _date(value: date) -> str:
    return f"{value.month}/{value.day}/{value.year}"  # the course's M/D/YYYY text dates


@cache
def customers() -> list[list]:
    rng = random.Random(SEED)
    rows = [[cid, first, last, f"{first} {last}"] for cid, first, last in SAMPLE_CUSTOMERS]
    for cid in range(299, 299 + 2 * 297, 2):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rows.append([cid, first, last, f"{first} {last}"])
    return rows


@cache
def employees() -> list[list]:
    rng = random.Random(SEED + 1)
    rows = [
        [274, 273, "Stephen", "Jiang", "Stephen Jiang", "North American Sales Manager", 2, "S", "M", "", "US", "North America"],
        [276, 274, "Linda", "Mitchell", "Linda Mitchell", "Sales Representative", 3, "M", "F", "Southwest", "US", "North America"],
        [277, 274, "Jillian", "Carson", "Jillian Carson", "Sales Representative", 3, "S", "F", "Central", "US", "North America"],
        [275, 274, "Michael", "Blythe", "Michael Blythe", "Sales Representative", 3, "S", "M", "Northeast", "US", "North America"],
        [273, "", "Brian", "Welcker", "Brian Welcker", "Vice President of Sales", 1, "M", "M", "", "", ""],
        [285, 273, "Syed", "Abbas", "Syed Abbas", "Pacific Sales Manager", 2, "M", "M", "", "AU", "Pacific"],
        [287, 273, "Amy", "Alberts", "Amy Alberts", "European Sales Manager", 2, "M", "F", "", "DE", "Europe"],
    ]
    managers = {"North America": 274, "Pacific": 285, "Europe": 287}
    for employeeid in range(278, 300):
        if employeeid in (285, 287):
            continue
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        territory, country, group = TERRITORIES[employeeid % len(TERRITORIES)]
        rows.append([employeeid, managers[group], first, last, f"{first} {last}", "Sales Representative", 3,
                     rng.choice("MS"), rng.choice("FM"), territory, country, group])
    return sorted(rows, key=lambda row: row[0])


def _line(salesorderid, detailid, ordered: date, employeeid, customerid, productid, qty, unitprice, discount, subtotal, taxamt, freight) -> list:
    linetotal = round(qty * unitprice * (1 - discount), 4)
    return [salesorderid, detailid, _date(ordered), _date(ordered + timedelta(days=12)), _date(ordered + timedelta(days=7)), employeeid,
            customerid, subtotal, taxamt, freight, round(subtotal + taxamt + freight, 4), productid, qty, unitprice, discount, linetotal]


@cache
def orders() -> list[list]:
    rng = random.Random(SEED + 2)
    rows = [
        [71782, 110667, "5/1/2014", "5/13/2014", "5/8/2014", 276, 293, 33319.986, 3182.8264, 994.6333, 37497.4457, 714, 3, 29.994, 0, 89.982],
        [44110, 1732, "8/1/2011", "8/13/2011", "8/8/2011", 277, 295, 16667.3077, 1600.6864, 500.2145, 18768.2086, 765, 2, 419.4589, 0, 838.9178],
        [44131, 2005, "8/1/2011", "8/13/2011", "8/8/2011", 275, 297, 20514.2859, 1966.5222, 614.5382, 23095.3463, 709, 6, 5.7, 0, 34.2],
    ]
    reps = [row[0] for row in employees() if row[5] == "Sales Representative"]
    customer_ids = [row[0] for row in customers()]
    detailid = 120000
    for salesorderid in range(72000, 72600):
        ordered = date(2011, 5, 31) + timedelta(days=rng.randrange(0, 3 * 365))
        customerid, employeeid = rng.choice(customer_ids), rng.choice(reps)
        lines = []
        for _ in range(rng.randint(1, 4)):
            qty, unitprice = rng.randint(1, 12), round(rng.uniform(2, 2500), 4)
            discount = rng.choice([0, 0, 0, 0.02, 0.05, 0.1])
            lines.append((rng.randint(700, 1000), qty, unitprice, discount))
        subtotal = round(sum(qty * price * (1 - disc) for _, qty, price, disc in lines), 4)
        taxamt, freight = round(subtotal * 0.08, 4), round(subtotal * 0.025, 4)
        for productid, qty, unitprice, discount in lines:
            detailid += 1
            rows.append(_line(salesorderid, detailid, ordered, employeeid, customerid, productid, qty, unitprice, discount, subtotal, taxamt, freight))
    return rows


def rows(table: str) -> list[list]:
    return {"customers": customers, "employees": employees, "orders": orders}[table]()


def csv(table: str, header: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv_module.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS[table])
    writer.writerows(rows(table))
    return buffer.getvalue().encode()
