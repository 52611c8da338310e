"""What hangs on an item, on a real database: OEM numbers, analogues (one-way, two-way), barcodes,
properties, applicability, packaging. Every refusal leaves nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.core import catalog as cat
from dealerhub.core.catalog.models import Barcode, ItemAnalogue, ItemOemNumber
from dealerhub.core.catalog.rules import ean_check_digit
from tests.integration.catalog_builders import catalog_basics, new_item
from tests.integration.masterdata_helpers import audit

_item = new_item


@pytest.fixture
def ref(core_db):
    return catalog_basics(core_db)


def test_oem_numbers(core_db, ref):
    item_id, other_id = _item(core_db, ref), _item(core_db, ref, article="1R-0750")
    with core_db.transaction() as s:
        cat.add_oem_number(s, item_id, user_id=ref.user, number="1R-0750", maker="CAT")
        cat.add_oem_number(s, other_id, user_id=ref.user, number="1R-0750")  # another item may share it
    for number, error in (("1r 0750", cat.DuplicateOemNumber), (" - ", cat.InvalidCatalogData)):
        with pytest.raises(error), core_db.transaction() as s:
            cat.add_oem_number(s, item_id, user_id=ref.user, number=number)
    with core_db.transaction() as s:
        cat.remove_oem_number(s, other_id, user_id=ref.user, number="1r.0750")
    with pytest.raises(cat.UnknownReference), core_db.transaction() as s:
        cat.remove_oem_number(s, other_id, user_id=ref.user, number="1R0750")
    with core_db.session() as s:
        assert [(o.item_id, o.number, o.number_key, o.maker) for o in s.query(ItemOemNumber)] == [
            (item_id, "1R-0750", "1R0750", "CAT")
        ]
        assert audit(s, "item", item_id)[1:] == [("add_oem_number", {"number": "1R-0750", "maker": "CAT"})]
        assert [a for a, _ in audit(s, "item", other_id)] == ["create", "add_oem_number", "remove_oem_number"]


def _analogue_rows(db):
    with db.session() as s:
        return sorted((r.item_id, r.analogue_id, r.two_way) for r in s.query(ItemAnalogue))


def test_analogues_one_way_and_two_way(core_db, ref):
    a, b, c = (_item(core_db, ref, article=art) for art in ("A-1", "B-1", "C-1"))
    with core_db.transaction() as s:
        cat.link_analogues(s, a, b, user_id=ref.user, two_way=True)
        cat.link_analogues(s, a, c, user_id=ref.user, two_way=False)
    assert _analogue_rows(core_db) == [(a, b, True), (a, c, False), (b, a, True)]
    with core_db.session() as s:
        assert [[i.article for i in cat.list_analogues(s, x)] for x in (a, b, c)] == [
            ["B-1", "C-1"],
            ["A-1"],
            [],
        ]
    refusals = [
        ((a, a, True), cat.InvalidAnalogue, 422),
        ((b, a, True), cat.AnalogueAlreadyLinked, 409),
        ((a, c, False), cat.AnalogueAlreadyLinked, 409),
        ((a, 999, False), cat.ItemNotFound, 404),
    ]
    for (x, y, two_way), error, status in refusals:
        with pytest.raises(error) as err, core_db.transaction() as s:
            cat.link_analogues(s, x, y, user_id=ref.user, two_way=two_way)
        assert err.value.http_status == status
    with pytest.raises(cat.AnalogueNotLinked), core_db.transaction() as s:
        cat.unlink_analogues(s, c, a, user_id=ref.user)  # one-way: c is no analogue's owner
    assert _analogue_rows(core_db) == [(a, b, True), (a, c, False), (b, a, True)]
    with core_db.transaction() as s:
        cat.unlink_analogues(s, b, a, user_id=ref.user)  # removes the two-way pair from either side
        cat.link_analogues(s, a, c, user_id=ref.user, two_way=True)  # one-way becomes two-way
    assert _analogue_rows(core_db) == [(a, c, True), (c, a, True)]
    with core_db.session() as s:
        assert audit(s, "item", b)[1:] == [
            ("link_analogue", {"analogue_id": a, "two_way": True}),
            ("unlink_analogue", {"analogue_id": a, "two_way": True}),
        ]
        assert [a for a, _ in audit(s, "item")].count(
            "link_analogue"
        ) == 5  # 2 + 1 + 2 rows for two-way links


def test_barcodes(core_db, ref):
    item_id, other_id = _item(core_db, ref), _item(core_db, ref)
    ean13 = "460123456789" + ean_check_digit("460123456789")
    with core_db.transaction() as s:
        box = cat.set_packaging(
            s, item_id, user_id=ref.user, name="box", quantity=Decimal(10), weight_kg=Decimal("4.25")
        )
        cat.add_barcode(s, item_id, user_id=ref.user, barcode=ean13)
        cat.add_barcode(s, item_id, user_id=ref.user, barcode="SHM-BOX-10", packaging_id=box.id)
    bad_check = ean13[:-1] + str((int(ean13[-1]) + 1) % 10)
    refusals = [
        (other_id, ean13, None, cat.DuplicateBarcode, 409),
        (other_id, bad_check, None, cat.InvalidBarcode, 422),
        (other_id, "1234567", box.id, cat.UnknownReference, 422),
    ]  # someone else's packaging
    for target, code, packaging_id, error, status in refusals:
        with pytest.raises(error) as err, core_db.transaction() as s:
            cat.add_barcode(s, target, user_id=ref.user, barcode=code, packaging_id=packaging_id)
        assert err.value.http_status == status
    with core_db.session() as s:
        assert sorted((b.item_id, b.barcode, b.packaging_id) for b in s.query(Barcode)) == [
            (item_id, ean13, None),
            (item_id, "SHM-BOX-10", box.id),
        ]
        assert [a for a, _ in audit(s, "item", other_id)] == ["create"]
        [pack] = cat.get_item(s, item_id).packagings
        assert (pack.name, pack.quantity, pack.weight_kg, pack.source) == (
            "box",
            Decimal(10),
            Decimal("4.25"),
            "manual",
        )


def test_properties_applicability_and_packaging_rules(core_db, ref):
    item_id = _item(core_db, ref)
    with core_db.transaction() as s:
        thread = cat.create_property(s, user_id=ref.user, code="THREAD", names={"ru": "Резьба"}).id
        m1, m2, m3 = (
            cat.create_machine_model(s, user_id=ref.user, brand_id=ref.brand, name=n, machine_type=t).id
            for n, t in (("SE215", "excavator"), ("SL50", "wheel_loader"), ("SD16", "bulldozer"))
        )
        cat.set_property(s, item_id, user_id=ref.user, property_id=thread, value="M20x1.5")
        cat.set_property(s, item_id, user_id=ref.user, property_id=thread, value="M22x1.5")
        cat.set_applicability(s, item_id, user_id=ref.user, machine_model_ids=[m1, m2])
        cat.set_applicability(s, item_id, user_id=ref.user, machine_model_ids=[m2, m3, m3])
    refusals = [
        lambda s: cat.set_applicability(s, item_id, user_id=ref.user, machine_model_ids=[m1, 999]),
        lambda s: cat.set_property(s, item_id, user_id=ref.user, property_id=999, value="x"),
        lambda s: cat.set_packaging(
            s, item_id, user_id=ref.user, name="box", quantity=Decimal("2.5")
        ),  # pieces
        lambda s: cat.set_packaging(s, item_id, user_id=ref.user, name="box", quantity=Decimal(0)),
    ]
    for refused in refusals:
        with pytest.raises((cat.UnknownReference, cat.InvalidCatalogData)), core_db.transaction() as s:
            refused(s)
    with core_db.session() as s:
        assert [(p.property.code, p.value) for p in cat.get_item(s, item_id).properties] == [
            ("THREAD", "M22x1.5")
        ]
        assert [m.name for m in cat.list_applicability(s, item_id)] == ["SD16", "SL50"]
        assert cat.get_item(s, item_id).packagings == []
        assert audit(s, "item", item_id)[1:] == [
            ("set_property", {"property_id": thread, "changes": {"value": [None, "M20x1.5"]}}),
            ("set_property", {"property_id": thread, "changes": {"value": ["M20x1.5", "M22x1.5"]}}),
            ("set_applicability", {"added": [m1, m2], "removed": []}),
            ("set_applicability", {"added": [m3], "removed": [m1]}),
        ]
    with core_db.transaction() as s:
        cat.set_property(s, item_id, user_id=ref.user, property_id=thread, value=None)
    with core_db.session() as s:
        assert cat.get_item(s, item_id).properties == []
