import shutil

import pytest

from studyapp.sources import read_catalog, sync_catalog


@pytest.fixture(scope="session")
def workbench_var(tmp_path_factory):
    return tmp_path_factory.mktemp("workbench-var")


@pytest.fixture
def workbench(settings, workbench_var):
    """Workbench files in a folder of the tests' own; the base database is built once per session."""
    settings.VAR_DIR = workbench_var
    shutil.rmtree(workbench_var / "workbench" / "learners", ignore_errors=True)
    return workbench_var


@pytest.fixture
def loaded_exercises(workbench, settings, db):
    settings.CONTENT_SOURCES = ["workbench.sources.ExerciseSource"]
    sync_catalog(read_catalog())  # the real course and exercises
