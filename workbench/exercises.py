"""Exercise files: read and validate them, and check a learner's answer against the reference query."""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from quizzes.bank import LESSON_REF, md, unsafe_markdown
from studyapp import yaml_lines
from studyapp.content import ContentError, Course

from . import database, runner

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = {"id", "title", "lesson", "prompt", "reference", "ordered"}
EXAMPLES_SHOWN = 3
CHECK_ROW_LIMIT = 20_000  # results are compared in the web process: enough for every exercise, bounded


@dataclass
class ExerciseData:
    id: str
    title: str
    lesson: str
    prompt_html: str
    reference: str
    ordered: bool
    path: str
    line: int


@dataclass
class Verdict:
    correct: bool
    message: str
    missing: list[tuple]
    extra: list[tuple]
    result: runner.Result


def read_exercises(folder: Path, course: Course, errors: list[ContentError]) -> list[ExerciseData]:
    anchors = {lesson.slug: set(lesson.rendered.anchors) if lesson.rendered else set() for lesson in course.lessons}
    found, seen = [], {}
    for path in sorted(folder.glob("*.yaml")):
        rel = str(path.relative_to(folder.parent.parent)) if folder.parent.parent in path.parents else str(path)
        try:
            items = yaml_lines.load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            errors.append(ContentError(rel, yaml_lines.error_line(error), f"invalid YAML: {getattr(error, 'problem', None) or error}"))
            continue
        for item in items if isinstance(items, list) else []:
            exercise = _read_one(item, rel, anchors, errors)
            if exercise is None:
                continue
            if exercise.id in seen:
                errors.append(ContentError(rel, exercise.line, f"exercise id {exercise.id!r} is also used at {seen[exercise.id]}"))
                continue
            seen[exercise.id] = f"{rel}:{exercise.line}"
            found.append(exercise)
    return found


def _read_one(item, rel: str, anchors: dict, errors: list[ContentError]) -> ExerciseData | None:
    if not isinstance(item, yaml_lines.LineDict):
        errors.append(ContentError(rel, 1, "each exercise is a mapping"))
        return None
    problems = []
    unknown = sorted(set(item) - KEYS)
    if unknown:
        problems.append((unknown[0], f"unknown key(s): {', '.join(unknown)}"))
    if not ID_PATTERN.match(str(item.get("id", ""))):
        problems.append(("id", "id must be lowercase words joined by hyphens"))
    for key in ("title", "prompt", "reference"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problems.append((key, f"{key} must be non-empty text"))
    match = LESSON_REF.match(str(item.get("lesson", "")))
    if not match or match["slug"] not in anchors or match["anchor"] not in anchors[match["slug"]]:
        problems.append(("lesson", f"lesson must name an existing '<module>/<lesson>#<section>', not {item.get('lesson')!r}"))
    if isinstance(item.get("prompt"), str):
        problems += [("prompt", problem) for problem in unsafe_markdown(item["prompt"])]
    if not isinstance(item.get("ordered", False), bool):
        problems.append(("ordered", "ordered must be true or false"))
    for key, message in problems:
        errors.append(ContentError(rel, item.line_of(key), message))
    if problems:
        return None
    return ExerciseData(id=item["id"], title=item["title"].strip(), lesson=item["lesson"], prompt_html=md(item["prompt"]),
                        reference=item["reference"].strip(), ordered=item.get("ordered", False), path=rel, line=item.line)


def _reference_queries(folder: Path) -> list[str]:
    """The reference query of every exercise under `folder`; files that do not parse are left to read_exercises to report."""
    queries = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError:
            continue
        queries += [item["reference"].strip() for item in (items if isinstance(items, list) else [])
                    if isinstance(item, dict) and isinstance(item.get("reference"), str)]
    return queries


def unknown_references(folder: Path) -> list[str]:
    """The reference queries under `folder` without a kept result (a long-lived process has most of them)."""
    return [sql for sql in _reference_queries(folder) if (database.data_version(), sql) not in _references]


# What the reference runner reads from the settings: all that reference_results needs in a process of its own.
RUNNER_SETTINGS = ("VAR_DIR", "WORKBENCH_MEMORY_LIMIT", "WORKBENCH_RESULT_BYTES", "WORKBENCH_ROW_LIMIT", "WORKBENCH_TIME_LIMIT_SECONDS")


def runner_settings() -> dict:
    return {name: getattr(settings, name) for name in RUNNER_SETTINGS}


def reference_results(queries: list[str], configured: dict) -> dict:
    """Run (and keep) reference queries before the exercises are read and checked: sync_content runs this in a
    Python process without Django setup (studyapp.sources.in_own_process), so it is given the runner's settings;
    what it kept comes back for keep_references."""
    if not settings.configured:
        settings.configure(**configured)
    for sql in queries:
        _reference(sql, runner.run_trusted)
    return dict(_references)


def keep_references(results: dict) -> None:
    _references.update(results)


def check_references(exercises: list[ExerciseData], errors: list[ContentError]) -> None:
    """Every reference query must run on the course data and return rows: each on a scratch copy, in this
    process (runner.run_trusted: the content's own SQL)."""
    results = [_reference(exercise.reference, runner.run_trusted) for exercise in exercises]
    for exercise, result in zip(exercises, results, strict=True):
        if not result.ok:
            errors.append(ContentError(exercise.path, exercise.line, f"reference query of {exercise.id!r} fails: {result.error.splitlines()[0]}"))
        elif not result.rows:
            errors.append(ContentError(exercise.path, exercise.line, f"reference query of {exercise.id!r} returns no rows"))


_references: dict[tuple[str, str], runner.Result] = {}


def _reference(sql: str, run=runner.run) -> runner.Result:
    """A reference query's result; cached, since it only depends on the course data (trusted SQL, fixed data)."""
    key = (database.data_version(), sql)
    if key not in _references:
        result = _run_on_scratch(sql, run)
        if not result.ok:
            return result  # a failure may be passing (a busy machine): never cache it
        _references[key] = result
    return _references[key]


def _run_on_scratch(sql: str, run=runner.run) -> runner.Result:
    with database.scratch_database() as path:
        return run(path, sql, row_limit=CHECK_ROW_LIMIT)


def _rows(result: runner.Result) -> list[tuple]:
    return [tuple(runner.normalise(value) for value in row) for row in result.rows]


def check(sql: str, reference_sql: str, ordered: bool) -> Verdict:
    """Compare the learner's result with the reference's, both run on a fresh copy of the course data."""
    mine, expected = _run_on_scratch(sql), _reference(reference_sql)
    if not mine.ok:
        return Verdict(False, "Your query did not run: fix the error first.", [], [], mine)
    if mine.truncated:  # over CHECK_ROW_LIMIT rows or WORKBENCH_RESULT_BYTES: far beyond any answer, and never compared
        mine.rows = mine.rows[: settings.WORKBENCH_ROW_LIMIT]
        return Verdict(False, "Your result is far larger than the answer: narrow it down (WHERE, GROUP BY or LIMIT) and check again.", [], [], mine)
    if not mine.columns:
        return Verdict(False, "Your last statement returns no rows: end with a SELECT that shows the answer.", [], [], mine)
    if len(mine.columns) != len(expected.columns):
        return Verdict(False, f"Wrong number of columns: the answer has {len(expected.columns)}, yours has {len(mine.columns)}.", [], [], mine)
    got, want = _rows(mine), _rows(expected)
    mine.rows = mine.rows[: settings.WORKBENCH_ROW_LIMIT]  # what the page shows; the comparison above saw them all
    if ordered and Counter(got) == Counter(want) and got != want:
        return Verdict(False, "The right rows, but not in the order the exercise asks for.", [], [], mine)
    missing = list((Counter(want) - Counter(got)).elements())
    extra = list((Counter(got) - Counter(want)).elements())
    if not missing and not extra:
        return Verdict(True, "Correct: your result matches the reference answer.", [], [], mine)
    parts = []
    if missing:
        parts.append(f"{len(missing)} expected row{'s are' if len(missing) != 1 else ' is'} missing")
    if extra:
        parts.append(f"{len(extra)} row{'s' if len(extra) != 1 else ''} should not be there")
    return Verdict(False, "Not yet: " + " and ".join(parts) + ".", missing[:EXAMPLES_SHOWN], extra[:EXAMPLES_SHOWN], mine)
