"""The analytic SQL lesson promises that every query with a Try-it link runs on the workbench as written."""

import html
import re
import urllib.parse

import pytest

from studyapp.sync import read_default_course
from workbench import database, runner

pytestmark = pytest.mark.django_db

TRY_IT = re.compile(r'<p class="try-it"><a href="/sql/\?(?P<query>[^"]+)">')


def try_it_queries(slug: str) -> list[str]:
    lesson = next(lesson for lesson in read_default_course().lessons if lesson.slug == slug)
    return [urllib.parse.parse_qs(html.unescape(m["query"]))["q"][0] for m in TRY_IT.finditer(lesson.rendered.html)]


def test_every_try_it_query_of_the_analytic_sql_lesson_runs_and_returns_rows(workbench):
    queries = try_it_queries("athena/analytic-sql")
    assert len(queries) >= 8
    with database.scratch_database() as path:
        for sql in queries:
            result = runner.run(path, sql)
            assert result.ok and result.rows, (sql, result.error)
