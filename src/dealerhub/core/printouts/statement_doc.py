"""The reconciliation statement (акт сверки взаимных расчётов) of one contractor for a period, as the
distributor's books show it: the opening balance, each document (date, document, debit, credit),
turnovers and the closing balance; as PDF (render.py) and as an XLSX workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from dealerhub.core import settlements
from dealerhub.core.company import OwnCompany, require_own_company
from dealerhub.core.partners import get_contractor
from dealerhub.core.printouts.lines import Party
from dealerhub.core.printouts.words import money, short_date

# How the statement names the documents that move settlements (others show their type).
DOCUMENT_NAMES = {
    "sale": "Реализация товаров",
    "customer_return": "Возврат товаров от покупателя",
    "incoming_payment": "Оплата от покупателя",
}


@dataclass(frozen=True)
class StatementDocument:
    seller: OwnCompany
    buyer: Party
    statement: settlements.Statement

    def line_title(self, line: settlements.StatementLine) -> str:
        name = DOCUMENT_NAMES.get(line.document_type, line.document_type)
        return f"{name} № {line.document_number} от {short_date(line.on)}"

    @property
    def conclusion(self) -> str:
        """Who owes whom at the end of the period."""
        closing, on = self.statement.closing, short_date(self.statement.date_to)
        if closing > 0:
            return f"На {on} задолженность {self.buyer.name} перед {self.seller.name} составляет {money(closing)} руб."
        if closing < 0:
            return f"На {on} задолженность {self.seller.name} перед {self.buyer.name} составляет {money(-closing)} руб."
        return f"На {on} взаимная задолженность отсутствует."


def build_statement(s: Session, contractor_id: int, date_from: date, date_to: date) -> StatementDocument:
    statement = settlements.reconciliation(s, contractor_id, date_from, date_to)
    return StatementDocument(
        seller=require_own_company(s),
        buyer=Party.of_contractor(get_contractor(s, contractor_id)),
        statement=statement,
    )


def statement_xlsx(doc: StatementDocument) -> bytes:
    """The statement as a workbook: a title, then Date | Document | Debit | Credit rows between the
    opening balance and the turnovers and closing balance; amounts are numbers (2 decimals)."""
    st = doc.statement
    wb = Workbook()
    ws = wb.active
    ws.title = "Акт сверки"
    ws.append(["Акт сверки взаимных расчётов"])
    ws.append([f"за период с {short_date(st.date_from)} по {short_date(st.date_to)}"])
    ws.append([f"между {doc.seller.name} (ИНН {doc.seller.inn}) и {doc.buyer.name} (ИНН {doc.buyer.inn or ''})"])
    ws.append([])
    ws.append(["Дата", "Документ", "Дебет", "Кредит"])
    header_row = ws.max_row
    debit, credit = _split(st.opening)
    ws.append([None, "Сальдо начальное", debit, credit])
    for line in st.lines:
        ws.append([line.on, doc.line_title(line), line.debit or None, line.credit or None])
        ws.cell(row=ws.max_row, column=1).number_format = "DD.MM.YYYY"
    ws.append([None, "Обороты за период", st.debit_turnover, st.credit_turnover])
    debit, credit = _split(st.closing)
    ws.append([None, "Сальдо конечное", debit, credit])
    ws.append([])
    ws.append([doc.conclusion])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=13)
    for row in ws.iter_rows(min_row=header_row + 1, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 16
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _split(balance: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """A balance in the debit column (the dealer owes) or the credit column (an advance)."""
    if balance > 0:
        return balance, None
    if balance < 0:
        return None, -balance
    return Decimal("0.00"), None
