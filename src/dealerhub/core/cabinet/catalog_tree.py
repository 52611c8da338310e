"""The catalog page's group tree as HTML. The tree is the same on every page of a worker for as long
as its copy of the reference lists lives (catalog_reference.py); only the links (they carry the page's
filters) and the bold selected group differ. So the tree is rendered once per copy, with a mark in
place of each link (cabinet/catalog/_group_tree.html), and a page only fills in its links: the
same HTML as rendering it all again, without its ~40 links built and escaped one by one.

Nothing of a dealer is kept: the copy holds the reference data only; the filters are the page's own.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import jinja2
from markupsafe import Markup, escape

from dealerhub.core.cabinet.catalog_reference import CatalogReference

_LINK = re.compile(r'\x01(\d+)\x02"')  # a group's link as the fragment is rendered: the id between marks
_SELECTED = '" class="fw-bold"'
_KEPT_FRAGMENTS = 16  # copies of the lists (languages x databases) a worker keeps rendered at once
_lock = threading.Lock()
# id(environment), id(reference) -> (environment, reference, fragment); the objects are held so the ids stay theirs
_fragments: dict[tuple[int, int], tuple[jinja2.Environment, CatalogReference, _Fragment]] = {}


class _Fragment:
    """The rendered tree cut at its links: each piece of HTML is followed by the link of a group."""

    def __init__(self, html: str) -> None:
        parts = _LINK.split(html)
        self.pieces = tuple(zip(parts[0:-1:2], (int(i) for i in parts[1::2]), strict=True))
        self.tail = parts[-1]

    def fill(self, link_before: str, link_after: str, selected: int | None) -> Markup:
        out: list[str] = []
        for piece, group_id in self.pieces:
            out += (piece, link_before, str(group_id), link_after, _SELECTED if group_id == selected else '"')
        out.append(self.tail)
        return Markup("".join(out))


def group_tree_html(
    env: jinja2.Environment, reference: CatalogReference, catalog_url: Callable[..., str], selected: int | None
) -> Markup:
    """The tree's list with each group linking to catalog_url(group=its id), `selected` in bold."""
    key = (id(env), id(reference))
    kept = _fragments.get(key)
    if kept is None:
        html = env.get_template("cabinet/catalog/_group_tree.html").render(
            tree=reference.tree, link=lambda group_id: f"\x01{group_id}\x02"
        )
        kept = (env, reference, _Fragment(html))
        with _lock:
            if len(_fragments) >= _KEPT_FRAGMENTS:  # older copies (the lists were read again): drop them all
                _fragments.clear()
            _fragments[key] = kept
    # Every group's link is the same URL but for its id: cut a link at a sample id (the parameters
    # are URL-encoded, so "group=0" appears in it only as the group parameter itself).
    link_before, _, link_after = catalog_url(group=0).partition("group=0")
    return kept[2].fill(escape(link_before + "group="), escape(link_after), selected)
