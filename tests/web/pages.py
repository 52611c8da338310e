"""Reading rendered pages in tests: an element's text by id, a table's rows as lists of cells."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and dict(attrs).get("id") == self.element_id:
            self.depth = 1
            return
        if self.depth == 0:
            return
        if tag not in ("br", "input", "img", "hr", "meta", "link"):
            self.depth += 1
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)


def _collect(html: str, element_id: str) -> _Collector:
    collector = _Collector(element_id)
    collector.feed(html)
    assert collector.text or collector.rows, f"no element with id {element_id!r} on the page"
    return collector


def text_of(html: str, element_id: str) -> str:
    """The element's text, whitespace collapsed."""
    return " ".join("".join(_collect(html, element_id).text).split())


def table_rows(html: str, element_id: str) -> list[list[str]]:
    """The body rows of a table (or of anything holding <tr>s) as lists of cell texts."""
    rows = _collect(html, element_id).rows
    return (
        [row for row in rows if row][1:]
        if rows and _has_header(html, element_id)
        else [row for row in rows if row]
    )


def _has_header(html: str, element_id: str) -> bool:
    start = html.find(f'id="{element_id}"')
    return "<thead>" in html[start : start + 400]


def figure(html: str, key: str) -> str:
    match = re.search(rf'id="figure-{key}".*?class="fs-3 fw-semibold figure-value">([^<]*)<', html, re.DOTALL)
    assert match, key
    return match.group(1).strip()
