"""Canonical AWS service names and their aliases (quizzes/services.yaml), so each service appears once."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from studyapp.content import ContentError

FILE_NAME = "services.yaml"


@dataclass
class ServiceNames:
    canonical: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> canonical name

    def problem(self, name: str) -> str:
        """Why a question may not name this service ("" when it may)."""
        if name in self.canonical:
            return ""
        if name in self.aliases:
            return f"service {name!r} is another name for {self.aliases[name]!r}: write {self.aliases[name]!r}"
        return f"unknown service {name!r}: use a name from {FILE_NAME} (add the service there first if it is new)"


def read_service_names(root: Path, errors: list[ContentError]) -> ServiceNames:
    """Read <root>/services.yaml: `Canonical name: [alias, ...]` per line."""
    path, names = root / FILE_NAME, ServiceNames()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        errors.append(ContentError(f"quizzes/{FILE_NAME}", 1, "the list of canonical service names is missing"))
        return names
    except yaml.YAMLError as error:
        errors.append(ContentError(f"quizzes/{FILE_NAME}", 1, f"invalid YAML: {error}"))
        return names
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in (data or {}).values()):
        errors.append(ContentError(f"quizzes/{FILE_NAME}", 1, "each line is `Canonical name: [alias, ...]`"))
        return names
    names.canonical = {str(name) for name in data}
    for name, aliases in data.items():
        for alias in aliases:
            if str(alias) in names.canonical or str(alias) in names.aliases:
                errors.append(ContentError(f"quizzes/{FILE_NAME}", 1, f"{alias!r} is listed twice (as a name or an alias)"))
            names.aliases[str(alias)] = str(name)
    return names
