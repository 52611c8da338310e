"""Worker processes beside the web server (`dealerhub serve --workers`): the exchange nodes run as
child processes of `serve`, their output prefixed with their name, restarted with a growing pause
when one dies, and stopped (SIGTERM, then SIGKILL after a grace period) when the server stops.

Children get their own session, so a Ctrl+C in the terminal reaches only `serve`, which then stops
them in order instead of racing them to exit (and restarting them). In production run each node
as its own service (systemd, a container) instead: `dealerhub exchange run`,
`dealerhub wms exchange run`.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

FIRST_PAUSE = 1.0
MAX_PAUSE = 60.0
# A child that ran this long before dying is restarted after the first pause again.
HEALTHY_AFTER = 60.0
STOP_GRACE = 15.0


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    starts: int = 0
    pause: float = FIRST_PAUSE
    started_at: float = 0.0
    readers: list[threading.Thread] = field(default_factory=list)


def dealerhub_command(*args: str) -> list[str]:
    """`dealerhub ARGS` with this interpreter (the same virtual environment and installation)."""
    return [sys.executable, "-m", "dealerhub", *args]


class Supervisor:
    def __init__(
        self,
        children: Sequence[tuple[str, list[str]]],
        *,
        write: Callable[[str], None] | None = None,
        first_pause: float = FIRST_PAUSE,
        stop_grace: float = STOP_GRACE,
    ) -> None:
        self.children = [Child(name, argv, pause=first_pause) for name, argv in children]
        self.first_pause = first_pause
        self.stop_grace = stop_grace
        self._write = write or _write_stderr
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)
        self._thread.start()

    def _spawn(self, child: Child) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            child.process = subprocess.Popen(
                child.argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl+C is for `serve`; it stops the children itself
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            child.starts += 1
            child.started_at = time.monotonic()
        reader = threading.Thread(target=self._pump, args=(child, child.process), daemon=True)
        reader.start()
        child.readers.append(reader)
        self._write(f"[{child.name}] started (pid {child.process.pid}): {' '.join(child.argv[1:])}")

    def _pump(self, child: Child, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            self._write(f"[{child.name}] {raw.decode('utf-8', 'replace').rstrip()}")

    def _watch(self) -> None:
        """Restart a child that died, after a pause that doubles while it keeps dying quickly."""
        due: dict[str, float] = {}
        while not self._stopping.wait(0.2):
            now = time.monotonic()
            for child in self.children:
                process = child.process
                if process is None or process.poll() is None:
                    continue
                if child.name not in due:
                    lived = now - child.started_at
                    if lived >= HEALTHY_AFTER:
                        child.pause = self.first_pause
                    self._write(
                        f"[{child.name}] exited with code {process.returncode} after {lived:.1f} s; "
                        f"restarting in {child.pause:.0f} s"
                    )
                    due[child.name] = now + child.pause
                    child.pause = min(child.pause * 2, MAX_PAUSE)
                elif now >= due[child.name]:
                    del due[child.name]
                    self._spawn(child)

    def stop(self) -> None:
        """SIGTERM every child (each finishes its batch), SIGKILL what is still alive after the grace."""
        with self._lock:
            self._stopping.set()
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in running:
            child.process.terminate()
        deadline = time.monotonic() + self.stop_grace
        for child in running:
            try:
                child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self._write(f"[{child.name}] did not stop within {self.stop_grace:.0f} s: killed")
                child.process.kill()
                child.process.wait()
        for child in self.children:
            for reader in child.readers:
                reader.join(timeout=2)
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def alive(self) -> dict[str, bool]:
        return {c.name: c.process is not None and c.process.poll() is None for c in self.children}


def _write_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
