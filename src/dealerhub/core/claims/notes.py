"""The claim's conversation: started with the claim (the dealer's description and photos are its
first message), and a note there for every decision, written by who made it, so the dealer reads
the claim's story where they talk to their manager."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.claims.models import Claim
from dealerhub.core.conversations import post_message, start_conversation

# What the notes call each resolution and kind.
RESOLUTION_TEXT = {"credit": "credit", "replacement": "replacement", "repair": "repair"}
KIND_TEXT = {"warranty": "warranty", "damage": "damage", "shortage": "shortage", "wrong_item": "wrong item"}


def open_conversation(
    s: Session, *, partner_id: int, subject: str, body: str, customer_order_id: int, user_id: int,
    attachment_ids: list[int],
) -> int:
    """The claim's conversation, its first message the dealer's description with the photos."""
    conversation = start_conversation(
        s, partner_id=partner_id, kind="claim", subject=subject, author_user_id=user_id, body=body,
        customer_order_id=customer_order_id, attachment_ids=attachment_ids,
    )
    return conversation.id


def note(s: Session, claim: Claim, *, user_id: int, text: str, extra: str | None = None) -> None:
    """A message in the claim's conversation: what happened, then the staff's own words."""
    body = f"Claim {claim.number}: {text}" + (f"\n{extra}" if extra else "")
    post_message(s, claim.conversation_id, author_user_id=user_id, body=body)
