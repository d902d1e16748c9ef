"""`make run`'s supervisor: one process dying is restarted while the others keep running; Ctrl-C leaves nothing."""

import io
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from studyapp.supervisor import Supervisor, read_env_file, read_procfile

PYTHON = sys.executable


def wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_process_that_dies_is_started_again_and_the_others_keep_running(tmp_path: Path):
    starts = tmp_path / "starts"
    commands = {
        "steady": f"{PYTHON} -c 'import time; print(\"steady up\", flush=True); time.sleep(600)'",
        "flaky": f"{PYTHON} -c 'open(\"{starts}\", \"a\").write(\"x\"); raise SystemExit(3)'",
    }
    out = io.StringIO()
    supervisor = Supervisor(commands, dict(os.environ), out=out)
    thread = threading.Thread(target=supervisor.run)
    thread.start()
    try:
        wait_for(lambda: supervisor.processes[0].popen is not None)
        steady_pid = supervisor.processes[0].popen.pid
        wait_for(lambda: starts.exists() and len(starts.read_text()) >= 2)  # started, died, started again
        assert supervisor.processes[0].popen.pid == steady_pid and alive(steady_pid)
        assert "flaky" in out.getvalue() and "exited with code 3; starting it again in 1 s" in out.getvalue()
        assert "steady up" in out.getvalue()
    finally:
        supervisor.stopping.set()
        thread.join(30)
    assert not thread.is_alive()
    wait_for(lambda: not alive(steady_pid), 5)


SLOW_TO_STOP = "import signal, sys, time; signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1), sys.exit(0))); time.sleep(600)"


def test_stopping_waits_for_every_process_and_its_children(tmp_path: Path):
    child_pid_file = tmp_path / "child"
    # The shell's child takes a second to stop (as a Celery warm shutdown does): stopping must wait for it.
    commands = {"parent": f"{PYTHON} -c '{SLOW_TO_STOP}' & echo $! > {child_pid_file}; wait"}
    supervisor = Supervisor(commands, dict(os.environ), out=io.StringIO())
    thread = threading.Thread(target=supervisor.run)
    thread.start()
    wait_for(lambda: child_pid_file.exists() and child_pid_file.read_text().strip())
    child = int(child_pid_file.read_text())
    supervisor.stopping.set()
    thread.join(30)
    assert not alive(child)


def test_the_procfile_and_env_file_are_read_with_clear_errors(tmp_path: Path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("# comment\nweb: python manage.py runserver\n\nworker: celery -A studyapp worker\n")
    assert read_procfile(procfile) == {"web": "python manage.py runserver", "worker": "celery -A studyapp worker"}
    procfile.write_text("web python manage.py runserver\n")
    with pytest.raises(SystemExit, match="Procfile:1: expected 'name: command'"):
        read_procfile(procfile)
    env = tmp_path / "run.env"
    env.write_text("REDIS_URL=redis://127.0.0.1:1/0\n# note\nWEB_PORT=8000\n")
    assert read_env_file(env) == {"REDIS_URL": "redis://127.0.0.1:1/0", "WEB_PORT": "8000"}
