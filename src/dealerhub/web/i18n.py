"""Interface languages: Babel gettext catalogs and the Jinja2 i18n extension.

The catalogs are src/dealerhub/locale/<lang>/LC_MESSAGES/messages.po (English source texts are the
message ids). They are compiled with Babel's own tools when the app starts, in memory, so no .mo
file is ever committed or goes stale. How to extract and update the catalogs: locale/README.md.

The Jinja2 environment is shared by all requests; the translations of the request being rendered
sit in a context variable, so concurrent requests in different languages never see each other's.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

import jinja2
from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from dealerhub.shared.texts import current_translations

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"

_NO_TRANSLATION = gettext.NullTranslations()
_current = current_translations  # shared with the business areas' Texts (shared/texts.py)


def N_(message: str) -> str:
    """Mark a text for extraction; it is translated where it is shown."""
    return message


def compile_catalog(po_path: Path) -> gettext.GNUTranslations:
    """Compile a .po file with Babel into translations, in memory."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translations:
    """The compiled catalogs of the interface languages."""

    def __init__(self, languages: Iterable[str], default: str, locale_dir: Path = LOCALE_DIR) -> None:
        self.languages = tuple(languages)
        self.default = default if default in self.languages else self.languages[0]
        self._catalogs: dict[str, gettext.NullTranslations] = {}
        for lang in self.languages:
            po_path = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            self._catalogs[lang] = (
                compile_catalog(po_path) if po_path.exists() else gettext.NullTranslations()
            )

    def get(self, lang: str) -> gettext.NullTranslations:
        return self._catalogs.get(lang) or self._catalogs[self.default]

    def pick(self, *candidates: str | None) -> str:
        """The first candidate that is an interface language, else the default."""
        for candidate in candidates:
            if candidate in self.languages:
                return candidate  # type: ignore[return-value]
        return self.default

    def negotiate(self, accept_language: str | None) -> str:
        """The best interface language for a browser's Accept-Language header."""
        preferred = [
            part.split(";")[0].strip().replace("-", "_") for part in (accept_language or "").split(",")
        ]
        found = negotiate_locale([p for p in preferred if p], list(self.languages), sep="_")
        return found or self.default

    def activate(self, lang: str) -> gettext.NullTranslations:
        """Make `lang` the language of what is rendered next in this context."""
        translations = self.get(lang)
        _current.set(translations)
        return translations


def language_name(lang: str) -> str:
    """The language's own name ("русский", "English")."""
    try:
        return Locale.parse(lang).get_display_name(lang).capitalize()
    except (ValueError, UnknownLocaleError):
        return lang


def gettext_current(message: str) -> str:
    return (_current.get() or _NO_TRANSLATION).gettext(message)


def ngettext_current(singular: str, plural: str, n: int) -> str:
    return (_current.get() or _NO_TRANSLATION).ngettext(singular, plural, n)


def install_i18n(env: jinja2.Environment) -> None:
    """Add Jinja2's i18n extension, its texts resolved in the language of the current request."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext_current, ngettext_current, newstyle=True)  # type: ignore[attr-defined]
