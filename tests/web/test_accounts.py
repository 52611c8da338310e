"""Accounts: password hashing, creating users, authenticating, roles. On a real database."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import func, select

from dealerhub.core import accounts
from dealerhub.core.accounts.models import User
from dealerhub.core.accounts.roles import PERMISSIONS
from dealerhub.core.audit.models import AuditRecord


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_hashes_are_argon2id_and_verify_only_the_right_password():
    digest = accounts.hash_password("correct horse")
    assert digest.startswith("$argon2id$")
    assert accounts.verify_password(digest, "correct horse") is True
    assert accounts.verify_password(digest, "correct horsE") is False
    assert accounts.verify_password("!", "anything") is False


def test_a_hash_made_with_other_parameters_needs_rehash():
    old = PasswordHasher.from_parameters(profiles.PRE_21_2).hash("pw")
    assert accounts.needs_rehash(old) is True
    assert accounts.needs_rehash(accounts.hash_password("pw")) is False


def test_create_user_stores_a_hash_and_an_audit_row(core_db):
    with core_db.transaction() as s:
        user = accounts.create_user(
            s,
            user_id=None,
            login=" Manager ",
            password="long enough",
            full_name="M. Anager",
            role="sales_manager",
            language="en",
        )
        user_id = user.id
    with core_db.session() as s:
        stored = s.get(User, user_id)
        assert (stored.login, stored.role, stored.language, stored.partner_id) == (
            "manager",
            "sales_manager",
            "en",
            None,
        )
        assert stored.password_hash != "long enough" and accounts.verify_password(
            stored.password_hash, "long enough"
        )
        audit = s.scalars(select(AuditRecord)).one()
        assert (audit.entity_type, audit.entity_id, audit.action) == ("user", user_id, "create")
        assert "long enough" not in str(audit.details) and stored.password_hash not in str(audit.details)


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"login": "  "}, accounts.InvalidUserData, "login"),
        ({"password": "short"}, accounts.InvalidUserData, "password"),
        ({"role": "king"}, accounts.InvalidUserData, "role"),
        ({"language": "de"}, accounts.InvalidUserData, "language"),
        ({"login": "ADMIN"}, accounts.LoginTaken, "login"),
    ],
)
def test_create_user_refusals_write_nothing(core_db, fields, error, field):
    with core_db.transaction() as s:
        accounts.create_user(
            s, user_id=None, login="admin", password="long enough", full_name="A", role="administrator"
        )
    values = {"login": "new", "password": "long enough", "full_name": "N", "role": "purchaser", **fields}
    with pytest.raises(error) as refused, core_db.transaction() as s:
        accounts.create_user(s, user_id=None, **values)
    assert refused.value.details["field"] == field
    assert _count(core_db, User) == 1
    assert _count(core_db, AuditRecord) == 1


def test_authenticate_rehashes_an_outdated_hash(core_db):
    accounts.set_hash_parameters(profiles.PRE_21_2)
    with core_db.transaction() as s:
        user_id = accounts.create_user(
            s, user_id=None, login="old", password="long enough", full_name="O", role="purchaser"
        ).id
    accounts.set_hash_parameters(profiles.CHEAPEST)
    with core_db.transaction() as s:
        assert accounts.authenticate(s, login="OLD", password="long enough").id == user_id
    with core_db.session() as s:
        rehashed = s.get(User, user_id).password_hash
    assert not accounts.needs_rehash(rehashed)
    assert accounts.verify_password(rehashed, "long enough")


def test_authenticate_refuses_wrong_passwords(core_db):
    with core_db.transaction() as s:
        accounts.create_user(
            s, user_id=None, login="u", password="long enough", full_name="U", role="purchaser"
        )
    for login, password in (("u", "wrong one!"), ("nobody", "long enough")):
        with pytest.raises(accounts.InvalidCredentials), core_db.transaction() as s:
            accounts.authenticate(s, login=login, password=password)


def test_roles_grant_exactly_what_the_table_says():
    assert accounts.can("administrator", "warehouses.edit")
    assert not accounts.can("storekeeper_supervisor", "warehouses.edit")
    assert not accounts.can("sales_manager", "catalog.edit")
    assert accounts.can("purchaser", "catalog.edit")
    assert not accounts.can("administrator", "no.such.permission")
    assert all(PERMISSIONS["backoffice.view"] >= roles for roles in PERMISSIONS.values())
    assert all("administrator" in roles for roles in PERMISSIONS.values())
