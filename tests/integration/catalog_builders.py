"""Catalog master data for the catalog tests, built through the real use cases."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from dealerhub.core import catalog as cat
from dealerhub.shared.db import Database
from tests import factories as f

NAMES = {"ru": "Фильтр масляный", "en": "Oil filter", "zh": "机油滤清器"}
_codes = itertools.count(1)


def catalog_basics(db: Database) -> SimpleNamespace:
    """A user, units, a brand, and the groups PARTS > FILTERS > OIL (OIL not for the WMS)."""
    with db.transaction() as s:
        u = f.staff(s).id
        pcs = cat.create_unit(s, user_id=u, code="pcs", names={"ru": "шт", "en": "pcs"})
        litre = cat.create_unit(s, user_id=u, code="l", names={"ru": "л"}, precision=3)
        brand = cat.create_brand(s, user_id=u, name="Shanmon", country="cn")
        parts = cat.create_group(
            s, user_id=u, code="PARTS", names={"ru": "Запчасти", "en": "Parts"}, use_in_wms=True
        )
        filters = cat.create_group(
            s, user_id=u, code="FILTERS", names={"ru": "Фильтры"}, parent_id=parts.id, use_in_wms=True
        )
        oil = cat.create_group(s, user_id=u, code="OIL", names={"ru": "Масляные"}, parent_id=filters.id)
        return SimpleNamespace(
            user=u, pcs=pcs.id, litre=litre.id, brand=brand.id, parts=parts.id, filters=filters.id, oil=oil.id
        )


def new_item(db: Database, ref: SimpleNamespace, **fields: object) -> int:
    """An item in FILTERS (pieces, article 6I-2503, names in ru/en/zh) unless `fields` say otherwise."""
    with db.transaction() as s:
        values = {
            "code": f"I{next(_codes)}",
            "article": "6I-2503",
            "group_id": ref.filters,
            "unit_id": ref.pcs,
            "names": NAMES,
            **fields,
        }
        return cat.create_item(s, user_id=ref.user, **values).id
