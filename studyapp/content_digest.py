"""One digest of every content file and of the code that reads them, so an unchanged sync is skipped.

Parsing and validating the whole catalog (Markdown, YAML, reference queries) takes seconds; when
no file under the content roots and no module that reads or renders them changed since the last
successful sync, there is nothing to load.
"""

import hashlib
from pathlib import Path

from django.conf import settings

from .models import ContentDigest

KEY = "catalog"
CODE_PACKAGES = ("studyapp", "quizzes", "labs", "workbench")


def _roots() -> list[Path]:
    quizzes = Path(settings.QUIZZES_DIR)
    return [Path(settings.CONTENT_DIR), quizzes / "bank", quizzes / "flashcards", Path(settings.WORKBENCH_EXERCISES_DIR),
            Path(settings.LABS_CATALOG_DIR), Path(settings.BASE_DIR) / "static" / "diagrams"]


def _files() -> list[Path]:
    found = [path for root in _roots() if root.is_dir() for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    for package in CODE_PACKAGES:
        found += [path for path in (Path(settings.BASE_DIR) / package).rglob("*.py") if "tests" not in path.parts]
    return sorted(set(found))


def current() -> str:
    digest = hashlib.sha256(repr(settings.CONTENT_SOURCES).encode())
    for path in _files():
        digest.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def unchanged(digest: str) -> bool:
    return ContentDigest.objects.filter(key=KEY, digest=digest).exists()


def record(digest: str) -> None:
    ContentDigest.objects.update_or_create(key=KEY, defaults={"digest": digest})
