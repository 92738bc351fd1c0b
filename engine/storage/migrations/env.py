"""Alembic environment. Migrations run in-process from engine.storage.database.upgrade_schema,
which passes an open connection; there is no alembic.ini and no URL here."""

from alembic import context

from engine.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables when a later migration needs it.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
