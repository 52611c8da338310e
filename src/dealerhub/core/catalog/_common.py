"""Small helpers the catalog's use cases share: field cleaning, change sets, existence checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.errors import DuplicateCode, InvalidCatalogData, UnknownReference
from dealerhub.core.catalog.fields import field_name
from dealerhub.shared.config import get_settings
from dealerhub.shared.texts import T


def catalog_languages() -> list[str]:
    """The languages names are kept in; the first is the distributor's own (required)."""
    return list(get_settings().languages)


def clean_text(value: Any, field: str, max_len: int, *, required: bool = True) -> str | None:
    """A stripped string that fits its column; None/'' allowed only when not required."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InvalidCatalogData(T("%(field)s is required", field=field_name(field)), field=field)
        return None
    if len(text) > max_len:
        raise InvalidCatalogData(
            T("%(field)s is longer than %(max)s characters", field=field_name(field), max=max_len), field=field
        )
    return text


def clean_decimal(value: Any, field: str, *, minimum: Decimal, below: Decimal) -> Decimal:
    """An exact Decimal in [minimum, below); floats are refused (they are not exact)."""
    if isinstance(value, float) or not isinstance(value, Decimal | int | str):
        raise InvalidCatalogData(
            T("%(field)s must be an exact decimal, got %(value)s", field=field_name(field), value=value), field=field
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise InvalidCatalogData(
            T("%(field)s: %(value)s is not a number", field=field_name(field), value=value), field=field
        ) from None
    if not (minimum <= number < below):
        raise InvalidCatalogData(
            T(
                "%(field)s must be at least %(minimum)s and below %(below)s",
                field=field_name(field), minimum=minimum, below=below,
            ),
            field=field,
        )
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
    """`what`: a Text, the thing edited ("an item")."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidCatalogData(
            T("%(what)s has no editable field(s) %(fields)s", what=what, fields=", ".join(unknown)), fields=unknown
        )


def ensure_exists(s: Session, model: type, ref_id: int | None, what: str) -> None:
    """`what`: the reference's name for a sentence, a Text (its English words name the detail too)."""
    if ref_id is not None and s.get(model, ref_id) is None:
        raise UnknownReference(
            T("unknown %(what)s %(id)s", what=what, id=ref_id), **{f"{what.replace(' ', '_')}_id": ref_id}
        )


def ensure_unique(s: Session, column: Any, value: str, *, what: str, exclude_id: int | None = None) -> None:
    """Refuse a value of a unique column that another row already has (`what`: a Text, the value's name)."""
    model = column.class_
    condition = column == value
    if exclude_id is not None:
        condition = condition & (model.id != exclude_id)
    if s.scalar(select(exists().where(condition))):
        raise DuplicateCode(T("%(what)s «%(value)s» is already taken", what=what, value=value), value=value)


def diff_by_lang(prefix: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{"name.en": [old, new]} for every language whose text changed."""
    return {
        f"{prefix}.{lang}": [old.get(lang), new.get(lang)]
        for lang in sorted(set(old) | set(new))
        if old.get(lang) != new.get(lang)
    }
