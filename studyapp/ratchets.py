"""Requirements the content does not meet yet, enforced so that it can only get closer (`check_content`).

Two committed files in settings.CONTENT_RATCHETS_DIR:

- sources-pending.txt: the lessons, questions and flashcards that have no sources yet, one
  `lesson <slug>` / `question <id>` / `flashcard <id>` a line. An item missing from the list
  must have sources; a listed item that has them (or no longer exists) must leave the list.
- cue-baseline.json: the cue statistics (quizzes/cues.py) of each bank file and of the bank when
  the baseline was written. A figure within its target passes; one outside it fails if it is worse
  than its baseline, so a figure that met its target can never leave it again; a bank file with no
  baseline must meet the targets outright.

`check_content --update-ratchets` rewrites both files from the content as it is: run it after
an improvement, and the diff shows what got better.
"""

import json
from pathlib import Path

from django.conf import settings

from quizzes import cues

from .content import ContentError
from .sources import Catalog

PENDING_FILE = "sources-pending.txt"
BASELINE_FILE = "cue-baseline.json"
EPSILON = 1e-9


def _bank(catalog: Catalog):
    return next((source.bank for source in catalog.sources if hasattr(source, "bank")), None)


def items_without_sources(catalog: Catalog) -> dict[str, tuple[str, int]]:
    """{"question <id>": (path, line), ...} for every lesson, question and flashcard with no sources."""
    missing = {f"lesson {lesson.slug}": (lesson.path, 1) for lesson in catalog.course.lessons if not lesson.sources}
    bank = _bank(catalog)
    if bank:
        missing.update({f"question {q.id}": (q.path, q.line) for q in bank.questions if not q.sources})
        missing.update({f"flashcard {c.id}": (c.path, c.line) for c in bank.flashcards if not c.sources})
    return missing


def _folder() -> Path:
    return Path(settings.CONTENT_RATCHETS_DIR)


def _pending() -> dict[str, int]:
    path = _folder() / PENDING_FILE
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip(): number for number, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")}


def check_sources(catalog: Catalog) -> list[ContentError]:
    missing, pending = items_without_sources(catalog), _pending()
    rel = f"{_folder().name}/{PENDING_FILE}"
    errors = [
        ContentError(path, line, f"{item} has no sources: add the AWS documentation pages it rests on (docs/content-format.md)")
        for item, (path, line) in sorted(missing.items()) if item not in pending
    ]
    errors += [
        ContentError(rel, line, f"{item} has sources now (or is gone): delete this line")
        for item, line in sorted(pending.items(), key=lambda kv: kv[1]) if item not in missing
    ]
    return errors


def _baseline() -> dict:
    path = _folder() / BASELINE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"bank": {}, "files": {}}


def _worse(name: str, value, before) -> bool:
    if value is None or before is None:
        return False
    target = cues.TARGETS[name]
    return value < before - EPSILON if target.higher_is_better else value > before + EPSILON


def check_cues(catalog: Catalog) -> list[ContentError]:
    bank = _bank(catalog)
    if not bank:
        return []
    stats, baseline = cues.cue_stats(bank.questions), _baseline()
    errors = []
    scopes = [("the whole bank", "bank", stats["bank"], baseline.get("bank"))]
    scopes += [(path, path, figures, baseline.get("files", {}).get(path)) for path, figures in stats["files"].items()]
    for label, path, figures, before in scopes:
        for name, target in cues.TARGETS.items():
            value = figures.get(name)
            if target.met(value):
                continue  # within the limit: free to move; outside it, only towards it
            if before is None:
                errors.append(ContentError(path, 1, f"cue figure {name} of {label} is {value}; a new bank file must meet the target {target}"))
            elif before is not None and _worse(name, value, before.get(name)):
                errors.append(ContentError(path, 1, f"cue figure {name} of {label} got worse: {value} (baseline {before.get(name)}, target {target})"))
    return errors


def target_report(catalog: Catalog) -> list[str]:
    """One line per target: the bank's figure next to the issue's limit."""
    bank = _bank(catalog)
    if not bank:
        return []
    figures = cues.cue_stats(bank.questions)["bank"]
    return [f"  {target}: now {figures.get(name)}{'' if target.met(figures.get(name)) else '  (not met yet)'}" for name, target in cues.TARGETS.items()]


def update(catalog: Catalog) -> None:
    """Write both files from the content as it is now."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    header = "# Items with no sources yet (studyapp/ratchets.py). The list may only shrink: add sources, then delete the line.\n"
    (folder / PENDING_FILE).write_text(header + "".join(f"{item}\n" for item in sorted(items_without_sources(catalog))), encoding="utf-8")
    bank = _bank(catalog)
    stats = cues.cue_stats(bank.questions) if bank else {"bank": {}, "files": {}}
    keep = set(cues.TARGETS)
    baseline = {
        "bank": {k: v for k, v in stats["bank"].items() if k in keep},
        "files": {path: {k: v for k, v in figures.items() if k in keep} for path, figures in stats["files"].items()},
    }
    (folder / BASELINE_FILE).write_text(json.dumps(baseline, indent=1, sort_keys=True) + "\n", encoding="utf-8")
