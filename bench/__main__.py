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

ROUNDS = 60


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

    from quizzes.models import Attempt, Question, Response
    from studyapp.models import Lesson
    from studyapp.sources import read_catalog, sync_catalog

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    sync_catalog(read_catalog())
    print(f"content sync (first, {Lesson.objects.count()} lessons, {Question.objects.count()} questions): {time.perf_counter() - started:.2f} s")
    settings.ALLOWED_HOSTS = ["testserver"]
    anonymous, learner = Client(), Client()
    user = User.objects.create_user("bench", "bench@example.org", "x")
    learner.force_login(user)
    _history(user, Attempt, Question, Response, answers=10_000)
    lesson = Lesson.objects.filter(retired=False).order_by("-minutes").first()
    pages = {
        "baseline: landing page": (anonymous, "/"),
        "module list": (learner, "/lessons/"),
        f"longest lesson ({lesson.slug})": (learner, lesson.get_absolute_url()),
        "search 'partition'": (learner, "/lessons/search/?q=partition"),
        "progress dashboard (10,000 answers)": (learner, "/progress/"),
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


def _history(user, Attempt, Question, Response, answers: int) -> None:  # noqa: N803 (models passed in after django.setup())
    """A learner with a long answer history, so the dashboard's cost shows."""
    from django.utils import timezone

    from quizzes.tests.conftest import make_questions

    questions = list(Question.objects.all()) or make_questions({1: 30, 2: 30, 3: 30, 4: 30})
    now = timezone.now()
    for start in range(0, answers, 500):
        attempt = Attempt.objects.create(user=user, kind=Attempt.PRACTICE, scope="bench", seed=start, started_at=now)
        Response.objects.bulk_create(
            Response(attempt=attempt, position=i + 1, question=questions[(start + i) % len(questions)], option_order=["a"], chosen=["a"],
                     correct=(start + i) % 3 != 0, answered_at=now)
            for i in range(min(500, answers - start))
        )


if __name__ == "__main__":
    main()
