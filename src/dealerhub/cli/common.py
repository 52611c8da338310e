"""What every subcommand shares: settings, logging, the console, opening the core database."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from dealerhub.shared.config import Settings, get_settings
from dealerhub.shared.db import Database

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the moment (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(LOG_FORMAT, datefmt="%Y-%m-%d %H:%M:%S"))

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure_logging(level: str | None = None) -> None:
    """Readable log lines on stderr; the level comes from DEALERHUB_LOG_LEVEL unless given."""
    root = logging.getLogger()
    root.setLevel((level or current_settings().log_level).upper())
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        root.addHandler(_StderrHandler())


def current_settings() -> Settings:
    """Settings read afresh (environment and .env), so tests can change the environment between runs."""
    get_settings.cache_clear()
    return get_settings()


@contextmanager
def core_database(settings: Settings | None = None) -> Iterator[Database]:
    database = Database((settings or current_settings()).core_database_url)
    try:
        yield database
    finally:
        database.dispose()


def hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
