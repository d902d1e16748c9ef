"""`make bench`: request timings of the reader's pages, as ratios against a baseline page.

The baseline is the anonymous landing page (a template render with no queries),
measured in the same run, so the figures compare across machines.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 200


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="studyapp-bench-")
    os.environ.update(DJANGO_ENV="test", VAR_DIR=var_dir, DATABASE_URL=f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from studyapp.models import Lesson
    from studyapp.sync import read_default_course, sync_lessons

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    sync_lessons(read_default_course())
    print(f"content sync (first, {Lesson.objects.count()} lessons): {time.perf_counter() - started:.2f} s")
    settings.ALLOWED_HOSTS = ["testserver"]
    anonymous, learner = Client(), Client()
    learner.force_login(User.objects.create_user("bench", "bench@example.org", "x"))
    lesson = Lesson.objects.filter(retired=False).order_by("-minutes").first()
    pages = {
        "baseline: landing page": (anonymous, "/"),
        "module list": (learner, "/lessons/"),
        f"longest lesson ({lesson.slug})": (learner, lesson.get_absolute_url()),
        "search 'partition'": (learner, "/lessons/search/?q=partition"),
    }
    medians = {}
    for name, (client, url) in pages.items():
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        medians[name] = statistics.median(samples)
    baseline = medians["baseline: landing page"]
    for name, median in medians.items():
        print(f"{name:45s} {median * 1000:7.2f} ms median  x{median / baseline:5.2f} baseline")


if __name__ == "__main__":
    main()
