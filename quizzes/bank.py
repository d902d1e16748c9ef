"""Read and validate the question banks (quizzes/bank/*.yaml) and flashcard decks (quizzes/flashcards/*.yaml).

Formats: docs/content-format.md. Nothing here touches the database.
"""

import functools
import hashlib
import json
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import yaml

from studyapp import citations, sanitize, yaml_lines
from studyapp.content import ContentError, Course
from studyapp.exam_guide import TASKS_BY_ID

from . import contradictions
from .services import ServiceNames, read_service_names

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_REF = re.compile(r"^(?P<slug>[a-z0-9-]+/[a-z0-9-]+)#(?P<anchor>[A-Za-z0-9_-]+)$")
QUESTION_KEYS = {"id", "type", "task", "services", "difficulty", "stem", "options", "answer", "lesson", "lab", "sources"}
FLASHCARD_KEYS = {"id", "front", "back", "task", "lesson", "sources"}
NEAR_DUPLICATE_SIMILARITY = 0.6


@dataclass
class OptionData:
    id: str
    html: str
    why_html: str


@dataclass
class QuestionData:
    id: str
    type: str
    task: str
    services: list[str]
    difficulty: int
    stem_html: str
    stem_text: str
    options: list[OptionData]
    answer: list[str]
    lesson: str
    lab: str
    path: str
    line: int
    sources: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        payload = json.dumps([self.type, self.task, self.services, self.difficulty, self.stem_html, [o.__dict__ for o in self.options], self.answer, self.lesson, self.lab, self.sources])
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class FlashcardData:
    id: str
    front_html: str
    back_html: str
    task: str
    lesson: str
    path: str
    line: int
    sources: list[str] = field(default_factory=list)


@dataclass
class Bank:
    questions: list[QuestionData] = field(default_factory=list)
    flashcards: list[FlashcardData] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


@dataclass
class PreparedBank:
    """The costly part of reading the bank, which needs no course (prepare_bank): sync_content has it done in
    another process while the lessons are read, then read_bank only checks."""

    lists: dict[str, list] = field(default_factory=dict)  # file path -> its parsed items, for each file that parses
    html: dict[str, str] = field(default_factory=dict)  # text -> its Markdown conversion, for each text that needs one


_converters = threading.local()


# One line of plain words: no character Markdown gives a meaning to, not starting like a list item. Markdown
# would only wrap it in a paragraph (a test holds the two equal over every text of the shipped content).
_PLAIN = re.compile(r"(?![-+*=#>])[^\\`*_{}\[\]<>#|~&\n\r\t]+")
_LIST_START = re.compile(r"\d+\.\s")


def _plain(text: str) -> bool:
    return bool(_PLAIN.fullmatch(text)) and not _LIST_START.match(text) and text == text.strip()


_prepared_html: dict[str, str] = {}  # PreparedBank.html of the read_bank in progress


def _raw_md(text: str) -> str:
    text = str(text).strip()
    if _plain(text):
        return f"<p>{text}</p>"  # most options and many whys: a Markdown conversion costs ~0.3 ms each, 15,000 at every sync
    return _prepared_html.get(text) or _markdown(text)


@functools.lru_cache(maxsize=4096)  # each text is checked for unsafe markup, then converted for use: the same text twice
def _markdown(text: str) -> str:
    # One converter per thread, reset between texts: building a Markdown instance costs more than converting a short text.
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            extensions=["fenced_code", "codehilite", "tables", "sane_lists"], extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}})
    return converter.reset().convert(text)


def md(text: str) -> str:
    return sanitize.clean(_raw_md(text))


def unsafe_markdown(text: str) -> list[str]:
    return sanitize.unsafe_markup(_raw_md(text))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _load_list(path: Path, root: Path, errors: list[ContentError], lists: dict[str, list]) -> list:
    rel = _relative(path, root)
    try:
        data = lists[str(path)] if str(path) in lists else yaml_lines.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        errors.append(ContentError(rel, yaml_lines.error_line(error), f"invalid YAML: {getattr(error, 'problem', None) or error}"))
        return []
    except UnicodeDecodeError:
        errors.append(ContentError(rel, 1, "not UTF-8 text"))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        errors.append(ContentError(rel, 1, "the file must be a YAML list of items"))
        return []
    return data


class _Checker:
    """Collects errors for one item, each at the line of the key it is about."""

    def __init__(self, item: yaml_lines.LineDict, rel: str, errors: list[ContentError]):
        self.item, self.rel, self.errors, self.ok = item, rel, errors, True

    def fail(self, key: str, message: str) -> None:
        self.ok = False
        self.errors.append(ContentError(self.rel, self.item.line_of(key), message))

    def text(self, key: str) -> str:
        value = self.item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"{key} must be non-empty text")
            return ""
        for problem in unsafe_markdown(value):
            self.fail(key, problem)
        return value

    def task(self) -> str:
        task = str(self.item.get("task", ""))
        if task not in TASKS_BY_ID:
            self.fail("task", f"unknown task statement {task!r}; use 1.1 to 4.5 as a quoted string")
        return task

    def lesson(self, anchors_by_slug: dict[str, set[str]]) -> str:
        ref = str(self.item.get("lesson", ""))
        match = LESSON_REF.match(ref)
        if not match:
            self.fail("lesson", f"lesson must be '<module>/<lesson>#<section-anchor>', not {ref!r}")
        elif match["slug"] not in anchors_by_slug:
            self.fail("lesson", f"unknown lesson {match['slug']!r}")
        elif match["anchor"] not in anchors_by_slug[match["slug"]]:
            self.fail("lesson", f"lesson {match['slug']!r} has no section #{match['anchor']}")
        return ref

    def sources(self) -> list[str]:
        urls, problems = citations.list_problems(self.item.get("sources"))
        for problem in problems:
            self.fail("sources", problem)
        return urls

    def keys(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.item) - allowed)
        if unknown:
            self.fail(unknown[0], f"unknown key(s): {', '.join(unknown)}")


def _read_options(check: _Checker) -> list[OptionData]:
    raw = check.item.get("options")
    if not isinstance(raw, list) or not raw:
        check.fail("options", "options must be a list")
        return []
    options, seen = [], set()
    for option in raw:
        if not isinstance(option, dict):
            check.fail("options", "each option is a mapping with id, text and why")
            continue
        sub = _Checker(option, check.rel, check.errors)
        option_id = str(option.get("id", ""))
        if not re.fullmatch(r"[a-z]", option_id):
            sub.fail("id", f"option id must be one lowercase letter, not {option_id!r}")
        elif option_id in seen:
            sub.fail("id", f"option id {option_id!r} is used twice")
        seen.add(option_id)
        text, why = sub.text("text"), sub.text("why")
        check.ok = check.ok and sub.ok
        options.append(OptionData(id=option_id, html=md(text), why_html=md(why)))
    return options


def _read_question(item, rel: str, anchors: dict[str, set[str]], errors: list[ContentError], services_known: ServiceNames) -> QuestionData | None:
    check = _Checker(item, rel, errors)
    check.keys(QUESTION_KEYS)
    qid = str(item.get("id", ""))
    if not ID_PATTERN.match(qid):
        check.fail("id", f"id must be lowercase words joined by hyphens, not {qid!r}")
    qtype = item.get("type")
    if qtype not in {"single", "multi"}:
        check.fail("type", "type must be single or multi")
    task, lesson, stem = check.task(), check.lesson(anchors), check.text("stem")
    difficulty = item.get("difficulty")
    if difficulty not in {1, 2, 3}:
        check.fail("difficulty", "difficulty must be 1 (easy), 2 (medium) or 3 (hard)")
    services = item.get("services")
    if not isinstance(services, list) or not services or not all(isinstance(s, str) and s for s in services):
        check.fail("services", "services must be a non-empty list of service names")
    else:
        for problem in filter(None, map(services_known.problem, services)):
            check.fail("services", problem)
    options = _read_options(check)
    sources = check.sources()
    answer = item.get("answer")
    answer = [str(a) for a in answer] if isinstance(answer, list) else ([str(answer)] if answer else [])
    option_ids = {o.id for o in options}
    if not answer or any(a not in option_ids for a in answer) or len(set(answer)) != len(answer):
        check.fail("answer", f"answer must list ids of this question's options ({', '.join(sorted(option_ids))})")
    elif qtype == "single" and (len(answer) != 1 or len(options) < 4):
        check.fail("answer" if len(answer) != 1 else "options", "a single-answer question has exactly one answer and at least four options")
    elif qtype == "multi" and (len(answer) < 2 or len(options) < 5 or len(answer) >= len(options)):
        check.fail("answer" if len(answer) < 2 else "options", "a multi-response question has two or more answers among five or more options")
    if not check.ok:
        return None
    return QuestionData(
        id=qid, type=qtype, task=task, services=list(services), difficulty=difficulty, stem_html=md(stem), stem_text=stem,
        options=options, answer=answer, lesson=lesson, lab=str(item.get("lab") or ""), path=rel, line=item.line, sources=sources,
    )


def _read_flashcard(item, rel: str, anchors: dict[str, set[str]], errors: list[ContentError], _services: ServiceNames) -> FlashcardData | None:
    check = _Checker(item, rel, errors)
    check.keys(FLASHCARD_KEYS)
    cid = str(item.get("id", ""))
    if not ID_PATTERN.match(cid):
        check.fail("id", f"id must be lowercase words joined by hyphens, not {cid!r}")
    front, back, task, lesson = check.text("front"), check.text("back"), check.task(), check.lesson(anchors)
    sources = check.sources()
    if not check.ok:
        return None
    return FlashcardData(id=cid, front_html=md(front), back_html=md(back), task=task, lesson=lesson, path=rel, line=item.line, sources=sources)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 2]) for i in range(max(len(words) - 1, 1))}


def near_duplicates(questions: list[QuestionData]) -> list[tuple[QuestionData, QuestionData, float]]:
    """Pairs of questions whose stems share most of their two-word runs (Jaccard similarity)."""
    shingled = [_shingles(q.stem_text) for q in questions]
    # Only stems sharing at least one two-word run can be similar: count the shared runs through an index.
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, shingles in enumerate(shingled):
        for shingle in shingles:
            holders[shingle].append(index)
    pairs = []
    for i, a in enumerate(shingled):
        shared = Counter(j for shingle in a for j in holders[shingle] if j > i)
        for j in sorted(shared):
            similarity = shared[j] / (len(a) + len(shingled[j]) - shared[j])
            if similarity >= NEAR_DUPLICATE_SIMILARITY:
                pairs.append((questions[i], questions[j], similarity))
    return pairs


def _check_unique(items, kind: str, errors: list[ContentError]) -> None:
    seen: dict[str, str] = {}
    for item in items:
        if item.id in seen:
            errors.append(ContentError(item.path, item.line, f"{kind} id {item.id!r} is also used at {seen[item.id]}"))
        seen[item.id] = f"{item.path}:{item.line}"


def _read_items(folder: Path, root: Path, kind: str, reader, anchors: dict[str, set[str]], errors: list[ContentError], services: ServiceNames,
                lists: dict[str, list]) -> list:
    items = []
    for path in sorted(folder.glob("*.yaml")):
        rel = _relative(path, root.parent)
        for item in _load_list(path, root.parent, errors, lists):
            if not isinstance(item, dict):
                errors.append(ContentError(rel, 1, f"each {kind} is a mapping"))
                continue
            parsed = reader(item, rel, anchors, errors, services)
            if parsed:
                items.append(parsed)
    return items


_TEXT_KEYS, _OPTION_TEXT_KEYS = ("stem", "front", "back"), ("text", "why")  # what _read_question and _read_flashcard convert


def _texts(items) -> list[str]:
    texts = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            options = item.get("options") if isinstance(item.get("options"), list) else []
            texts += [item.get(key) for key in _TEXT_KEYS] + [o.get(key) for o in options if isinstance(o, dict) for key in _OPTION_TEXT_KEYS]
    return [text.strip() for text in texts if isinstance(text, str)]


def prepare_bank(root: Path) -> PreparedBank:
    """Parse every bank and deck file and convert its Markdown; what does not parse is left to read_bank to report."""
    prepared = PreparedBank()
    for path in sorted([*(root / "bank").glob("*.yaml"), *(root / "flashcards").glob("*.yaml")]):
        try:
            items = prepared.lists[str(path)] = yaml_lines.load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        prepared.html.update((text, _markdown(text)) for text in _texts(items) if not _plain(text))
    return prepared


def read_bank(root: Path, course: Course, prepared: PreparedBank | None = None) -> Bank:
    """Read every bank and deck file under root (the quizzes/ folder); `prepared`: prepare_bank(root), done beforehand."""
    bank = Bank()
    if not root.exists():  # a course without a bank (the tests' small course)
        return bank
    prepared = prepared or PreparedBank()
    anchors = {lesson.slug: set(lesson.rendered.anchors) if lesson.rendered else set() for lesson in course.lessons}
    services = read_service_names(root, bank.errors)
    _prepared_html.update(prepared.html)
    try:
        bank.questions = _read_items(root / "bank", root, "question", _read_question, anchors, bank.errors, services, prepared.lists)
        bank.flashcards = _read_items(root / "flashcards", root, "flashcard", _read_flashcard, anchors, bank.errors, services, prepared.lists)
    finally:
        _prepared_html.clear()
    _check_unique(bank.questions, "question", bank.errors)
    _check_unique(bank.flashcards, "flashcard", bank.errors)
    bank.errors.extend(contradictions.check(course, bank.questions, bank.flashcards))
    for first, second, similarity in near_duplicates(bank.questions):
        bank.errors.append(ContentError(second.path, second.line, f"stem of {second.id!r} is {similarity:.0%} like {first.id!r} ({first.path}:{first.line}); rewrite one"))
    return bank
