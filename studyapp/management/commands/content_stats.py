import json

from django.core.management.base import BaseCommand

from studyapp.stats import course_stats
from studyapp.sync import read_default_course


class Command(BaseCommand):
    help = "Counts for authors: lessons, lessons per task statement, and more."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        stats = course_stats(read_default_course())
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
