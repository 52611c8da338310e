"""What every history's env.py does: migrate one database against its own metadata."""

from __future__ import annotations

from alembic import context

from dealerhub.shared.db import make_engine


def run(metadata_loader_name: str) -> None:
    from dealerhub.migrations import DATABASES

    config = context.config
    metadata = DATABASES[metadata_loader_name].metadata_loader()
    url = config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            version_table=f"alembic_version_{metadata_loader_name}",
            # Several histories may share one database: each looks only at its own tables.
            include_name=lambda name, type_, _parent: type_ != "table" or name in metadata.tables,
            include_object=lambda obj, _name, _type, reflected, _other: reflected
            or _exists_on(obj, connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def _exists_on(obj: object, dialect: str) -> bool:
    """False for a model object declared for other databases only (info["dialects"], e.g. the
    search's PostgreSQL trigram index): Alembic's comparison doesn't read SQLAlchemy's ddl_if."""
    dialects = getattr(obj, "info", {}).get("dialects")
    return dialects is None or dialect in dialects
