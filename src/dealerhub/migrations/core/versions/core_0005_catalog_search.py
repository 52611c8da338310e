"""catalog search indexes (issue 5)

PostgreSQL: a GIN full-text index on item names' search keys; `item_name_words`, the catalog's
vocabulary (every word of every name, added by a statement trigger on item_translations) with a
pg_trgm GIN index to mend typos; varchar_pattern_ops indexes for article / OEM number prefixes.
SQLite: an FTS5 table of item names with the trigram tokenizer, one row per item (rowid = item id,
all languages' name keys in one column), filled from the existing names and kept in step by
triggers on item_translations. See core/catalog/search.py for how the queries use them.

Revision ID: core_0005
Revises: core_0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0005"
down_revision: str | None = "core_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FTS = "item_names_fts"
# The item's row of the FTS table rebuilt from its translations (none left: no row).
_REFRESH = """
    DELETE FROM {fts} WHERE rowid = {item};
    INSERT INTO {fts}(rowid, names)
        SELECT item_id, group_concat(name_key, ' | ') FROM item_translations
        WHERE item_id = {item} GROUP BY item_id;
"""
# PostgreSQL: the distinct words of some names as to_tsvector('simple') cuts them, in a fixed order
# (two transactions adding the same new words then lock them in the same order).
_WORDS_OF = """
    SELECT DISTINCT words.lexeme FROM {rows}, unnest(to_tsvector('simple', {rows}.name_key)) AS words
    ORDER BY words.lexeme ON CONFLICT DO NOTHING
"""
# Words are only ever added: a word no name holds any more just finds nothing.
_PG_WORDS_FUNCTION = f"""
    CREATE FUNCTION dealerhub_item_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO item_name_words (word) {_WORDS_OF.format(rows="changed")};
        RETURN NULL;
    END $$
"""
_TRIGGERS = {
    "item_translations_fts_insert": ("AFTER INSERT ON item_translations", ["new.item_id"]),
    "item_translations_fts_update": (
        "AFTER UPDATE OF name_key, item_id ON item_translations",
        ["old.item_id", "new.item_id"],
    ),
    "item_translations_fts_delete": ("AFTER DELETE ON item_translations", ["old.item_id"]),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_item_translations_name_words ON item_translations "
            "USING gin (to_tsvector('simple', name_key))"
        )
        op.execute("CREATE TABLE item_name_words (word text PRIMARY KEY)")
        op.execute("CREATE INDEX ix_item_name_words_trgm ON item_name_words USING gin (word gin_trgm_ops)")
        op.execute(f"INSERT INTO item_name_words (word) {_WORDS_OF.format(rows='item_translations')}")
        op.execute(_PG_WORDS_FUNCTION)
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER item_translations_words_{event.lower()} AFTER {event} ON item_translations "
                "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dealerhub_item_name_words()"
            )
        op.create_index(
            "ix_items_article_key_pattern",
            "items",
            ["article_key"],
            postgresql_ops={"article_key": "varchar_pattern_ops"},
        )
        op.create_index(
            "ix_item_oem_numbers_number_key_pattern",
            "item_oem_numbers",
            ["number_key"],
            postgresql_ops={"number_key": "varchar_pattern_ops"},
        )
    elif dialect == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {_FTS} USING fts5(names, tokenize = 'trigram')")
        op.execute(
            f"INSERT INTO {_FTS}(rowid, names) SELECT item_id, group_concat(name_key, ' | ') "
            "FROM item_translations GROUP BY item_id"
        )
        for name, (event, items) in _TRIGGERS.items():
            body = "".join(_REFRESH.format(fts=_FTS, item=item) for item in items)
            op.execute(f"CREATE TRIGGER {name} {event} BEGIN {body} END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.drop_index("ix_item_oem_numbers_number_key_pattern", table_name="item_oem_numbers")
        op.drop_index("ix_items_article_key_pattern", table_name="items")
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS item_translations_words_{event} ON item_translations")
        op.execute("DROP FUNCTION IF EXISTS dealerhub_item_name_words()")
        op.execute("DROP TABLE IF EXISTS item_name_words")
        op.drop_index("ix_item_translations_name_words", table_name="item_translations")
        # pg_trgm stays: other objects of the server database may use it.
    elif dialect == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {_FTS}")
