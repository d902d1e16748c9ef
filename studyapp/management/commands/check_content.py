from django.core.management.base import BaseCommand, CommandError

from studyapp.sync import read_default_course


class Command(BaseCommand):
    help = "Validate every content file; list each problem as path:line: message."

    def handle(self, *args, **options):
        course = read_default_course()
        for error in course.errors:
            self.stderr.write(str(error))
        if course.errors:
            raise CommandError(f"{len(course.errors)} problem(s) in content")
        self.stdout.write(f"content OK: {len(course.modules)} modules, {len(course.lessons)} lessons")
