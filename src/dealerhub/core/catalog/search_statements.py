"""The catalog search's statements, which search.py runs: the article and OEM number parts, the
name part (PostgreSQL full text with typo-mended words, SQLite FTS5), the filters, the page with
its names and the count. Each shape of query (browse or text, an article key or not, a name part
or not, which filters) is built once per process with every value a bind parameter: building the
statements cost more Python than running them (docs/mechanisms/search.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    exists,
    func,
    intersect,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from dealerhub.core.catalog import rules
from dealerhub.core.catalog.models import (
    Brand,
    Item,
    ItemAnalogue,
    ItemApplicability,
    ItemOemNumber,
    ItemTranslation,
    Unit,
)
from dealerhub.core.stock.models import StockBalance
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse

if TYPE_CHECKING:
    from dealerhub.core.catalog.search import CatalogQuery

EXACT, ANALOGUE, PREFIX, NAME, BROWSE = 0, 1, 2, 3, 4
# At most this many matching names (all languages) are ranked for one search; see _name_part.
NAME_ROWS = 1500
# How close (pg_trgm similarity) a catalog word must be to a typed word to stand in for it:
# "hydravlic" ~ "hydraulic" 0.54, "injektor" ~ "injector" 0.5, "cartrige" ~ "cartridge" 0.58.
WORD_SIMILARITY = 0.45
# The SQLite FTS5 table of item names (see search.py's docstring); created by migration core_0005.
NAMES_FTS = "item_names_fts"
# PostgreSQL: each word of the text (as to_tsvector cuts it) and the vocabulary's words close to it.
_SIMILAR_WORDS = sql_text(
    """
    SELECT typed.lexeme, vocabulary.word
    FROM unnest(to_tsvector('simple', :text)) AS typed
    LEFT JOIN item_name_words AS vocabulary
        ON vocabulary.word % typed.lexeme AND similarity(vocabulary.word, typed.lexeme) >= :similarity
    ORDER BY typed.lexeme, similarity(vocabulary.word, typed.lexeme) DESC
    """
)
# Inlined (not a bind parameter), so that the queries' expression is the index's.
SIMPLE = sql_text("'simple'::regconfig")


# The page and count statements, built once per shape of query (dialect, kind of text, which
# filters): building them costs more Python than running them. Values go in bind parameters.
_BUILT: dict[tuple[Any, ...], tuple[Select, Select]] = {}


def statements(s: Session, query: CatalogQuery, dialect: str) -> tuple[tuple[Select, Select], dict[str, Any]] | None:
    """(page statement, count statement) for the query and their parameters' values; None when
    the text can find nothing."""
    params = _filter_values(query)
    typed = query.text
    if not typed.strip():
        shape: tuple[Any, ...] = (dialect, "browse", *_filter_shape(query))
        if shape not in _BUILT:
            _BUILT[shape] = _page_and_count(None, query)
        return _BUILT[shape], params
    key = rules.normalize_article(typed)
    if key:
        params.update(key=key, key_end=key + "\U0010ffff")
    wanted = rules.name_search_key(typed)
    fts_words: list[str] = []
    if dialect == "postgresql":
        alternatives = _similar_words(s, wanted)
        if alternatives:
            params.update(names=rules.name_tsquery(alternatives), wanted_length=float(len(wanted)))
    else:  # SQLite's name part has a shape of its own per text (its words' trigrams): not kept
        fts_words = [word for word in rules.name_words(typed) if len(word) >= 3]
        if fts_words:
            params["wanted_length"] = float(len(wanted))
    has_names = "names" in params or bool(fts_words)
    if not key and not has_names:
        return None
    shape = (dialect, bool(key), has_names, *_filter_shape(query))
    built = _BUILT.get(shape) if not fts_words else None
    if built is None:
        parts = _article_parts(dialect) if key else []
        if has_names:
            parts.append(_name_part(query, dialect, fts_words))
        hits = union_all(*parts).subquery("hits")
        ranked = select(
            hits.c.item_id, func.min(hits.c.rank).label("rank"), func.max(hits.c.score).label("score")
        ).group_by(hits.c.item_id)
        built = _page_and_count(ranked, query)
        if not fts_words:
            _BUILT[shape] = built
    return built, params


def _article_parts(dialect: str) -> list[Select]:
    """The article and OEM number matches of the text's key (bind parameters `key`, `key_end`)."""
    one = literal(1.0)
    key = bindparam("key", type_=String)
    exact_items = select(Item.id.label("item_id")).where(Item.article_key == key)
    exact_oem = select(ItemOemNumber.item_id.label("item_id")).where(ItemOemNumber.number_key == key)
    exact = union_all(exact_items, exact_oem).subquery("exact")
    return [
        select(exact.c.item_id, literal(EXACT).label("rank"), one.label("score")),
        select(ItemAnalogue.analogue_id, literal(ANALOGUE), one).where(
            ItemAnalogue.item_id.in_(select(exact.c.item_id))
        ),
        select(Item.id, literal(PREFIX), one).where(_starts_with(Item.article_key, dialect)),
        select(ItemOemNumber.item_id, literal(PREFIX), one).where(_starts_with(ItemOemNumber.number_key, dialect)),
    ]


def _starts_with(key_column: Any, dialect: str) -> Any:
    """The key starts with `key`: a range (`key` to `key_end`, the key + U+10FFFF) that an index
    answers even in a generic prepared plan (a LIKE pattern only helps when the planner sees its
    value). Keys compare as UTF-8 bytes (SQLite's BINARY collation; PostgreSQL's pattern operators
    of the varchar_pattern_ops index, whatever the database's collation), and U+10FFFF sorts after
    every character."""
    key, end = bindparam("key", type_=String), bindparam("key_end", type_=String)
    if dialect == "postgresql":
        return and_(key_column.op("~>=~")(key), key_column.op("~<~")(end))
    return and_(key_column >= key, key_column < end)


def _name_part(query: CatalogQuery, dialect: str, fts_words: list[str]) -> Select:
    """(item_id, NAME, score) of the items with a name containing every word of the text, each
    word typed (a prefix, on PostgreSQL) or close to it; score = how much of the name the text
    covers (the closest names first). The filters apply here already, and at most NAME_ROWS
    matching names are ranked: a word in thousands of names costs no more than one in hundreds.
    PostgreSQL: the words and their alternatives as a tsquery (bind parameter `names`); SQLite:
    `fts_words` through the FTS5 table. `wanted_length`: the length of the text's name key."""
    if dialect == "postgresql":
        words = func.to_tsvector(SIMPLE, ItemTranslation.name_key)
        matching = words.op("@@")(cast(bindparam("names", type_=String), TSQUERY))
        candidates = select(ItemTranslation.item_id, ItemTranslation.name_key).where(matching)
        # The filters as a probe of each matching name's item by its key (LATERAL with LIMIT 1 is
        # always a nested loop): joined plainly, ~1 700 names of a common word made the planner
        # (random_page_cost 4) hash them against a scan of every item.
        item_ok = select(literal(1)).select_from(Item).where(Item.id == ItemTranslation.item_id, *_filters(query))
        candidates = candidates.join(item_ok.limit(1).lateral("item_ok"), literal(True))
    else:
        per_word = [_fts_word(word) for word in fts_words]
        ids = intersect(*per_word) if len(per_word) > 1 else per_word[0]
        candidates = select(ItemTranslation.item_id, ItemTranslation.name_key).where(
            ItemTranslation.item_id.in_(ids)
        )
        candidates = candidates.join(Item, Item.id == ItemTranslation.item_id).where(*_filters(query))
    found = candidates.limit(NAME_ROWS).subquery("named")
    cover = cast(bindparam("wanted_length", type_=Float), Float) / func.length(found.c.name_key)
    return select(
        found.c.item_id.label("item_id"),
        literal(NAME).label("rank"),
        func.max(case((cover > 1, 1.0), else_=cover)).label("score"),
    ).group_by(found.c.item_id)


def _similar_words(s: Session, wanted: str) -> dict[str, list[str]]:
    """PostgreSQL: each word of the text as the names' index cuts it, with the catalog's words
    that are close to it by trigram similarity (the vocabulary's pg_trgm index)."""
    alternatives: dict[str, list[str]] = {}
    for typed, similar in s.connection().execute(_SIMILAR_WORDS, {"text": wanted, "similarity": WORD_SIMILARITY}):
        alternatives.setdefault(typed, [])
        if similar is not None:
            alternatives[typed].append(similar)
    return alternatives


def _fts_word(word: str) -> Select:
    """SQLite: the items whose names hold at least half of the word's trigrams (the FTS5 index)."""
    trigrams = rules.word_trigrams(word)
    fts = table(NAMES_FTS, column("rowid"))
    hits = union_all(
        *(select(fts.c.rowid).where(literal_column(NAMES_FTS).op("MATCH")(rules.fts5_phrase(t))) for t in trigrams)
    ).subquery()
    return select(hits.c.rowid).group_by(hits.c.rowid).having(func.count() >= rules.trigrams_needed(len(trigrams)))


def _filter_shape(query: CatalogQuery) -> tuple[bool, ...]:
    """Which filters the query has (the statements' shape; their values are bind parameters)."""
    return (
        query.only_active,
        query.brand_id is not None,
        query.group_ids is not None,
        query.machine_model_id is not None,
        bool(query.in_stock_on),
    )


def _filter_values(query: CatalogQuery) -> dict[str, Any]:
    return {
        "brand_id": query.brand_id,
        "group_ids": list(query.group_ids or ()),
        "machine_model_id": query.machine_model_id,
        "warehouse_ids": list(query.in_stock_on),
    }


def _filters(query: CatalogQuery) -> list[Any]:
    """The query's filters on Item (their values: bind parameters, _filter_values)."""
    conditions: list[Any] = []
    if query.only_active:
        conditions.append(Item.is_active.is_(True))
    if query.brand_id is not None:
        conditions.append(Item.brand_id == bindparam("brand_id", type_=Integer))
    if query.group_ids is not None:
        conditions.append(Item.group_id.in_(bindparam("group_ids", expanding=True, type_=Integer)))
    if query.machine_model_id is not None:
        conditions.append(
            exists().where(
                ItemApplicability.item_id == Item.id,
                ItemApplicability.machine_model_id == bindparam("machine_model_id", type_=Integer),
            )
        )
    if query.in_stock_on:
        conditions.append(
            exists().where(
                StockBalance.item_id == Item.id,
                StockBalance.warehouse_id.in_(bindparam("warehouse_ids", expanding=True, type_=Integer)),
                StockBalance.on_hand > StockBalance.reserved,
                Warehouse.id == StockBalance.warehouse_id,
                Warehouse.kind.not_in(CLOSED_FOR_SALE_KINDS),
            )
        )
    return conditions


def _page_and_count(ranked: Select | None, query: CatalogQuery) -> tuple[Select, Select]:
    """The page statement (names included; bind parameters `limit`, `offset`, `lang`, `own_lang`)
    and the count of all its rows (for a page asked past the end, where the window count came
    back empty). `ranked` None: browsing, the filtered items themselves by article."""
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    columns = (
        Item.id, Item.code, Item.article, Item.group_id, Brand.name.label("brand"),
        Unit.code.label("unit_code"), Unit.names.label("unit_names"),
    )
    if ranked is None:
        page = (
            select(*columns, literal(BROWSE).label("rank"), literal(1.0).label("score"), func.count().over().label("total"))
            .join(Unit, Unit.id == Item.unit_id)
            .outerjoin(Brand, Brand.id == Item.brand_id)
            .where(*_filters(query))
            .order_by(Item.article, Item.id)
            .limit(limit)
            .offset(offset)
        )
        return _with_names(page), select(func.count()).select_from(Item).where(*_filters(query))
    found = ranked.subquery("found")
    page = (
        select(*columns, found.c.rank, found.c.score, func.count().over().label("total"))
        .join(found, found.c.item_id == Item.id)
        .join(Unit, Unit.id == Item.unit_id)
        .outerjoin(Brand, Brand.id == Item.brand_id)
        .where(*_filters(query))
        .order_by(found.c.rank, found.c.score.desc(), Item.article, Item.id)
        .limit(limit)
        .offset(offset)
    )
    count = select(func.count()).select_from(Item).join(found, found.c.item_id == Item.id).where(*_filters(query))
    return _with_names(page), count


def _with_names(page: Select) -> Select:
    """The page's rows with each item's name in `lang`, else in the distributor's language
    (`own_lang`), else in any (rules.pick_name), looked up for the page's rows only: no query of
    its own."""
    rows = page.subquery("page")

    def name_in(language: Any) -> Any:
        named = select(ItemTranslation.name).where(ItemTranslation.item_id == rows.c.id, ItemTranslation.name != "")
        if language is None:
            return named.order_by(ItemTranslation.lang).limit(1).scalar_subquery()
        return named.where(ItemTranslation.lang == language).scalar_subquery()

    lang, own = bindparam("lang", type_=String), bindparam("own_lang", type_=String)
    name = func.coalesce(name_in(lang), name_in(own), name_in(None)).label("name")
    # The page's own order again (browsing rows all have the same rank and score).
    return select(rows, name).order_by(rows.c.rank, rows.c.score.desc(), rows.c.article, rows.c.id)
