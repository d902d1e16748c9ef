"""Every field of an imported export checked before anything is written: types, enums, ranges, sizes, nesting.

An import is all-or-nothing, and a damaged or hostile file must end in a clear message, never a 500 and
never a state that breaks a page later (an unreadable FSRS card, a seed that overflows, duplicate positions).
`check(data)` raises Invalid naming the first bad field, as a path such as `attempts[3].responses[0].position`.
"""

import re
from datetime import UTC, date, datetime

from fsrs import Card, Rating, Scheduler

MAX_DEPTH = 12
MAX_ITEMS = {"lesson_progress": 5_000, "attempts": 20_000, "responses": 300, "card_states": 50_000, "review_log": 10_000,
             "labs": 5_000, "checks": 500, "workbench": 5_000}
MAX_TEXT = 20_000
ID = re.compile(r"^[a-z0-9][a-z0-9/#_-]{0,249}$")
OPTION_ID = re.compile(r"^[a-z]$")
LAB_STATES = {"requested", "launching", "ready", "verifying", "tearing_down", "deleted", "failed"}
CONNECTION_KINDS = {"sandbox", "profile", "role", "keys"}


class Invalid(Exception):
    pass


def depth(value) -> int:
    """How deeply lists and mappings nest, counted without recursion (a hostile file can nest 100k deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class _Field:
    def __init__(self, row: dict, path: str):
        if not isinstance(row, dict):
            raise Invalid(f"{path} must be a mapping")
        self.row, self.path = row, path

    def _fail(self, key: str, message: str):
        raise Invalid(f"{self.path}.{key} {message}")

    def value(self, key: str, kind, optional: bool = False):
        value = self.row.get(key)
        if value is None and optional:
            return None
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self._fail(key, "is missing or has the wrong type")
        return value

    def text(self, key: str, limit: int = 200, optional: bool = False, pattern: re.Pattern | None = None) -> str | None:
        value = self.value(key, str, optional)
        if value is not None and (len(value) > limit or (pattern and not pattern.match(value))):
            self._fail(key, f"must be text of at most {limit} characters" + (" in the export's id format" if pattern else ""))
        return value

    def number(self, key: str, low: float, high: float, optional: bool = False, whole: bool = True):
        value = self.value(key, int if whole else (int, float), optional)
        if isinstance(value, bool) or value is not None and not low <= value <= high:
            self._fail(key, f"must be between {low} and {high}")
        return value

    def flag(self, key: str, optional: bool = False):
        return self.value(key, bool, optional)

    def time(self, key: str, optional: bool = False) -> datetime | None:
        value = self.value(key, str, optional)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self._fail(key, "is not an ISO date and time")
        if not 1970 <= parsed.year <= 2200:
            self._fail(key, "is outside the years 1970-2200")
        return parsed

    def items(self, key: str, optional: bool = False) -> list:
        value = self.value(key, list, optional) or []
        limit = MAX_ITEMS.get(key.split(".")[-1], 1_000)
        if len(value) > limit:
            self._fail(key, f"has more than {limit} entries")
        return value


def _options(field: _Field, key: str, optional: bool = False) -> list | None:
    value = field.value(key, list, optional)
    if value is None:
        return None
    if len(value) > 10 or not all(isinstance(v, str) and OPTION_ID.match(v) for v in value) or len(set(value)) != len(value):
        field._fail(key, "must be a short list of distinct option letters")
    return value


def _attempt(row, path: str) -> None:
    field = _Field(row, path)
    if field.value("kind", str) not in {"practice", "mock"}:
        field._fail("kind", "must be practice or mock")
    field.text("scope")
    field.flag("certainty")
    field.number("seed", 0, 2**63 - 1)
    field.time("started_at")
    field.time("deadline", optional=True)
    submitted = field.time("submitted_at", optional=True)
    correct = field.number("scored_correct", 0, 1000, optional=True)
    total = field.number("scored_total", 0, 1000, optional=True)
    field.number("scaled_score", 100, 1000, optional=True)
    if row["kind"] == "mock" and submitted and (correct is None or total is None or row.get("scaled_score") is None or correct > total):
        field._fail("scored_correct", "scored_total and scaled_score must describe a submitted mock exam's score")
    positions = set()
    for index, response in enumerate(field.items("responses")):
        answer = _Field(response, f"{path}.responses[{index}]")
        position = answer.number("position", 0, 32_767)
        if position in positions:
            answer._fail("position", "is used twice in this attempt")
        positions.add(position)
        answer.text("question", pattern=ID)
        answer.flag("scored")
        order = _options(answer, "option_order")
        chosen = _options(answer, "chosen", optional=True)
        if chosen and not set(chosen) <= set(order):
            answer._fail("chosen", "names options the question does not show")
        correct = answer.flag("correct", optional=True)
        answer.number("certainty", 1, 3, optional=True)
        answer.flag("flagged")
        answered_at = answer.time("answered_at", optional=True)
        if (chosen is None) != (correct is None) or (chosen is None) != (answered_at is None):
            answer._fail("correct", "and answered_at must be given exactly when an answer was chosen")


FSRS_KEYS = {"card_id", "state", "step", "stability", "difficulty", "due", "last_review"}


def _fsrs(field: _Field) -> None:
    state = field.value("fsrs", dict)
    card = _Field(state, f"{field.path}.fsrs")
    if set(state) != FSRS_KEYS:
        field._fail("fsrs", "is not a spaced-repetition state of this app")
    card.number("card_id", 0, 2**63 - 1)
    card.number("state", 1, 3)
    card.number("step", 0, 100, optional=True)
    card.number("stability", 0, 1e6, optional=True, whole=False)
    card.number("difficulty", 0, 11, optional=True, whole=False)
    card.time("due")
    card.time("last_review", optional=True)
    try:  # the state must also work: the review page schedules from it
        loaded = Card.from_dict(state)
        now = datetime.now(UTC)
        Scheduler(enable_fuzzing=False).review_card(loaded, Rating.Good, max(now, loaded.due))
        Scheduler().get_card_retrievability(loaded, now)
    except Exception:  # noqa: BLE001  (whatever fsrs raises, the state is unusable)
        field._fail("fsrs", "is not a usable spaced-repetition state")


def _card_state(row, path: str, seen: set) -> None:
    field = _Field(row, path)
    flashcard, question = field.text("flashcard", optional=True, pattern=ID), field.text("question", optional=True, pattern=ID)
    if (flashcard is None) == (question is None):
        field._fail("flashcard", "or question (exactly one of them) must name the card")
    key = ("flashcard", flashcard) if flashcard else ("question", question)
    if key in seen:
        field._fail(key[0], "appears in two card states")
    seen.add(key)
    _fsrs(field)
    field.time("due")
    field.number("reviews", 0, 1_000_000)
    field.time("created_at")
    for index, review in enumerate(field.items("review_log")):
        entry = _Field(review, f"{path}.review_log[{index}]")
        entry.number("rating", 1, 4)
        entry.time("reviewed_at")


def _lab_run(row, path: str) -> None:
    field = _Field(row, path)
    field.text("lab", limit=80, pattern=ID)
    if field.value("connection_kind", str) not in CONNECTION_KINDS:
        field._fail("connection_kind", f"must be one of {', '.join(sorted(CONNECTION_KINDS))}")
    if field.value("state", str) not in LAB_STATES:
        field._fail("state", "is not a lab run state")
    field.text("prefix", limit=40)
    field.time("created_at")
    field.time("expires_at")
    field.time("deleted_at", optional=True)
    field.text("failure", limit=MAX_TEXT)
    for index, check in enumerate(field.items("checks")):
        result = _Field(check, f"{path}.checks[{index}]")
        result.text("step", limit=60)
        result.text("check", limit=80)
        result.flag("passed")
        result.flag("needs_real_aws")
        result.text("reason", limit=MAX_TEXT)
        result.text("fidelity", limit=20)
        result.time("checked_at")


def check(data: dict) -> None:
    if depth(data) > MAX_DEPTH:
        raise Invalid("the file nests more deeply than an export does")
    root = _Field(data, "export")
    for index, row in enumerate(root.items("lesson_progress")):
        progress = _Field(row, f"lesson_progress[{index}]")
        progress.text("lesson", pattern=ID)
        progress.time("completed_at")
    if data.get("study_plan") is not None:
        plan = _Field(data["study_plan"], "study_plan")
        try:
            date.fromisoformat(plan.value("exam_date", str))
        except ValueError:
            plan._fail("exam_date", "is not an ISO date")
    if data.get("study_preferences") is not None:
        prefs = _Field(data["study_preferences"], "study_preferences")
        prefs.number("desired_retention", 0.7, 0.97, whole=False)
        prefs.number("new_cards_per_day", 0, 200)
    for index, row in enumerate(root.items("attempts")):
        _attempt(row, f"attempts[{index}]")
    seen: set = set()
    for index, row in enumerate(root.items("card_states")):
        _card_state(row, f"card_states[{index}]", seen)
    extras = root.value("extras", dict, optional=True) or {}
    extra = _Field(extras, "extras")
    for index, row in enumerate(extra.items("labs", optional=True)):
        _lab_run(row, f"extras.labs[{index}]")
    exercises = set()
    for index, row in enumerate(extra.items("workbench", optional=True)):
        solved = _Field(row, f"extras.workbench[{index}]")
        slug = solved.text("exercise", limit=120, pattern=ID)
        if slug in exercises:
            solved._fail("exercise", "appears twice")
        exercises.add(slug)
        solved.time("completed_at")
        solved.text("sql", limit=MAX_TEXT)
