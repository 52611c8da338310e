"""Pure rules of the catalog: article keys, name keys, EAN check digits, the group tree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealerhub.core.catalog.errors import GroupCycle, InvalidBarcode, InvalidCatalogData
from dealerhub.core.catalog.rules import (
    check_names,
    check_parent,
    clean_barcode,
    ean_check_digit,
    groups_flagged_for_wms,
    is_valid_ean,
    name_search_key,
    normalize_article,
    pick_name,
)

SEPARATORS = " -./_\t\u2013"
# What part numbers are made of: Latin and Cyrillic letters of both cases, digits.
PART_CHARS = st.characters(codec="utf-8", categories=["Lu", "Ll", "Nd"], max_codepoint=0x04FF)


@pytest.mark.parametrize(
    "text,key",
    [
        ("6I-2503", "6I2503"),
        ("6i 2503", "6I2503"),
        (" 1R.0750 ", "1R0750"),
        ("ab/cd_ef", "ABCDEF"),
        ("фм-009", "ФМ009"),
        ("—", ""),
    ],
)
def test_normalize_article(text, key):
    assert normalize_article(text) == key


@given(st.text())
def test_normalize_article_is_idempotent(text):
    key = normalize_article(text)
    assert normalize_article(key) == key
    assert not any(ch.isspace() or ch in "-./_" for ch in key)


@given(st.text(max_size=20), st.lists(st.tuples(st.integers(0, 20), st.sampled_from(SEPARATORS))))
def test_normalize_article_ignores_inserted_separators(article, insertions):
    typed = article
    for position, separator in insertions:
        typed = typed[:position] + separator + typed[position:]
    assert normalize_article(typed) == normalize_article(article)


@given(st.text(PART_CHARS, max_size=20))
def test_normalize_article_ignores_case(article):
    assert (
        normalize_article(article.lower()) == normalize_article(article.upper()) == normalize_article(article)
    )


def test_name_search_key():
    assert name_search_key("  Фильтр   МАСЛЯНЫЙ  ") == "фильтр масляный"
    assert name_search_key("Ёмкость") == name_search_key("емкость")
    assert name_search_key("机油滤清器") == "机油滤清器"


@pytest.mark.parametrize("code", ["4006381333931", "5901234123457", "96385074", "73513537"])
def test_real_eans_pass(code):
    assert is_valid_ean(code)
    assert clean_barcode(f" {code} ") == code


def test_ean_check_digit():
    assert ean_check_digit("400638133393") == "1"
    assert ean_check_digit("9638507") == "4"
    with pytest.raises(ValueError):
        ean_check_digit("12a")


@given(st.from_regex(r"\A\d{12}\Z"), st.integers(0, 12), st.integers(1, 9))
def test_ean13_catches_any_single_wrong_digit(body, position, delta):
    code = body + ean_check_digit(body)
    assert is_valid_ean(code)
    typo = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    assert not is_valid_ean(typo)


@pytest.mark.parametrize(
    "code,message",
    [
        ("4006381333932", "EAN-13 4006381333932 has check digit 2, expected 1"),
        ("96385075", "EAN-8 96385075 has check digit 5, expected 4"),
        ("", "empty"),
        ("12 34", "spaces"),
        ("X" * 65, "too long"),
    ],
)
def test_bad_barcodes_are_refused(code, message):
    with pytest.raises(InvalidBarcode, match=message):
        clean_barcode(code)


@pytest.mark.parametrize("code", ["123456789012", "1234567", "ABC-123", "12345678901234"])
def test_other_barcodes_are_not_checksummed(code):
    assert clean_barcode(code) == code


def test_check_names_requires_the_first_language():
    assert check_names({"ru": " Фильтр ", "en": "", "zh": "滤清器"}, ["ru", "en", "zh"]) == {
        "ru": "Фильтр",
        "zh": "滤清器",
    }
    with pytest.raises(InvalidCatalogData, match="a name in 'ru' is required"):
        check_names({"en": "Filter"}, ["ru", "en", "zh"])
    with pytest.raises(InvalidCatalogData, match="unknown language"):
        check_names({"ru": "Фильтр", "de": "Filter"}, ["ru", "en", "zh"])


def test_pick_name_falls_back_to_ru_then_any():
    assert pick_name({"ru": "Фильтр", "en": "Filter"}, "en") == "Filter"
    assert pick_name({"ru": "Фильтр", "en": "Filter"}, "zh") == "Фильтр"
    assert pick_name({"en": "Filter"}, "zh") == "Filter"
    assert pick_name({}, "zh") == ""


# A tree: 1 > 2 > 3, and 4 on its own.
PARENTS = {1: None, 2: 1, 3: 2, 4: None}


@pytest.mark.parametrize("group,new_parent", [(1, 1), (1, 2), (1, 3), (2, 3)])
def test_a_group_cannot_go_under_itself_or_a_descendant(group, new_parent):
    with pytest.raises(GroupCycle):
        check_parent(group, new_parent, PARENTS.get)


@pytest.mark.parametrize("group,new_parent", [(3, 1), (3, None), (1, 4), (4, 3)])
def test_other_moves_are_fine(group, new_parent):
    check_parent(group, new_parent, PARENTS.get)


def test_check_parent_stops_on_a_loop_already_in_the_data():
    check_parent(9, 1, {1: 2, 2: 1}.get)


def test_groups_flagged_for_wms_need_every_ancestor_flagged():
    flagged = {1: True, 2: False, 3: True, 4: True}
    assert groups_flagged_for_wms(PARENTS, flagged) == {1, 4}
    assert groups_flagged_for_wms(PARENTS, {**flagged, 2: True}) == {1, 2, 3, 4}
    assert groups_flagged_for_wms({1: 2, 2: 1, 3: None}, {1: True, 2: True, 3: True}) == {3}


def test_full_width_input_is_folded():
    assert normalize_article("６Ｉ－２５０３") == "6I2503"


def test_refusals_name_the_field_and_read_in_russian():
    from dealerhub.web.i18n import Translations

    ru = Translations(["ru", "en"], "ru").get("ru")
    with pytest.raises(InvalidCatalogData) as refused:
        check_names({"en": "Filter"}, ["ru", "en", "zh"])
    assert refused.value.message.localized(ru) == "поле «Наименования»: нужно наименование на языке «ru»"
    with pytest.raises(InvalidBarcode) as refused:
        clean_barcode("4006381333932")
    assert refused.value.message.localized(ru) == "EAN-13 4006381333932: контрольная цифра 2, должна быть 1"
