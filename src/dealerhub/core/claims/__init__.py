"""Claims and returns: a dealer's claim against a shipped line (warranty, damage, shortage, wrong
item) with photos, its review by staff (approved with a resolution or rejected with a reason) and
its resolution: credit (a customer return through the WMS; posting it resolves the claim),
replacement (a zero-price customer order) or repair (a note)."""

from dealerhub.core import sales
from dealerhub.core.claims.errors import ClaimExceedsShipped, ClaimNotFound, InvalidClaim, ShippedLineNotFound
from dealerhub.core.claims.models import Claim, ClaimPhoto
from dealerhub.core.claims.queries import (
    QueueRow,
    ShippedLine,
    claimed_by_sale_line,
    claims_of_sale_lines,
    claims_queue,
    get_claim,
    list_dealer_claims,
    shipped_line,
)
from dealerhub.core.claims.returns import return_cancelled, return_posted, return_unposted
from dealerhub.core.claims.rules import KINDS, RESOLUTIONS, STATUSES, TRANSITIONS
from dealerhub.core.claims.submit import ClaimInput, Photo, submit_claim
from dealerhub.core.claims.workflow import approve_claim, reject_claim, resolve_claim, take_claim

sales.on_customer_return_posted(return_posted)
sales.on_customer_return_unposted(return_unposted)
sales.on_customer_return_cancelled(return_cancelled)

__all__ = [
    "KINDS",
    "RESOLUTIONS",
    "STATUSES",
    "TRANSITIONS",
    "Claim",
    "ClaimExceedsShipped",
    "ClaimInput",
    "ClaimNotFound",
    "ClaimPhoto",
    "InvalidClaim",
    "Photo",
    "QueueRow",
    "ShippedLine",
    "ShippedLineNotFound",
    "approve_claim",
    "claimed_by_sale_line",
    "claims_of_sale_lines",
    "claims_queue",
    "get_claim",
    "list_dealer_claims",
    "reject_claim",
    "resolve_claim",
    "shipped_line",
    "submit_claim",
    "take_claim",
]
