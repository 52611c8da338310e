"""Zones as the WMS's refusals name them (Texts, translated where a page shows them)."""

from __future__ import annotations

from collections.abc import Iterable

from dealerhub.shared.texts import T, Text, joined

ZONE_NAMES: dict[str, Text] = {
    "receiving": T("the receiving zone"),
    "storage": T("the storage zone"),
    "picking": T("the picking zone"),
    "packing": T("the packing zone"),
    "shipping": T("the shipping zone"),
    "defect": T("the defect zone"),
    "quarantine": T("the quarantine zone"),
}


def zone_name(kind: str) -> str:
    """The zone of `kind` for a sentence ("the storage zone"); an unknown kind as it is."""
    return ZONE_NAMES.get(kind, kind)


def zones_named(kinds: Iterable[str]) -> str:
    """The zones of `kinds` for a sentence: "the storage zone or the picking zone"."""
    names = [zone_name(kind) for kind in kinds]
    if len(names) < 2:
        return names[0] if names else ""
    return T("%(first)s or %(last)s", first=joined(names[:-1]), last=names[-1])
