"""Alembic environment: migrations run on the connection ``tradeverify.db`` hands over."""

from alembic import context

connection = context.config.attributes["connection"]
# Batch mode lets SQLite, which cannot ALTER most things, take the same migrations as PostgreSQL.
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
