"""Numbers of the WMS's own documents (acceptances RCV-, despatches DSP-, counts CNT-, moves MOV-,
tasks T-): a counter row per prefix, incremented by a conditional UPDATE that locks it until the
transaction ends, so numbers never repeat."""

from __future__ import annotations

from sqlalchemy import Integer, String, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from dealerhub.wms.db import WmsBase


class WmsCounter(WmsBase):
    __tablename__ = "wms_counters"
    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


_t = WmsCounter.__table__


def next_number(s: Session, prefix: str, width: int = 6) -> str:
    """The next number for `prefix`: "RCV-000001", "RCV-000002"..."""
    return next_numbers(s, prefix, 1, width)[0]


def next_numbers(s: Session, prefix: str, count: int, width: int = 6) -> list[str]:
    """The next `count` numbers for `prefix` in one statement (a batch of ORDERS numbers all its
    tasks at once): the same numbers `count` calls of next_number would give."""
    if count <= 0:
        return []
    conn = s.connection()
    bump = update(_t).where(_t.c.prefix == prefix).values(last=_t.c.last + count)
    for _ in range(2):
        if conn.dialect.update_returning:  # one round trip (PostgreSQL, SQLite); MariaDB has no UPDATE ... RETURNING
            last = conn.execute(bump.returning(_t.c.last)).scalar_one_or_none()
            if last is not None:
                return _formatted(prefix, last - count + 1, last, width)
        elif conn.execute(bump).rowcount:
            last = conn.execute(select(_t.c.last).where(_t.c.prefix == prefix)).scalar_one()
            return _formatted(prefix, last - count + 1, last, width)
        try:
            with s.begin_nested():
                conn.execute(insert(_t).values(prefix=prefix, last=count))
            return _formatted(prefix, 1, count, width)
        except IntegrityError:  # a concurrent transaction made the row first: increment it
            continue
    raise RuntimeError(f"could not number a {prefix} document")


def _formatted(prefix: str, first: int, last: int, width: int) -> list[str]:
    return [f"{prefix}-{value:0{width}d}" for value in range(first, last + 1)]
