"""Catalog search: by article, OEM number, analogue number and name, with filters and paging.

What matches, best first:
  0 the article or an OEM number equals the query (separators and case ignored: "ab-12.3" = "AB 123");
  1 the item is an analogue of such an exact hit ("search by the analogue's number");
  2 the article or an OEM number starts with the query;
  3 a name (in any language) holds every word of the query, each as typed or with a typo
    ("hydravlic" finds "hydraulic"); names the query covers more of come first.
Ties by article. Filters: brand, group (with its subgroups), machine model (applicability),
"free stock > 0 on these warehouses" (a dealer's priority warehouses).

Everything runs on the database's own indexes, never a scan of the catalog:
- articles and OEM numbers on their stored keys (`article_key`, `number_key`): equality by the
  plain B-tree index, prefixes by a byte-wise range on it (SQLite) or on a `varchar_pattern_ops`
  index (PostgreSQL, whatever the database's collation);
- names on PostgreSQL: a GIN full-text index on to_tsvector('simple', name_key) answers "holds
  all these words"; typos are mended first against `item_name_words`, the catalog's vocabulary
  (every word of every name, added by a trigger on item_translations), through its pg_trgm GIN
  index (`word % typed` and similarity >= WORD_SIMILARITY). Each typed word also matches as a prefix.
- names on SQLite: an FTS5 table with the trigram tokenizer, one row per item (rowid = item id)
  holding its name keys in all languages, kept in step by triggers on item_translations; a word
  matches a name that holds at least half of its trigrams (rules.trigrams_needed). Words shorter
  than three letters can't be looked up by trigrams there and are left out of the name match.
Migration core_0005 creates the tables, triggers and indexes (the PostgreSQL indexes on the
catalog's own tables are declared here too, so that `dealerhub db check` knows them). The
statements themselves are search_statements.py's, built once per shape of query.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Index, Select, func
from sqlalchemy.orm import Session

from dealerhub.core.catalog import rules
from dealerhub.core.catalog._common import catalog_languages
from dealerhub.core.catalog.groups import subgroup_ids
from dealerhub.core.catalog.models import Item, ItemOemNumber, ItemTranslation
from dealerhub.core.catalog.search_statements import (
    ANALOGUE,
    BROWSE,
    EXACT,
    NAME,
    NAME_ROWS,
    PREFIX,
    SIMPLE,
    statements,
)

MATCH_KINDS = {EXACT: "exact", ANALOGUE: "analogue", PREFIX: "prefix", NAME: "name", BROWSE: "browse"}
MAX_LIMIT = 200


def _postgresql_only(index: Index) -> Index:
    # ddl_if: created only on PostgreSQL; info: tells `dealerhub db check` (migrations/env_common.py)
    # not to expect it elsewhere, since Alembic's comparison doesn't read ddl_if.
    index.info["dialects"] = ("postgresql",)
    return index.ddl_if(dialect="postgresql")


NAME_WORDS_INDEX = _postgresql_only(
    Index(
        "ix_item_translations_name_words",
        func.to_tsvector(SIMPLE, ItemTranslation.__table__.c.name_key),
        postgresql_using="gin",
    )
)
ARTICLE_PREFIX_INDEX = _postgresql_only(
    Index(
        "ix_items_article_key_pattern",
        Item.__table__.c.article_key,
        postgresql_ops={"article_key": "varchar_pattern_ops"},
    )
)
OEM_PREFIX_INDEX = _postgresql_only(
    Index(
        "ix_item_oem_numbers_number_key_pattern",
        ItemOemNumber.__table__.c.number_key,
        postgresql_ops={"number_key": "varchar_pattern_ops"},
    )
)


@dataclass(frozen=True)
class CatalogQuery:
    """What a dealer asks: free text and filters. `in_stock_on`: warehouse ids; when given, only
    items with free stock (on hand - reserved > 0) on at least one of them."""

    text: str = ""
    brand_id: int | None = None
    group_id: int | None = None
    machine_model_id: int | None = None
    in_stock_on: tuple[int, ...] = ()
    only_active: bool = True
    # group_id with all its subgroups, looked up once by search_items() (a list of ids gives the
    # planner true numbers, where a recursive subquery would make it guess and scan).
    group_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class SearchHit:
    item_id: int
    code: str
    article: str
    name: str
    brand: str | None
    group_id: int
    unit: str
    match: str  # exact | analogue | prefix | name | browse (no text asked)
    score: float  # 1.0 for article hits; name similarity (0..1] for names


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    limit: int
    offset: int
    query: CatalogQuery = field(default_factory=CatalogQuery)
    # True when a common word matched more names than are ranked (NAME_ROWS): `total` is then a
    # lower bound and the dealer is asked to say more.
    more: bool = False


def search_items(
    s: Session, query: CatalogQuery, *, lang: str, limit: int = 50, offset: int = 0
) -> SearchPage:
    """One page of the items matching `query`, best first, names in `lang` (falling back to the
    distributor's language), and how many match in total."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    query = _with_subgroups(s, query)
    built = statements(s, query, s.get_bind().dialect.name)
    if built is None:  # the text has nothing to search by (e.g. only punctuation): no hits
        return SearchPage([], 0, limit, offset, query)
    (page, count), params = built
    # Core statements, run on the session's connection: the ORM's execution layer only adds Python
    # to them (about a third of a millisecond for the page statement).
    conn = s.connection()
    rows = conn.execute(page, _page_params(params, lang, limit, offset)).all()
    total = rows[0].total if rows else (conn.scalar(count, params) or 0 if offset else 0)
    more = bool(query.text.strip()) and total >= NAME_ROWS // len(catalog_languages())
    hits = [
        SearchHit(
            item_id=r.id,
            code=r.code,
            article=r.article,
            name=r.name or "",
            brand=r.brand,
            group_id=r.group_id,
            unit=rules.pick_name(r.unit_names or {}, lang) or r.unit_code,
            match=MATCH_KINDS[r.rank],
            score=float(r.score),
        )
        for r in rows
    ]
    return SearchPage(hits, total, limit, offset, query, more)


def search_statement(
    s: Session, query: CatalogQuery, *, lang: str | None = None, limit: int = 50, offset: int = 0
) -> Select | None:
    """The page query search_items() runs, with its parameters' values (for EXPLAIN)."""
    query = _with_subgroups(s, query)
    built = statements(s, query, s.get_bind().dialect.name)
    if built is None:
        return None
    (page, _count), params = built
    return page.params(_page_params(params, lang or catalog_languages()[0], limit, offset))


def _page_params(params: dict[str, Any], lang: str, limit: int, offset: int) -> dict[str, Any]:
    return {**params, "lang": lang, "own_lang": catalog_languages()[0], "limit": limit, "offset": offset}


def _with_subgroups(s: Session, query: CatalogQuery) -> CatalogQuery:
    if query.group_id is None or query.group_ids is not None:
        return query
    return replace(query, group_ids=tuple(sorted(subgroup_ids(s, query.group_id))))


