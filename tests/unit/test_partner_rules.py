"""The checks of Russian legal-entity identifiers, without a database.

Known real identifiers anchor the algorithms (Sberbank: INN 7707083893, KPP 773601001,
OGRN 1027700132195, BIK 044525225, correspondent account 30101810400000000225)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealerhub.core.partners.rules import (
    InvalidIdentifier,
    account_currency,
    account_key_digit,
    inn_check_digits,
    is_valid_account,
    is_valid_bik,
    is_valid_correspondent_account,
    is_valid_inn,
    is_valid_kpp,
    is_valid_ogrn,
    validate_account_currency,
    validate_bank_account,
    validate_contractor_ids,
    validate_ogrn_kind,
)
from dealerhub.web.i18n import Translations

SBER_BIK = "044525225"


@pytest.mark.parametrize("inn", ["7707083893", "7736207543", "500100732259"])
def test_real_inns_pass(inn):
    assert is_valid_inn(inn)


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",  # organisation, wrong check digit
        "500100732258",  # entrepreneur, wrong 12th digit
        "500100732269",  # entrepreneur, wrong 11th digit
        "770708389",  # 9 digits
        "77070838931",  # 11 digits
        "77O7083893",  # a letter O
        "0007083893",  # region 00 does not exist
        "",
    ],
)
def test_bad_inns_fail(inn):
    assert not is_valid_inn(inn)


def test_inn_check_digits_complete_prefixes():
    assert inn_check_digits("770708389") == "3"
    assert inn_check_digits("5001007322") == "59"
    with pytest.raises(ValueError):
        inn_check_digits("12345678")


@given(st.from_regex(r"\A[1-9]\d{8}\Z"))
def test_any_organisation_prefix_completes_to_a_valid_inn(prefix):
    inn = prefix + inn_check_digits(prefix)
    assert is_valid_inn(inn)
    # Changing the check digit always breaks it.
    assert not is_valid_inn(inn[:-1] + str((int(inn[-1]) + 1) % 10))


@pytest.mark.parametrize(
    "kpp,ok",
    [
        ("773601001", True),
        ("7736AB001", True),
        ("77360100", False),
        ("7736010011", False),
        ("773ab1001", False),
        ("000001001", False),
        ("77360100X", False),
    ],
)
def test_kpp_shape(kpp, ok):
    assert is_valid_kpp(kpp) is ok


@pytest.mark.parametrize(
    "ogrn,ok",
    [
        ("1027700132195", True),  # OGRN, 13 digits
        ("1027700132194", False),
        ("304500116000157", True),  # OGRNIP, 15 digits
        ("304500116000158", False),
        ("10277001321", False),
        ("102770013219A", False),
    ],
)
def test_ogrn_and_ogrnip_checksums(ogrn, ok):
    assert is_valid_ogrn(ogrn) is ok


def test_bik_and_accounts_of_a_real_bank():
    assert is_valid_bik(SBER_BIK)
    assert not is_valid_bik("144525225") and not is_valid_bik("04452522")
    assert is_valid_correspondent_account("30101810400000000225", SBER_BIK)
    assert not is_valid_correspondent_account("30101810400000000226", SBER_BIK)
    assert is_valid_account("40702810038000017240", SBER_BIK)
    assert not is_valid_account("40702810138000017240", SBER_BIK)
    assert not is_valid_account("40702810038000017240", "044525593")  # same number, another bank
    assert account_key_digit(SBER_BIK, "40702810038000017240") == "0"


@given(st.from_regex(r"\A\d{20}\Z"), st.integers(0, 19), st.integers(1, 9))
def test_account_key_catches_any_single_wrong_digit(account, position, delta):
    valid = account[:8] + account_key_digit(SBER_BIK, account) + account[9:]
    assert is_valid_account(valid, SBER_BIK)
    typo = valid[:position] + str((int(valid[position]) + delta) % 10) + valid[position + 1 :]
    assert not is_valid_account(typo, SBER_BIK)


def test_russian_organisation_needs_inn_and_kpp():
    validate_contractor_ids(inn="7707083893", kpp="773601001", ogrn="1027700132195", country="RU")
    with pytest.raises(InvalidIdentifier) as err:
        validate_contractor_ids(inn="7707083893", kpp=None, ogrn=None, country="RU")
    assert err.value.details == {"field": "kpp"}
    with pytest.raises(InvalidIdentifier) as err:
        validate_contractor_ids(inn=None, kpp="773601001", ogrn=None, country="RU")
    assert err.value.details == {"field": "inn"}


def test_entrepreneur_has_a_12_digit_inn_and_no_kpp():
    validate_contractor_ids(inn="500100732259", kpp=None, ogrn="304500116000157", country="RU")
    with pytest.raises(InvalidIdentifier, match="no KPP"):
        validate_contractor_ids(inn="500100732259", kpp="773601001", ogrn=None, country="RU")


def test_foreign_supplier_may_have_no_inn_but_a_given_one_is_checked():
    validate_contractor_ids(inn=None, kpp=None, ogrn=None, country="CN")
    with pytest.raises(InvalidIdentifier, match="checksum"):
        validate_contractor_ids(inn="7707083894", kpp=None, ogrn=None, country="CN")


def test_bad_kpp_and_ogrn_are_named():
    with pytest.raises(InvalidIdentifier) as err:
        validate_contractor_ids(inn="7707083893", kpp="77360100", ogrn=None, country="RU")
    assert err.value.details == {"field": "kpp"}
    with pytest.raises(InvalidIdentifier) as err:
        validate_contractor_ids(inn="7707083893", kpp="773601001", ogrn="1027700132194", country="RU")
    assert err.value.details == {"field": "ogrn"}


def test_ogrn_kind_matches_inn_kind():
    validate_ogrn_kind(inn="7707083893", ogrn="1027700132195")
    validate_ogrn_kind(inn="500100732259", ogrn="304500116000157")
    validate_ogrn_kind(inn=None, ogrn="1027700132195")
    with pytest.raises(InvalidIdentifier, match="15-digit OGRNIP"):
        validate_ogrn_kind(inn="500100732259", ogrn="1027700132195")
    with pytest.raises(InvalidIdentifier, match="13-digit OGRN"):
        validate_ogrn_kind(inn="7707083893", ogrn="304500116000157")


def test_validate_bank_account_names_the_bad_field():
    validate_bank_account(
        bik=SBER_BIK, account_number="40702810038000017240", correspondent_account="30101810400000000225"
    )
    cases = [
        ({"bik": "04452522", "account_number": "40702810038000017240", "correspondent_account": None}, "bik"),
        (
            {"bik": SBER_BIK, "account_number": "40702810138000017240", "correspondent_account": None},
            "account_number",
        ),
        (
            {
                "bik": SBER_BIK,
                "account_number": "40702810038000017240",
                "correspondent_account": "30101810400000000226",
            },
            "correspondent_account",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidIdentifier) as err:
            validate_bank_account(**kwargs)
        assert err.value.details == {"field": field}


def test_account_currency_code():
    assert account_currency("40702810038000017240") == "RUB"
    assert account_currency("40702156000000000001") == "CNY"
    assert account_currency("40702999000000000001") is None
    validate_account_currency(account_number="40702810038000017240", currency="RUB")
    with pytest.raises(InvalidIdentifier, match="RUB account, not USD"):
        validate_account_currency(account_number="40702810038000017240", currency="USD")


def test_the_refusals_read_in_russian_where_shown():
    ru = Translations(["ru", "en"], "ru").get("ru")
    with pytest.raises(InvalidIdentifier) as err:
        validate_contractor_ids(inn="7707083894", kpp=None, ogrn=None, country="RU")
    assert err.value.message == "INN 7707083894 fails its checksum"
    assert err.value.message.localized(ru) == "ИНН 7707083894 не проходит проверку контрольного числа"
    with pytest.raises(InvalidIdentifier) as err:
        validate_ogrn_kind(inn="500100732259", ogrn="1027700132195")
    assert err.value.message.localized(ru) == "к ИНН из 12 цифр полагается ОГРНИП из 15 цифр, указан 1027700132195"
