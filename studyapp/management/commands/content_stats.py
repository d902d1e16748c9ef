import json

from django.core.management.base import BaseCommand

from studyapp.sources import catalog_stats, read_catalog


class Command(BaseCommand):
    help = "Counts for authors: lessons per task statement, questions, flashcards, labs."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        stats = catalog_stats(read_catalog())
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
            return
        for key, value in stats.items():
            if isinstance(value, dict):
                self.stdout.write(f"{key}:")
                for inner_key, inner_value in value.items():
                    self.stdout.write(f"  {inner_key}: {inner_value}")
            else:
                self.stdout.write(f"{key}: {value}")
