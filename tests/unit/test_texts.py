"""Texts of the business areas: English where raised, translated where shown (shared/texts.py)."""

from __future__ import annotations

import pickle
from decimal import Decimal

import jinja2

from dealerhub.core.documents.names import not_in_status_text
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T, Text, current_translations, joined, localized
from dealerhub.web.i18n import Translations

I18N = Translations(["ru", "en"], "ru")


def test_a_text_is_its_english_sentence():
    text = T("line %(line)s: quantity must be positive, got %(quantity)s", line=2, quantity=Decimal(-1))
    assert text == "line 2: quantity must be positive, got -1"
    assert isinstance(text, str) and str(DomainError(text)) == "line 2: quantity must be positive, got -1"


def test_it_is_translated_with_its_values_and_the_texts_among_them():
    text = not_in_status_text("customer_order", "CO-2026-000007", "approved", ("draft", "submitted"))
    assert text == "Customer order CO-2026-000007 is «Approved»: this can be done only in status «Draft», «Submitted»"
    assert text.localized(I18N.get("ru")) == (
        "Заказ клиента CO-2026-000007 в статусе «Согласован»: "
        "это можно сделать только в статусе «Черновик», «Отправлен»"
    )
    assert text.localized(I18N.get("en")) == text


def test_a_page_shows_it_in_the_current_language_escaped():
    template = jinja2.Environment(autoescape=True).from_string("<p>{{ message }}</p>")
    text = T("line %(line)s: unknown or inactive item %(item)s", line=1, item="<b>X</b>")
    token = current_translations.set(I18N.get("ru"))
    try:
        assert template.render(message=text) == "<p>строка 1: неизвестный или неактивный товар &lt;b&gt;X&lt;/b&gt;</p>"
        assert localized(text) == "строка 1: неизвестный или неактивный товар <b>X</b>"
        assert localized("a plain str stays as it is") == "a plain str stays as it is"
    finally:
        current_translations.reset(token)
    assert template.render(message=text) == "<p>line 1: unknown or inactive item &lt;b&gt;X&lt;/b&gt;</p>"


def test_it_survives_pickling_whole():
    text = T("line %(line)s: unknown or inactive item %(item)s", line=1, item=5)
    copy = pickle.loads(pickle.dumps(text))
    assert isinstance(copy, Text) and copy == text and copy.values == {"line": 1, "item": 5}


def test_parts_are_joined_and_each_translated():
    statuses = joined([T("Draft"), T("Submitted"), "X-1"], quoted=True)
    assert statuses == "«Draft», «Submitted», «X-1»"
    assert statuses.localized(I18N.get("ru")) == "«Черновик», «Отправлен», «X-1»"
    assert joined([]) == "" and joined([]).localized(I18N.get("ru")) == ""  # not the catalog's header
