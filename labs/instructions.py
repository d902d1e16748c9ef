"""A lab step's instructions on the run page: Markdown from the catalog, values from the run.

The run's values (stack outputs, the sandbox endpoint) are data, never markup: each placeholder is swapped
for an inert token before the Markdown is rendered and sanitized, and the token for the HTML-escaped value
after, so an output such as `x <img src=x onerror=alert(1)>` shows as text wherever it appears.
"""

import functools
import html
import string

from studyapp import sanitize
from studyapp.render import render

from .runs import PLACEHOLDER, fill


def _token(index: int) -> str:
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters += string.ascii_lowercase[rest]
        if not index:
            return f"zzlabvalue{letters}zz"


@functools.lru_cache(maxsize=512)
def _render_tokenized(text: str) -> str:
    """The step's Markdown with each placeholder already swapped for its positional token: catalog text only, no
    run's value, so one rendering serves every run (the status fragment is polled every second or two)."""
    return render(text).html


def render_instructions(text: str, known: dict, prefix: str) -> str:
    values: dict[str, str] = {}

    def stash(match) -> str:
        token = _token(len(values))
        values[token] = str(fill(match.group(0), known, prefix))
        return token

    rendered = _render_tokenized(PLACEHOLDER.sub(stash, text))
    for token, value in values.items():
        rendered = rendered.replace(token, html.escape(value))
    return sanitize.clean(rendered)  # a value inside a link's href is still only a URL the allow-list accepts
