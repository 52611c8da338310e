"""`dealerhub demo seed` loads an empty database once and then leaves it alone."""

from __future__ import annotations

from sqlalchemy import func, select

from dealerhub.core.catalog.models import Item
from dealerhub.core.partners.models import Partner
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared.db import Database


def _counts(url):
    database = Database(url)
    try:
        with database.session() as s:
            return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Item, Partner, CustomerOrder))
    finally:
        database.dispose()


def test_seed_an_empty_database_then_skip(migrated_cli):
    url = migrated_cli.env["DEALERHUB_CORE_DATABASE_URL"]

    first = migrated_cli("demo", "seed", "--seed", "3", "--items", "200", "--dealers", "3")

    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output and "200 items, 3 dealers, 4 suppliers" in first.output
    for login in ("admin", "manager", "purchaser", "storekeeper"):
        assert f"│ {login} " in first.output
    loaded = _counts(url)
    assert loaded[:2] == (200, 3 + 4) and loaded[2] > 0

    second = migrated_cli("demo", "seed", "--seed", "4", "--items", "300")

    assert second.exit_code == 0
    assert "the core database already has data: demo seed skipped" in second.output
    assert _counts(url) == loaded


def test_seed_refuses_a_catalog_too_small_to_be_believable(migrated_cli):
    result = migrated_cli("demo", "seed", "--items", "5")

    assert result.exit_code == 2
    assert _counts(migrated_cli.env["DEALERHUB_CORE_DATABASE_URL"]) == (0, 0, 0)
