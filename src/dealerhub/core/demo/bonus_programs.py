"""The demo's bonus programs, made through core.bonus like a manager would: a quarterly turnover
bonus on spare parts (3/5/7 %, payable for up to 30 % of an order), a fluids discount for the key
dealers and a spring promotion on hydraulic hammers and NordFilter parts. After the order history,
the closed quarters are accrued from the posted sales (bonus.reconcile), as `dealerhub bonus
accrue` would."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.demo.catalog_writer import CatalogRefs
from dealerhub.core.demo.partners_writer import PartnerRefs
from dealerhub.core.demo.timeline import ANCHOR, at, day, set_time
from dealerhub.shared.db import Database

D = Decimal


def write_programs(s: Session, catalog: CatalogRefs, partners: PartnerRefs, user_id: int) -> int:
    """Three programs; returns how many."""
    key_dealers = [d.partner_id for d in partners.dealers[: max(1, len(partners.dealers) // 3)]]
    programs = [
        bonus.ProgramInput(
            code="SP-QUARTER", name="Запчасти: квартальный бонус", kind="turnover", period="quarter",
            valid_from=day(365),
            description="Бонус за закупки запасных частей за квартал: от 100 000 ₽ — 3 %, от 300 000 ₽ — 5 %, "
            "от 700 000 ₽ — 7 % от всей суммы. Начисляется после закрытия квартала; до 30 % заказа можно оплатить бонусом.",
            tiers=[bonus.Tier(D("100000"), D(3)), bonus.Tier(D("300000"), D(5)), bonus.Tier(D("700000"), D(7))],
            targets=[bonus.TargetInput("group", catalog.groups["SP"])],
            usable_in_orders=True, order_cap_percent=D(30),
        ),
        bonus.ProgramInput(
            code="FL-KEY-5", name="Технические жидкости: −5 % ключевым дилерам", kind="discount",
            valid_from=day(120), all_partners=False, partner_ids=key_dealers,
            description="Скидка 5 % на масла, охлаждающие жидкости и смазки.",
            targets=[bonus.TargetInput("group", catalog.groups["FL"], D(5))],
        ),
        bonus.ProgramInput(
            code="SPRING-HAM", name="Весенняя акция: гидромолоты и фильтры NordFilter", kind="promotion",
            valid_from=day(10), valid_to=(ANCHOR + timedelta(days=50)).date(),
            description="Гидромолоты −12 %, фильтры NordFilter −8 %.",
            targets=[
                bonus.TargetInput("group", catalog.groups["ATT-HAM"], D(12)),
                bonus.TargetInput("brand", catalog.brands["NordFilter"], D(8)),
            ],
        ),
    ]
    for data in programs:
        bonus.create_program(s, data, user_id=user_id)
    return len(programs)


def accrue(database: Database, partners: PartnerRefs) -> int:
    """The closed periods accrued as of the demo's today; returns the ledger entries written."""
    set_time(at(0, hour=2))
    with database.transaction() as s:
        return len(bonus.reconcile(s, [d.partner_id for d in partners.dealers], cause="dealerhub bonus accrue"))
