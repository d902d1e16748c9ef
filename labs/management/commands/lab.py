"""`manage.py lab check <slug>`: prove a lab in the sandbox. `manage.py lab rotate-keys`: re-encrypt stored secrets.

launch -> every sandbox-checkable check FAILS -> solve.py -> they PASS -> teardown -> the sweep is empty.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from labs import runs
from labs.aws import Clients, rotate_secrets
from labs.models import AwsConnection, Lab, LabRun

CHECKER = "lab-checker"


class Command(BaseCommand):
    help = "Prove a lab in the AWS sandbox: checks fail before the reference solution and pass after it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rotate-keys"])
        parser.add_argument("slug", nargs="?", help="a lab slug (default: every lab)")

    def handle(self, *args, **options):
        if options["action"] == "rotate-keys":
            self.stdout.write(f"re-encrypted {rotate_secrets()} stored secret(s) with the newest key")
            return
        if not settings.AWS_SANDBOX_URL:
            raise CommandError("AWS_SANDBOX_URL is not set: start the sandbox (make run starts one).")
        labs = Lab.objects.filter(retired=False)
        if options["slug"]:
            labs = labs.filter(slug=options["slug"])
            if not labs:
                raise CommandError(f"no lab {options['slug']!r}; run sync_content first")
        problems = sum(self.prove(lab) for lab in labs)
        if problems:
            raise CommandError(f"{problems} deviation(s)")
        self.stdout.write(self.style.SUCCESS("every lab behaves"))

    def prove(self, lab: Lab) -> int:
        user, _ = get_user_model().objects.get_or_create(username=CHECKER, defaults={"is_active": False})
        connection, _ = AwsConnection.objects.get_or_create(user=user, kind=AwsConnection.SANDBOX, defaults={"name": "sandbox"})
        run = runs.request_run(user, lab, connection, confirmed_cost=True)
        problems = 0
        self.stdout.write(f"== {lab.slug} ({run.prefix})")
        if not runs.start_launch(run) or runs.poll_launch(run) != "ready":
            self.stdout.write(f"  launch FAILED: {LabRun.objects.get(id=run.id).failure}")
            runs.teardown(run)
            return 1
        problems += self.expect(run, passing=False)
        runs.solve(run)
        problems += self.expect(run, passing=True)
        runs.teardown(run)
        leftovers = runs.leftovers(run, Clients(connection))
        if leftovers:
            problems += 1
            self.stdout.write(f"  teardown left: {', '.join(leftovers)}")
        else:
            self.stdout.write("  teardown: nothing left")
        return problems

    def expect(self, run: LabRun, *, passing: bool) -> int:
        problems = 0
        for result in runs.verify(run):
            if result.needs_real_aws:
                self.stdout.write(f"  {result.step}/{result.check_id}: needs a real AWS account (not checkable here)")
                continue
            ok = result.passed == passing
            problems += not ok
            label = "pass" if result.passed else f"fail ({result.reason})"
            self.stdout.write(f"  {'ok ' if ok else 'BAD'} {'after' if passing else 'before'} solve: {result.step}/{result.check_id}: {label}")
        return problems
