"""What documents and their statuses are called where people read them (pages, refusals): Texts,
English in the code and translated where shown (shared/texts.py)."""

from __future__ import annotations

from dealerhub.shared.texts import T, Text, joined

DOCUMENT_NAMES: dict[str, Text] = {
    "customer_order": T("Customer order"),
    "picking_task": T("Picking task"),
    "sale": T("Sale"),
    "customer_return": T("Customer return"),
    "claim": T("Claim"),
    "stock_correction": T("Stock correction"),
    "transfer": T("Transfer"),
    "supplier_order": T("Supplier order"),
    "goods_receipt": T("Goods receipt"),
    "incoming_payment": T("Incoming payment"),
}

STATUS_NAMES: dict[str, Text] = {
    "draft": T("Draft"),
    "submitted": T("Submitted"),
    "awaiting_moderation": T("Awaiting moderation"),
    "approved": T("Approved"),
    "picking": T("Picking"),
    "partially_shipped": T("Partially shipped"),
    "shipped": T("Shipped"),
    "closed": T("Closed"),
    "cancelled": T("Cancelled"),
    "confirmed": T("Confirmed"),
    "partially_received": T("Partially received"),
    "received": T("Received"),
    "posted": T("Posted"),
    "done": T("Done"),
    # Claims.
    "in_review": T("In review"),
    "rejected": T("Rejected"),
    "resolved": T("Resolved"),
}


def document_name(doc_type: str) -> str:
    """The document kind's name (the code itself for a kind without one)."""
    return DOCUMENT_NAMES.get(doc_type, doc_type)


def status_name(status: str) -> str:
    """The status's name (the code itself for a status without one)."""
    return STATUS_NAMES.get(status, status)


def statuses_named(statuses: tuple[str, ...] | list[str]) -> Text:
    """Several statuses for a sentence: «Draft», «Submitted»."""
    return joined((status_name(status) for status in statuses), quoted=True)


def not_in_status_text(doc_type: str, number: str, status: str, allowed: tuple[str, ...] | list[str]) -> Text:
    """Why an action is refused to a document in the wrong status."""
    return T(
        "%(document)s %(number)s is «%(status)s»: this can be done only in status %(allowed)s",
        document=document_name(doc_type),
        number=number,
        status=status_name(status),
        allowed=statuses_named(allowed),
    )
