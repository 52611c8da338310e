"""Russian number formats for printed documents: money as "1 234,56", dates as "31 марта 2026 г.",
an amount in words as invoices write it ("Девятьсот рублей 00 копеек")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from num2words import num2words

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """рубль / рубля / рублей for 1, 2-4, 5-20 (by the last two digits)."""
    n = abs(n) % 100
    if 11 <= n <= 14:
        return many
    last = n % 10
    if last == 1:
        return one
    return few if 2 <= last <= 4 else many


def money(value: Decimal) -> str:
    """1234.5 -> "1 234,50" (a plain space between thousands, a comma before kopecks)."""
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(Decimal(value)):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{frac}"


def quantity(value: Decimal) -> str:
    """4.000 -> "4", 1.250 -> "1,25"."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def percent(value: Decimal) -> str:
    return quantity(value) + "%"


def long_date(on: date) -> str:
    return f"{on.day} {MONTHS_GENITIVE[on.month - 1]} {on.year} г."


def short_date(on: date) -> str:
    return on.strftime("%d.%m.%Y")


def amount_in_words(value: Decimal) -> str:
    """Roubles in words, kopecks in digits, with a capital letter: "Девятьсот рублей 05 копеек"."""
    value = Decimal(value).quantize(Decimal("0.01"))
    roubles = int(value)
    kopecks = int((value - roubles) * 100)
    words = num2words(roubles, lang="ru")
    text = (
        f"{words} {plural_ru(roubles, 'рубль', 'рубля', 'рублей')} "
        f"{kopecks:02d} {plural_ru(kopecks, 'копейка', 'копейки', 'копеек')}"
    )
    return text[:1].upper() + text[1:]
