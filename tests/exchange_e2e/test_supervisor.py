"""`dealerhub serve --workers`: real child processes, their output prefixed, restarted with a
growing pause when they die, stopped with the server."""

from __future__ import annotations

import sys
import time

from dealerhub.cli import serve as serve_module
from dealerhub.cli import supervisor as supervisor_module
from dealerhub.cli.supervisor import Supervisor
from tests.cli.conftest import cli, migrated_cli  # noqa: F401

SLEEPER = [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(600)"]
CRASHER = [sys.executable, "-c", "import sys; print('dying', flush=True); sys.exit(3)"]


def _until(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_children_run_prefixed_a_dead_one_is_restarted_and_stop_ends_them_all():
    lines: list[str] = []
    supervisor = Supervisor([("sleeper", SLEEPER), ("crasher", CRASHER)], write=lines.append, first_pause=0.2)
    supervisor.start()
    try:
        _until(lambda: supervisor.children[1].starts >= 3)
        _until(lambda: "[sleeper] up" in lines)
        assert supervisor.alive()["sleeper"] and supervisor.children[0].starts == 1
        assert lines.count("[crasher] dying") >= 2
        restarts = [line for line in lines if line.startswith("[crasher] exited with code 3")]
        assert restarts[0].endswith("restarting in 0 s") and restarts[1].endswith("restarting in 0 s")
        assert supervisor.children[1].pause > 0.2  # the pause doubles while it keeps dying
    finally:
        supervisor.stop()
    sleeper = supervisor.children[0].process
    assert sleeper.returncode == -15  # SIGTERM
    assert supervisor.alive() == {"sleeper": False, "crasher": False}
    starts = supervisor.children[1].starts
    time.sleep(0.6)
    assert supervisor.children[1].starts == starts  # nothing is restarted once stopped


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace():
    stubborn = [sys.executable, "-c",
                ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); "
                 "time.sleep(600)")]
    lines: list[str] = []
    supervisor = Supervisor([("stubborn", stubborn)], write=lines.append, stop_grace=0.5)
    supervisor.start()
    _until(lambda: "[stubborn] up" in lines)
    supervisor.stop()
    assert supervisor.children[0].process.returncode == -9
    assert "[stubborn] did not stop within 0 s: killed" in lines


def test_serve_with_workers_runs_both_exchange_nodes_and_stops_them(migrated_cli, monkeypatch):  # noqa: F811
    seen, lines = {}, []

    def fake_run(app, **kwargs):
        [supervisor] = [v for v in _frame_locals() if isinstance(v, Supervisor)]
        _until(lambda: sum(" running" in line for line in lines) == 2, seconds=60)
        seen["alive"] = supervisor.alive()
        seen["supervisor"] = supervisor

    monkeypatch.setattr(serve_module.uvicorn, "run", fake_run)
    monkeypatch.setattr(supervisor_module, "_write_stderr", lines.append)

    result = migrated_cli("serve", "--sweep-seconds", "0", "--workers")

    assert result.exit_code == 0, result.output
    assert seen["alive"] == {"core-exchange": True, "wms-exchange": True}
    argv = [c.argv[1:] for c in seen["supervisor"].children]
    assert argv == [["-m", "dealerhub", "exchange", "run"], ["-m", "dealerhub", "wms", "exchange", "run"]]
    assert [c.process.returncode for c in seen["supervisor"].children] == [0, 0], lines  # clean stops
    assert any(line.startswith("[core-exchange] core exchange node 'core'") for line in lines)
    assert any(line.startswith("[wms-exchange] WMS exchange node 'wms' running") for line in lines)


def _frame_locals():
    """The local variables of serve() (the caller of uvicorn.run)."""
    frame = sys._getframe(2)
    return list(frame.f_locals.values())
