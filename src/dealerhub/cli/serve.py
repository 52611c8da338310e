"""`dealerhub serve`: the web application under uvicorn, plus the reservation-expiry sweeper and,
with `--workers`, the exchange nodes as supervised child processes (cli/supervisor.py).

The sweeper is a daemon thread started by `serve` in the same process: every `--sweep-seconds`
it releases reservations whose time is up (each batch its own transaction), so expired goods
become free again even when nobody tries to reserve them. It stops with the server. Run
`dealerhub serve --sweep-seconds 0` to switch it off (e.g. when several servers share a database
and `dealerhub stock expire-reservations` runs from cron instead).
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

import typer
import uvicorn

from dealerhub.cli.common import console, current_settings, hide_password
from dealerhub.cli.stock import release_expired
from dealerhub.cli.supervisor import Supervisor, dealerhub_command
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

APP_FACTORY = "dealerhub.web.app:create_app"


class ReservationSweeper(threading.Thread):
    """Releases expired reservations every `interval` seconds until stopped."""

    def __init__(self, database_url: str, interval: float) -> None:
        super().__init__(name="reservation-sweeper", daemon=True)
        self.database_url = database_url
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        database = Database(self.database_url)
        log.info("reservation sweeper: every %s s", self.interval)
        try:
            while not self.stopped.wait(self.interval):
                self.sweep_once(database)
        finally:
            database.dispose()

    def sweep_once(self, database: Database) -> int:
        try:
            return release_expired(database)
        except Exception:  # the sweeper must outlive a passing database error; it is logged, not hidden
            log.exception("reservation sweeper: the sweep failed; trying again in %s s", self.interval)
            return 0

    def stop(self) -> None:
        self.stopped.set()


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    sweep_seconds: Annotated[
        float, typer.Option(help="Release expired reservations every N seconds (0: never).")
    ] = 60.0,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    workers: Annotated[
        bool,
        typer.Option(
            "--workers/--no-workers",
            help="Also run the exchange nodes (`dealerhub exchange run` and `dealerhub wms exchange run`) "
            "as child processes, restarted if they die and stopped with the server (`make run` does).",
        ),
    ] = False,
) -> None:
    """Serve the back office on http://HOST:PORT, with a background sweep of expired reservations."""
    settings = current_settings()
    sweeper = None
    if sweep_seconds > 0:
        sweeper = ReservationSweeper(settings.core_database_url, sweep_seconds)
        sweeper.start()
    supervisor = None
    if workers:
        supervisor = Supervisor(exchange_workers())
        supervisor.start()
    core_url = hide_password(settings.core_database_url)
    console.print(f"dealerhub on [bold]http://{host}:{port}[/] (core database: {core_url})")
    try:
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=host,
            port=port,
            reload=reload,
            log_level=settings.log_level.lower(),
        )
    finally:
        if supervisor is not None:
            supervisor.stop()
        if sweeper is not None:
            sweeper.stop()


def exchange_workers() -> list[tuple[str, list[str]]]:
    """The exchange nodes `serve --workers` runs: the core's and our WMS's."""
    return [
        ("core-exchange", dealerhub_command("exchange", "run")),
        ("wms-exchange", dealerhub_command("wms", "exchange", "run")),
    ]
