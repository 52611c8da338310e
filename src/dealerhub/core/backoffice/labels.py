"""Translatable names of the codes stored in the tables (roles, kinds, scopes)."""

from __future__ import annotations

from dealerhub.web.i18n import N_

LABELS: dict[str, dict[str, str]] = {
    "role": {
        "administrator": N_("Administrator"),
        "sales_manager": N_("Sales manager"),
        "purchaser": N_("Purchaser"),
        "storekeeper_supervisor": N_("Storekeeper supervisor"),
    },
    "warehouse_kind": {
        "main": N_("Main"),
        "regional": N_("Regional"),
        "transit": N_("Transit"),
        "defect": N_("Defect"),
        "loss": N_("Loss"),
    },
    "item_kind": {
        "machine": N_("Machine"),
        "attachment": N_("Attachment"),
        "spare_part": N_("Spare part"),
        "fluid": N_("Fluid"),
        "consumable": N_("Consumable"),
        "service": N_("Service"),
    },
    "discount_scope": {
        "all": N_("Everything"),
        "brand": N_("Brand"),
        "group": N_("Item group"),
        "item": N_("Item"),
    },
    "partner_kind": {
        "dealer": N_("Dealer"),
        "supplier": N_("Supplier"),
    },
}


def label(kind: str, code: str | None) -> str:
    """The translatable name of a stored code (the code itself when it has none)."""
    if code is None:
        return ""
    return LABELS.get(kind, {}).get(code, code)


def options(kind: str) -> list[tuple[str, str]]:
    """(code, untranslated name) pairs for a select; the template translates the names."""
    return list(LABELS[kind].items())
