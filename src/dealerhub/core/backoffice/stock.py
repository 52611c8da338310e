"""Stock pages: balances (on hand, reserved, free) filtered by warehouse and item text, and the
moves of one item."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dealerhub.core import catalog, stock
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.web.deps import OptionalInt, ReadSession, StaffUser
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
# A text filter looks the items up first (catalog.find_items); at most this many take part.
MAX_MATCHED_ITEMS = 1000


@router.get("/stock")
def balances(
    request: Request,
    _user: StaffUser,
    s: ReadSession,
    warehouse: OptionalInt = None,
    q: str | None = None,
    page: OptionalInt = None,
) -> Response:
    lang = lang_of(request)
    paging = Paging.start(page)
    item_ids = None
    truncated = False
    if q and q.strip():
        items, matched = catalog.find_items(s, text=q, limit=MAX_MATCHED_ITEMS)
        item_ids, truncated = [it.id for it in items], matched > MAX_MATCHED_ITEMS
    rows, total = queries.balance_page(
        s, warehouse_id=warehouse, item_ids=item_ids, limit=paging.size, offset=paging.offset, lang=lang
    )
    context = {
        "rows": rows,
        "paging": paging.with_total(total),
        "warehouse_id": warehouse,
        "q": q or "",
        "warehouse_options": queries.warehouse_choices(s),
        "truncated": truncated,
        "max_items": MAX_MATCHED_ITEMS,
    }
    return render(request, "backoffice/stock/balances.html", context)


@router.get("/stock/items/{item_id:int}/moves")
def item_moves(
    request: Request, item_id: int, _user: StaffUser, s: ReadSession, warehouse: OptionalInt = None
) -> Response:
    item = catalog.get_item(s, item_id)
    names = dict(queries.warehouse_choices(s))
    moves = stock.list_moves(s, item_id=item_id, warehouse_id=warehouse, limit=500)
    context = {
        "item_id": item.id,
        "item_article": item.article,
        "item_name": catalog.item_name(item, lang_of(request)),
        "warehouse_id": warehouse,
        "warehouse_options": queries.warehouse_choices(s),
        "balances": [
            (names.get(b.warehouse_id, str(b.warehouse_id)), b)
            for b in stock.list_balances(s, item_ids=[item_id])
        ],
        "moves": [(names.get(mv.warehouse_id, str(mv.warehouse_id)), mv) for mv in moves],
    }
    return render(request, "backoffice/stock/moves.html", context)
