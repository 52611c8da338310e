from tests.exchange_fixtures import (  # noqa: F401
    _mariadb_exchange_url,
    _pg_exchange_url,
    _sqlite_exchange_template,
    exchange_db,
    server_exchange_db,
)
