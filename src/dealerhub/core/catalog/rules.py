"""Pure rules of the catalog: article keys, name search keys, barcodes, the group tree. No I/O."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from dealerhub.core.catalog.errors import GroupCycle, InvalidBarcode, InvalidCatalogData
from dealerhub.core.catalog.fields import field_name
from dealerhub.shared.texts import T

# Separators people type in part numbers in any way they like: "6I-2503", "6I 2503", "6i.2503".
_ARTICLE_SEPARATORS = frozenset("-./_\\\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_BARCODE_MAX = 64
_WORD = re.compile(r"\w+")


def normalize_article(text: str) -> str:
    """The article key: upper case, without whitespace, dashes, dots, slashes and underscores.

    NFKC first folds what an input method may type instead (full-width "６Ｉ－２５０３" is 6I-2503)
    and recomposes letters that upper-casing decomposes (Turkish İ).
    """
    upper = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).upper())
    kept = "".join(ch for ch in upper if not ch.isspace() and ch not in _ARTICLE_SEPARATORS)
    return unicodedata.normalize("NFC", kept)  # marks that met when a separator went: canonical order


def name_search_key(text: str) -> str:
    """What names are matched on: lower case, ё as е, single spaces (the same for stored and asked)."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().replace("ё", "е").split())


def ean_check_digit(body: str) -> str:
    """The GS1 check digit completing 7 (EAN-8) or 12 (EAN-13) digits."""
    if not body.isdigit():
        raise ValueError("an EAN body is digits only")
    weighted = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str(-weighted % 10)


def is_valid_ean(code: str) -> bool:
    return code.isdigit() and len(code) in (8, 13) and ean_check_digit(code[:-1]) == code[-1]


def clean_barcode(barcode: str) -> str:
    """The barcode as stored; 8 or 13 digits must be a valid EAN-8/EAN-13, other codes are free."""
    code = barcode.strip()
    if not code or len(code) > _BARCODE_MAX or any(ch.isspace() for ch in code):
        raise InvalidBarcode(T("barcode «%(barcode)s» is empty, too long or has spaces", barcode=barcode), barcode=barcode)
    if code.isdigit() and len(code) in (8, 13) and not is_valid_ean(code):
        kind = "EAN-8" if len(code) == 8 else "EAN-13"
        expected = ean_check_digit(code[:-1])
        raise InvalidBarcode(
            T(
                "%(kind)s %(code)s has check digit %(digit)s, expected %(expected)s",
                kind=kind, code=code, digit=code[-1], expected=expected,
            ),
            barcode=code,
        )
    return code


def check_languages(texts: Mapping[str, str], languages: Iterable[str], *, what: str) -> None:
    """Every key of `texts` is a catalog language."""
    allowed = list(languages)
    unknown = sorted(set(texts) - set(allowed))
    if unknown:
        raise InvalidCatalogData(
            T(
                "%(field)s: unknown language(s) %(unknown)s; the catalog keeps %(languages)s",
                field=field_name(what), unknown=", ".join(unknown), languages=", ".join(allowed),
            ),
            field=what,
        )


def check_names(names: Mapping[str, str], languages: list[str], *, what: str = "names") -> dict[str, str]:
    """Names per language, stripped; the distributor's own language (the first) is required."""
    check_languages(names, languages, what=what)
    cleaned = {lang: (name or "").strip() for lang, name in names.items()}
    if not cleaned.get(languages[0]):
        raise InvalidCatalogData(
            T("%(field)s: a name in '%(language)s' is required", field=field_name(what), language=languages[0]),
            field=what,
        )
    return {lang: name for lang, name in cleaned.items() if name}


def pick_name(names: Mapping[str, str], lang: str, fallback: str = "ru") -> str:
    """The name in `lang`, else in `fallback`, else in any language, else ''."""
    for candidate in (lang, fallback):
        if names.get(candidate):
            return names[candidate]
    return next((name for name in names.values() if name), "")


def check_parent(group_id: int, new_parent_id: int | None, parent_of: Callable[[int], int | None]) -> None:
    """Raise GroupCycle if putting `group_id` under `new_parent_id` would close a loop.

    `parent_of(g)` returns the parent of g (None at a root); the walk goes up from the new parent.
    """
    seen: set[int] = set()
    current = new_parent_id
    while current is not None and current not in seen:
        if current == group_id:
            raise GroupCycle(
                T("a group cannot be moved under itself or under one of its own subgroups"),
                group_id=group_id,
                parent_id=new_parent_id,
            )
        seen.add(current)
        current = parent_of(current)


def groups_flagged_for_wms(parent_of: Mapping[int, int | None], flagged: Mapping[int, bool]) -> set[int]:
    """Groups that take part in the WMS exchange: flagged themselves and every ancestor flagged."""
    known: dict[int | None, bool] = {None: True}
    for start in parent_of:
        path: list[int] = []
        current: int | None = start
        while current not in known and current not in path:
            path.append(current)
            current = parent_of[current]
        ok = known.get(current, False)  # False: a loop in the data, never flagged
        for group_id in reversed(path):
            ok = ok and flagged[group_id]
            known[group_id] = ok
    return {g for g, ok in known.items() if g is not None and ok}



def name_words(text: str) -> list[str]:
    """The words of a name search key: runs of letters and digits (punctuation separates)."""
    return _WORD.findall(name_search_key(text))


def word_trigrams(word: str) -> list[str]:
    """The distinct three-character pieces of a word, in order; none for a shorter word.

    This is how SQLite's FTS5 trigram tokenizer cuts the indexed names, so a typo spoils only the
    trigrams it touches ("hydravlic" still shares hyd, ydr, dra, lic with "hydraulic")."""
    return list(dict.fromkeys(word[start : start + 3] for start in range(len(word) - 2)))


def trigrams_needed(count: int) -> int:
    """How many of a word's `count` trigrams a name must contain for the word to match: half, and
    both when the word has two (one shared trigram of a four-letter word matches too much)."""
    return max(min(count, 2), -(-count // 2))


def fts5_phrase(token: str) -> str:
    """A token quoted as an FTS5 phrase: inside double quotes every character is literal."""
    return '"' + token.replace('"', '""') + '"'


def tsquery_lexeme(word: str, *, prefix: bool = False) -> str:
    """A word as a quoted lexeme of PostgreSQL's tsquery input syntax (optionally a prefix)."""
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def name_tsquery(alternatives: Mapping[str, Iterable[str]]) -> str:
    """tsquery text: every typed word (as a prefix) or one of its similar words, for all words."""
    groups = []
    for typed, similar in alternatives.items():
        options = [tsquery_lexeme(typed, prefix=True)] + [tsquery_lexeme(w) for w in similar if w != typed]
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)
