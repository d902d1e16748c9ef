import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from studyapp import progress
from studyapp.models import Lesson, Module
from studyapp.sync import read_default_course, sync_lessons

pytestmark = pytest.mark.django_db


def test_it_loads_modules_lessons_and_sections(loaded_course):
    assert list(Module.objects.values_list("slug", flat=True)) == ["basics", "storage"]
    lesson = Lesson.objects.get(slug="basics/glue-catalog")
    assert lesson.minutes == 10 and lesson.tasks == ["2.2", "1.2"]
    assert [s.anchor for s in lesson.sections.all()] == ["", "crawlers-and-classifiers", "partitions"]
    assert 'class="highlight"' in lesson.html


def test_a_second_sync_changes_nothing(loaded_course):
    before = {lesson.slug: lesson.updated_at for lesson in Lesson.objects.all()}
    report = sync_lessons(read_default_course())
    assert (report.created, report.updated, report.unchanged, report.retired) == (0, 0, 3, 0)
    assert {lesson.slug: lesson.updated_at for lesson in Lesson.objects.all()} == before


def test_an_edited_lesson_is_updated_in_place(loaded_course):
    path = loaded_course / "02-storage" / "01-s3-basics.md"
    path.write_text(path.read_text().replace("Amazon S3 basics", "S3 essentials"))
    lesson_id = Lesson.objects.get(slug="storage/s3-basics").id
    report = sync_lessons(read_default_course())
    assert (report.updated, report.unchanged) == (1, 2)
    assert Lesson.objects.get(id=lesson_id).title == "S3 essentials"


def test_a_removed_lesson_is_retired_and_progress_survives(loaded_course, alice):
    lesson = Lesson.objects.get(slug="storage/s3-basics")
    progress.mark_complete(alice, lesson)
    (loaded_course / "02-storage" / "01-s3-basics.md").unlink()
    report = sync_lessons(read_default_course())
    assert report.retired == 1
    lesson.refresh_from_db()
    assert lesson.retired
    assert progress.is_completed(alice, lesson)


def test_a_restored_lesson_comes_back_with_its_progress(loaded_course, alice):
    path = loaded_course / "02-storage" / "01-s3-basics.md"
    text = path.read_text()
    lesson = Lesson.objects.get(slug="storage/s3-basics")
    progress.mark_complete(alice, lesson)
    path.unlink()
    sync_lessons(read_default_course())
    path.write_text(text)
    sync_lessons(read_default_course())
    lesson.refresh_from_db()
    assert not lesson.retired and progress.is_completed(alice, lesson)


def test_invalid_content_loads_nothing(fixture_course, capsys):
    bad = fixture_course / "02-storage" / "02-broken.md"
    bad.write_text("---\ntitle: [unclosed\n---\nbody\n")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("sync_content")
    assert Lesson.objects.count() == 0
    assert "02-storage/02-broken.md:3: invalid YAML in front matter" in capsys.readouterr().err


def test_check_content_lists_every_problem_and_fails(fixture_course, capsys):
    (fixture_course / "01-basics" / "03-bad.md").write_text('---\ntitle: X\nsummary: Y\nminutes: 0\ntasks: ["9.9"]\nservices: [S3]\n---\n')
    with pytest.raises(CommandError, match="2 problem"):
        call_command("check_content")
    err = capsys.readouterr().err
    assert "content/01-basics/03-bad.md:4: minutes must be a whole number from 1 to 180" in err
    assert "content/01-basics/03-bad.md:5: unknown task statement(s) 9.9" in err


def test_content_stats_counts_lessons_per_task(fixture_course, capsys):
    import json

    call_command("content_stats", "--json")
    stats = json.loads(capsys.readouterr().out)
    assert stats["lessons"] == 3 and stats["modules"] == 2
    assert stats["lessons_per_task"]["2.2"] == 1 and stats["lessons_per_task"]["4.5"] == 0
    assert len(stats["lessons_per_task"]) == 17


def test_an_unchanged_catalog_is_not_read_again_and_an_edit_is(fixture_course, capsys, monkeypatch):
    from studyapp import sources
    from studyapp.management.commands import sync_content

    call_command("sync_content")
    monkeypatch.setattr(sync_content, "read_catalog", lambda: pytest.fail("an unchanged catalog was read again"))
    call_command("sync_content")
    assert "content unchanged" in capsys.readouterr().out

    monkeypatch.setattr(sync_content, "read_catalog", sources.read_catalog)
    path = fixture_course / "02-storage" / "01-s3-basics.md"
    path.write_text(path.read_text().replace("Amazon S3 basics", "S3 essentials"))
    call_command("sync_content")
    assert Lesson.objects.get(slug="storage/s3-basics").title == "S3 essentials"
    capsys.readouterr()
    call_command("sync_content", "--force")
    assert "lessons: 0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_a_failed_sync_records_no_digest_so_the_next_one_reads_again(fixture_course):
    from studyapp.models import ContentDigest

    (fixture_course / "02-storage" / "02-broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    with pytest.raises(CommandError):
        call_command("sync_content")
    assert not ContentDigest.objects.exists()


def test_in_own_process_runs_the_work_in_a_new_process_and_returns_its_result():
    import functools
    import os

    from studyapp.sources import in_own_process

    assert in_own_process(os.getpid) != os.getpid()
    assert in_own_process(functools.partial(int, "12")) == 12


def test_in_own_process_shows_a_failure_as_it_would_be_here():
    import functools

    import pytest

    from studyapp.sources import in_own_process

    with pytest.raises(ValueError, match="invalid literal"):
        in_own_process(functools.partial(int, "twelve"))


def test_in_own_process_keeps_what_the_work_prints_out_of_its_result():
    import functools
    import os

    from studyapp.sources import in_own_process

    # Prints on its standard output, then answers with its process id (this process's, if the child had failed).
    noisy = functools.partial(eval, "print('a library talking on its standard output') or __import__('os').getpid()")
    assert in_own_process(noisy) != os.getpid()
