"""Dealer companies' users without the web: invitations, roles, the last owner, blocking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dealerhub.core import partners
from dealerhub.core.accounts import (
    InvalidUserData,
    LastOwner,
    LoginTaken,
    TokenInvalid,
    UserNotFound,
    UserNotInvited,
    accept_invitation,
    authenticate,
    block_user,
    change_role,
    create_user,
    get_company_user,
    invite_user,
    reinvite_user,
    unblock_user,
)
from dealerhub.core.accounts.models import User
from dealerhub.shared.db import Database

DAY = timedelta(days=1)


def _company(db: Database, name: str) -> tuple[int, int]:
    """(partner id, owner's user id)"""
    with db.transaction() as s:
        partner = partners.create_partner(s, user_id=None, name=name, is_dealer=True)
        owner = create_user(
            s, user_id=None, login=f"owner-{name.lower()}", password="a long password", full_name="Owner",
            role="owner", partner_id=partner.id,
        )
        return partner.id, owner.id


def _invite(db, partner_id, owner_id, email="new@dealer.example", role="buyer"):
    with db.transaction() as s:
        user, raw = invite_user(
            s, user_id=owner_id, partner_id=partner_id, email=email, full_name="New Colleague", role=role,
            language="en", lifetime=DAY,
        )
        return user.id, raw


def test_an_invited_user_cannot_log_in_until_accepting(core_db):
    partner_id, owner_id = _company(core_db, "Alpha")
    user_id, raw = _invite(core_db, partner_id, owner_id)
    with core_db.session() as s:
        user = s.get(User, user_id)
        assert (user.login, user.status, user.is_active) == ("new@dealer.example", "invited", False)
        with pytest.raises(Exception, match="wrong login or password"):
            authenticate(s, login="new@dealer.example", password="")
    with core_db.transaction() as s, pytest.raises(InvalidUserData):
        accept_invitation(s, raw, password="short")
    with core_db.transaction() as s:
        accept_invitation(s, raw, password="my own password")
    with core_db.session() as s:
        assert authenticate(s, login="new@dealer.example", password="my own password").id == user_id
    with core_db.transaction() as s, pytest.raises(TokenInvalid):
        accept_invitation(s, raw, password="another password")


def test_a_dealer_user_needs_a_dealer_role(core_db):
    partner_id, _ = _company(core_db, "Alpha")
    with core_db.transaction() as s, pytest.raises(InvalidUserData, match="unknown dealer role"):
        create_user(
            s, user_id=None, login="x", password="a long password", full_name="X", role="administrator",
            partner_id=partner_id,
        )


def test_the_same_address_cannot_be_invited_twice(core_db):
    partner_id, owner_id = _company(core_db, "Alpha")
    _invite(core_db, partner_id, owner_id)
    with pytest.raises(LoginTaken):
        _invite(core_db, partner_id, owner_id, email="NEW@dealer.example")


def test_another_companys_user_is_not_found(core_db):
    alpha, alpha_owner = _company(core_db, "Alpha")
    _beta, beta_owner = _company(core_db, "Beta")
    with core_db.transaction() as s:
        with pytest.raises(UserNotFound):
            get_company_user(s, alpha, beta_owner)
        with pytest.raises(UserNotFound):
            change_role(s, user_id=alpha_owner, partner_id=alpha, target_id=beta_owner, role="buyer")
        with pytest.raises(UserNotFound):
            block_user(s, user_id=alpha_owner, partner_id=alpha, target_id=beta_owner)
    with core_db.session() as s:
        assert s.get(User, beta_owner).is_active and s.get(User, beta_owner).role == "owner"


def test_the_last_active_owner_stays(core_db):
    partner_id, owner_id = _company(core_db, "Alpha")
    second_id, raw = _invite(core_db, partner_id, owner_id, role="owner")
    with core_db.transaction() as s, pytest.raises(LastOwner):
        # The invited owner is not active yet: the first is still the only one.
        change_role(s, user_id=owner_id, partner_id=partner_id, target_id=owner_id, role="buyer")
    with core_db.transaction() as s:
        accept_invitation(s, raw, password="my own password")
    with core_db.transaction() as s:
        change_role(s, user_id=owner_id, partner_id=partner_id, target_id=owner_id, role="buyer")
    with core_db.transaction() as s, pytest.raises(LastOwner):
        block_user(s, user_id=owner_id, partner_id=partner_id, target_id=second_id)


def test_blocking_voids_a_pending_invitation_and_unblocking_does_not_revive_it(core_db):
    partner_id, owner_id = _company(core_db, "Alpha")
    user_id, raw = _invite(core_db, partner_id, owner_id)
    with core_db.transaction() as s:
        assert block_user(s, user_id=owner_id, partner_id=partner_id, target_id=user_id).status == "blocked"
    with core_db.transaction() as s, pytest.raises(TokenInvalid):
        accept_invitation(s, raw, password="my own password")
    with core_db.transaction() as s:
        assert unblock_user(s, user_id=owner_id, partner_id=partner_id, target_id=user_id).status == "active"
    with core_db.transaction() as s, pytest.raises(UserNotInvited):
        reinvite_user(s, user_id=owner_id, partner_id=partner_id, target_id=user_id, lifetime=DAY)
