"""A readable MARC view for librarians: one line per field, as cataloging tools show it
("245 10 $a Charlotte's web / $c by E.B. White")."""

from __future__ import annotations

import pymarc


def field_lines(record: pymarc.Record) -> list[tuple[str, str, str]]:
    """(tag, indicators with blanks shown as "_", text) per field, the leader first."""
    lines = [("LDR", "", str(record.leader or ""))]
    for field in record.fields:
        if field.control_field:
            lines.append((field.tag, "", field.data or ""))
            continue
        indicators = "".join(_shown(i) for i in (field.indicator1, field.indicator2))
        text = " ".join(f"${code} {value}" for code, value in field.subfields)
        lines.append((field.tag, indicators, text))
    return lines


def _shown(indicator: str | None) -> str:
    # A blank indicator is invisible on screen; "_" is what LC and most ILSs display.
    return "_" if not indicator or indicator == " " else indicator
