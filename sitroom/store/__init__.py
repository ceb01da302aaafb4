"""The store layer: the only code that talks to the database (SQLite or PostgreSQL)."""

from sitroom.store.database import Store, create_database_engine

__all__ = ["Store", "create_database_engine"]
