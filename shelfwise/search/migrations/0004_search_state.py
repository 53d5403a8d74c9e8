from django.db import migrations, models

# SQLite: every change to a copy's record, school or status, every copy removed,
# and every copy added below the highest id draws a new item_token, inside the
# same transaction. A copy added above it (every ordinary insert: ids grow) is
# seen by the highest id itself, which the cache reads beside the token
# (search/cache.py): a token drawn for each of an import's 160,000 copies cost
# the import 4% of its speed. PostgreSQL has no such trigger: one row every
# circulation transaction would update is a lock they would all queue on;
# search reads availability there afresh.
_EVENTS = {
    "ins": "AFTER INSERT",
    "del": "AFTER DELETE",
    "upd": "AFTER UPDATE OF status, school_id, record_id",
}
_WHEN = {"ins": " WHEN NEW.id < (SELECT MAX(id) FROM catalog_item)"}
_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS search_item_token_{name} {event} ON catalog_item"
    f"{_WHEN.get(name, '')} BEGIN "
    "UPDATE search_searchstate SET item_token = random() WHERE id = 1; END"
    for name, event in _EVENTS.items()
]
_DROP = [f"DROP TRIGGER IF EXISTS search_item_token_{name}" for name in _EVENTS]


def forwards(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO search_searchstate (id, index_token, item_token) VALUES (1, 1, 1)"
    )
    if schema_editor.connection.vendor == "sqlite":
        for sql in _CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in _DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_no_single_key_indexes"),
        ("search", "0003_no_single_key_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchState",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("index_token", models.BigIntegerField(default=0)),
                ("item_token", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
