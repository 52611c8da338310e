"""What the catalog's fields are called where people read a refusal about them (shared/texts.py):
the forms put a refusal beside the field its `field` detail names, and the sentence says the
field's name, not its code."""

from __future__ import annotations

from dealerhub.shared.texts import T, Text

FIELD_NAMES: dict[str, Text] = {
    "code": T("Code"),
    "article": T("Article"),
    "name": T("Name"),
    "names": T("Names"),
    "descriptions": T("Description"),
    "lang": T("Language"),
    "kind": T("Kind"),
    "group_id": T("Item group"),
    "parent_id": T("Parent group"),
    "unit_id": T("Unit"),
    "unit": T("Unit"),
    "brand_id": T("Brand"),
    "vat_rate": T("VAT rate"),
    "weight_kg": T("Weight, kg"),
    "volume_m3": T("Volume, m³"),
    "length_mm": T("Length, mm"),
    "width_mm": T("Width, mm"),
    "height_mm": T("Height, mm"),
    "number": T("OEM number"),
    "maker": T("Maker"),
    "value": T("Value"),
    "quantity": T("Quantity"),
    "precision": T("Decimal places"),
    "country": T("Country"),
    "machine_type": T("Machine type"),
    "source": T("Source"),
}


def field_name(field: str) -> str:
    """The field's name (the code itself for a field without one)."""
    return FIELD_NAMES.get(field, field)
