"""Run the Procfile's processes for `make run`, restarting any that dies, until Ctrl-C.

    python -m studyapp.supervisor Procfile var/run.env

A process manager that stops everything when one process exits (as honcho does) turns one bad part into
a dead site. Here a process that exits is started again after a pause that doubles on each quick failure
(1 s up to 30 s) and resets once it has run for a minute; the others keep running. Ctrl-C or SIGTERM stops
every process group and waits for it.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MAX_BACKOFF_SECONDS = 30
HEALTHY_AFTER_SECONDS = 60
STOP_GRACE_SECONDS = 10


def read_procfile(path: Path) -> dict[str, str]:
    processes = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip():
            sys.exit(f"{path}:{number}: expected 'name: command'")
        processes[name.strip()] = command.strip()
    return processes


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.lstrip().startswith("#"):
            values[key.strip()] = value.strip()
    return values


@dataclass
class Process:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float = 0.0
    backoff: float = 1.0
    restarts: int = 0
    reader: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    def __init__(self, commands: dict[str, str], env: dict[str, str], out=sys.stdout):
        self.processes = [Process(name, command) for name, command in commands.items()]
        self.env = env
        self.out = out
        self.width = max(len(name) for name in commands)
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def say(self, name: str, text: str) -> None:
        with self.lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {name.ljust(self.width)} | {text}\n")
            self.out.flush()

    def start(self, process: Process) -> None:
        process.popen = subprocess.Popen(
            process.command, shell=True, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,  # its own process group, so stopping it stops its children
        )
        process.started_at = time.monotonic()
        process.reader = threading.Thread(target=self._relay, args=(process, process.popen), daemon=True)
        process.reader.start()
        self.say(process.name, f"started (pid {process.popen.pid})")

    def _relay(self, process: Process, popen: subprocess.Popen) -> None:
        for raw in popen.stdout:
            self.say(process.name, raw.decode(errors="replace").rstrip())

    def check(self, process: Process) -> None:
        """Start again a process that exited, once its pause is over."""
        now = time.monotonic()
        if process.popen is not None:
            code = process.popen.poll()
            if code is None:
                if now - process.started_at > HEALTHY_AFTER_SECONDS:
                    process.backoff = 1.0
                return
            process.popen = None
            process.restart_at = now + process.backoff
            self.say(process.name, f"exited with code {code}; starting it again in {process.backoff:g} s (the other processes keep running)")
            process.backoff = min(process.backoff * 2, MAX_BACKOFF_SECONDS)
        elif now >= process.restart_at:
            process.restarts += 1
            self.start(process)

    def run(self) -> None:
        for process in self.processes:
            self.start(process)
        while not self.stopping.wait(0.2):
            for process in self.processes:
                self.check(process)
        self.stop_all()

    def stop_all(self) -> None:
        """SIGTERM every process group, wait for every member (not just the shell) to exit, then SIGKILL what is left."""
        running = [p for p in self.processes if p.popen is not None]
        for process in running:
            self._signal(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            while self._group_alive(process) and time.monotonic() < deadline:
                process.popen.poll()  # reap the shell, so only live members keep the group alive
                time.sleep(0.1)
            if self._group_alive(process):
                self.say(process.name, "did not stop in time; killing it")
                self._signal(process, signal.SIGKILL)
            process.popen.wait()
            self.say(process.name, "stopped")

    @staticmethod
    def _group_alive(process: Process) -> bool:
        try:
            os.killpg(process.popen.pid, 0)
        except ProcessLookupError:
            return False
        return True

    @staticmethod
    def _signal(process: Process, signum: int) -> None:
        try:
            os.killpg(process.popen.pid, signum)
        except ProcessLookupError:
            pass


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit("usage: python -m studyapp.supervisor PROCFILE ENV_FILE")
    env = {**os.environ, **read_env_file(Path(argv[2]))}
    supervisor = Supervisor(read_procfile(Path(argv[1])), env)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: supervisor.stopping.set())
    supervisor.run()


if __name__ == "__main__":
    main(sys.argv)
