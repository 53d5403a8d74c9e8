"""MARC import: stream a file of records into Records and Items, batch by batch.

The same code runs from the command line (`shelfwise import-marc`), from the
web (a background task) and in tests. It never stops at a bad record: every
rejection is stored as an ImportIssue with its position and reason, and the
good records land. A file that is not MARC at all changes nothing.

Matching an incoming record to one already in the catalog, in order:
001+003, then any ISBN-13, then the barcode of any of its copies, then
identical bibliographic content (so a record with none of those is not
duplicated by a re-import). Holdings (852/952) become Items of the school
being imported; the bibliographic MARC is stored without them.
"""

from __future__ import annotations

import logging
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from shelfwise.audit.services import audit_log
from shelfwise.catalog.bulk import allocate_ids, insert_rows
from shelfwise.catalog.import_prepare import COLLECT_EVERY, Prepared, prepared_batches
from shelfwise.catalog.marc_fields import UPDATABLE_FIELDS
from shelfwise.catalog.models import ImportIssue, ImportJob, Item, ItemStatus, Record, RecordIsbn
from shelfwise.catalog.shelving import RECORD_FIELDS, items_reshelve, shelf_place
from shelfwise.lib.collector import collected_every, collector_paused
from shelfwise.marc.holdings import Holding
from shelfwise.marc.reader import NotMarcError, RejectedRecord, open_marc
from shelfwise.search.indexing import index_entries, index_records, untouched

log = logging.getLogger(__name__)

BATCH_SIZE = 500
_SQLITE_CACHE_KB = 64 * 1024
_SQLITE_CHECKPOINT_PAGES = 64_000  # about 256 MB of WAL at 4 KB pages
_IN_CHUNK = 5000  # parameters per IN (...): well under SQLite's and PostgreSQL's limits
Progress = Callable[[ImportJob], None]

# Item columns an import sets from a holding, with their maximum lengths.
_ITEM_TEXT = {"location": 100, "call_number": 100, "item_type": 32, "copy_number": 16}
# section, division and pub_year: the copy's stored shelf place (catalog.shelving).
_ITEM_FIELDS = (
    *_ITEM_TEXT, "price", "acquired", "notes", "record_id", "section", "division", "pub_year"
)  # fmt: skip
_MAX_PRICE = Decimal("999999.99")
_ITEM_INSERT_COLUMNS = (
    "school_id",
    "barcode",
    "status",
    "circulation_count",
    "created_at",
    "updated_at",
    *_ITEM_FIELDS,
)
_RECORD_COLUMNS = ("id", *UPDATABLE_FIELDS, "created_at", "updated_at")
_updatable = operator.itemgetter(*UPDATABLE_FIELDS)  # a new record's values, in column order


class _NewRecord:
    """A record this batch creates: its column values and, once allocated, its id.

    Not a Record instance: building thousands of model objects only to read
    their attributes back for a raw INSERT was a tenth of the import's time."""

    __slots__ = ("pk", "values")

    def __init__(self, values: dict[str, Any]) -> None:
        self.pk: int | None = None
        self.values = values


@dataclass
class _Incoming:
    parsed: Prepared
    values: dict[str, Any]
    holdings: list[Holding]
    record: Record | _NewRecord | None = None  # the row it became (new or matched)
    same_as: _Incoming | None = None  # an earlier record of the batch it repeats


@dataclass
class _Batch:
    incoming: list[_Incoming] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


def marc_import_file(
    *,
    path: Path,
    school: Any,
    by: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    worker: bool | None = None,
) -> ImportJob:
    """Import one MARC file into `school`. Raises NotMarcError (nothing changed) if unreadable."""
    path = Path(path)
    job = ImportJob.objects.create(
        school=school,
        started_by=by,
        filename=path.name,
        path=str(path),
        size=path.stat().st_size,
        dry_run=dry_run,
    )
    return marc_import_run(job=job, progress=progress, worker=worker)


def marc_import_run(
    *, job: ImportJob, progress: Progress | None = None, worker: bool | None = None
) -> ImportJob:
    """Run a queued ImportJob to the end. Counters and issues are saved as it goes.

    worker: prepare records in a forked process (None: decide by file size).
    """
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with open(job.path, "rb") as stream:
            job.file_format = open_marc(stream).format  # unreadable: fail before any change
        with _sqlite_tuned_for_import(), collector_paused():
            _MarcImport(job=job, progress=progress, worker=worker).run()
    except (NotMarcError, OSError) as exc:
        job.status = ImportJob.Status.FAILED
        job.error = str(exc) if isinstance(exc, NotMarcError) else f"Cannot read the file: {exc}"
        job.finished_at = timezone.now()
        job.save()
        raise NotMarcError(job.error) from exc
    except Exception as exc:
        log.exception("MARC import %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.error = f"The import stopped on an unexpected error: {exc}"
        job.finished_at = timezone.now()
        job.save()
        raise
    return job


class _MarcImport:
    def __init__(self, *, job: ImportJob, progress: Progress | None, worker: bool | None) -> None:
        self.job = job
        self.school = job.school
        self.progress = progress
        self.worker = worker
        self.bytes_read = 0
        self.held_issues: list[ImportIssue] = []  # dry runs keep issues until after rollback

    def run(self) -> None:
        job = self.job
        if job.dry_run:
            # A dry run does everything for real inside one transaction and
            # rolls it back: its numbers are exactly what a real run would do.
            with transaction.atomic(), untouched():
                self._read_all()
                transaction.set_rollback(True)
            for issue in self.held_issues:
                issue.pk = None
            ImportIssue.objects.bulk_create(self.held_issues, batch_size=500)
        else:
            self._read_all()
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.bytes_read = job.size
        job.save()
        if not job.dry_run:
            audit_log(
                actor=job.started_by,
                action="catalog.import_marc",
                obj=job,
                school=self.school,
                filename=job.filename,
                created=job.created,
                updated=job.updated,
                rejected=job.rejected,
            )
        if self.progress:
            self.progress(job)

    def _read_all(self) -> None:
        decodings = self.job.decodings
        batches = prepared_batches(self.job.path, size=BATCH_SIZE, worker=self.worker)
        for prepared in collected_every(batches, COLLECT_EVERY):
            batch = _Batch()
            for entry in prepared.entries:
                self.job.records_read += 1
                if isinstance(entry, RejectedRecord):
                    self._reject(
                        batch,
                        entry.position,
                        entry.offset,
                        entry.reason,
                        entry.control_number,
                        entry.title,
                    )
                    continue
                decodings[entry.encoding] = decodings.get(entry.encoding, 0) + 1
                issue = self._issue_factory(entry, entry.values)
                batch.issues.extend(issue(kind, message) for kind, message in entry.notes)
                batch.incoming.append(
                    _Incoming(parsed=entry, values=entry.values, holdings=entry.holdings)
                )
            self.bytes_read = prepared.bytes_read
            self._flush(batch)

    # --- one record ------------------------------------------------------
    def _issue_factory(self, parsed: Prepared, values: dict[str, Any]) -> Callable:
        def issue(kind: str, message: str) -> ImportIssue:
            return ImportIssue(
                job=self.job,
                kind=kind,
                position=parsed.position,
                offset=parsed.offset,
                control_number=values["control_number"][:64],
                title=values["title"][:255],
                message=message,
            )

        return issue

    def _reject(
        self,
        batch: _Batch,
        position: int,
        offset: int | None,
        reason: str,
        control_number: str = "",
        title: str = "",
    ) -> None:
        self.job.rejected += 1
        batch.issues.append(
            ImportIssue(
                job=self.job,
                kind=ImportIssue.Kind.REJECTED,
                position=position,
                offset=offset,
                control_number=(control_number or "")[:64],
                title=(title or "")[:255],
                message=reason,
            )
        )

    # --- one batch -------------------------------------------------------
    def _flush(self, batch: _Batch) -> None:
        job = self.job
        if batch.incoming:
            try:
                with transaction.atomic():
                    self._write(batch.incoming, batch.issues)
            except DatabaseError:
                # Something in the batch broke a constraint; find the culprit
                # record by record so the others still land.
                log.info("batch write failed; retrying record by record", exc_info=True)
                for incoming in batch.incoming:
                    incoming.record = None
                    try:
                        with transaction.atomic():
                            self._write([incoming], batch.issues)
                    except DatabaseError as exc:
                        p = incoming.parsed
                        self._reject(
                            batch,
                            p.position,
                            p.offset,
                            f"could not be saved: {exc}",
                            incoming.values["control_number"],
                            incoming.values["title"],
                        )
        if job.dry_run:
            self.held_issues.extend(batch.issues)
        elif batch.issues:
            ImportIssue.objects.bulk_create(batch.issues, batch_size=500)
        job.bytes_read = self.bytes_read
        job.save(
            update_fields=[
                "file_format",
                "bytes_read",
                "records_read",
                "created",
                "updated",
                "unchanged",
                "items_created",
                "items_updated",
                "rejected",
                "decodings",
            ]
        )
        if self.progress:
            self.progress(job)

    def _write(self, incoming: list[_Incoming], issues: list[ImportIssue]) -> None:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        self._match(incoming)
        new: list[_NewRecord] = []
        changed: dict[int, Record] = {}
        changed_fields: set[str] = set()
        isbns_changed: list[Record] = []
        for inc in incoming:
            if inc.same_as is not None:
                rec = inc.same_as.record
                if isinstance(rec, _NewRecord):
                    rec.values = inc.values  # the later occurrence is what lands
                else:
                    for name, value in inc.values.items():
                        setattr(rec, name, value)
                inc.record = rec
                counts["updated"] += 1
                continue
            if inc.record is None:
                rec = _NewRecord(inc.values)
                inc.record = rec
                new.append(rec)
                counts["created"] += 1
                continue
            rec = inc.record
            diff = _changed_fields(rec, inc.values)
            if not diff:
                counts["unchanged"] += 1
                continue
            if "isbns" in diff:
                isbns_changed.append(rec)
            for name in diff:
                setattr(rec, name, inc.values[name])
            changed[rec.pk] = rec
            changed_fields.update(diff)
            counts["updated"] += 1

        now = timezone.now()
        for rec, pk in zip(new, allocate_ids(Record, len(new)), strict=True):
            rec.pk = pk
        insert_rows(
            Record,
            _RECORD_COLUMNS,
            [(rec.pk, *_updatable(rec.values), now, now) for rec in new],
        )
        if changed:
            Record.objects.bulk_update(
                list(changed.values()), sorted(changed_fields), batch_size=BATCH_SIZE
            )
        if isbns_changed:
            RecordIsbn.objects.filter(record__in=isbns_changed).delete()
        insert_rows(
            RecordIsbn,
            ("record_id", "isbn"),
            [
                (rec.pk, isbn)
                for rec, isbns in [
                    *((r, r.values["isbns"]) for r in new),
                    *((r, r.isbns) for r in isbns_changed),
                ]
                for isbn in dict.fromkeys(isbns)
            ],
        )
        items_created, items_updated = self._write_items(incoming, issues)
        if changed and RECORD_FIELDS & changed_fields:
            # Copies of these records the file did not list (or another school's)
            # keep their stored section and year current too.
            items_reshelve(changed)
        # Search stays current in the same transaction: new records from the
        # entries prepared beside them, changed ones re-read.
        new_pks = {rec.pk for rec in new}
        # A record repeated in the batch is indexed as its last occurrence left it.
        entries = {inc.record.pk: inc.parsed.index for inc in incoming if inc.record.pk in new_pks}
        index_entries(list(entries.items()), replace=False)
        index_records([rec.pk for rec in changed.values()])
        job = self.job
        job.created += counts["created"]
        job.updated += counts["updated"]
        job.unchanged += counts["unchanged"]
        job.items_created += items_created
        job.items_updated += items_updated

    def _match(self, incoming: list[_Incoming]) -> None:
        """Point each incoming record at the Record it updates (or None: new).

        Decision: two records whose 001s differ under the same 003 are two
        records, even when they share an ISBN (series ISBNs, multi-volume
        sets); the weaker keys (ISBN, barcode, content) never merge them.
        """
        cns = {i.values["control_number"] for i in incoming if i.values["control_number"]}
        isbns = {isbn for i in incoming for isbn in i.values["isbns"]}
        barcodes = {h.barcode for i in incoming for h in i.holdings}
        hashes = {i.values["content_hash"] for i in incoming}
        ident: dict[int, tuple[str, str]] = {}  # pk -> (001, 003) of candidates
        by_cn: dict[tuple[str, str], int] = {}
        for cn, src, pk in _rows_in(
            "SELECT control_number, control_number_source, id FROM catalog_record "
            "WHERE control_number IN ({}) ORDER BY id",
            cns,
        ):
            by_cn.setdefault((cn, src), pk)
        by_key: dict[tuple[str, str], list[int]] = {}
        for isbn, pk in _rows_in(
            "SELECT isbn, record_id FROM catalog_recordisbn WHERE isbn IN ({}) ORDER BY record_id",
            isbns,
        ):
            by_key.setdefault(("isbn", isbn), []).append(pk)
        for barcode, pk in _rows_in(
            "SELECT barcode, record_id FROM catalog_item WHERE barcode IN ({})", barcodes
        ):
            by_key.setdefault(("barcode", barcode), []).append(pk)
        for digest, pk in _rows_in(
            "SELECT content_hash, id FROM catalog_record WHERE content_hash IN ({}) ORDER BY id",
            hashes,
        ):
            by_key.setdefault(("hash", digest), []).append(pk)
        for pks in by_key.values():
            pks.sort()  # the oldest record first, however the IN was chunked
        candidates = {pk for pks in by_key.values() for pk in pks}
        ident.update(
            (pk, (cn, src))
            for pk, cn, src in _rows_in(
                "SELECT id, control_number, control_number_source FROM catalog_record "
                "WHERE id IN ({})",
                candidates,
            )
        )

        def compatible(v: dict[str, Any], other: tuple[str, str]) -> bool:
            cn, src = v["control_number"], v["control_number_source"]
            return not (cn and other[0] and src == other[1] and cn != other[0])

        matched: dict[int, int] = {}  # id(incoming) -> record pk
        pending: dict[Any, list[_Incoming]] = {}  # keys of records new in this batch
        for inc in incoming:
            v = inc.values
            weak = [("isbn", isbn) for isbn in v["isbns"]]
            weak += [("barcode", h.barcode) for h in inc.holdings]
            weak.append(("hash", v["content_hash"]))
            pk = (
                by_cn.get((v["control_number"], v["control_number_source"]))
                if v["control_number"]
                else None
            )
            if pk is None:
                pk = next(
                    (
                        c
                        for key in weak
                        for c in by_key.get(key, ())
                        if compatible(v, ident.get(c, ("", "")))
                    ),
                    None,
                )
            if pk is not None:
                matched[id(inc)] = pk
                continue
            # A record repeated within this batch updates the row its first
            # occurrence creates.
            keys = (
                [("cn", v["control_number"], v["control_number_source"])]
                if v["control_number"]
                else []
            ) + weak
            inc.same_as = next(
                (
                    e
                    for key in keys
                    for e in pending.get(key, ())
                    if key[0] == "cn"
                    or compatible(
                        v, (e.values["control_number"], e.values["control_number_source"])
                    )
                ),
                None,
            )
            for key in keys:
                pending.setdefault(key, []).append(inc)
        existing = Record.objects.in_bulk(set(matched.values()))
        for inc in incoming:
            pk = matched.get(id(inc))
            inc.record = existing[pk] if pk is not None else None

    def _write_items(self, incoming: list[_Incoming], issues: list[ImportIssue]) -> tuple[int, int]:
        barcodes = {h.barcode for inc in incoming for h in inc.holdings}
        existing = {item.barcode: item for item in Item.objects.filter(barcode__in=barcodes)}
        new: dict[str, dict[str, Any]] = {}
        changed: dict[int, Item] = {}
        for inc in incoming:
            for holding in inc.holdings:
                values = _item_values(holding, inc.record)
                item = existing.get(holding.barcode)
                if item is not None and item.school_id != self.school.pk:
                    issues.append(
                        self._holding_issue(
                            inc, f"copy {holding.barcode} belongs to another school; left unchanged"
                        )
                    )
                    continue
                if holding.barcode in new:
                    issues.append(
                        self._holding_issue(
                            inc,
                            f"barcode {holding.barcode} appears twice in the file; "
                            "the first copy was kept",
                        )
                    )
                    continue
                if item is None:
                    new[holding.barcode] = values
                    continue
                diff = [name for name, value in values.items() if getattr(item, name) != value]
                if diff:
                    for name in diff:
                        setattr(item, name, values[name])
                    changed[item.pk] = item
        now = timezone.now()
        insert_rows(
            Item,
            _ITEM_INSERT_COLUMNS,
            [
                (
                    self.school.pk,
                    barcode,
                    ItemStatus.AVAILABLE,
                    0,
                    now,
                    now,
                    *(values[name] for name in _ITEM_FIELDS),
                )
                for barcode, values in new.items()
            ],
        )
        if changed:
            Item.objects.bulk_update(
                list(changed.values()), list(_ITEM_FIELDS), batch_size=BATCH_SIZE
            )
        return len(new), len(changed)

    def _holding_issue(self, inc: _Incoming, message: str) -> ImportIssue:
        return self._issue_factory(inc.parsed, inc.values)(ImportIssue.Kind.WARNING, message)


@contextmanager
def _sqlite_tuned_for_import() -> Iterator[None]:
    """On SQLite, for the length of an import: 64 MB of page cache instead of
    2 MB, and a WAL checkpoint every 64 MB instead of every 4 MB.

    An import inserts into indexes whose keys arrive in no order (ISBNs,
    content hashes, facet values); once they outgrow the cache each insert
    rereads pages, and frequent checkpoints copy and sync the same pages again
    and again (on 100,000 records: commits took 13.9 s of 38.5 before, 9.0 s
    after). Both settings are the connection's and are put back afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {_SQLITE_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")


def _rows_in(sql: str, values: Iterable[Any]) -> list[tuple]:
    """Rows of `sql`, whose one `IN ({})` takes `values`: plain SQL, because the
    ORM's per-parameter work on these lookups cost more than the queries
    themselves (a profile of a 20,000-record import: 11 s of 72 in matching)."""
    values = list(values)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start : start + _IN_CHUNK]
            cursor.execute(sql.format(", ".join(["%s"] * len(chunk))), chunk)
            rows.extend(cursor.fetchall())
    return rows


def _changed_fields(record: Record, values: dict[str, Any]) -> list[str]:
    """Names of the columns an update would change; 005 and holdings never count."""
    if record.content_hash == values["content_hash"]:
        # Same bibliographic content: only extraction-rule changes can differ.
        names = [
            n for n in UPDATABLE_FIELDS if n not in {"marc", "marc_original", "source_encoding"}
        ]
    else:
        names = list(UPDATABLE_FIELDS)
    return [n for n in names if _normalise(getattr(record, n)) != _normalise(values[n])]


def _normalise(value: Any) -> Any:
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _item_values(holding: Holding, record: Record | _NewRecord) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: (getattr(holding, name) or "")[:length] for name, length in _ITEM_TEXT.items()
    }
    values["item_type"] = values["item_type"] or "book"
    price = holding.price
    values["price"] = price if price is not None and 0 <= price <= _MAX_PRICE else None
    values["acquired"] = holding.acquired
    values["notes"] = holding.notes or ""
    values["record_id"] = record.pk
    bib = record.values if isinstance(record, _NewRecord) else vars(record)
    values["section"], values["division"] = shelf_place(
        call_number=values["call_number"],
        location=values["location"],
        format=bib["format"],
        is_biography=bib["is_biography"],
        is_fiction=bib["is_fiction"],
        dewey=bib["dewey"],
    )
    values["pub_year"] = bib["pub_year"]
    return values


def sniff_files(paths: Iterable[Path]) -> dict[Path, str]:
    """Check that every file can be read as MARC; {path: error} for those that cannot."""
    errors: dict[Path, str] = {}
    for path in paths:
        try:
            with open(path, "rb") as stream:
                open_marc(stream)
        except NotMarcError as exc:
            errors[path] = str(exc)
        except OSError as exc:
            errors[path] = f"cannot read the file: {exc.strerror or exc}"
    return errors
