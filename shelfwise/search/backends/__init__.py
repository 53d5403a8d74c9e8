"""Search backends, chosen by the database in use (as wagtail does)."""

from __future__ import annotations

from django.db import connection

from shelfwise.search.backends.base import Document, SearchBackend

__all__ = ["Document", "SearchBackend", "get_backend"]

_BACKENDS: dict[str, SearchBackend] = {}


def get_backend() -> SearchBackend:
    """The backend for `connection.vendor`; ImproperlyConfigured-like error for others."""
    vendor = connection.vendor
    backend = _BACKENDS.get(vendor)
    if backend is None:
        if vendor == "sqlite":
            from shelfwise.search.backends.sqlite_fts5 import SqliteFts5Backend

            backend = SqliteFts5Backend()
        elif vendor == "postgresql":
            from shelfwise.search.backends.postgres import PostgresBackend

            backend = PostgresBackend()
        else:
            raise RuntimeError(f"Shelfwise search has no backend for {vendor!r} databases")
        _BACKENDS[vendor] = backend
    return backend
