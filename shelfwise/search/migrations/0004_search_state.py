from django.db import migrations, models

# SQLite: every change to a copy's record, school or status, and every copy added
# or removed, draws a new item_token, inside the same transaction. PostgreSQL has
# no such trigger: one row every circulation transaction would update is a lock
# they would all queue on; search reads availability there afresh (selectors).
_EVENTS = {
    "ins": "AFTER INSERT",
    "del": "AFTER DELETE",
    "upd": "AFTER UPDATE OF status, school_id, record_id",
}
_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS search_item_token_{name} {event} ON catalog_item "
    "BEGIN UPDATE search_searchstate SET item_token = random() WHERE id = 1; END"
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
