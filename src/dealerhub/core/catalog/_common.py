"""Small helpers the catalog's use cases share: field cleaning, change sets, existence checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.errors import DuplicateCode, InvalidCatalogData, UnknownReference
from dealerhub.shared.config import get_settings


def catalog_languages() -> list[str]:
    """The languages names are kept in; the first is the distributor's own (required)."""
    return list(get_settings().languages)


def clean_text(value: Any, field: str, max_len: int, *, required: bool = True) -> str | None:
    """A stripped string that fits its column; None/'' allowed only when not required."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InvalidCatalogData(f"{field} is required", field=field)
        return None
    if len(text) > max_len:
        raise InvalidCatalogData(f"{field} is longer than {max_len} characters", field=field)
    return text


def clean_decimal(value: Any, field: str, *, minimum: Decimal, below: Decimal) -> Decimal:
    """An exact Decimal in [minimum, below); floats are refused (they are not exact)."""
    if isinstance(value, float) or not isinstance(value, Decimal | int | str):
        raise InvalidCatalogData(f"{field} must be an exact decimal, got {value!r}", field=field)
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise InvalidCatalogData(f"{field}: {value!r} is not a number", field=field) from None
    if not (minimum <= number < below):
        raise InvalidCatalogData(f"{field} must be at least {minimum} and below {below}", field=field)
    return number


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the attributes that differ; returns {field: [old, new]} of what changed."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            setattr(obj, field, new)
            changed[field] = [old, new]
    return changed


def refuse_unknown_fields(fields: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidCatalogData(f"{what} has no editable field(s) {', '.join(unknown)}", fields=unknown)


def ensure_exists(s: Session, model: type, ref_id: int | None, what: str) -> None:
    if ref_id is not None and s.get(model, ref_id) is None:
        raise UnknownReference(f"unknown {what} {ref_id}", **{f"{what.replace(' ', '_')}_id": ref_id})


def ensure_unique(s: Session, column: Any, value: str, *, what: str, exclude_id: int | None = None) -> None:
    """Refuse a value of a unique column that another row already has."""
    model = column.class_
    condition = column == value
    if exclude_id is not None:
        condition = condition & (model.id != exclude_id)
    if s.scalar(select(exists().where(condition))):
        raise DuplicateCode(f"{what} {value!r} is already taken", value=value)


def diff_by_lang(prefix: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{"name.en": [old, new]} for every language whose text changed."""
    return {
        f"{prefix}.{lang}": [old.get(lang), new.get(lang)]
        for lang in sorted(set(old) | set(new))
        if old.get(lang) != new.get(lang)
    }
