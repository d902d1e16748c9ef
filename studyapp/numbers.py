"""Whole numbers from form fields. str.isdigit() accepts "²" and "٣", and int() of 5,000 digits raises: neither may reach a 500."""

import re

WHOLE = re.compile(r"[0-9]{1,9}")


def whole_number(text: str | None) -> int | None:
    """The ASCII whole number in `text` (at most nine digits), or None."""
    return int(text) if isinstance(text, str) and WHOLE.fullmatch(text) else None
