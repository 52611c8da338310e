"""`dealerhub db upgrade | check | current` on temporary SQLite databases named by env vars."""

from __future__ import annotations

import sqlite3

from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table

from dealerhub import migrations
from dealerhub.migrations import MigratedDatabase


def _newest_revision(name: str) -> str:
    """The newest revision file of a history, named by its numbering (core_0012 > core_0007)."""
    versions = ScriptDirectory.from_config(migrations.alembic_config(name, "sqlite://")).get_revisions("heads")
    assert len(versions) == 1, f"{name}: one head expected, found {[v.revision for v in versions]}"
    return versions[0].revision


HEADS = {name: _newest_revision(name) for name in ("core", "wms", "exchange")}


def _version(path, name):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT version_num FROM alembic_version_{name}").fetchall()


def test_upgrade_migrates_all_three_databases(cli, tmp_path):
    result = cli("db", "upgrade")

    assert result.exit_code == 0, result.output
    assert "all three databases are at the newest revision" in result.output
    for name, head in HEADS.items():
        assert _version(tmp_path / f"{name}.sqlite3", name) == [(head,)]
    with sqlite3.connect(tmp_path / "core.sqlite3") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"items", "stock_moves", "customer_orders", "goods_receipts", "audit_records"} <= tables


def test_upgrade_twice_changes_nothing(migrated_cli, tmp_path):
    result = migrated_cli("db", "upgrade")

    assert result.exit_code == 0
    for name, head in HEADS.items():
        assert _version(tmp_path / f"{name}.sqlite3", name) == [(head,)]


def test_current_tells_upgraded_from_missing(cli, tmp_path):
    before = cli("db", "current")
    assert before.exit_code == 0
    assert before.output.count("behind") == 4  # three rows and the advice
    assert "3 database(s) behind: run `dealerhub db upgrade`" in before.output
    assert not (tmp_path / "core.sqlite3").exists()  # looking creates no database

    cli("db", "upgrade")
    after = cli("db", "current")
    assert after.output.count("up to date") == 3 and "behind" not in after.output
    for head in HEADS.values():
        assert head in after.output


def test_check_passes_when_models_and_migrations_agree(cli):
    result = cli("db", "check")

    assert result.exit_code == 0, result.output
    assert "models and migrations agree" in result.output


def test_check_on_the_configured_databases(migrated_cli):
    assert migrated_cli("db", "check", "--configured").exit_code == 0


def test_check_fails_naming_the_drift(cli, monkeypatch):
    drifted = MetaData()
    Table("wms_bins", drifted, Column("id", Integer, primary_key=True))
    monkeypatch.setitem(
        migrations.DATABASES, "wms", MigratedDatabase("wms", "wms_database_url", lambda: drifted)
    )

    result = cli("db", "check")

    assert result.exit_code == 1
    assert "wms: the models and the migrations differ" in result.output
    assert "wms_bins" in result.output
    assert "core:" not in result.output and "exchange:" not in result.output
