"""The full-text table of the backend in use: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

The SQL is written out here (not imported from the backends) so this
migration keeps meaning what it meant when it ran. After migrating an
existing catalog, run `shelfwise reindex` once.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, author, series, subject, summary, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'shelfwise_search') THEN
            CREATE TEXT SEARCH CONFIGURATION shelfwise_search (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION shelfwise_search
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    """CREATE TABLE IF NOT EXISTS search_pg_document (
        record_id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        title tsvector NOT NULL,
        author tsvector NOT NULL,
        series tsvector NOT NULL,
        subject tsvector NOT NULL
    )""",
    *(
        f"CREATE INDEX IF NOT EXISTS search_pg_document_{col}_gin "
        f"ON search_pg_document USING gin ({col})"
        for col in ("document", "title", "author", "series", "subject")
    ),
]
POSTGRES_DROP = [
    "DROP TABLE IF EXISTS search_pg_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS shelfwise_search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


create_text_index = _run({"sqlite": SQLITE, "postgresql": POSTGRES})
drop_text_index = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_tables")]

    operations = [migrations.RunPython(create_text_index, drop_text_index)]
