"""Checksum-valid Russian identifiers for the demo's legal entities, made with the partners' own rules."""

from __future__ import annotations

import random

from dealerhub.core.partners.rules import (
    account_key_digit,
    inn_check_digits,
    is_valid_correspondent_account,
    is_valid_inn,
    is_valid_kpp,
    is_valid_ogrn,
)


def organisation_inn(rng: random.Random, region: str) -> str:
    prefix = f"{region}{rng.randrange(10):d}{rng.randrange(10**6):06d}"
    return _checked(prefix + inn_check_digits(prefix), is_valid_inn)


def entrepreneur_inn(rng: random.Random, region: str) -> str:
    prefix = f"{region}{rng.randrange(10**8):08d}"
    return _checked(prefix + inn_check_digits(prefix), is_valid_inn)


def kpp(rng: random.Random, region: str) -> str:
    """Region + tax office + reason 01 (the organisation's seat) + a serial number."""
    return _checked(f"{region}{rng.randint(1, 30):02d}01{rng.randint(1, 3):03d}", is_valid_kpp)


def ogrn(rng: random.Random, region: str, year: int) -> str:
    body = f"1{year % 100:02d}{region}{rng.randrange(10**7):07d}"
    return _checked(body + str(int(body) % 11 % 10), is_valid_ogrn)


def ogrnip(rng: random.Random, region: str, year: int) -> str:
    body = f"3{year % 100:02d}{region}{rng.randrange(10**9):09d}"
    return _checked(body + str(int(body) % 13 % 10), is_valid_ogrn)


def settlement_account(rng: random.Random, bik: str, *, entrepreneur: bool = False) -> str:
    """40702 (a company's account; 40802 for an entrepreneur), roubles (810), key digit, branch, number."""
    balance = "40802" if entrepreneur else "40702"
    without_key = f"{balance}810" + "0" + f"{rng.randrange(10**4):04d}{rng.randrange(10**7):07d}"
    return without_key[:8] + account_key_digit(bik, without_key) + without_key[9:]


def correspondent_account(bik: str) -> str:
    without_key = "30101810" + "0" + "00000000" + bik[-3:]
    for key in "0123456789":
        candidate = without_key[:8] + key + without_key[9:]
        if is_valid_correspondent_account(candidate, bik):
            return candidate
    raise ValueError(f"no key digit fits a correspondent account of BIK {bik}")  # pragma: no cover


def _checked(value: str, is_valid: object) -> str:
    if not is_valid(value):  # type: ignore[operator]
        raise AssertionError(f"generated identifier {value} fails its own check")  # pragma: no cover
    return value
