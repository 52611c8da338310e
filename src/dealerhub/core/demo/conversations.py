"""The demo's personal managers (photo, phone, working hours) and a few conversations of dealers
with them: questions, answers with a file, some left unread on either side."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import select

from dealerhub.core.accounts.models import User
from dealerhub.core.accounts.staff_profiles import set_staff_profile
from dealerhub.core.attachments import store_attachment
from dealerhub.core.conversations import post_message, start_conversation
from dealerhub.core.demo.timeline import at, set_time
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared.db import Database

# login -> (phone, working hours, photo colour)
MANAGERS = {
    "manager": ("+7 495 640-12-01", "пн–пт 9:00–18:00 (МСК)", (46, 110, 160)),
    "manager2": ("+7 343 310-44-17", "пн–пт 8:00–17:00 (ЕКБ)", (150, 80, 40)),
}
QUESTIONS = (
    (
        "Сроки поставки",
        "Подскажите, когда ожидается поступление гидронасосов на склад МСК?",
        "Контейнер в пути, ориентировочно через три недели. Поставлю вам резерв, как только придёт.",
    ),
    (
        "Счёт для оплаты",
        "Пришлите, пожалуйста, счёт по последнему заказу — бухгалтерия ждёт.",
        "Счёт во вложении. Оплату увидим на следующий день.",
    ),
    ("Аналог фильтра", "Есть ли аналог топливного фильтра подешевле? Клиент просит.", None),
)
ORDER_QUESTION = (
    "Можно ли отгрузить заказ частями? Часть позиций нужна срочно.",
    "Да, отгрузим то, что в наличии, остальное — по поступлении.",
)


def write_conversations(database: Database, rng: random.Random, dealers: int = 6) -> int:
    """Profiles of the managers, then conversations of the first `dealers` dealers; how many."""
    set_time(at(2, hour=10))
    with database.transaction() as s:
        staff = dict(s.execute(select(User.login, User.id).where(User.partner_id.is_(None))).all())
        for login, (phone, hours, colour) in MANAGERS.items():
            photo = store_attachment(
                s,
                filename=f"{login}.png",
                data=_avatar(colour),
                partner_id=None,
                uploaded_by=staff["admin"],
                images_only=True,
            )
            user = s.get(User, staff[login])
            set_staff_profile(
                s,
                user.id,
                by_user_id=staff["admin"],
                phone=phone,
                email=user.email,
                working_hours=hours,
                photo_attachment_id=photo.id,
            )
        dealer_users = s.execute(
            select(User.partner_id, User.id)
            .where(User.partner_id.is_not(None))
            .order_by(User.partner_id, User.id)
        ).all()
    made = 0
    first_user: dict[int, int] = {}
    for partner_id, user_id in dealer_users:
        first_user.setdefault(partner_id, user_id)
    for n, (partner_id, user_id) in enumerate(list(first_user.items())[:dealers]):
        manager = staff["manager" if n % 2 == 0 else "manager2"]
        subject, question, answer = QUESTIONS[n % len(QUESTIONS)]
        set_time(at(1.5 - n * 0.1, hour=11))
        with database.transaction() as s:
            conversation = start_conversation(
                s,
                partner_id=partner_id,
                kind="general",
                subject=subject,
                author_user_id=user_id,
                body=question,
            )
            if answer is not None:  # the last kind stays unanswered: unread in the manager's inbox
                files = []
                if "во вложении" in answer:
                    files = [
                        store_attachment(
                            s,
                            filename="Счёт.txt",
                            data="Счёт на оплату по заказу\n".encode(),
                            partner_id=partner_id,
                            uploaded_by=manager,
                        ).id
                    ]
                post_message(s, conversation.id, author_user_id=manager, body=answer, attachment_ids=files)
            made += 1
            order_id = s.scalar(
                select(CustomerOrder.id)
                .where(CustomerOrder.partner_id == partner_id)
                .order_by(CustomerOrder.id.desc())
            )
            if order_id is not None and rng.random() < 0.7:
                number = s.scalar(select(CustomerOrder.number).where(CustomerOrder.id == order_id))
                about = start_conversation(
                    s,
                    partner_id=partner_id,
                    kind="order",
                    subject=f"Заказ {number}",
                    author_user_id=user_id,
                    body=ORDER_QUESTION[0],
                    customer_order_id=order_id,
                )
                post_message(s, about.id, author_user_id=manager, body=ORDER_QUESTION[1])
                made += 1
    return made


def _avatar(colour: tuple[int, int, int]) -> bytes:
    """A round-ish coloured square: a stand-in photo that Pillow (and the attachment check) accepts."""
    image = Image.new("RGB", (96, 96), (235, 235, 235))
    ImageDraw.Draw(image).ellipse((8, 8, 88, 88), fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
