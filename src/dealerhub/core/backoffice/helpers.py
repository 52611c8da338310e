"""Small helpers the back office's page modules share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request

from dealerhub.core.catalog import GroupNode
from dealerhub.web.deps import request_language
from dealerhub.web.forms import FormReader


def lang_of(request: Request) -> str:
    return request_language(request)


def catalog_languages(request: Request) -> list[str]:
    """The languages item and group names are kept in (the first one is required)."""
    return list(request.app.state.settings.languages)


def flatten_tree(nodes: Iterable[GroupNode], depth: int = 0) -> list[tuple[int, str]]:
    """(id, indented name) of every group, in tree order: the options of a group select."""
    rows: list[tuple[int, str]] = []
    for node in nodes:
        rows.append((node.id, f"{'· ' * depth}{node.name} [{node.code}]"))
        rows.extend(flatten_tree(node.children, depth + 1))
    return rows


def names_from(
    reader: FormReader, languages: list[str], prefix: str = "name", *, keep_blank: bool = False
) -> dict[str, str]:
    """{lang: text} from the fields <prefix>_<lang>; blank ones are left out unless keep_blank."""
    names = {}
    for lang in languages:
        text = reader.text(f"{prefix}_{lang}")
        if text or keep_blank:
            names[lang] = text or ""
    return names


def text_values(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The form values of an existing row: text for each field, "on" for a true flag."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(obj, field)
        if isinstance(value, bool):
            values[field] = "on" if value else ""
        else:
            values[field] = "" if value is None else str(value)
    return values
