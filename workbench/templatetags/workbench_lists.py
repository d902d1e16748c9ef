"""The workbench's exercise list and table list, built in Python.

Both are loops over a few dozen rows (each exercise with its link, each table with its columns); through the
template engine they were the larger part of the workbench page's CPU. The markup is the one the templates made,
and every value is escaped as they escaped it.
"""

import functools
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SOLVED = '<span class="visually-hidden"> (solved)</span>'
YOURS = ' <span class="badge">yours</span>'


@functools.cache
def _exercise_url(slug: str) -> str:
    return reverse("workbench_exercise", args=[slug])  # the URLconf does not change while running


@register.simple_tag
def exercise_list(items: list[dict]) -> SafeString:
    """`items`: {"exercise": Exercise, "done": bool} in the order to show."""
    lines = []
    for item in items:
        exercise, done = item["exercise"], item["done"]
        link = f'<a href="{escape(_exercise_url(exercise.slug))}">{escape(exercise.title)}</a>'
        lines.append(f'<li class="{"done" if done else ""}"><span aria-hidden="true">{"✓" if done else "○"}</span> {link}{SOLVED if done else ""}</li>')
    return mark_safe(f'<ol class="exercise-list">{"".join(lines)}</ol>')


@register.simple_tag
def schema_tables(schema: list[dict]) -> SafeString:
    """`schema`: workbench.database.schema(), the learner's tables and views with their columns."""
    parts = []
    for table in schema:
        columns = "".join(f'<li><code>{escape(column["name"])}</code> <span class="muted small">{escape(column["type"].lower())}</span></li>'
                          for column in table["columns"])
        summary = f'<code>{escape(table["name"])}</code>{"" if table["course"] else YOURS}'
        parts.append(f'<details{" open" if table["course"] else ""}><summary>{summary}</summary>\n<ul>{columns}</ul>\n</details>')
    return mark_safe("\n".join(parts))
