"""Read and validate the lab catalog: labs/catalog/<slug>/lab.yaml, its templates and solve.py."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from studyapp import yaml_lines
from studyapp.content import ContentError
from studyapp.exam_guide import TASKS_BY_ID

from .checks import KINDS
from .datasets import DATASETS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LAB_KEYS = {"title", "summary", "services", "tasks", "cost_per_hour_usd", "prices_read", "minutes", "expiry_minutes", "sandbox", "templates", "datasets", "steps"}
STEP_KEYS = {"id", "title", "instructions", "hint", "cli", "checks"}
CHECK_KEYS = {"id", "kind", "args", "hint"}
SANDBOX_LEVELS = {"full", "partial", "none"}


@dataclass
class LabData:
    slug: str
    path: str
    definition: dict
    title: str = ""
    cost_per_hour: Decimal = Decimal(0)
    prices_read: datetime.date | None = None
    errors: list[ContentError] = field(default_factory=list)


def catalog_root() -> Path:
    from django.conf import settings

    return Path(settings.LABS_CATALOG_DIR)


def _fail(errors: list[ContentError], path: str, line: int, message: str) -> None:
    errors.append(ContentError(path, line, message))


def _check_step(step, rel: str, index: int, errors: list[ContentError]) -> None:
    if not isinstance(step, yaml_lines.LineDict):
        _fail(errors, rel, 1, f"step {index} must be a mapping")
        return
    for key in sorted(set(step) - STEP_KEYS):
        _fail(errors, rel, step.line_of(key), f"unknown step key {key!r}")
    for key in ("id", "title", "instructions", "hint"):
        if not isinstance(step.get(key), str) or not step[key].strip():
            _fail(errors, rel, step.line_of(key), f"step {index} needs a non-empty {key}")
    checks = step.get("checks")
    if not isinstance(checks, list) or not checks:
        _fail(errors, rel, step.line_of("checks"), f"step {index} needs at least one check")
        return
    for item in checks:
        if not isinstance(item, yaml_lines.LineDict) or not isinstance(item.get("id"), str):
            _fail(errors, rel, getattr(item, "line", step.line), "each check needs an id, a kind and args")
        elif item.get("kind") not in KINDS:
            _fail(errors, rel, item.line_of("kind"), f"unknown check kind {item.get('kind')!r}; known: {', '.join(sorted(KINDS))}")
        elif not isinstance(item.get("args", {}), dict):
            _fail(errors, rel, item.line_of("args"), "check args must be a mapping")
        elif "hint" in item and (not isinstance(item["hint"], str) or not item["hint"].strip()):
            _fail(errors, rel, item.line_of("hint"), "a check's hint (shown when the check fails) must be non-empty text")
        elif set(item) - CHECK_KEYS:
            _fail(errors, rel, item.line, f"unknown check key {sorted(set(item) - CHECK_KEYS)[0]!r}; known: {', '.join(sorted(CHECK_KEYS))}")


def read_lab(folder: Path, root: Path) -> LabData:
    rel = str((folder / "lab.yaml").relative_to(root.parent.parent)) if root.parent.parent in folder.parents else str(folder / "lab.yaml")
    lab = LabData(slug=folder.name, path=rel, definition={})
    errors = lab.errors
    if not SLUG.match(folder.name):
        _fail(errors, rel, 1, "lab folder names are lowercase words joined by hyphens")
    try:
        data = yaml_lines.load((folder / "lab.yaml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        _fail(errors, rel, 1, "lab folder has no lab.yaml")
        return lab
    except yaml.YAMLError as error:
        _fail(errors, rel, yaml_lines.error_line(error), f"invalid YAML: {getattr(error, 'problem', None) or error}")
        return lab
    if not isinstance(data, yaml_lines.LineDict):
        _fail(errors, rel, 1, "lab.yaml must be a mapping")
        return lab
    for key in sorted(set(data) - LAB_KEYS):
        _fail(errors, rel, data.line_of(key), f"unknown key {key!r}")
    for key in ("title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            _fail(errors, rel, data.line_of(key), f"lab.yaml needs a non-empty {key}")
    if not isinstance(data.get("tasks"), list) or any(str(t) not in TASKS_BY_ID for t in data.get("tasks") or [None]):
        _fail(errors, rel, data.line_of("tasks"), "tasks must list task statements such as \"1.1\"")
    if data.get("sandbox") not in SANDBOX_LEVELS:
        _fail(errors, rel, data.line_of("sandbox"), "sandbox must be full, partial or none")
    try:
        lab.cost_per_hour = Decimal(str(data.get("cost_per_hour_usd")))
        if lab.cost_per_hour < 0:
            raise InvalidOperation
    except InvalidOperation:
        _fail(errors, rel, data.line_of("cost_per_hour_usd"), "cost_per_hour_usd must be a number, 0 or more")
    if not isinstance(data.get("prices_read"), datetime.date):
        _fail(errors, rel, data.line_of("prices_read"), "prices_read must be the date the prices were read (YYYY-MM-DD)")
    if not isinstance(data.get("minutes"), int) or data["minutes"] <= 0:
        _fail(errors, rel, data.line_of("minutes"), "minutes must be a positive whole number")
    if "expiry_minutes" in data and (not isinstance(data["expiry_minutes"], int) or isinstance(data["expiry_minutes"], bool) or data["expiry_minutes"] <= 0):
        _fail(errors, rel, data.line_of("expiry_minutes"), "expiry_minutes (optional: how long a run lives before it is torn down) must be a positive whole number")
    for template in data.get("templates") or []:
        if not (folder / template).is_file():
            _fail(errors, rel, data.line_of("templates"), f"template {template} does not exist in the lab folder")
    for name in data.get("datasets") or []:
        if name not in DATASETS:
            _fail(errors, rel, data.line_of("datasets"), f"unknown data set {name!r}")
    if not (folder / "solve.py").is_file():
        _fail(errors, rel, 1, "lab folder has no solve.py (the reference solution)")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        _fail(errors, rel, data.line_of("steps"), "a lab needs at least one step")
    else:
        for index, step in enumerate(steps, start=1):
            _check_step(step, rel, index, errors)
    if not errors:
        lab.title, lab.prices_read = data["title"].strip(), data["prices_read"]
        lab.definition = _plain(data)
        lab.definition["prices_read"] = data["prices_read"].isoformat()
    return lab


def _plain(value):
    """LineDicts and lists back to plain JSON-ready values."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def read_catalog(root: Path | None = None) -> list[LabData]:
    root = root or catalog_root()
    if not root.is_dir():
        return []
    return [read_lab(folder, root) for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))]
