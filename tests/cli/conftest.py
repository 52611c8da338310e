"""CLI tests run the real `dealerhub` Typer app in-process against temporary databases chosen
through the same environment variables a user sets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealerhub.cli.main import app
from dealerhub.shared.config import get_settings


class Cli:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, list(args), env=self.env, input=input, catch_exceptions=False)


def sqlite_env(folder: Path) -> dict[str, str]:
    return {
        "DEALERHUB_CORE_DATABASE_URL": f"sqlite:///{folder}/core.sqlite3",
        "DEALERHUB_WMS_DATABASE_URL": f"sqlite:///{folder}/wms.sqlite3",
        "DEALERHUB_EXCHANGE_DATABASE_URL": f"sqlite:///{folder}/exchange.sqlite3",
        "DEALERHUB_LOG_LEVEL": "WARNING",
        "COLUMNS": "200",
    }


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    """The CLI with three fresh (not yet migrated) SQLite databases under tmp_path."""
    yield Cli(sqlite_env(tmp_path))
    get_settings.cache_clear()


@pytest.fixture
def migrated_cli(cli: Cli) -> Cli:
    assert cli("db", "upgrade").exit_code == 0
    return cli
