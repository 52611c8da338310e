"""The templates' quantity format (web/rendering.py) is babel's "#,##0.###" in the page's language,
also when a figure comes from the per-process cache of formatted quantities."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from dealerhub.web.rendering import format_quantity


@pytest.mark.parametrize("lang", ["ru", "en", "zh"])
def test_quantities_are_formatted_as_babel_formats_them_cached_or_not(lang):
    rng = random.Random(5)
    values = [Decimal(0), Decimal("0.000"), 7, -3, Decimal("19.000"), Decimal("1234567.891"), Decimal("0.0005")]
    values += [Decimal(rng.randint(-10**9, 10**9)) / Decimal(10 ** rng.randint(0, 4)) for _ in range(300)]
    context = {"lang": lang}
    for value in values * 2:  # the second time from the cache
        expected = format_decimal(Decimal(value).normalize(), format="#,##0.###", locale=lang)
        assert format_quantity(context, value) == expected, value


def test_exact_figures():
    assert format_quantity({"lang": "ru"}, Decimal("1234.500")) == "1\xa0234,5"
    assert format_quantity({"lang": "en"}, Decimal("1234.500")) == "1,234.5"
    assert format_quantity({"lang": "en"}, Decimal("-0")) == "-0"
    assert format_quantity({"lang": "en"}, Decimal(0)) == "0"
    assert format_quantity({"lang": "en"}, None) == ""
