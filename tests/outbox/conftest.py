"""Fixtures of the outbox tests: settings of the exchange changed for one test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dealerhub.shared.config import get_settings


@pytest.fixture
def exchange_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """exchange_settings(exchange_counterparties="upfront", exchange_languages="en,zh"): the
    settings as DEALERHUB_* environment variables, for this test only."""

    def change(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"DEALERHUB_{name.upper()}", value)
        get_settings.cache_clear()

    get_settings.cache_clear()
    yield change
    monkeypatch.undo()
    get_settings.cache_clear()
