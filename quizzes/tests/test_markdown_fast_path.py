"""Plain one-line texts skip the Markdown converter; for every text of the shipped content (and tricky cases) the result is the same."""

from pathlib import Path

import yaml
from django.conf import settings

from quizzes import bank


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _texts():
    roots = [Path(settings.QUIZZES_DIR) / "bank", Path(settings.QUIZZES_DIR) / "flashcards", Path(settings.WORKBENCH_EXERCISES_DIR)]
    for root in roots:
        for path in sorted(root.rglob("*.yaml")):
            yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")))


TRICKY = ["1. first", "10. tenth", "10 GB per shard", "- a list", "+ a list", "* a list", "# heading", "> quote", "=== x", "a  b", "a 'quoted' \"word\"",
          "ends with a colon:", "https://docs.aws.amazon.com/x", "50% of 3/4", "$5 (about)", "Amazon S3 – Glacier’s tiers", "a!b?c;d", "é", "1) first",
          "a = b", "x -- y", "(1. not a list)", "A. option"]


def test_the_fast_path_gives_what_markdown_gives():
    texts = [text.strip() for text in [*_texts(), *TRICKY] if text.strip()]
    plain = [text for text in texts if bank._plain(text)]
    assert len(plain) > 1000  # most options and many whys take it
    for text in plain:
        assert bank._raw_md(text) == bank._markdown(text), text
    for text in ["1. first", "- a list", "`code`", "**bold**", "a & b", "<b>x</b>", "two\nlines"]:
        assert not bank._plain(text)
