"""Read and validate the lesson files in content/ (format: docs/content-format.md).

Nothing here touches the database: `sync.py` loads what this module accepts.
Every problem is a ContentError with the file and line, so an author can jump to it.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import citations, render
from .exam_guide import TASKS_BY_ID

MODULE_DIR = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
LESSON_FILE = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CODE_LANGUAGES = {"sql", "python", "json", "yaml", "bash", "text"}
STATIC_PREFIX = "/static/"


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} content problem(s)")
        self.errors = errors


@dataclass
class ModuleFile:
    slug: str
    position: int
    title: str
    summary: str
    path: str


@dataclass
class LessonFile:
    slug: str
    module_slug: str
    position: int
    title: str
    summary: str
    minutes: int
    tasks: list[str]
    services: list[str]
    body: str
    body_line: int  # line number of the body's first line in the file
    path: str
    content_hash: str
    sources: list[str] = field(default_factory=list)  # links of the final ## Sources section
    rendered: render.Rendered | None = None


@dataclass
class Course:
    modules: list[ModuleFile] = field(default_factory=list)
    lessons: list[LessonFile] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _key_line(front_matter: str, key: str, offset: int) -> int:
    """The file line where `key:` appears in the front matter (or its first line)."""
    for number, line in enumerate(front_matter.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return offset + number
    return offset


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, body's first line number), or None if there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def _yaml_error_line(error: yaml.YAMLError, offset: int) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return offset + mark.line if mark else offset


def load_module_file(path: Path, root: Path, match: re.Match, errors: list[ContentError]) -> ModuleFile | None:
    meta_path = path / "module.yaml"
    rel = _relative(meta_path, root)
    if not meta_path.exists():
        errors.append(ContentError(rel, 1, "module folder has no module.yaml (title:, summary:)"))
        return None
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        errors.append(ContentError(rel, _yaml_error_line(error, 1), f"invalid YAML: {error.problem or error}"))
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str) or not meta["title"].strip():
        errors.append(ContentError(rel, 1, "module.yaml needs a non-empty title"))
        return None
    return ModuleFile(
        slug=match["slug"],
        position=int(match["position"]),
        title=meta["title"].strip(),
        summary=str(meta.get("summary") or "").strip(),
        path=rel,
    )


def _check_fences(body: str, body_line: int, rel: str, errors: list[ContentError]) -> None:
    open_fence = None
    for number, line in enumerate(body.splitlines(), start=body_line):
        match = FENCE.match(line)
        if not match:
            continue
        if open_fence is None:
            open_fence = match["fence"]
            language = match["info"].strip().split(" ")[0].lstrip("{.").rstrip("}")
            if not language:
                errors.append(ContentError(rel, number, "code block does not name its language"))
            elif language not in CODE_LANGUAGES:
                errors.append(ContentError(rel, number, f"code block language {language!r} is not one of {sorted(CODE_LANGUAGES)}"))
        elif match["fence"].startswith(open_fence) and not match["info"].strip():
            open_fence = None
    if open_fence is not None:
        errors.append(ContentError(rel, body_line, "a code block is never closed"))


def _line_of(text: str, needle: str, body_line: int) -> int:
    index = text.find(needle)
    return body_line + text.count("\n", 0, index) if index >= 0 else body_line


def _validate_meta(meta: dict, front: str, rel: str, errors: list[ContentError]) -> bool:
    ok = True

    def fail(key: str, message: str) -> None:
        nonlocal ok
        ok = False
        errors.append(ContentError(rel, _key_line(front, key, 1), message))

    for key in ("title", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            fail(key, f"front matter needs a non-empty {key}")
    minutes = meta.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 180:
        fail("minutes", "minutes must be a whole number from 1 to 180")
    tasks = meta.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        fail("tasks", 'tasks must be a non-empty list of task statements, e.g. ["2.2"]')
    else:
        unknown = [str(task) for task in tasks if str(task) not in TASKS_BY_ID]
        if unknown:
            fail("tasks", f"unknown task statement(s) {', '.join(unknown)}; use 1.1 to 4.5 as quoted strings")
    services = meta.get("services")
    if not isinstance(services, list) or not services or not all(isinstance(s, str) and s for s in services):
        fail("services", "services must be a non-empty list of service names")
    unknown_keys = set(meta) - {"title", "summary", "minutes", "tasks", "services"}
    if unknown_keys:
        fail(sorted(unknown_keys)[0], f"unknown front matter key(s): {', '.join(sorted(unknown_keys))}")
    return ok


def load_lesson_file(path: Path, root: Path, module_slug: str, match: re.Match, errors: list[ContentError]) -> LessonFile | None:
    rel = _relative(path, root)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        errors.append(ContentError(rel, 1, f"not UTF-8 text ({error.reason})"))
        return None
    parts = split_front_matter(text)
    if parts is None:
        errors.append(ContentError(rel, 1, "missing front matter: the file must start with a '---' line and close it with another"))
        return None
    front, body, body_line = parts
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as error:
        errors.append(ContentError(rel, _yaml_error_line(error, 2), f"invalid YAML in front matter: {error.problem or error}"))
        return None
    if not isinstance(meta, dict):
        errors.append(ContentError(rel, 2, "front matter must be a mapping of keys to values"))
        return None
    if not _validate_meta(meta, front, rel, errors):
        return None
    _check_fences(body, body_line, rel, errors)
    sources, problems, offset = citations.lesson_sources(body)
    errors.extend(ContentError(rel, body_line + (offset or 0), problem) for problem in problems)
    digest = hashlib.sha256(raw + render.RENDERER_VERSION.encode()).hexdigest()
    return LessonFile(
        slug=f"{module_slug}/{match['slug']}",
        module_slug=module_slug,
        position=int(match["position"]),
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        minutes=meta["minutes"],
        tasks=[str(task) for task in meta["tasks"]],
        services=[service.strip() for service in meta["services"]],
        body=body,
        body_line=body_line,
        path=rel,
        content_hash=digest,
        sources=sources,
    )


def _check_rendered(lesson: LessonFile, anchors_by_slug: dict[str, set[str]], static_dir: Path, errors: list[ContentError]) -> None:
    rendered = lesson.rendered
    for anchor in rendered.anchors:
        if re.search(r"_\d+$", anchor):
            base = anchor.rsplit("_", 1)[0]
            errors.append(ContentError(lesson.path, _line_of(lesson.body, "#", lesson.body_line), f"two headings share the anchor #{base}; rename one or give it an explicit {{#id}}"))
    for slug, anchor in rendered.lesson_links:
        needle = f"lesson:{slug}" + (f"#{anchor}" if anchor else "")
        line = _line_of(lesson.body, needle, lesson.body_line)
        if slug not in anchors_by_slug:
            errors.append(ContentError(lesson.path, line, f"link to unknown lesson {slug!r}"))
        elif anchor and anchor not in anchors_by_slug[slug]:
            errors.append(ContentError(lesson.path, line, f"link to unknown section #{anchor} of lesson {slug!r}"))
    for href in re.findall(r"\]\((lesson:[^)\s]*)", lesson.body):
        if not render.LESSON_LINK.match(href):
            errors.append(ContentError(lesson.path, _line_of(lesson.body, href, lesson.body_line), f"malformed lesson link {href!r}; use lesson:<module>/<lesson>#<anchor>"))
    for src, alt in rendered.images:
        line = _line_of(lesson.body, src, lesson.body_line)
        if not alt.strip():
            errors.append(ContentError(lesson.path, line, f"image {src} has no alt text"))
        if not src.startswith(STATIC_PREFIX) or not (static_dir / src[len(STATIC_PREFIX) :]).is_file():
            errors.append(ContentError(lesson.path, line, f"image {src} does not exist under static/"))
    for problem in rendered.unsafe:
        errors.append(ContentError(lesson.path, lesson.body_line, problem))
    if "!!! tip \"Exam tips\"" not in lesson.body:
        errors.append(ContentError(lesson.path, lesson.body_line, 'lesson does not end with an !!! tip "Exam tips" box'))


def read_course(content_dir: Path, static_dir: Path) -> Course:
    """Read, render and validate every module and lesson under content_dir."""
    course = Course()
    if not content_dir.is_dir():
        course.errors.append(ContentError(str(content_dir), 1, "content folder does not exist"))
        return course
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        match = MODULE_DIR.match(folder.name)
        if not match:
            course.errors.append(ContentError(_relative(folder, content_dir), 1, "module folder must be named NN-<slug> (lowercase, digits, hyphens)"))
            continue
        module = load_module_file(folder, content_dir, match, course.errors)
        if module:
            course.modules.append(module)
        for path in sorted(folder.iterdir()):
            if path.name == "module.yaml":
                continue
            file_match = LESSON_FILE.match(path.name)
            if not file_match:
                course.errors.append(ContentError(_relative(path, content_dir), 1, "unexpected file: lessons are named NN-<slug>.md"))
                continue
            lesson = load_lesson_file(path, content_dir, match["slug"], file_match, course.errors)
            if lesson:
                course.lessons.append(lesson)
    _check_unique(course)
    for lesson in course.lessons:
        lesson.rendered = render.render(lesson.body, title=lesson.title)
    anchors_by_slug = {lesson.slug: set(lesson.rendered.anchors) for lesson in course.lessons}
    for lesson in course.lessons:
        _check_rendered(lesson, anchors_by_slug, static_dir, course.errors)
    return course


def _check_unique(course: Course) -> None:
    seen_modules: dict[str, str] = {}
    for module in course.modules:
        if module.slug in seen_modules:
            course.errors.append(ContentError(module.path, 1, f"module slug {module.slug!r} is also used by {seen_modules[module.slug]}"))
        seen_modules[module.slug] = module.path
    seen_lessons: dict[str, str] = {}
    for lesson in course.lessons:
        if lesson.slug in seen_lessons:
            course.errors.append(ContentError(lesson.path, 1, f"lesson slug {lesson.slug!r} is also used by {seen_lessons[lesson.slug]}"))
        seen_lessons[lesson.slug] = lesson.path
