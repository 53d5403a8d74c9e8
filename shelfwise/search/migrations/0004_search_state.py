from django.db import migrations, models

# The item triggers (SQLite only) are created by item_triggers.ensure, which
# also runs after every migrate: its docstring says why.


def forwards(apps, schema_editor):
    from shelfwise.search import item_triggers

    schema_editor.execute(
        "INSERT INTO search_searchstate (id, index_token, item_token) VALUES (1, 1, 1)"
    )
    item_triggers.ensure(schema_editor.connection)


def backwards(apps, schema_editor):
    from shelfwise.search import item_triggers

    item_triggers.drop(schema_editor.connection)


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
