"""The catalog page's reference lists: the group tree (in a language), the brands and the machine
models. Every catalog page shows them and they change a few times a year, so each worker process
keeps them for REFERENCE_TTL seconds rather than reading them on every page (four queries and a
tree of ORM objects). The web tier stays stateless: this is a per-process copy of reference data
that any process may drop at any time. Prices and stock are never kept here: a page reads them in
its own request (catalog_offers), they are the point of truth at that moment.

How stale a list can be: a write committed through the ORM in this process (the back office's
catalog pages, the catalog use cases) drops this process's copy at once; other processes, and
writes through plain SQL, show within REFERENCE_TTL seconds.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dealerhub.core import catalog
from dealerhub.core.catalog.models import Brand, ItemGroup, ItemGroupTranslation, MachineModel

REFERENCE_TTL = 30.0  # seconds
_WATCHED = (ItemGroup, ItemGroupTranslation, Brand, MachineModel)


@dataclass(frozen=True)
class TreeEntry:
    """One group of the tree in display order (depth first), flat so that a page renders the
    tree in one loop: `opens` = its children follow (nested one level deeper), `closes` = how many
    levels end after it."""

    id: int
    name: str
    depth: int
    opens: bool
    closes: int


@dataclass(frozen=True)
class CatalogReference:
    tree: tuple[TreeEntry, ...]
    brands: tuple[tuple[int, str], ...]
    models: tuple[tuple[int, str], ...]


class _Copies:
    """The copies per database (engine) and language, with the moment each was read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0  # bumped by a commit of this process that wrote reference data
        self.by_engine: weakref.WeakKeyDictionary[Engine, dict[str, tuple[float, int, CatalogReference]]] = (
            weakref.WeakKeyDictionary()
        )


_copies = _Copies()


def catalog_reference(s: Session, lang: str) -> CatalogReference:
    """The reference lists in `lang`: this process's copy if fresh, else read now (and kept)."""
    engine = _engine_of(s)
    now = time.monotonic()
    with _copies.lock:
        generation = _copies.generation
        kept = _copies.by_engine.get(engine, {}).get(lang)
    if kept is not None and kept[1] == generation and now - kept[0] < REFERENCE_TTL:
        return kept[2]
    fresh = _read(s, lang)
    with _copies.lock:
        _copies.by_engine.setdefault(engine, {})[lang] = (now, generation, fresh)
    return fresh


def forget() -> None:
    """Drop every copy (this process): the next page reads the lists again."""
    with _copies.lock:
        _copies.generation += 1
        _copies.by_engine.clear()


def _engine_of(s: Session) -> Engine:
    bind = s.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _read(s: Session, lang: str) -> CatalogReference:
    return CatalogReference(
        tree=tuple(flatten(catalog.group_tree(s, lang))),
        brands=tuple((r.id, r.name) for r in s.execute(select(Brand.id, Brand.name).order_by(Brand.name))),
        models=tuple(
            (r.id, r.name) for r in s.execute(select(MachineModel.id, MachineModel.name).order_by(MachineModel.name))
        ),
    )


def flatten(roots: Iterable[catalog.GroupNode]) -> list[TreeEntry]:
    """The tree depth first, each entry saying whether a level opens after it and how many close."""
    entries: list[TreeEntry] = []

    def walk(nodes: list[catalog.GroupNode], depth: int, closing: int) -> None:
        for n, node in enumerate(nodes):
            last = n == len(nodes) - 1
            if node.children:
                entries.append(TreeEntry(node.id, node.name, depth, True, 0))
                walk(node.children, depth + 1, closing + 1 if last else 1)
            else:
                entries.append(TreeEntry(node.id, node.name, depth, False, closing if last else 0))

    walk(list(roots), 0, 0)
    return entries


# A commit that wrote any reference data through the ORM drops this process's copies. The flush
# marks the session; the commit (not the flush) drops, so a page in between can't keep the old lists
# under the new generation.
@event.listens_for(Session, "after_flush")
def _note_reference_writes(session: Session, _context: Any) -> None:
    if any(isinstance(o, _WATCHED) for o in chain(session.new, session.dirty, session.deleted)):
        session.info["catalog_reference_written"] = True


@event.listens_for(Session, "after_commit")
def _drop_after_commit(session: Session) -> None:
    if session.info.pop("catalog_reference_written", False):
        forget()


@event.listens_for(Session, "after_rollback")
def _nothing_written(session: Session) -> None:
    session.info.pop("catalog_reference_written", None)
