"""Language profiles: students' home languages and English-learner status from the
small CSV that ELL staff keep (OneRoster 1.1 has no field for them).

Columns: sourcedId, home_languages (ISO 639 codes, separated by spaces,
commas or semicolons), english_learner (true/false/yes/no/Y/N/1/0, blank =
unknown), el_entry_date (YYYY-MM-DD, optional). Codes are stored as MARC
(ISO 639-2/B) codes, so they compare directly with the catalog's languages.
Rejected rows are reported with line and reason; the rest lands.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import langcodes
from django.db import transaction

from shelfwise.audit.services import audit_log
from shelfwise.marc.languages import normalize_language_code
from shelfwise.people.models import Person

REQUIRED = ("sourcedId", "home_languages")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class NotLanguageProfileError(Exception):
    pass


@dataclass
class ProfileResult:
    updated: int
    unchanged: int
    errors: list[tuple[int, str]]


def to_marc_language(code: str) -> str | None:
    """'es', 'spa', 'zho', 'Hmong'… → the MARC code ('spa', 'chi', 'hmn'), or None."""
    code = code.strip()
    if not code:
        return None
    if re.fullmatch(r"[A-Za-z]{3}", code):
        marc = normalize_language_code(code.lower())
        if marc:
            return marc
    try:
        lang = langcodes.Language.get(code)
        alpha3 = lang.to_alpha3(variant="B")
    except (LookupError, ValueError):
        return None
    return normalize_language_code(alpha3)


def language_profiles_import(*, path: Path, by) -> ProfileResult:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotLanguageProfileError("the file is not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise NotLanguageProfileError(
            "missing column(s): " + ", ".join(missing) + f"; found: {', '.join(header) or 'none'}"
        )
    reader.fieldnames = header
    rows: list[tuple[int, dict]] = []
    errors: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append((line, "more values than columns"))
            continue
        sid = (row.get("sourcedId") or "").strip()
        if not sid:
            errors.append((line, "missing sourcedId"))
            continue
        codes, bad = [], []
        for part in re.split(r"[\s,;|]+", row.get("home_languages") or ""):
            if part:
                marc = to_marc_language(part)
                (codes.append(marc) if marc else bad.append(part))
        if bad:
            errors.append((line, f"unknown language code(s): {', '.join(bad)}"))
            continue
        flag = (row.get("english_learner") or "").strip().lower()
        if flag and flag not in _TRUE | _FALSE:
            errors.append((line, f"english_learner '{flag}' is not true or false"))
            continue
        entry = (row.get("el_entry_date") or "").strip()
        try:
            entry_date = date.fromisoformat(entry) if entry else None
        except ValueError:
            errors.append((line, f"el_entry_date '{entry}' is not YYYY-MM-DD"))
            continue
        rows.append(
            (
                line,
                {
                    "sid": sid,
                    "home_languages": list(dict.fromkeys(codes)),
                    "english_learner": True if flag in _TRUE else False if flag in _FALSE else None,
                    "el_entry_date": entry_date,
                },
            )
        )
    people = {
        p.sourced_id: p for p in Person.objects.filter(sourced_id__in=[r["sid"] for _, r in rows])
    }
    changed, unchanged = [], 0
    for line, r in rows:
        person = people.get(r["sid"])
        if person is None:
            errors.append((line, f"no person with sourcedId '{r['sid']}'"))
            continue
        values = {k: r[k] for k in ("home_languages", "english_learner", "el_entry_date")}
        if all(getattr(person, k) == v for k, v in values.items()):
            unchanged += 1
            continue
        for k, v in values.items():
            setattr(person, k, v)
        changed.append(person)
    with transaction.atomic():
        Person.objects.bulk_update(
            changed, ["home_languages", "english_learner", "el_entry_date"], batch_size=1000
        )
        audit_log(
            actor=by,
            action="people.import_language_profiles",
            updated=len(changed),
            rejected=len(errors),
        )
    return ProfileResult(updated=len(changed), unchanged=unchanged, errors=sorted(errors))
