"""`dealerhub users create` and `dealerhub serve` (uvicorn itself is replaced; the sweeper is real)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.cli import serve as serve_module
from dealerhub.core import stock
from dealerhub.core.accounts import verify_password
from dealerhub.core.accounts.models import User
from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f


@pytest.fixture
def core(migrated_cli):
    database = Database(migrated_cli.env["DEALERHUB_CORE_DATABASE_URL"])
    yield database
    database.dispose()


def _users(core):
    with core.session() as s:
        return s.execute(select(User.login, User.role, User.full_name, User.password_hash)).all()


def test_create_user_with_a_password(migrated_cli, core):
    result = migrated_cli(
        "users",
        "create",
        "--login",
        "Olga",
        "--role",
        "sales_manager",
        "--password",
        "s3cret-pass",
        "--full-name",
        "Olga Sokolova",
    )

    assert result.exit_code == 0, result.output
    assert "created user 'Olga' (sales_manager)" in result.output
    [(login, role, full_name, password_hash)] = _users(core)
    assert (login, role, full_name) == ("olga", "sales_manager", "Olga Sokolova")
    assert verify_password(password_hash, "s3cret-pass") and password_hash.startswith("$argon2id$")
    with core.session() as s:
        assert s.execute(select(AuditRecord.entity_type, AuditRecord.action)).all() == [("user", "create")]


def test_create_user_prompts_for_the_password_twice(migrated_cli, core):
    result = migrated_cli(
        "users", "create", "--login", "ivan", "--role", "purchaser", input="long-password\nlong-password\n"
    )

    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "Repeat for confirmation" in result.output
    [(login, role, full_name, password_hash)] = _users(core)
    assert (login, role, full_name) == ("ivan", "purchaser", "ivan")
    assert verify_password(password_hash, "long-password")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--role", "cashier", "--password", "long-password"), 2, "unknown role 'cashier'"),
        (("--role", "purchaser", "--password", "short"), 1, "a password has at least 8 characters"),
    ],
    ids=["unknown role", "short password"],
)
def test_refused_user_writes_nothing(migrated_cli, core, args, code, message):
    result = migrated_cli("users", "create", "--login", "ivan", *args)

    assert result.exit_code == code
    assert message in result.output
    assert _users(core) == []


def test_a_login_is_taken_once(migrated_cli, core):
    migrated_cli("users", "create", "--login", "ivan", "--role", "purchaser", "--password", "long-password")

    result = migrated_cli(
        "users", "create", "--login", "IVAN", "--role", "administrator", "--password", "other-password"
    )

    assert result.exit_code == 1
    assert "login 'ivan' is taken" in result.output
    assert [(u.login, u.role) for u in _users(core)] == [("ivan", "purchaser")]


def test_serve_runs_the_app_factory_and_a_sweeper_thread(migrated_cli, monkeypatch):
    seen = {}

    def fake_run(app, **kwargs):
        seen["app"], seen["kwargs"] = app, kwargs
        seen["sweepers"] = [t for t in threading.enumerate() if t.name == "reservation-sweeper"]

    monkeypatch.setattr(serve_module.uvicorn, "run", fake_run)

    result = migrated_cli("serve", "--port", "8123", "--sweep-seconds", "30")

    assert result.exit_code == 0, result.output
    assert seen["app"] == "dealerhub.web.app:create_app"
    assert seen["kwargs"]["factory"] is True
    assert (seen["kwargs"]["host"], seen["kwargs"]["port"]) == ("127.0.0.1", 8123)
    [sweeper] = seen["sweepers"]
    assert sweeper.interval == 30
    sweeper.join(timeout=5)
    assert not sweeper.is_alive()  # stopped with the server


def test_serve_without_sweeper(migrated_cli, monkeypatch):
    monkeypatch.setattr(serve_module.uvicorn, "run", lambda app, **kw: None)
    started = []
    monkeypatch.setattr(serve_module.ReservationSweeper, "start", lambda self: started.append(self))

    assert migrated_cli("serve", "--sweep-seconds", "0").exit_code == 0
    assert started == []


def test_a_sweep_releases_expired_reservations(core):
    with core.transaction() as s:
        it, wh = f.item(s), f.warehouse(s)
        f.put_stock(s, it, wh, "5")
        stock.reserve(
            s,
            item_id=it.id,
            warehouse_id=wh.id,
            quantity=Decimal(3),
            holder=stock.Holder("cart", 1),
            doc=stock.DocRef("cart", 1),
            expires_at=clock.now() - timedelta(minutes=1),
        )
        item_id, wh_id = it.id, wh.id
    sweeper = serve_module.ReservationSweeper(core.url, interval=60)

    assert sweeper.sweep_once(core) == 1
    assert sweeper.sweep_once(core) == 0
    with core.session() as s:
        assert stock.get_balance(s, item_id, wh_id).free == Decimal(5)


def test_a_failing_sweep_is_logged_and_survived(core, monkeypatch, caplog):
    def broken(_database):
        raise RuntimeError("database went away")

    monkeypatch.setattr(serve_module, "release_expired", broken)

    assert serve_module.ReservationSweeper(core.url, interval=60).sweep_once(core) == 0
    assert "the sweep failed" in caplog.text and "database went away" in caplog.text
