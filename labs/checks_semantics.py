"""What the checks compare: meanings, not strings.

- column types: Hive/Glue/Athena/Redshift spellings of one type are the same type (`integer` is `int`), and a wider
  integer holds what a narrower one does (`bigint` where `int` is asked); `decimal` and `double` differ unless the lab
  lists both;
- Glue cron schedules: how often one fires (hourly, daily...);
- resource-based policies (OpenSearch access policies): which principals an Allow lets in, reading NotPrincipal and
  the conditions that restrict a wildcard principal to one account;
- file contents: compressed or not, the delimiter, a header row, how many fields a row has.
"""

import csv
import io
import re

# One spelling per type. Left: what a catalog or a DDL may say; right: the canonical name.
SYNONYMS = {
    "integer": "int", "int4": "int", "int8": "bigint", "int2": "smallint", "long": "bigint", "short": "smallint",
    "double precision": "double", "float8": "double", "float4": "float", "real": "float",
    "numeric": "decimal", "bool": "boolean", "character varying": "varchar", "character": "char", "bpchar": "char",
}
# A wider integer holds every value of a narrower one, so a table that declares it reads the same data.
WIDER = {"tinyint": {"smallint", "int", "bigint"}, "smallint": {"int", "bigint"}, "int": {"bigint"}}


def canonical_type(name: str) -> str:
    """'INTEGER' -> 'int', 'Decimal(19, 4)' -> 'decimal(19,4)', 'double precision' -> 'double'."""
    name = re.sub(r"\s+", " ", (name or "").strip().lower())
    base, _, rest = name.partition("(")
    base = SYNONYMS.get(base.strip(), base.strip())
    return base + (f"({rest.replace(' ', '')}" if rest else "")


def type_matches(found: str, expected) -> bool:
    """`expected` is a type or a list of accepted types; `decimal` without precision accepts any decimal(p,s)."""
    accepted = expected if isinstance(expected, list) else [expected]
    actual = canonical_type(found)
    actual_base = actual.split("(")[0]
    for option in accepted:
        wanted = canonical_type(option)
        if actual == wanted or ("(" not in wanted and actual_base == wanted) or actual_base in WIDER.get(wanted, ()):
            return True
    return False


def describe_types(expected) -> str:
    return " or ".join(expected) if isinstance(expected, list) else str(expected)


# --- Glue schedules ------------------------------------------------------------------------

CRON = re.compile(r"^\s*cron\((.*)\)\s*$", re.IGNORECASE)


def cron_frequency(schedule: str) -> str:
    """'hourly' or more often, 'daily', 'weekly', 'monthly' or 'unknown' for a Glue cron(...) schedule (six fields, UTC)."""
    match = CRON.match(schedule or "")
    if not match or len(match[1].split()) != 6:
        return "unknown"
    minutes, hours, day_of_month, month, day_of_week, _year = match[1].split()
    single = re.compile(r"^\d+$")
    if not single.match(minutes):
        return "more than hourly"
    if not single.match(hours):
        return "hourly" if hours in ("*", "0/1", "*/1") else "several times a day"
    if day_of_month in ("*", "?") and day_of_week in ("*", "?") and month == "*":
        return "daily"
    if day_of_month in ("*", "?") and month == "*":
        return "weekly"
    return "monthly" if month == "*" else "a few times a year"


# --- Resource-based policies ---------------------------------------------------------------

ACCOUNT_IN_ARN = re.compile(r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):")
# Condition keys that, with the learner's account as value, narrow a wildcard principal to that account's principals.
ACCOUNT_KEYS = {"aws:principalaccount": lambda value, account: value == account,
                "aws:principalarn": lambda value, account: value.startswith(f"arn:aws:iam::{account}:") or value.startswith(f"arn:aws:sts::{account}:")}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _restricted_to(condition: dict, account: str) -> bool:
    """True when some condition (StringEquals, ArnLike...) allows only principals of `account`."""
    for operator, keys in (condition or {}).items():
        if operator.lower().startswith(("stringnot", "arnnot", "forallvalues", "null")) or "IfExists" in operator:
            continue
        for key, values in keys.items():
            test = ACCOUNT_KEYS.get(key.lower())
            if test and all(test(str(value), account) for value in _as_list(values)):
                return True
    return False


def outsiders_admitted(policy: dict, account: str) -> str:
    """Why the policy's Allow statements let in a principal outside `account` (anyone, another account); '' if none."""
    statements = _as_list(policy.get("Statement", []))
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in statement:
            return "an Allow with NotPrincipal lets in every principal except the ones it names (anonymous users included)"
        principal = statement.get("Principal")
        values = [principal] if isinstance(principal, str) else [v for item in (principal or {}).values() for v in _as_list(item)]
        for value in values:
            if value == "*":
                if _restricted_to(statement.get("Condition", {}), account):
                    continue
                if statement.get("Condition"):
                    return ("an Allow for the principal \"*\" lets in anyone its conditions match, unsigned requests too"
                            " (only an aws:PrincipalAccount or aws:PrincipalArn condition for your account narrows it to your principals)")
                return "an Allow for the principal \"*\" lets in anyone, unsigned requests too"
            owner = value if re.fullmatch(r"\d{12}", str(value)) else (ACCOUNT_IN_ARN.match(str(value)) or [None, None])[1]
            if owner and owner != account:
                return f"an Allow names a principal of another account ({value})"
    return ""


# --- File contents -------------------------------------------------------------------------

GZIP_MAGIC = b"\x1f\x8b"
DELIMITER_NAMES = {",": "commas", "\t": "tabs", ";": "semicolons", "|": "pipes"}


def csv_shape_problem(data: bytes, *, fields: int, delimiter: str = ",", header: bool = False, min_rows: int = 0,
                      field_names: str = "") -> str:
    """What is wrong with a CSV file's shape, in words ('' when it has the expected shape)."""
    if data.startswith(GZIP_MAGIC):
        return "is gzip-compressed (it starts with gzip's magic bytes), not a plain CSV file"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "is not UTF-8 text, so it is not the course's CSV file"
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "is empty"
    first = lines[0]
    if delimiter not in first:
        used = next((name for mark, name in DELIMITER_NAMES.items() if mark in first), "")
        if used:
            return f"separates its fields with {used}, not {DELIMITER_NAMES.get(delimiter, repr(delimiter))}"
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    widths = {len(row) for row in rows}
    if widths != {fields}:
        common = max(widths, key=lambda width: sum(len(row) == width for row in rows))
        if common != fields:
            return (f"has rows of {common} fields; this file's rows have {fields}"
                    + (f" ({field_names})" if field_names else "") + ": is it another table's file?")
    first_field_numeric = [bool(re.fullmatch(r"-?\d+(\.\d+)?", row[0].strip())) for row in rows[:3]]
    looks_like_header = not first_field_numeric[0] and any(first_field_numeric[1:])
    if looks_like_header and not header:
        return f"starts with a header row ({first[:60]}); the lab's file has none, so that line would be read as data"
    if header and not looks_like_header:
        return "has no header row; the lab's file starts with one naming the columns"
    data_rows = len(rows) - (1 if looks_like_header else 0)
    if data_rows < min_rows:
        return f"has {data_rows} data row(s); the full file has at least {min_rows}"
    return ""
