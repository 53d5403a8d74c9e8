"""Realistic generated MARC 21 data for `shelfwise demo` and the import benchmark.

Most records are real Library of Congress cataloguing of children's and
young-adult books (`generate.loc`, data in `catalog/data/`); the rest are
invented (`generate.invented`) so that the demo shows what the LoC sample
lacks: Spanish, Arabic, Somali… and bilingual books, graphic novels, board
books, audiobooks, e-books and reading levels. Every invented record, and
every LoC record given reading levels, has a 500 note starting with
`DEMO_NOTE`. Pure pymarc + stdlib + python-stdnum: no Django.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pymarc

from shelfwise.catalog.generate.fields import DEMO_NOTE, invented_isbn
from shelfwise.catalog.generate.holdings import shelving, with_holdings
from shelfwise.catalog.generate.invented import LANG_WEIGHTS, invented_record
from shelfwise.catalog.generate.loc import loc_record, loc_rows

__all__ = [
    "DEMO_NOTE",
    "bench_records",
    "demo_records",
    "loc_rows",
    "shelving",
    "with_holdings",
    "write_marc_file",
]

INVENTED_SHARE = 0.15
# 979-8 ISBN blocks (7 free digits each), so no two generated sets share an ISBN.
_DEMO_BLOCK, _BENCH_BLOCK, _BENCH_REPEAT_BLOCK = "97989", "97981", "97982"
_BLOCK_SIZE = 10**7


def demo_records(*, count: int = 2400, seed: int = 7) -> Iterator[pymarc.Record]:
    """`count` distinct records: LoC rows (each at most once) mixed with invented ones.

    Deterministic for a seed. The first invented records go through every
    language once, so even a small demo has them all.
    """
    rng = random.Random(seed)
    rows = loc_rows()
    invented = max(count - len(rows), round(count * INVENTED_SHARE))
    picks = iter(rng.sample(range(len(rows)), count - invented))
    slots = [True] * invented + [False] * (count - invented)
    rng.shuffle(slots)
    languages = list(LANG_WEIGHTS)
    serial = 0
    for is_invented in slots:
        if is_invented:
            lang = languages[serial] if serial < len(languages) else None
            serial += 1
            yield invented_record(
                rng, serial=serial, control_prefix="swd", isbn_block=_DEMO_BLOCK, lang=lang
            )
        else:
            yield loc_record(next(picks), rng)


def bench_records(
    *, count: int, seed: int = 11, school_codes: Sequence[str] = ("LMS",)
) -> Iterator[pymarc.Record]:
    """`count` distinct records with 1-3 copies (852) each, for the import benchmark.

    LoC rows are cycled: the first time a row comes up it is the LoC record
    itself; later it is another binding of the same book (own 001 and ISBN).
    """
    if count > _BLOCK_SIZE:
        raise ValueError(f"at most {_BLOCK_SIZE:,} benchmark records")
    rng = random.Random(seed)
    rows = loc_rows()
    order = list(range(len(rows)))
    rng.shuffle(order)
    used = serial = 0
    barcode = 1
    for _ in range(count):
        if rng.random() < INVENTED_SHARE:
            serial += 1
            record = invented_record(
                rng, serial=serial, control_prefix="swb", isbn_block=_BENCH_BLOCK
            )
        else:
            cycle, position = divmod(used, len(rows))
            used += 1
            if cycle == 0:
                record = loc_record(order[position], rng)
            else:
                record = loc_record(
                    order[position],
                    rng,
                    control=f"swl{used:09d}",
                    isbn=invented_isbn(_BENCH_REPEAT_BLOCK, used),
                )
        copies = rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
        with_holdings(
            record,
            school_code=rng.choice(school_codes),
            copies=copies,
            barcode_start=barcode,
            rng=rng,
        )
        barcode += copies
        yield record


_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
)


def write_marc_file(
    records: Iterable[pymarc.Record], path: str | Path, fmt: str = "iso2709"
) -> int:
    """Stream `records` to `path` as UTF-8 ISO 2709 or MARCXML; return how many."""
    if fmt not in ("iso2709", "marcxml"):
        raise ValueError(f"unknown format {fmt!r}: iso2709 or marcxml")
    written = 0
    with Path(path).open("wb") as out:
        if fmt == "marcxml":
            out.write(_XML_HEAD)
        for record in records:
            if fmt == "iso2709":
                out.write(record.as_marc())
            else:
                out.write(pymarc.record_to_xml(record) + b"\n")
            written += 1
        if fmt == "marcxml":
            out.write(b"</collection>\n")
    return written
