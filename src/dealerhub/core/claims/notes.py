"""The claim's conversation: started with the claim (the dealer's description and photos are its
first message), and a note there for every decision, written by who made it, so the dealer reads
the claim's story where they talk to their manager."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.claims.models import Claim
from dealerhub.core.conversations import post_message, start_conversation
from dealerhub.shared.config import get_settings

# The notes are the distributor's words, written in its own language (settings.default_language,
# as its printed documents are); what staff and dealers type themselves stays as typed.
TEXTS: dict[str, dict[str, str]] = {
    "subject": {"en": "Claim on {sale}, line {line} ({kind})", "ru": "Рекламация по {sale}, строка {line} ({kind})"},
    "note": {"en": "Claim {number}: {text}", "ru": "Рекламация {number}: {text}"},
    "taken": {"en": "taken for review.", "ru": "взята на рассмотрение."},
    "approved": {"en": "approved, resolution: {resolution}.", "ru": "одобрена, решение: {resolution}."},
    "goods_back": {
        "en": " The goods come back on customer return {number}.",
        "ru": " Товар возвращается по возврату {number}.",
    },
    "rejected": {"en": "rejected.", "ru": "отклонена."},
    "reason": {"en": "Reason: {reason}", "ru": "Причина: {reason}"},
    "resolved": {"en": "resolved: {resolution}.", "ru": "урегулирована: {resolution}."},
    "resolved_order": {
        "en": "resolved: {resolution}, customer order {number} at zero price.",
        "ru": "урегулирована: {resolution}, заказ {number} по нулевой цене.",
    },
    "return_posted": {"en": "customer return {number} posted: {back} back.", "ru": "возврат {number} проведён: вернулось {back}."},
    "credited": {
        "en": "customer return {number} posted: {back} back, {credited} credited",
        "ru": "возврат {number} проведён: вернулось {back}, зачтено {credited}",
    },
    "resolved_credit": {"en": "resolved: credit; {note}.", "ru": "урегулирована: зачёт; {note}."},
    "unposted": {
        "en": "customer return {number} was unposted: the credit waits for it again.",
        "ru": "проведение возврата {number} отменено: зачёт снова ждёт его.",
    },
    "cancelled": {
        "en": "customer return {number} was cancelled: the claim is back in review.",
        "ru": "возврат {number} отменён: рекламация снова на рассмотрении.",
    },
    "return_reason": {"en": "claim {number} ({kind})", "ru": "рекламация {number} ({kind})"},
    "replacement_comment": {"en": "replacement under claim {number}", "ru": "замена по рекламации {number}"},
    "warranty": {"en": "warranty", "ru": "гарантия"},
    "damage": {"en": "damage", "ru": "повреждение"},
    "shortage": {"en": "shortage", "ru": "недостача"},
    "wrong_item": {"en": "wrong item", "ru": "пересорт"},
    "credit": {"en": "credit", "ru": "зачёт"},
    "replacement": {"en": "replacement", "ru": "замена"},
    "repair": {"en": "repair", "ru": "ремонт"},
}


def say(key: str, **values: object) -> str:
    """One of TEXTS in the distributor's language (English when it has no such text)."""
    forms = TEXTS[key]
    return forms.get(get_settings().default_language, forms["en"]).format(**values)


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
    body = say("note", number=claim.number, text=text) + (f"\n{extra}" if extra else "")
    post_message(s, claim.conversation_id, author_user_id=user_id, body=body)
