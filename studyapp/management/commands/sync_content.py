from django.core.management.base import BaseCommand, CommandError

from studyapp.content import ContentInvalid
from studyapp.sync import read_default_course, sync_lessons


class Command(BaseCommand):
    help = "Validate the content files and load them into the database (idempotent)."

    def handle(self, *args, **options):
        try:
            report = sync_lessons(read_default_course())
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(invalid.errors)} problem(s) in content; nothing was loaded") from None
        self.stdout.write(str(report))
