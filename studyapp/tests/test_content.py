from pathlib import Path

from studyapp.content import read_course

STATIC = Path(__file__).resolve().parents[2] / "static"
GOOD_FRONT = '---\ntitle: T\nsummary: S\nminutes: 5\ntasks: ["1.1"]\nservices: [AWS Glue]\n---\n'
TIPS = '\n!!! tip "Exam tips"\n    - x\n'


def write_course(root: Path, lessons: dict[str, str]) -> Path:
    module = root / "content" / "01-mod"
    module.mkdir(parents=True)
    (module / "module.yaml").write_text("title: Module\nsummary: s\n")
    for name, text in lessons.items():
        (module / name).write_text(text)
    return root / "content"


def errors_of(root: Path, lessons: dict[str, str]) -> list[str]:
    return [str(error) for error in read_course(write_course(root, lessons), STATIC).errors]


def test_a_valid_lesson_has_no_errors(tmp_path):
    assert errors_of(tmp_path, {"01-one.md": GOOD_FRONT + "Body.\n" + TIPS}) == []


def test_malformed_front_matter_is_reported_with_file_and_line(tmp_path):
    text = '---\ntitle: T\nsummary: S\nminutes: [5\ntasks: ["1.1"]\n---\nBody\n'
    errors = errors_of(tmp_path, {"01-one.md": text})
    assert len(errors) == 1
    assert errors[0].startswith("content/01-mod/01-one.md:5: invalid YAML in front matter")


def test_a_bad_field_points_at_its_line(tmp_path):
    text = GOOD_FRONT.replace("minutes: 5", "minutes: soon") + "Body" + TIPS
    assert errors_of(tmp_path, {"01-one.md": text}) == ["content/01-mod/01-one.md:4: minutes must be a whole number from 1 to 180"]


def test_unknown_task_statements_are_rejected(tmp_path):
    text = GOOD_FRONT.replace('["1.1"]', '["1.1", "5.1"]') + "Body" + TIPS
    assert errors_of(tmp_path, {"01-one.md": text}) == ["content/01-mod/01-one.md:5: unknown task statement(s) 5.1; use 1.1 to 4.5 as quoted strings"]


def test_missing_front_matter_is_reported(tmp_path):
    assert errors_of(tmp_path, {"01-one.md": "# Just text\n"}) == [
        "content/01-mod/01-one.md:1: missing front matter: the file must start with a '---' line and close it with another"
    ]


def test_a_code_block_without_language_is_reported_at_its_line(tmp_path):
    text = GOOD_FRONT + "Intro\n\n```\nSELECT 1;\n```\n" + TIPS
    assert errors_of(tmp_path, {"01-one.md": text}) == ["content/01-mod/01-one.md:10: code block does not name its language"]


def test_links_to_unknown_lessons_and_sections_are_reported(tmp_path):
    other = GOOD_FRONT + "## Real section\n\nx\n" + TIPS
    text = GOOD_FRONT + "See [a](lesson:mod/two#real-section), [b](lesson:mod/two#nope) and [c](lesson:mod/ghost).\n" + TIPS
    errors = errors_of(tmp_path, {"01-one.md": text, "02-two.md": other})
    assert errors == [
        "content/01-mod/01-one.md:8: link to unknown section #nope of lesson 'mod/two'",
        "content/01-mod/01-one.md:8: link to unknown lesson 'mod/ghost'",
    ]


def test_missing_images_and_alt_text_are_reported(tmp_path):
    text = GOOD_FRONT + "![](/static/img/favicon.svg)\n\n![Diagram](/static/diagrams/none.svg)\n" + TIPS
    assert errors_of(tmp_path, {"01-one.md": text}) == [
        "content/01-mod/01-one.md:8: image /static/img/favicon.svg has no alt text",
        "content/01-mod/01-one.md:10: image /static/diagrams/none.svg does not exist under static/",
    ]


def test_duplicate_heading_anchors_are_reported(tmp_path):
    text = GOOD_FRONT + "## Limits\n\nx\n\n## Limits\n\ny\n" + TIPS
    errors = errors_of(tmp_path, {"01-one.md": text})
    assert len(errors) == 1 and "two headings share the anchor #limits" in errors[0]


def test_a_lesson_without_exam_tips_is_reported(tmp_path):
    errors = errors_of(tmp_path, {"01-one.md": GOOD_FRONT + "Body\n"})
    assert errors == ['content/01-mod/01-one.md:8: lesson does not end with an !!! tip "Exam tips" box']


def test_badly_named_files_and_modules_are_reported(tmp_path):
    content = write_course(tmp_path, {"intro.md": GOOD_FRONT + TIPS})
    (content / "Bad Module").mkdir()
    errors = [str(e) for e in read_course(content, STATIC).errors]
    assert "content/Bad Module:1: module folder must be named NN-<slug> (lowercase, digits, hyphens)" in errors
    assert "content/01-mod/intro.md:1: unexpected file: lessons are named NN-<slug>.md" in errors
