"""Texts the business areas say to people (refusals above all), in the reader's language.

A use case raises `InvalidDocument(T("Order %(number)s has no lines", number=...))`: a `Text` is a
str, the English sentence, so logs, the API, the command line and tests read it as before. Shown on
a page it is translated there: its template is the gettext message id (extracted with the `T`
keyword into the same catalogs as the pages' texts) and its values are filled in after the
translation; a value that is itself a Text (a status's name, say) is translated too.

Pages are rendered after `activate()` has put the request's translations in a context variable
(web/i18n.py); Jinja2 asks a value for `__html__` before escaping it, so `{{ error.message }}`
shows the Russian sentence on a Russian page without any filter.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any, Self

from markupsafe import escape

_NO_TRANSLATION = gettext.NullTranslations()
current_translations: ContextVar[gettext.NullTranslations | None] = ContextVar(
    "dealerhub_translations", default=None
)


class Text(str):
    """An English text made from a translatable template (`%(name)s` placeholders) and its values."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Self:
        text = super().__new__(cls, template % values if values else template)
        text.template = template
        text.values = values
        return text

    def localized(self, translations: gettext.NullTranslations | None = None) -> str:
        """The text in the language of `translations` (default: the current context's)."""
        translations = translations or current_translations.get() or _NO_TRANSLATION
        template = translations.gettext(self.template) if self.template else ""  # gettext("") is the header
        if not self.values:
            return template
        values = {
            name: value.localized(translations) if isinstance(value, Text) else value
            for name, value in self.values.items()
        }
        return template % values

    def __html__(self) -> str:
        return str(escape(self.localized()))

    def __reduce__(self) -> tuple[Any, ...]:  # a str subclass with attributes: pickle it whole
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, Any]) -> Text:
    return Text(template, **values)


def T(template: str, /, **values: Any) -> Text:
    """Mark `template` for translation and fill in `values` (English now, translated when shown)."""
    return Text(template, **values)


def joined(parts: Iterable[str], *, quoted: bool = False) -> Text:
    """Sentence parts (Texts or plain strings) joined with commas, each translated where shown;
    `quoted`: each in «»."""
    parts = list(parts)
    slot = "«%%(p%d)s»" if quoted else "%%(p%d)s"
    return Text(", ".join(slot % n for n in range(len(parts))), **{f"p{n}": part for n, part in enumerate(parts)})


def localized(text: str | None) -> str:
    """A Text in the current language; any other str as it is (None as "")."""
    if text is None:
        return ""
    return text.localized() if isinstance(text, Text) else text
