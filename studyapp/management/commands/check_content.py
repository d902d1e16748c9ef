from django.core.management.base import BaseCommand, CommandError

from studyapp import ratchets
from studyapp.sources import read_catalog


class Command(BaseCommand):
    help = "Validate every content file; list each problem as path:line: message."

    def add_arguments(self, parser):
        parser.add_argument("--update-ratchets", action="store_true",
                            help="rewrite the list of items without sources and the cue baseline from the content as it is")

    def handle(self, *args, **options):
        catalog = read_catalog()
        if options["update_ratchets"] and not catalog.errors:
            ratchets.update(catalog)
            self.stdout.write("ratchets updated: review the diff of ratchets/ before committing")
        errors = catalog.errors + ratchets.check_sources(catalog) + ratchets.check_cues(catalog)
        for error in errors:
            self.stderr.write(str(error))
        report = ratchets.target_report(catalog)
        if report:
            self.stdout.write("question bank cue targets (issue 14):\n" + "\n".join(report))
        if errors:
            raise CommandError(f"{len(errors)} problem(s) in content")
        names = ", ".join(source.name for source in catalog.sources)
        self.stdout.write(f"content OK: {len(catalog.course.modules)} modules, {len(catalog.course.lessons)} lessons" + (f"; {names}" if names else ""))
