"""Accounts' rules without the web: tokens (single use, expiry, also under concurrency on
PostgreSQL), throttling arithmetic, TOTP steps and replay."""

from __future__ import annotations

import threading
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from dealerhub.core import partners
from dealerhub.core.accounts import (
    InvalidSecondFactor,
    LoginThrottled,
    ThrottleLimits,
    TokenInvalid,
    check_login_allowed,
    create_user,
    record_failure,
    tokens,
    totp,
)
from dealerhub.core.accounts.models import AccountToken, LoginAttempt, User
from dealerhub.shared import clock
from dealerhub.shared.db import Database

LIMITS = ThrottleLimits(window=timedelta(minutes=15), per_account=3, per_ip=5)


def _user(db: Database, login: str = "dealer-user") -> int:
    with db.transaction() as s:
        partner = partners.create_partner(s, user_id=None, name=f"Dealer {login}", is_dealer=True)
        return create_user(
            s, user_id=None, login=login, password="a long password", full_name="Some One",
            role="buyer", partner_id=partner.id,
        ).id


def test_a_token_is_used_once_and_stored_only_hashed(core_db):
    user_id = _user(core_db)
    with core_db.transaction() as s:
        raw = tokens.issue_token(s, purpose=tokens.PASSWORD_RESET, user_id=user_id, lifetime=timedelta(hours=1))
    with core_db.session() as s:
        row = s.scalar(select(AccountToken))
        assert row.token_hash != raw and len(row.token_hash) == 64
    with core_db.transaction() as s:
        assert tokens.use_token(s, raw, tokens.PASSWORD_RESET) == user_id
    with core_db.transaction() as s, pytest.raises(TokenInvalid):
        tokens.use_token(s, raw, tokens.PASSWORD_RESET)


def test_a_token_serves_only_its_purpose_and_expires(core_db):
    user_id = _user(core_db)
    with core_db.transaction() as s:
        raw = tokens.issue_token(s, purpose=tokens.INVITATION, user_id=user_id, lifetime=timedelta(hours=1))
    with core_db.session() as s, pytest.raises(TokenInvalid):
        tokens.peek_token(s, raw, tokens.PASSWORD_RESET)
    clock.freeze(clock.now() + timedelta(hours=1))
    with core_db.session() as s, pytest.raises(TokenInvalid):
        tokens.peek_token(s, raw, tokens.INVITATION)
    with core_db.session() as s, pytest.raises(TokenInvalid):
        tokens.peek_token(s, None, tokens.INVITATION)


@pytest.mark.postgresql
def test_two_concurrent_uses_of_one_link_let_exactly_one_through(pg_core_db):
    user_id = _user(pg_core_db)
    with pg_core_db.transaction() as s:
        raw = tokens.issue_token(s, purpose=tokens.PASSWORD_RESET, user_id=user_id, lifetime=timedelta(hours=1))
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def use() -> None:
        barrier.wait()
        try:
            with pg_core_db.transaction() as s:
                tokens.use_token(s, raw, tokens.PASSWORD_RESET)
            outcomes.append("used")
        except TokenInvalid:
            outcomes.append("refused")

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["used"]


def test_throttling_counts_per_login_and_per_address(core_db):
    start = clock.now()
    with core_db.transaction() as s:
        for minute in range(3):
            clock.freeze(start + timedelta(minutes=minute))
            record_failure(s, login=" Some-Login ", ip="10.0.0.1", limits=LIMITS)
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.login == "some-login")) == 3
        with pytest.raises(LoginThrottled) as refused:
            check_login_allowed(s, login="some-login", ip="10.0.0.2", limits=LIMITS)
        assert refused.value.retry_after == 13 * 60  # the first failure leaves the window at minute 15
        check_login_allowed(s, login="other-login", ip="10.0.0.1", limits=LIMITS)  # 3 < 5 for the address
    with core_db.transaction() as s:
        for login in ("a", "b"):
            record_failure(s, login=login, ip="10.0.0.1", limits=LIMITS)
    with core_db.session() as s, pytest.raises(LoginThrottled):
        check_login_allowed(s, login="fresh-login", ip="10.0.0.1", limits=LIMITS)
    clock.freeze(start + timedelta(minutes=17, seconds=1))
    with core_db.session() as s:
        check_login_allowed(s, login="some-login", ip="10.0.0.1", limits=LIMITS)


def test_a_totp_code_is_accepted_within_one_step_and_never_twice(core_db):
    user_id = _user(core_db)
    clock.freeze(clock.now())
    with core_db.transaction() as s:
        user = s.get(User, user_id)
        secret = totp.start_enrolment(s, user)
        with pytest.raises(InvalidSecondFactor):
            totp.confirm_enrolment(s, user, "12345")  # not six digits
        code = pyotp.TOTP(secret).at(clock.now())
        totp.confirm_enrolment(s, user, code)
        assert user.totp_enabled
        with pytest.raises(InvalidSecondFactor):
            totp.check_code(s, user, code)  # replayed
        previous = pyotp.TOTP(secret).at(clock.now() - timedelta(seconds=30))
        with pytest.raises(InvalidSecondFactor):
            totp.check_code(s, user, previous)  # older than the last accepted one
        totp.check_code(s, user, pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=30)))  # drift: next step
        with pytest.raises(InvalidSecondFactor):
            totp.check_code(s, user, pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=90)))
        with pytest.raises(InvalidSecondFactor):
            totp.start_enrolment(s, user)  # already on


def test_the_enrolment_qr_code_is_an_svg_of_the_otpauth_uri():
    uri = totp.provisioning_uri(pyotp.random_base32(), "buyer@alpha.example")
    assert uri.startswith("otpauth://totp/dealerhub:buyer%40alpha.example?") and "issuer=dealerhub" in uri
    svg = totp.qr_svg(uri)
    assert svg.lstrip().startswith("<?xml") or svg.lstrip().startswith("<svg")
    assert "<path" in svg and "style=" not in svg  # no inline styles: the CSP refuses them
