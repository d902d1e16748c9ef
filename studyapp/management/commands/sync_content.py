from django.core.management.base import BaseCommand, CommandError

from studyapp.content import ContentInvalid
from studyapp.sources import read_catalog, sync_catalog


class Command(BaseCommand):
    help = "Validate the content files and load them into the database (idempotent)."

    def handle(self, *args, **options):
        try:
            reports = sync_catalog(read_catalog())
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(invalid.errors)} problem(s) in content; nothing was loaded") from None
        for report in reports:
            self.stdout.write(report)
