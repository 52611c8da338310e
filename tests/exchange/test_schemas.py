"""The published JSON Schemas (docs/exchange/schemas) are what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

from dealerhub.exchange import schemas
from dealerhub.exchange.contracts import all_specs

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "exchange" / "schemas"


def test_the_published_schemas_agree_with_the_code() -> None:
    assert schemas.differences(PUBLISHED) == [], "run `dealerhub exchange schemas` and commit the result"


def test_every_type_is_published_with_its_constraints() -> None:
    names = {p.name for p in PUBLISHED.glob("*.json")}
    assert names == {f"{s.schema_name}.json" for s in all_specs()} | {"envelope.json"}
    orders = json.loads((PUBLISHED / "ORDERS.v1.json").read_text())
    assert orders["additionalProperties"] is False
    line = orders["$defs"]["OrderLine"]["properties"]["quantity"]
    assert (line["type"], line["pattern"]) == ("string", r"^[0-9]{1,12}(\.[0-9]{1,3})?$")
