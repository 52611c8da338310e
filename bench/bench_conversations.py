"""What the conversations cost the pages that show them, on PostgreSQL, as ratios to the statement
every cabinet page ran before them (the company's name by id), measured in the same run.

    python bench/bench_conversations.py --dealers 300 --conversations 20 --messages 10

A landscape of DEALERS dealers shared by two managers, each dealer with CONVERSATIONS conversations
of MESSAGES messages (sides alternating), read by the dealer's user and the manager except a share
(--unread-share, default 0.1) that has news for both, bulk-inserted into a fresh database. Timed, each statement REPEAT times, median: the baseline (the old company statement);
the cabinet's header statement (company, manager's card, the user's unread count: what every
cabinet page runs now instead); a manager's unread count (the back office navigation); the
administrator's (all dealers); a manager's inbox page (50 rows, unread first).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

from dealerhub import migrations
from dealerhub.core.accounts.models import User
from dealerhub.core.conversations import Viewer, conversation_rows, dealer_header_query, unread_count
from dealerhub.core.conversations.models import Conversation, ConversationMessage, ConversationRead
from dealerhub.core.partners.models import Partner
from dealerhub.core.pricing.models import DealerAgreement, PriceType
from dealerhub.shared import clock

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_conversations"


def main() -> int:
    args = _arguments()
    admin = create_engine(args.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = args.url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    migrations.upgrade("core", args.url)
    engine = create_engine(args.url)
    try:
        ids = _landscape(engine, args)
        _measure(engine, args, ids)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


def _landscape(engine, args) -> dict[str, int]:
    now = clock.now()
    with Session(engine) as s, s.begin():
        staff = [
            s.scalar(
                insert(User).returning(User.id),
                {"login": login, "password_hash": "!", "full_name": login, "role": role},
            )
            for login, role in (
                ("anna", "sales_manager"),
                ("boris", "sales_manager"),
                ("root", "administrator"),
            )
        ]
        pt = s.scalar(
            insert(PriceType).returning(PriceType.id), {"code": "P", "name": "P", "currency": "RUB"}
        )
        partners = s.scalars(
            insert(Partner).returning(Partner.id),
            [{"name": f"Dealer {k}", "is_dealer": True, "is_supplier": False} for k in range(args.dealers)],
        ).all()
        s.execute(
            insert(DealerAgreement),
            [
                {
                    "partner_id": p,
                    "number": f"A-{k}",
                    "price_type_id": pt,
                    "personal_manager_id": staff[k % 2],
                    "valid_from": date(2020, 1, 1),
                }
                for k, p in enumerate(partners)
            ],
        )
        users = s.scalars(
            insert(User).returning(User.id),
            [
                {
                    "login": f"d{k}",
                    "password_hash": "!",
                    "full_name": f"d{k}",
                    "role": "buyer",
                    "partner_id": p,
                }
                for k, p in enumerate(partners)
            ],
        ).all()
        conversations = s.scalars(
            insert(Conversation).returning(Conversation.id),
            [
                {
                    "partner_id": p,
                    "kind": "general",
                    "subject": f"S{k}",
                    "started_by": users[d],
                    "created_at": now,
                    "last_message_at": now - timedelta(minutes=k),
                }
                for d, p in enumerate(partners)
                for k in range(args.conversations)
            ],
        ).all()
        owner = {c: users[i // args.conversations] for i, c in enumerate(conversations)}
        rows = [
            {
                "conversation_id": c,
                "author_id": owner[c] if m % 2 == 0 else staff[0],
                "side": "dealer" if m % 2 == 0 else "staff",
                "body": "text",
                "created_at": now,
            }
            for c in conversations
            for m in range(args.messages)
        ]
        s.execute(insert(ConversationMessage), rows)
        for side in ("dealer", "staff"):  # what post_message keeps on the conversation
            s.execute(
                text(
                    f"UPDATE conversations c SET last_{side}_message_id = (SELECT max(m.id) FROM conversation_messages m"
                    f" WHERE m.conversation_id = c.id AND m.side = '{side}')"
                )
            )
        last = dict(
            s.execute(
                text("SELECT conversation_id, max(id) FROM conversation_messages GROUP BY conversation_id")
            ).all()
        )
        every = max(round(1 / args.unread_share), 1) if args.unread_share else 0
        s.execute(
            insert(ConversationRead),
            [
                {
                    "conversation_id": c,
                    "user_id": who,
                    # one conversation in `every` has news (3 messages after the mark), the rest are read
                    "last_read_message_id": last[c] - (3 if every and k % every == 0 else 0),
                    "read_at": now,
                }
                for k, c in enumerate(conversations)
                for who in (owner[c], staff[0])
            ],
        )
    with engine.connect() as conn:  # fresh statistics, as autovacuum would have them
        conn.execute(text("ANALYZE"))
        conn.commit()
    print(f"{args.dealers} dealers, {len(conversations)} conversations, {len(rows)} messages")
    return {"anna": staff[0], "root": staff[2], "partner": partners[0], "user": users[0]}


def _time(engine, run, repeat: int) -> float:
    times = []
    with Session(engine) as s:
        run(s)  # warm
        for _ in range(repeat):
            start = time.perf_counter()
            run(s)
            times.append(time.perf_counter() - start)
            s.rollback()
    return statistics.median(times) * 1000


def _measure(engine, args, ids) -> None:
    today = clock.today()
    baseline = select(Partner.name).where(Partner.id == ids["partner"], Partner.is_active, Partner.is_dealer)
    header = dealer_header_query(ids["partner"], ids["user"], "buyer", today)
    cases = {
        "company only (before)": lambda s: s.execute(baseline).first(),
        "cabinet header (now)": lambda s: s.execute(header).first(),
        "manager's unread": lambda s: unread_count(s, Viewer(ids["anna"], None, "sales_manager")),
        "administrator's unread": lambda s: unread_count(s, Viewer(ids["root"], None, "administrator")),
        "manager's inbox page": lambda s: conversation_rows(s, Viewer(ids["anna"], None, "sales_manager")),
    }
    results = {label: _time(engine, run, args.repeat) for label, run in cases.items()}
    base = results["company only (before)"]
    for label, ms in results.items():
        print(f"{label:26} {ms:8.3f} ms   x{ms / base:6.1f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--dealers", type=int, default=300)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--unread-share", type=float, default=0.1, help="share of conversations with news")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(main())
