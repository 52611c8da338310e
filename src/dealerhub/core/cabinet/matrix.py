"""The cross-dealer matrix: every cabinet route declares what its path parameters name.

A route is declared beside its definition:

    @router.get("/carts/{cart_id}")
    @scoped(cart_id="cart")
    def cart_page(cart_id: int, dealer: Buyer, s: ReadSession): ...

    @router.get("/carts")
    @scoped()                      # no object ids: lists only the dealer's own rows
    def carts(...): ...

    @public_router.get("/login")
    @public                        # before login: nothing of a dealer's to scope
    def login_form(...): ...

The kind ("cart", "order", "user" ...) names a dealer-owned object. tests/cabinet/test_matrix.py
creates such an object for dealer B (a factory per kind in tests/cabinet/matrix_objects.py), then
requests the URL as each role of dealer A and expects 404 for GET and POST alike. A cabinet route
without a declaration, or a kind without a factory, fails that test: a page added later cannot
skip the matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "__cabinet_scope__"
SHARED_PREFIX = "shared:"


def shared(kind: str) -> str:
    """The kind of a path parameter naming something every dealer may see (a catalog item):
    `@scoped(item_id=shared("item"))`. A route whose parameters are all shared is not requested by
    the matrix; one that mixes them with a dealer's objects needs a factory for the shared kind too."""
    return SHARED_PREFIX + kind


@dataclass(frozen=True)
class Scope:
    """What a route's path parameters name: {parameter: object kind}; public routes have none."""

    objects: dict[str, str] = field(default_factory=dict)
    public: bool = False

    @property
    def dealer_owned(self) -> bool:
        """True when some path parameter names a dealer's own object (the matrix requests it)."""
        return any(not kind.startswith(SHARED_PREFIX) for kind in self.objects.values())


def scoped(**objects: str) -> Callable[[F], F]:
    """Declare a dealer route: each keyword names a path parameter and the kind of object it is."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, ATTRIBUTE, Scope(objects=dict(objects)))
        return endpoint

    return mark


def public(endpoint: F) -> F:
    """Declare a route served before login (login, password reset, invitation)."""
    setattr(endpoint, ATTRIBUTE, Scope(public=True))
    return endpoint


@dataclass(frozen=True)
class MatrixRoute:
    path: str
    methods: frozenset[str]
    scope: Scope | None  # None: the route was never declared (the matrix test fails on it)


def cabinet_routes(app: FastAPI, prefix: str) -> list[MatrixRoute]:
    """Every route the app serves under the cabinet's prefix, with its declaration."""
    # FastAPI >= 0.16x includes routers lazily; iter_route_contexts flattens them (public API).
    flatten = getattr(fastapi_routing, "iter_route_contexts", None)
    routes = list(flatten(app.routes)) if flatten else [r for r in app.routes if isinstance(r, APIRoute)]
    return [
        MatrixRoute(route.path, frozenset(route.methods or ()), getattr(route.endpoint, ATTRIBUTE, None))
        for route in routes
        if route.path
        and route.endpoint is not None
        and route.methods
        and (route.path == prefix or route.path.startswith(prefix + "/"))
    ]
