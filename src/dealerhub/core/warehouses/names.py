"""What warehouse kinds are called in sentences people read (refusals): Texts, English in the code
and translated where shown (shared/texts.py)."""

from __future__ import annotations

from dealerhub.shared.texts import T, Text

WAREHOUSE_KIND_NAMES: dict[str, Text] = {
    "main": T("Main"),
    "regional": T("Regional"),
    "transit": T("Transit"),
    "defect": T("Defect"),
    "loss": T("Loss"),
}


def warehouse_kind_name(kind: str | None) -> str:
    """The kind's name (the code itself for an unknown kind, "—" for none)."""
    if kind is None:
        return "—"
    return WAREHOUSE_KIND_NAMES.get(kind, kind)
