"""A lesson's final ## Sources section: read, validated, and shown at the end of the lesson."""

from pathlib import Path

import pytest

from studyapp.content import read_course

STATIC = Path(__file__).resolve().parents[2] / "static"
FRONT = '---\ntitle: T\nsummary: S\nminutes: 5\ntasks: ["1.1"]\nservices: [AWS Glue]\n---\n'
BODY = '## Crawlers\n\nText.\n\n!!! tip "Exam tips"\n    - x\n'
PAGE = "https://docs.aws.amazon.com/glue/latest/dg/add-crawler.html"


def read(tmp_path: Path, text: str):
    module = tmp_path / "content" / "01-mod"
    module.mkdir(parents=True)
    (module / "module.yaml").write_text("title: Module\nsummary: s\n")
    (module / "01-one.md").write_text(text)
    course = read_course(tmp_path / "content", STATIC)
    return course, [str(e) for e in course.errors]


def test_the_final_sources_section_is_read_and_rendered_as_links(tmp_path):
    course, errors = read(tmp_path, FRONT + BODY + f"\n## Sources\n\n- [Defining crawlers]({PAGE})\n")
    assert errors == []
    lesson = course.lessons[0]
    assert lesson.sources == [PAGE]
    assert f'<a href="{PAGE}">Defining crawlers</a>' in lesson.rendered.html


def test_a_lesson_without_the_section_simply_has_no_sources(tmp_path):
    course, errors = read(tmp_path, FRONT + BODY)
    assert errors == [] and course.lessons[0].sources == []


def test_a_sources_heading_that_is_not_last_is_an_ordinary_section(tmp_path):
    # e.g. "Sources" of a Firehose stream, followed by more sections
    course, errors = read(tmp_path, FRONT + "## Sources\n\nKinesis, Direct PUT.\n\n" + BODY)
    assert errors == [] and course.lessons[0].sources == []


@pytest.mark.parametrize(("links", "message"), [
    ("- [Blog](http://aws.amazon.com/blogs/x)\n", "must use https"),
    ("- [Elsewhere](https://stackoverflow.com/q/1)\n", "is not on an AWS documentation host"),
    ("Read the docs.\n", "lists no links"),
])
def test_bad_sources_are_reported_at_the_heading(tmp_path, links, message):
    text = FRONT + BODY + "\n## Sources\n\n" + links
    _, errors = read(tmp_path, text)
    line = text.splitlines().index("## Sources") + 1
    assert len(errors) == 1 and message in errors[0], errors
    assert errors[0].startswith(f"content/01-mod/01-one.md:{line}: ")
