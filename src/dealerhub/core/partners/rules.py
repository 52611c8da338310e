"""Checks of Russian legal-entity identifiers: pure functions, no I/O.

INN (taxpayer number) and OGRN carry check digits; KPP has none, only a fixed shape; a bank account
number is checked together with the bank's BIK (the Central Bank's key algorithm).
"""

from __future__ import annotations

import re

from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T


class InvalidIdentifier(DomainError):
    """An INN, KPP, OGRN, BIK or account number that cannot be right."""


_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = (7, 1, 3) * 7 + (7, 1)  # 23 digits: 3 of the BIK, then the account
_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_check_digits(prefix: str) -> str:
    """The check digit(s) that complete a 9-digit (organisation) or 10-digit (individual) prefix."""
    if len(prefix) == 9:
        return str(_check_digit(prefix, _INN10))
    if len(prefix) == 10:
        d11 = str(_check_digit(prefix, _INN12_11))
        return d11 + str(_check_digit(prefix + d11, _INN12_12))
    raise ValueError("an INN prefix has 9 or 10 digits")


def is_valid_inn(inn: str) -> bool:
    if not inn.isdigit() or len(inn) not in (10, 12) or inn.startswith("00"):
        return False
    body = inn[:9] if len(inn) == 10 else inn[:10]
    return inn == body + inn_check_digits(body)


def is_valid_kpp(kpp: str) -> bool:
    return bool(_KPP.match(kpp)) and not kpp.startswith("0000")


def is_valid_ogrn(ogrn: str) -> bool:
    if not ogrn.isdigit():
        return False
    if len(ogrn) == 13:
        return int(ogrn[:12]) % 11 % 10 == int(ogrn[12])
    if len(ogrn) == 15:
        return int(ogrn[:14]) % 13 % 10 == int(ogrn[14])
    return False


def is_valid_bik(bik: str) -> bool:
    return bik.isdigit() and len(bik) == 9 and bik.startswith("04")


def _account_key_ok(nine_digits_then_account: str) -> bool:
    return sum(int(d) * w % 10 for d, w in zip(nine_digits_then_account, _ACCOUNT_WEIGHTS, strict=True)) % 10 == 0


def is_valid_account(account: str, bik: str) -> bool:
    """A settlement account in the bank with this BIK."""
    if not (account.isdigit() and len(account) == 20 and is_valid_bik(bik)):
        return False
    return _account_key_ok(bik[-3:] + account)


def is_valid_correspondent_account(account: str, bik: str) -> bool:
    if not (account.isdigit() and len(account) == 20 and is_valid_bik(bik)):
        return False
    return _account_key_ok("0" + bik[4:6] + account)


def account_key_digit(bik: str, account_with_zero_key: str) -> str:
    """The key digit (position 9) that makes an account valid for this BIK."""
    for key in "0123456789":
        candidate = account_with_zero_key[:8] + key + account_with_zero_key[9:]
        if is_valid_account(candidate, bik):
            return key
    raise ValueError("no key digit fits")  # pragma: no cover - one always does


def validate_contractor_ids(*, inn: str | None, kpp: str | None, ogrn: str | None, country: str) -> None:
    """Raise InvalidIdentifier naming the first identifier that can't be right."""
    if country == "RU":
        if not inn:
            raise InvalidIdentifier(T("a Russian legal entity needs an INN"), field="inn")
        if not is_valid_inn(inn):
            raise InvalidIdentifier(T("INN %(inn)s fails its checksum", inn=inn), field="inn")
        if len(inn) == 10 and not kpp:
            raise InvalidIdentifier(T("an organisation (10-digit INN) needs a KPP"), field="kpp")
        if len(inn) == 12 and kpp:
            raise InvalidIdentifier(T("an individual entrepreneur (12-digit INN) has no KPP"), field="kpp")
    elif inn and not is_valid_inn(inn):
        raise InvalidIdentifier(T("INN %(inn)s fails its checksum", inn=inn), field="inn")
    if kpp and not is_valid_kpp(kpp):
        raise InvalidIdentifier(T("KPP %(kpp)s is not of the form NNNNXXNNN", kpp=kpp), field="kpp")
    if ogrn and not is_valid_ogrn(ogrn):
        raise InvalidIdentifier(T("OGRN %(ogrn)s fails its checksum", ogrn=ogrn), field="ogrn")


def validate_bank_account(*, bik: str, account_number: str, correspondent_account: str | None) -> None:
    if not is_valid_bik(bik):
        raise InvalidIdentifier(T("BIK %(bik)s is not a 9-digit Russian bank code", bik=bik), field="bik")
    if not is_valid_account(account_number, bik):
        raise InvalidIdentifier(T("account %(account)s does not match BIK %(bik)s", account=account_number, bik=bik), field="account_number")
    if correspondent_account and not is_valid_correspondent_account(correspondent_account, bik):
        raise InvalidIdentifier(
            T(
                "correspondent account %(account)s does not match BIK %(bik)s", account=correspondent_account, bik=bik
            ), field="correspondent_account"
        )


# Digits 6-8 of a Russian account number are the currency's OKV code (810 is the old rouble code).
ACCOUNT_CURRENCIES = {"810": "RUB", "643": "RUB", "840": "USD", "978": "EUR", "156": "CNY"}


def account_currency(account_number: str) -> str | None:
    """The currency an account number is in, if its code is one we know."""
    return ACCOUNT_CURRENCIES.get(account_number[5:8])


def validate_account_currency(*, account_number: str, currency: str) -> None:
    known = account_currency(account_number)
    if known is not None and known != currency:
        raise InvalidIdentifier(
            T(
                "account %(account)s is a %(known)s account, not %(currency)s",
                account=account_number, known=known, currency=currency,
            ), field="currency"
        )


def validate_ogrn_kind(*, inn: str | None, ogrn: str | None) -> None:
    """An organisation (10-digit INN) has a 13-digit OGRN; an entrepreneur (12) a 15-digit OGRNIP."""
    if not (inn and ogrn):
        return
    expected = {10: 13, 12: 15}.get(len(inn))
    if expected and len(ogrn) != expected:
        kind = T("OGRN") if expected == 13 else T("OGRNIP")
        raise InvalidIdentifier(
            T(
                "a %(inn_length)s-digit INN goes with a %(length)s-digit %(kind)s, got %(ogrn)s",
                inn_length=len(inn), length=expected, kind=kind, ogrn=ogrn,
            ), field="ogrn"
        )


def name_search_key(text: str) -> str:
    """What partner and contractor names are matched on: lower case, ё as е, single spaces."""
    return " ".join(text.lower().replace("ё", "е").split())
