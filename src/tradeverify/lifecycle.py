"""Child processes that end with their parent, however the parent ends (SIGKILL included)."""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_POLL_S = 0.25


def die_with_parent(*, whole_group: bool = False) -> None:
    """End this process (its process group when it leads one) once its parent is gone.

    A thread polls the parent pid: when the parent dies the child is re-parented, so the pid
    changes. Unlike ``PR_SET_PDEATHSIG`` this does not fire when the thread that started the
    child ends, which in a thread pool happens long before the parent does.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        if whole_group:
            os.killpg(0, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True, name="die-with-parent").start()
