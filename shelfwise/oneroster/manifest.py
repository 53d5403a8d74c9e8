"""Decide whether a set is OneRoster at all, and read its manifest: version and the
bulk/delta/absent mode of every file.

Everything that makes a set "not OneRoster" is found here, before any row is read, so
NotOneRosterError always means nothing was taken from the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shelfwise.oneroster import schema
from shelfwise.oneroster.rows import NotOneRosterError
from shelfwise.oneroster.source import (
    READ_ERRORS,
    RosterSource,
    UnreadableRest,
    detect_encoding,
    iter_records,
    read_header,
)

__all__ = ["Manifest", "read_manifest"]

MODES = ("bulk", "delta", "absent")
_VERSION = re.compile(r"1\.[012](\.\d+)*")
# Data files Shelfwise reads, in manifest spelling ("file.academicSessions").
_READ = {spec.name.lower(): spec.name for spec in schema.READ_ORDER}
# OneRoster files that are understood and deliberately not read.
_NOT_READ_NOTES = {
    "demographics.csv": "Shelfwise keeps no demographics",
    "userprofiles.csv": "login profiles are not used",
}


@dataclass
class Manifest:
    properties: dict[str, str]
    version: str
    modes: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def _looks_oneroster(src: RosterSource) -> list[str]:
    """Names of files that are OneRoster by name *and* by header (a sourcedId column)."""
    found = []
    for key in src.files:
        if key in _READ or key == "demographics.csv":
            header = read_header(src, key)
            if header and ("sourcedId" in header or "userSourcedId" in header):
                found.append(key)
    return found


def read_manifest(src: RosterSource) -> Manifest:
    if "manifest.csv" in src.files:
        properties = _read_properties(src)
    else:
        properties = None
        if not _looks_oneroster(src):
            listed = ", ".join(sorted(src.files)[:8])
            raise NotOneRosterError(
                f"no manifest.csv and no OneRoster files (orgs.csv, users.csv, "
                f"enrollments.csv … with a sourcedId column) in {src.label}; found {listed}"
            )
    warnings: list[str] = []
    if properties is None:
        # Decision: OneRoster 1.0 had no manifest, so a set without one is read as 1.0
        # with every file present taken as a full (bulk) snapshot.
        version = "1.0"
        properties = {}
        warnings.append("no manifest.csv: read as OneRoster 1.0, every file present as bulk")
    else:
        version = properties.get("oneroster.version", "")
        if not version:
            # Decision: the manifest is a 1.1 invention, so a manifest without a version
            # is most likely 1.1.
            version = "1.1"
            warnings.append("manifest.csv gives no oneroster.version; read as OneRoster 1.1")
        elif not _VERSION.fullmatch(version):
            raise NotOneRosterError(
                f"manifest.csv says oneroster.version '{version}'; Shelfwise reads "
                "OneRoster 1.0, 1.1 and 1.2 sets only"
            )
        elif version.startswith("1.2"):
            warnings.append(
                "OneRoster 1.2 set: read as 1.1 where the files map (roles from roles.csv)"
            )
    modes = _modes(src, properties, manifested=bool(properties), warnings=warnings)
    extra = sorted(k for k in src.files if k not in _READ and k != "manifest.csv")
    if extra:
        notes = [f"{k} ({_NOT_READ_NOTES[k]})" if k in _NOT_READ_NOTES else k for k in extra]
        warnings.append(f"files not read: {', '.join(notes)}")
    return Manifest(properties, version, modes, warnings)


def _read_properties(src: RosterSource) -> dict[str, str]:
    try:
        with src.open("manifest.csv") as raw:
            encoding = detect_encoding(raw)
        with src.open("manifest.csv") as raw:
            records = list(iter_records(raw, encoding))
    except UnreadableRest as exc:
        raise NotOneRosterError(
            f"manifest.csv cannot be read (line {exc.line}: {exc.detail})"
        ) from None
    except READ_ERRORS as exc:
        raise NotOneRosterError(f"manifest.csv cannot be opened: {exc}") from None
    header = [h.strip().lower() for h in records[0][1]] if records else []
    if header[:2] != ["propertyname", "value"]:
        raise NotOneRosterError(
            "manifest.csv is not a OneRoster manifest: its first line should be "
            "'propertyName,value'"
        )
    properties: dict[str, str] = {}
    for _, values in records[1:]:
        if len(values) >= 2 and values[0].strip():
            properties.setdefault(values[0].strip(), values[1].strip())
    return properties


def _modes(
    src: RosterSource, properties: dict[str, str], *, manifested: bool, warnings: list[str]
) -> dict[str, str]:
    modes: dict[str, str] = {}
    for key, value in properties.items():
        if key.startswith("file.") and value.lower() in MODES:
            modes[key[5:] + ".csv"] = value.lower()
    declared = {k.lower(): v for k, v in modes.items()}
    for key, name in _READ.items():
        stated = declared.get(key, "")
        present = key in src.files
        # Keys use the spec's spelling so the importer can rely on them.
        for other in [k for k in modes if k.lower() == key and k != name]:
            del modes[other]
        if present and stated in ("bulk", "delta"):
            modes[name] = stated
        elif present and stated == "absent":
            # Decision: the manifest is the sender's statement of what it sent; a stray
            # file it disowns is not read.
            warnings.append(f"{name} is present but manifest.csv says absent; not read")
            modes[name] = "absent"
        elif present:
            if manifested:
                warnings.append(f"manifest.csv says nothing about {name}; read as bulk")
            modes[name] = "bulk"
        else:
            if stated in ("bulk", "delta"):
                warnings.append(f"manifest.csv lists {name} as {stated} but the file is missing")
            modes[name] = "absent"
    return modes
