"""Imports never touch live state and refuse damaged files with a message (issue 20, items 2 and 7)."""

import copy
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from labs.models import AwsConnection, Lab, LabRun
from studyapp import learner_data, progress
from studyapp.models import Lesson

pytestmark = pytest.mark.django_db

NOW = "2026-11-01T10:00:00+00:00"
FSRS = {"card_id": 1, "state": 2, "step": None, "stability": 3.2, "difficulty": 5.1, "due": NOW, "last_review": "2026-10-29T10:00:00+00:00"}
VALID = {
    "format": "dea-c01-study-export", "version": 1, "exported_at": NOW, "account": {"username": "x", "email": "", "date_joined": NOW},
    "lesson_progress": [{"lesson": "basics/welcome", "completed_at": NOW}],
    "study_plan": {"exam_date": "2027-01-15"},
    "study_preferences": {"desired_retention": 0.9, "new_cards_per_day": 20},
    "attempts": [{
        "kind": "practice", "scope": "all", "certainty": False, "seed": 7, "started_at": NOW, "deadline": None, "submitted_at": NOW,
        "scored_correct": 1, "scored_total": 1, "scaled_score": None,
        "responses": [{"position": 1, "question": "partition-folders", "scored": True, "option_order": ["a", "b", "c", "d", "e"],
                       "chosen": ["a", "b"], "correct": True, "certainty": None, "flagged": False, "answered_at": NOW}],
    }],
    "card_states": [{"flashcard": "glue-crawler", "question": None, "fsrs": FSRS, "due": NOW, "reviews": 1, "created_at": NOW,
                     "review_log": [{"rating": 3, "reviewed_at": NOW}]}],
    "extras": {
        "labs": [{"lab": "setup", "connection_kind": "keys", "state": "failed", "prefix": "dea-abc12345", "created_at": NOW,
                  "expires_at": "2026-11-01T12:00:00+00:00", "deleted_at": None, "failure": "", "checks": []}],
        "workbench": [],
    },
}


def _import(client, document) -> "object":
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post("/progress/import", {"file": SimpleUploadedFile("export.json", body, content_type="application/json")})


def _with(change) -> dict:
    document = copy.deepcopy(VALID)
    change(document)
    return document


def test_a_valid_export_imports(alice_client, alice, loaded_bank, loaded_labs):
    response = _import(alice_client, VALID)
    assert response.status_code == 200, response.content
    assert alice_client.get("/flashcards/review").status_code == 200


def test_imported_lab_runs_are_read_only_history_the_reaper_never_touches(alice_client, alice, bob, loaded_course, loaded_labs, monkeypatch):
    from labs import tasks

    queued = []
    monkeypatch.setattr(tasks.teardown_run, "delay", queued.append)
    many = _with(lambda d: d["extras"].update(labs=[{**VALID["extras"]["labs"][0], "state": state} for state in ("failed", "ready", "tearing_down", "requested")]))
    assert _import(alice_client, many).status_code == 200
    runs = LabRun.objects.filter(user=alice)
    assert runs.count() == 4 and set(runs.values_list("state", flat=True)) == {LabRun.DELETED}
    assert all(run.prefix.startswith("imported-") and run.deleted_at for run in runs)
    assert set(AwsConnection.objects.filter(user=alice).values_list("kind", flat=True)) == {AwsConnection.SANDBOX}  # never keys or profiles
    assert tasks.reap_expired_runs() == 0 and queued == []
    # Another learner importing the very same file gets runs of their own (prefixes are unique across the site).
    from django.test import Client

    bobs = Client()
    bobs.force_login(bob)
    assert _import(bobs, many).status_code == 200 and LabRun.objects.filter(user=bob).count() == 4


def test_importing_while_a_lab_runs_is_refused_and_the_run_is_kept(alice_client, alice, loaded_course, loaded_labs):
    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    run = LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-live0001", state=LabRun.READY,
                                expires_at=timezone.now() + timedelta(hours=1))
    exported = alice_client.get("/progress/export.json").content
    response = _import(alice_client, exported)
    assert response.status_code == 400 and b"Tear them down" in response.content
    run.refresh_from_db()
    assert run.state == LabRun.READY


def _deep(levels: int) -> bytes:
    return b'{"format": "dea-c01-study-export", "version": 1, "attempts": ' + b"[" * levels + b"]" * levels + b"}"


@pytest.mark.parametrize(("damage", "says"), [
    (lambda d: d["attempts"][0]["responses"].append({**d["attempts"][0]["responses"][0]}), "used twice"),
    (lambda d: d["attempts"][0]["responses"][0].update(position=-1), "position"),
    (lambda d: d["attempts"][0].update(scored_correct=-5), "scored_correct"),
    (lambda d: d["attempts"][0].update(seed=2**70), "seed"),
    (lambda d: d["attempts"][0].update(kind="exam"), "kind"),
    (lambda d: d["attempts"][0]["responses"][0].update(chosen=["z"]), "chosen"),
    (lambda d: d["attempts"][0]["responses"][0].update(certainty=True), "certainty"),
    (lambda d: d["card_states"][0].update(fsrs={**FSRS, "state": 9}), "fsrs"),
    (lambda d: d["card_states"][0].update(fsrs={**FSRS, "stability": "lots"}), "fsrs"),
    (lambda d: d["card_states"][0].update(fsrs={**FSRS, "due": "2026-11-01T10:00:00"}), "fsrs"),
    (lambda d: d["card_states"][0].update(fsrs={"garbage": True}), "fsrs"),
    (lambda d: d["card_states"].append(copy.deepcopy(d["card_states"][0])), "two card states"),
    (lambda d: d["card_states"][0]["review_log"][0].update(rating=0), "rating"),
    (lambda d: d["study_preferences"].update(desired_retention=float("nan")), "desired_retention"),
    (lambda d: d["study_plan"].update(exam_date="soon"), "exam_date"),
    (lambda d: d["lesson_progress"][0].update(completed_at="0001-01-01T00:00:00+14:00"), "completed_at"),
    (lambda d: d["extras"]["labs"][0].update(state="exploding"), "state"),
    (lambda d: d["extras"]["labs"][0].update(connection_kind="root"), "connection_kind"),
    (lambda d: d["extras"]["labs"][0].update(failure="x" * 30_000), "failure"),
    (lambda d: d["extras"].update(workbench=[{"exercise": "a", "completed_at": NOW, "sql": "x"}] * 2), "appears twice"),
    (lambda d: d.update(attempts=[d["attempts"][0]] * 20_001), "more than"),
])
def test_a_damaged_import_is_refused_with_the_field_named_and_nothing_changes(alice_client, alice, loaded_bank, loaded_labs, damage, says):
    progress.mark_complete(alice, Lesson.objects.get(slug="basics/glue-catalog"))
    response = _import(alice_client, _with(damage))
    assert response.status_code == 400 and says in response.content.decode(), response.content
    assert progress.is_completed(alice, Lesson.objects.get(slug="basics/glue-catalog"))


@pytest.mark.parametrize("levels", [50, 100_000])
def test_deeply_nested_json_is_refused(alice_client, alice, loaded_course, levels):
    response = _import(alice_client, _deep(levels))
    assert response.status_code == 400 and b"nests more deeply" in response.content


def test_the_reaper_stops_asking_once_a_teardown_gave_up(alice, loaded_labs, settings, monkeypatch):
    from labs import tasks

    queued = []
    monkeypatch.setattr(tasks.teardown_run, "delay", queued.append)
    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    lab = Lab.objects.get(slug="setup")
    past = timezone.now() - timedelta(hours=1)
    given_up = LabRun.objects.create(user=alice, lab=lab, connection=connection, prefix="dea-gaveup01", state=LabRun.TEARING_DOWN, expires_at=past,
                                     teardown_attempts=settings.LABS_TEARDOWN_ATTEMPTS)
    retry = LabRun.objects.create(user=alice, lab=lab, connection=connection, prefix="dea-retry001", state=LabRun.FAILED, expires_at=past)
    assert tasks.reap_expired_runs() == 1 and queued == [retry.id]
    assert given_up.id not in queued


def test_an_account_whose_teardown_gave_up_can_still_be_deleted(alice, loaded_labs, settings):
    from django.contrib.auth.models import User

    from studyapp.tasks import delete_account

    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-gaveup02", state=LabRun.TEARING_DOWN,
                          expires_at=timezone.now(), teardown_attempts=settings.LABS_TEARDOWN_ATTEMPTS)
    assert delete_account.apply(args=(alice.id,)).get() == "deleted"
    assert not User.objects.filter(id=alice.id).exists() and not LabRun.objects.filter(prefix="dea-gaveup02").exists()


def test_learner_data_load_checks_before_writing(alice, loaded_course):
    with pytest.raises(learner_data.ImportInvalid):
        learner_data.load(alice, _with(lambda d: d["attempts"][0].update(seed=-1)))


def test_an_import_keeps_the_learners_connections_and_sandbox_key(alice_client, alice, loaded_course, loaded_labs):
    from labs import aws

    own = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    key = aws.sandbox_cli_key(own)
    assert _import(alice_client, VALID).status_code == 200
    assert _import(alice_client, VALID).status_code == 200  # again: the history is replaced, not piled up
    own.refresh_from_db()
    assert own.access_key_id == key and aws.sandbox_cli_secret(own)
    assert AwsConnection.objects.filter(user=alice, name="Imported lab history").count() == 1
