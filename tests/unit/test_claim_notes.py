"""The claims' notes are the distributor's words in its own language (settings.default_language)."""

from __future__ import annotations

import pytest

from dealerhub.core.claims import notes
from dealerhub.shared.config import get_settings


@pytest.fixture
def language(monkeypatch):
    def use(code: str) -> None:
        monkeypatch.setenv("DEALERHUB_DEFAULT_LANGUAGE", code)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("ru", "Рекламация по SL-1, строка 2 (пересорт)"),
        ("en", "Claim on SL-1, line 2 (wrong item)"),
        ("zh", "Claim on SL-1, line 2 (wrong item)"),  # no Chinese texts: English
    ],
)
def test_notes_speak_the_distributors_language(language, code, said) -> None:
    language(code)
    assert notes.say("subject", sale="SL-1", line=2, kind=notes.say("wrong_item")) == said


def test_every_text_has_both_languages_and_the_same_fields() -> None:
    import string

    for key, forms in notes.TEXTS.items():
        assert set(forms) == {"en", "ru"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in forms.values()]
        assert fields[0] == fields[1], key
