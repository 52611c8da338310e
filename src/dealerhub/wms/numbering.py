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
    conn = s.connection()
    bump = update(_t).where(_t.c.prefix == prefix).values(last=_t.c.last + 1)
    for _ in range(2):
        if conn.dialect.update_returning:  # one round trip (PostgreSQL, SQLite); MariaDB has no UPDATE ... RETURNING
            value = conn.execute(bump.returning(_t.c.last)).scalar_one_or_none()
            if value is not None:
                return f"{prefix}-{value:0{width}d}"
        elif conn.execute(bump).rowcount:
            value = conn.execute(select(_t.c.last).where(_t.c.prefix == prefix)).scalar_one()
            return f"{prefix}-{value:0{width}d}"
        try:
            with s.begin_nested():
                conn.execute(insert(_t).values(prefix=prefix, last=1))
            return f"{prefix}-{1:0{width}d}"
        except IntegrityError:  # a concurrent transaction made the row first: increment it
            continue
    raise RuntimeError(f"could not number a {prefix} document")
