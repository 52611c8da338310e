"""Database-side guards created by revision core_0001 (frozen with that revision)."""

from alembic import op

# Registers are append-only and a warehouse's WMS code is locked once set: the database itself
# refuses the forbidden statements, whatever code (or person with psql) tries them.
APPEND_ONLY = ("stock_moves", "reservation_moves", "audit_records")


def create_guards() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            """
            CREATE FUNCTION dealerhub_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION dealerhub_append_only()"
            )
        op.execute(
            """
            CREATE FUNCTION dealerhub_wms_code_locked() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.wms_code IS NOT NULL AND NEW.wms_code IS DISTINCT FROM OLD.wms_code THEN
                RAISE EXCEPTION 'the WMS code of warehouse % is locked', OLD.code;
              END IF;
              RETURN NEW;
            END $$;
            """
        )
        op.execute(
            "CREATE TRIGGER warehouses_wms_code_locked BEFORE UPDATE ON warehouses "
            "FOR EACH ROW EXECUTE FUNCTION dealerhub_wms_code_locked()"
        )
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        op.execute(
            "CREATE TRIGGER warehouses_wms_code_locked BEFORE UPDATE OF wms_code ON warehouses "
            "WHEN OLD.wms_code IS NOT NULL AND NEW.wms_code IS NOT OLD.wms_code "
            "BEGIN SELECT RAISE(ABORT, 'the WMS code of a warehouse is locked'); END"
        )


def drop_guards() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS warehouses_wms_code_locked ON warehouses")
        op.execute("DROP FUNCTION IF EXISTS dealerhub_wms_code_locked()")
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS dealerhub_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS warehouses_wms_code_locked")
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")

