"""Words the pages show from data (order, stock and zone statuses), marked for the catalogs; the
templates translate them with the `t` filter."""

from __future__ import annotations

from dealerhub.web.i18n import N_

ORDER_STATUSES = (N_("new"), N_("picking"), N_("picked"), N_("packed"), N_("part_shipped"), N_("shipped"), N_("cancelled"))
STOCK_STATUSES = (N_("available"), N_("defect"), N_("quarantine"), N_("stock"))
ZONE_KINDS = (N_("receiving"), N_("storage"), N_("picking"), N_("packing"), N_("shipping"))
COUNT_STATUSES = (N_("counting"), N_("recount"), N_("closed"))
TASK_STATUSES = (N_("open"), N_("in_progress"))
