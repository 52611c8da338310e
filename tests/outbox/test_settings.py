"""The outbound exchange's settings as an operator writes them in the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dealerhub.shared.config import Settings


def test_languages_are_a_comma_separated_list_and_the_mode_is_checked(monkeypatch):
    monkeypatch.setenv("DEALERHUB_EXCHANGE_LANGUAGES", " en, zh ")
    monkeypatch.setenv("DEALERHUB_EXCHANGE_COUNTERPARTIES", "upfront")
    settings = Settings(_env_file=None)
    assert (settings.exchange_languages, settings.exchange_counterparties) == (["en", "zh"], "upfront")
    assert Settings(_env_file=None, exchange_languages="ru").exchange_languages == ["ru"]


@pytest.mark.parametrize(("name", "value"), [("EXCHANGE_LANGUAGES", "ru,zh-CN"), ("EXCHANGE_COUNTERPARTIES", "eager")])
def test_a_bad_value_is_refused_at_start(monkeypatch, name, value):
    monkeypatch.setenv(f"DEALERHUB_{name}", value)
    with pytest.raises(ValidationError, match=name.lower()):
        Settings(_env_file=None)
