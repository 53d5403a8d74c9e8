"""Standards frameworks from CSV: `shelfwise import-standards FILE.csv` and the shipped AASL set.

Columns: framework (code), framework_name, code, parent (a code of the same
framework), level, name, description, grade_band, subject, in any order;
framework, code and description are required. Each broken row is reported
with its line and reason and the good rows land; a file without the
required columns changes nothing. Re-importing updates rows by
(framework, code), so a district can correct its set. Python's csv module
reads the file; what no library does is the parent ordering and the
row-by-row report, written here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

REQUIRED = ("framework", "code", "description")
OPTIONAL = ("framework_name", "parent", "level", "name", "grade_band", "subject")
MAX_LENGTHS = {
    "framework": 40,
    "framework_name": 200,
    "code": 60,
    "parent": 60,
    "level": 40,
    "name": 200,
    "grade_band": 20,
    "subject": 100,
}
AASL_CSV = Path(__file__).parent / "data" / "aasl_shared_foundations.csv"


class NotStandardsFileError(ValueError):
    """The file is not a standards CSV at all (missing columns, not text)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Row:
    line: int
    values: dict[str, str]


def read_rows(text: str) -> tuple[list[Row], list[tuple[int, str]]]:
    """Parse and check each row on its own; (good rows, [(line, reason)])."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise NotStandardsFileError(_("not a CSV file (%(error)s)") % {"error": exc}) from exc
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise NotStandardsFileError(
            _("not a standards file: missing column(s) %(columns)s")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[str, str], int] = {}
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(
                (
                    reader.line_num,
                    _("not valid CSV (%(error)s); the rest of the file was not read")
                    % {"error": exc},
                )
            )
            break
        line = reader.line_num
        if None in record:
            errors.append((line, _("more values than columns")))
            continue
        values = {k: (record.get(k) or "").strip() for k in REQUIRED + OPTIONAL}
        if not any(values.values()):
            continue
        empty = [name for name in REQUIRED if not values[name]]
        if empty:
            errors.append((line, _("empty %(columns)s") % {"columns": ", ".join(empty)}))
            continue
        too_long = [k for k, n in MAX_LENGTHS.items() if len(values[k]) > n]
        if too_long:
            errors.append((line, _("too long: %(columns)s") % {"columns": ", ".join(too_long)}))
            continue
        if values["parent"] == values["code"]:
            errors.append((line, _("a standard cannot be its own parent")))
            continue
        key = (values["framework"], values["code"])
        if key in seen:
            errors.append(
                (
                    line,
                    _("code %(code)s already on line %(line)s")
                    % {"code": key[1], "line": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(Row(line=line, values=values))
    return rows, errors


def apply_rows(
    rows: list[Row], *, framework_model: Any, standard_model: Any, result: ImportResult
) -> None:
    """Write rows, parents before children; rows whose parent never appears are reported.

    Takes the model classes so the data migration can pass its historical models.
    """
    frameworks: dict[str, Any] = {}
    pending = list(rows)
    while pending:
        progressed = False
        waiting = []
        for row in pending:
            v = row.values
            fw = frameworks.get(v["framework"])
            if fw is None:
                fw, _created = framework_model.objects.get_or_create(
                    code=v["framework"], defaults={"name": v["framework_name"] or v["framework"]}
                )
                if v["framework_name"] and fw.name != v["framework_name"]:
                    fw.name = v["framework_name"]
                    fw.save(update_fields=["name"])
                frameworks[v["framework"]] = fw
            parent = None
            if v["parent"]:
                parent = standard_model.objects.filter(framework=fw, code=v["parent"]).first()
                if parent is None:
                    waiting.append(row)
                    continue
            _obj, created = standard_model.objects.update_or_create(
                framework=fw,
                code=v["code"],
                defaults={
                    "parent": parent,
                    "level": v["level"],
                    "name": v["name"],
                    "description": v["description"],
                    "grade_band": v["grade_band"],
                    "subject": v["subject"],
                    "order": row.line,
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
            progressed = True
        if not progressed:
            for row in waiting:
                result.errors.append(
                    (row.line, _("parent %(parent)s not found") % {"parent": row.values["parent"]})
                )
            break
        pending = waiting


def standards_import_text(text: str) -> ImportResult:
    from shelfwise.instruction.models import Framework, Standard

    rows, errors = read_rows(text)
    result = ImportResult(errors=list(errors))
    with transaction.atomic():
        apply_rows(rows, framework_model=Framework, standard_model=Standard, result=result)
    result.errors.sort()
    return result


def standards_import(*, path: Path) -> ImportResult:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotStandardsFileError(_("not a UTF-8 text file")) from exc
    return standards_import_text(text)
