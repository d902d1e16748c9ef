import json

from django.core.management.base import BaseCommand

from studyapp.sources import catalog_stats, read_catalog


class Command(BaseCommand):
    help = "Counts for authors: lessons per task statement, questions, flashcards, labs, cue statistics."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        stats = catalog_stats(read_catalog())
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
            return
        for key, value in stats.items():
            self._write(key, value, "")

    def _write(self, key, value, indent: str) -> None:
        """Nested figures as an indented outline: one line per number, one block per mapping."""
        if isinstance(value, dict):
            self.stdout.write(f"{indent}{key}:")
            for inner_key, inner_value in value.items():
                self._write(inner_key, inner_value, indent + "  ")
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            self.stdout.write(f"{indent}{key}:")
            for item in value:
                self.stdout.write(f"{indent}  - " + ", ".join(f"{k}: {v}" for k, v in item.items()))
        else:
            self.stdout.write(f"{indent}{key}: {value}")
