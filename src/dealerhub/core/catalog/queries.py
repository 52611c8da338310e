"""Finding items. Plain SQL on stored keys (article key, OEM number key, name key) so that it behaves
the same on SQLite and PostgreSQL; full-text search comes later."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog import rules
from dealerhub.core.catalog.groups import subgroup_ids
from dealerhub.core.catalog.models import Item, ItemOemNumber, ItemTranslation


def find_items(
    s: Session,
    *,
    text: str | None = None,
    group_id: int | None = None,
    brand_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Item], int]:
    """Items matching all the given filters, by article, and how many match in total.

    `text` matches the start of the article key or of an OEM number key (separators and case
    ignored), or any part of a name in any language; `group_id` includes its subgroups.
    """
    conditions: list[Any] = []
    if text and text.strip():
        conditions.append(_text_condition(text))
    if group_id is not None:
        conditions.append(Item.group_id.in_(subgroup_ids(s, group_id)))
    if brand_id is not None:
        conditions.append(Item.brand_id == brand_id)
    total = s.scalar(select(func.count()).select_from(Item).where(*conditions))
    page = s.scalars(
        select(Item).where(*conditions).order_by(Item.article, Item.id).limit(limit).offset(offset)
    )
    return list(page), total or 0


def _text_condition(text: str) -> Any:
    name_key = rules.name_search_key(text)
    matches = [
        exists().where(
            ItemTranslation.item_id == Item.id, ItemTranslation.name_key.contains(name_key, autoescape=True)
        )
    ]
    key = rules.normalize_article(text)
    if key:
        matches.append(Item.article_key.startswith(key, autoescape=True))
        matches.append(
            exists().where(
                ItemOemNumber.item_id == Item.id, ItemOemNumber.number_key.startswith(key, autoescape=True)
            )
        )
    return or_(*matches)
