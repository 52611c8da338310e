"""The ASGI application: assembles the faces of the core (back office now), CSRF, sessions, i18n."""
