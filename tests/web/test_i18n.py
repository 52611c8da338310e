"""The interface catalogs: every text of the pages and messages has its Russian translation, the
catalogs compile with Babel, and the language follows the user (or the browser before login)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dealerhub.web.i18n import LOCALE_DIR, Translations

PACKAGE = LOCALE_DIR.parent
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "T": None}


def _source_messages() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def test_every_interface_text_has_a_russian_translation():
    messages = _source_messages()
    assert "Stock balances" in messages and "Wrong login or password." in messages  # templates and Python
    ru = _catalog("ru")
    untranslated = sorted(m for m in messages if not (ru.get(m) and ru.get(m).string))
    assert untranslated == []
    assert sorted(m for m in messages if _catalog("en").get(m) is None) == []


def test_translations_keep_their_placeholders():
    for message in _catalog("ru"):
        if message.id and "%(" in message.id:
            names = sorted(p.split(")")[0] for p in message.id.split("%(")[1:])
            assert sorted(p.split(")")[0] for p in message.string.split("%(")[1:]) == names, message.id


def test_catalogs_compile_in_memory():
    translations = Translations(["ru", "en"], "ru")
    assert translations.get("ru").gettext("Stock balances") == "Остатки товаров"
    assert translations.get("en").gettext("Stock balances") == "Stock balances"
    assert translations.negotiate("en-US,en;q=0.9,ru;q=0.5") == "en"
    assert translations.negotiate("de-DE") == "ru"
    assert not list(Path(LOCALE_DIR).rglob("*.mo"))


def test_the_login_page_speaks_the_browsers_language_until_chosen(client):
    assert "Войти" in client.get("/backoffice/login", headers={"Accept-Language": "ru-RU"}).text
    english = client.get("/backoffice/login", headers={"Accept-Language": "en-US,en"}).text
    assert ">Log in</button>" in english and '<html lang="en">' in english
    chosen = client.get("/backoffice/login?lang=ru", headers={"Accept-Language": "en-US"})
    assert "Войти" in chosen.text
    assert "Войти" in client.get("/backoffice/login", headers={"Accept-Language": "en-US"}).text  # the cookie


def test_a_refused_login_in_russian(client, core_db, admin):
    from tests.web.conftest import csrf_from

    token = csrf_from(client.get("/backoffice/login?lang=ru").text)
    answer = client.post(
        "/backoffice/login", data={"login": "admin", "password": "wrong", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert "Неверный логин или пароль." in answer.text
