from django.core.management.base import BaseCommand, CommandError

from studyapp.sources import read_catalog


class Command(BaseCommand):
    help = "Validate every content file; list each problem as path:line: message."

    def handle(self, *args, **options):
        catalog = read_catalog()
        for error in catalog.errors:
            self.stderr.write(str(error))
        if catalog.errors:
            raise CommandError(f"{len(catalog.errors)} problem(s) in content")
        names = ", ".join(source.name for source in catalog.sources)
        self.stdout.write(f"content OK: {len(catalog.course.modules)} modules, {len(catalog.course.lessons)} lessons" + (f"; {names}" if names else ""))
