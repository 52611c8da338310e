"""The pure checks of a conversation and a message."""

from __future__ import annotations

import pytest

from dealerhub.core.conversations.errors import InvalidMessage
from dealerhub.core.conversations.rules import (
    MAX_BODY,
    check_files,
    check_kind,
    clean_body,
    clean_subject,
    side_of,
)


def test_texts_are_trimmed_and_bounded() -> None:
    assert clean_body("  two\nlines \n") == "two\nlines"
    assert clean_body("x" * MAX_BODY) == "x" * MAX_BODY
    assert clean_subject("  Order   CO-1 \t delay ") == "Order CO-1 delay"
    for bad in ("", "   \n", None, "x" * (MAX_BODY + 1)):
        with pytest.raises(InvalidMessage):
            clean_body(bad)
    for bad in ("", "  ", "s" * 201):
        with pytest.raises(InvalidMessage):
            clean_subject(bad)


@pytest.mark.parametrize(
    ("kind", "order_id", "ok"),
    [
        ("general", None, True),
        ("order", 5, True),
        ("claim", None, True),
        ("claim", 5, True),
        ("order", None, False),
        ("general", 5, False),
        ("complaint", None, False),
    ],
)
def test_kinds_and_orders(kind: str, order_id: int | None, ok: bool) -> None:
    if ok:
        check_kind(kind, order_id)
    else:
        with pytest.raises(InvalidMessage):
            check_kind(kind, order_id)


def test_files_are_distinct_and_at_most_ten() -> None:
    assert check_files((3, 1, 2)) == [3, 1, 2]
    assert check_files(range(10)) == list(range(10))
    with pytest.raises(InvalidMessage):
        check_files([1, 1])
    with pytest.raises(InvalidMessage):
        check_files(range(11))


def test_the_side_follows_the_author() -> None:
    assert (side_of(None), side_of(7)) == ("staff", "dealer")
