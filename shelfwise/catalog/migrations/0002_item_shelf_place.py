"""Item.section, division and pub_year (catalog.shelving), filled for existing copies, and
the indexes the collection reports read them through."""

from collections import defaultdict

from django.db import migrations, models

from shelfwise.catalog.shelving import shelf_place


def fill_shelf_place(apps, schema_editor):
    """Every copy's section, division and year from its call number and record."""
    Item = apps.get_model("catalog", "Item")
    Record = apps.get_model("catalog", "Record")
    last = 0
    while True:
        records = {
            r["pk"]: r
            for r in Record.objects.filter(pk__gt=last)
            .order_by("pk")
            .values("pk", "format", "is_biography", "is_fiction", "dewey", "pub_year")[:2000]
        }
        if not records:
            return
        last = max(records)
        updates = defaultdict(list)
        for pk, record_id, call_number, location in (
            Item.objects.filter(record_id__in=list(records))
            .order_by()
            .values_list("pk", "record_id", "call_number", "location")
        ):
            r = records[record_id]
            place = shelf_place(
                call_number=call_number,
                location=location,
                format=r["format"],
                is_biography=r["is_biography"],
                is_fiction=r["is_fiction"],
                dewey=r["dewey"],
            )
            updates[(*place, r["pub_year"])].append(pk)
        for (section, division, year), pks in updates.items():
            for i in range(0, len(pks), 500):
                Item.objects.filter(pk__in=pks[i : i + 500]).update(
                    section=section, division=division, pub_year=year
                )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="division",
            field=models.CharField(blank=True, editable=False, max_length=3),
        ),
        migrations.AddField(
            model_name="item",
            name="pub_year",
            field=models.SmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="item",
            name="section",
            field=models.CharField(default="other", editable=False, max_length=10),
        ),
        migrations.RunPython(fill_shelf_place, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="item", name="catalog_ite_record__8ed13d_idx"),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                fields=["record", "school", "status"], name="item_record_school_status"
            ),
        ),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                fields=[
                    "school",
                    "section",
                    "division",
                    "pub_year",
                    "status",
                    "record",
                    "last_circulated",
                ],
                name="item_shelf_place",
            ),
        ),
    ]
