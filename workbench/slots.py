"""How many workbench queries run at once: one per learner, and at most WORKBENCH_MAX_RUNNING on this host.

File locks (flock) rather than counters: they work across every web worker process, and the operating system
releases them when a process dies, so a crashed worker never leaves a slot taken.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings

from .database import root

LEARNER_BUSY = "You already have a query running. Wait for it to finish, then run this one."
ALL_BUSY = "The workbench is busy with other learners' queries. Try again in a few seconds."


class Busy(Exception):
    pass


def _lock_dir() -> Path:
    folder = root() / "locks"
    folder.mkdir(exist_ok=True)
    return folder


def _try_lock(path: Path):
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        return None
    return handle


def _release(handle: int) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    os.close(handle)


@contextmanager
def claim(user_id: int) -> Iterator[None]:
    """Hold the learner's slot and one of the host's; Busy (with a message for the learner) when either is taken."""
    with ExitStack() as stack:
        mine = _try_lock(_lock_dir() / f"learner-{int(user_id)}.lock")
        if mine is None:
            raise Busy(LEARNER_BUSY)
        stack.callback(_release, mine)
        for slot in range(settings.WORKBENCH_MAX_RUNNING):
            shared = _try_lock(_lock_dir() / f"slot-{slot}.lock")
            if shared is not None:
                stack.callback(_release, shared)
                break
        else:
            raise Busy(ALL_BUSY)
        yield
