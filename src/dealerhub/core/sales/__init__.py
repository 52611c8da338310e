"""Sales documents: customer order, picking task, sale, customer return.

Every operation on an order or the documents based on it locks the order's row first (see
queries.lock_order), so they happen one at a time per order and never deadlock each other.
"""

from dealerhub.core.sales.dealer_orders import (
    DealerOrderRow,
    TimelineEntry,
    cancel_by_dealer,
    get_dealer_order,
    list_dealer_orders,
    order_timeline,
)
from dealerhub.core.sales.despatch import despatched_by_task_line, record_despatch
from dealerhub.core.sales.errors import (
    DespatchExceedsPicked,
    NoPersonalPrice,
    NothingToPick,
    OrderHasPostedPickingTasks,
    PickingTaskHasSale,
    ReturnExceedsSold,
    SaleHasReturns,
    SalesDocumentNotFound,
)
from dealerhub.core.sales.order_changes import change_order_quantities
from dealerhub.core.sales.orders import (
    OrderLineInput,
    approve_customer_order,
    cancel_customer_order,
    close_customer_order,
    create_customer_order,
    reject_customer_order,
    submit_customer_order,
    take_for_moderation,
    unapprove_customer_order,
    update_customer_order,
)
from dealerhub.core.sales.picking import (
    cancel_picking_task,
    create_picking_task,
    post_picking_task,
    unpost_picking_task,
)
from dealerhub.core.sales.queries import (
    OrderTotals,
    get_customer_order,
    get_customer_return,
    get_order_progress,
    get_picking_task,
    get_sale,
    list_customer_orders,
    list_customer_returns,
    list_picking_tasks,
    list_sales,
    order_totals,
)
from dealerhub.core.sales.return_acceptance import set_return_quantities
from dealerhub.core.sales.returns import (
    cancel_customer_return,
    create_customer_return,
    on_customer_return_cancelled,
    on_customer_return_posted,
    on_customer_return_unposted,
    post_customer_return,
    unpost_customer_return,
)
from dealerhub.core.sales.rules import INVOICEABLE, OrderLineProgress
from dealerhub.core.sales.sale import cancel_sale, create_sale, post_sale, unpost_sale

__all__ = [
    "INVOICEABLE",
    "DealerOrderRow",
    "DespatchExceedsPicked",
    "NoPersonalPrice",
    "NothingToPick",
    "OrderHasPostedPickingTasks",
    "OrderLineInput",
    "OrderLineProgress",
    "OrderTotals",
    "PickingTaskHasSale",
    "ReturnExceedsSold",
    "SaleHasReturns",
    "SalesDocumentNotFound",
    "TimelineEntry",
    "approve_customer_order",
    "cancel_by_dealer",
    "cancel_customer_order",
    "cancel_customer_return",
    "cancel_picking_task",
    "cancel_sale",
    "change_order_quantities",
    "close_customer_order",
    "create_customer_order",
    "create_customer_return",
    "create_picking_task",
    "create_sale",
    "despatched_by_task_line",
    "get_customer_order",
    "get_customer_return",
    "get_dealer_order",
    "get_order_progress",
    "get_picking_task",
    "get_sale",
    "list_customer_orders",
    "list_customer_returns",
    "list_dealer_orders",
    "list_picking_tasks",
    "list_sales",
    "on_customer_return_cancelled",
    "on_customer_return_posted",
    "on_customer_return_unposted",
    "order_timeline",
    "order_totals",
    "post_customer_return",
    "post_picking_task",
    "post_sale",
    "record_despatch",
    "reject_customer_order",
    "set_return_quantities",
    "submit_customer_order",
    "take_for_moderation",
    "unapprove_customer_order",
    "unpost_customer_return",
    "unpost_picking_task",
    "unpost_sale",
    "update_customer_order",
]
