"""Ship the AASL Shared Foundations (names and structure; descriptions in our own words)."""

from django.db import migrations


def load_aasl(apps, schema_editor):
    from shelfwise.instruction.standards import AASL_CSV, ImportResult, apply_rows, read_rows

    rows, errors = read_rows(AASL_CSV.read_text(encoding="utf-8"))
    result = ImportResult()
    apply_rows(
        rows,
        framework_model=apps.get_model("instruction", "Framework"),
        standard_model=apps.get_model("instruction", "Standard"),
        result=result,
    )
    if errors or result.errors:
        raise RuntimeError(f"the shipped AASL file has broken rows: {errors + result.errors}")


def unload_aasl(apps, schema_editor):
    apps.get_model("instruction", "Framework").objects.filter(code="AASL").delete()


class Migration(migrations.Migration):
    dependencies = [("instruction", "0001_collaborations_standards_spaces")]

    operations = [migrations.RunPython(load_aasl, unload_aasl)]
