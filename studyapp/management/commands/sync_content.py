from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from studyapp import content_digest
from studyapp.content import ContentInvalid
from studyapp.sources import read_catalog, sync_catalog


class Command(BaseCommand):
    help = "Validate the content files and load them into the database (idempotent; skipped when no file changed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="read and load everything even if no content file changed")

    def handle(self, *args, **options):
        digest = content_digest.current()
        if not options["force"] and content_digest.unchanged(digest):
            self.stdout.write("content unchanged since the last sync: nothing to load (--force reloads)")
            return
        try:
            with transaction.atomic():
                reports = sync_catalog(read_catalog())
                content_digest.record(digest)
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(invalid.errors)} problem(s) in content; nothing was loaded") from None
        for report in reports:
            self.stdout.write(report)
