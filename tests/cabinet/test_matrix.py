"""The cross-dealer matrix: every cabinet URL, requested by each role of dealer A with dealer B's
object ids, answers 404 for GET and POST alike and changes nothing; no page of dealer A shows
anything of dealer B. Every cabinet route must be declared (core/cabinet/matrix.py), so a page
added later without its declaration fails here."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dealerhub.core.accounts import DEALER_ROLES
from dealerhub.core.cabinet import PREFIX
from dealerhub.core.cabinet.matrix import MatrixRoute, cabinet_routes
from dealerhub.core.db import CoreBase
from tests.cabinet.conftest import Company, cabinet_token, log_in_dealer
from tests.cabinet.matrix_objects import FACTORIES, Made

_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
# Written by logging in, not by the requests under test.
_IGNORED_TABLES = {"web_sessions", "login_attempts"}


def _params(path: str) -> list[str]:
    return _PARAM.findall(path)


def _routes(app) -> list[MatrixRoute]:
    return cabinet_routes(app, PREFIX)


def _fingerprint(db) -> dict[str, int]:
    """Rows per table: every change writes a row (the audit trail at least)."""
    with db.session() as s:
        return {
            table.name: s.scalar(select(func.count()).select_from(table))
            for table in CoreBase.metadata.sorted_tables
            if table.name not in _IGNORED_TABLES
        }


def test_every_cabinet_route_is_declared_for_the_matrix(app):
    routes = _routes(app)
    assert len(routes) >= 5, "the cabinet serves no routes: is it mounted?"
    undeclared = sorted(f"{sorted(r.methods)} {r.path}" for r in routes if r.scope is None)
    assert undeclared == [], "declare these routes with @scoped(...) or @public (core/cabinet/matrix.py)"
    for route in routes:
        if route.scope.public:
            continue
        assert set(route.scope.objects) == set(_params(route.path)), (
            f"{route.path}: the declaration names {sorted(route.scope.objects)}, the path has "
            f"{_params(route.path)}"
        )
        needed = set(route.scope.objects.values()) if route.scope.dealer_owned else set()
        missing = needed - set(FACTORIES)
        assert not missing, f"{route.path}: no factory for {missing} in tests/cabinet/matrix_objects.py"


def test_the_matrix_has_object_routes_to_request(app):
    """The matrix below must have something to bite on: the company users' pages name users."""
    owned = [r for r in _routes(app) if r.scope and r.scope.dealer_owned]
    assert any(r.path == "/cabinet/users/{user_id}" and "GET" in r.methods for r in owned)
    assert any(r.path == "/cabinet/users/{user_id}/block" and "POST" in r.methods for r in owned)


def _make_all(db, company: Company, route: MatrixRoute) -> dict[str, Made]:
    made: dict[str, Made] = {}
    for param in _params(route.path):
        kind = route.scope.objects[param]
        made[param] = FACTORIES[kind](db, company, {p: m for p, m in made.items()})
    return made


def _url(route: MatrixRoute, made: dict[str, Made]) -> str:
    return _PARAM.sub(lambda m: str(made[m.group(1)].id), route.path)


@pytest.mark.parametrize("role", DEALER_ROLES)
def test_another_dealers_ids_are_not_found_for_every_role(client, core_db, dealer_a, dealer_b, role):
    object_routes = [r for r in _routes(client.app) if r.scope and r.scope.dealer_owned]
    theirs = {(r.path, frozenset(r.methods)): _make_all(core_db, dealer_b, r) for r in object_routes}
    ours = {(r.path, frozenset(r.methods)): _make_all(core_db, dealer_a, r) for r in object_routes}
    log_in_dealer(client, dealer_a.login(role))
    token = cabinet_token(client)
    for route in object_routes:
        key = (route.path, frozenset(route.methods))
        url = _url(route, theirs[key])
        before = _fingerprint(core_db)
        for method in sorted(route.methods & {"GET", "POST"}):
            if method == "GET":
                answer = client.get(url)
            else:
                answer = client.post(url, data={"csrf_token": token})
            assert answer.status_code == 404, f"{role} {method} {url}: {answer.status_code}"
            assert "Beta" not in answer.text, f"{role} {method} {url} shows dealer B's data"
        assert _fingerprint(core_db) == before, f"{role} {url} changed something"
        if role == "owner" and "GET" in route.methods:
            # The control: the same URL with the owner's own ids opens (the 404 above is about whose).
            own = client.get(_url(route, ours[key]))
            assert own.status_code == 200, f"own {route.path}: {own.status_code}"


@pytest.mark.parametrize("role", DEALER_ROLES)
def test_no_page_shows_another_dealers_objects(client, core_db, dealer_a, dealer_b, role):
    routes = [r for r in _routes(client.app) if r.scope and not r.scope.public and "GET" in r.methods]
    probes = [dealer_b.name]
    for route in routes:
        if route.scope.dealer_owned:
            probes += [m.probe for m in _make_all(core_db, dealer_b, route).values()]
    log_in_dealer(client, dealer_a.login(role))
    for route in routes:
        if route.scope.objects:
            continue  # covered above: another dealer's ids are not found
        answer = client.get(route.path)
        assert answer.status_code in (200, 303, 403), f"{role} GET {route.path}: {answer.status_code}"
        if answer.status_code == 303:  # a step that needs a state first (TOTP set-up): to an own page
            assert answer.headers["location"].startswith("/cabinet/"), answer.headers["location"]
            assert not answer.headers["location"].startswith("/cabinet/login")
        for probe in probes:
            assert probe not in answer.text, f"{role} GET {route.path} shows {probe!r}"
