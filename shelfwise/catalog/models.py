"""Catalog: bibliographic Records (MARC kept whole beside extracted fields) and Items.

A Record is shared by every school of the district; an Item is one copy at
one school. The MARC of a record is stored as UTF-8 ISO 2709 (`marc`), and
when it arrived in another form (MARC-8, a mislabelled encoding, MARCXML)
the bytes exactly as received are kept in `marc_original`, so nothing the
old system sent is ever lost.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    BOOK = "book", _("Book")
    LARGE_PRINT = "large_print", _("Large print")
    PICTURE_BOOK = "picture_book", _("Picture book")
    BOARD_BOOK = "board_book", _("Board book")
    GRAPHIC_NOVEL = "graphic_novel", _("Graphic novel")
    EBOOK = "ebook", _("E-book")
    AUDIOBOOK = "audiobook", _("Audiobook")
    VIDEO = "video", _("Video")
    MUSIC = "music", _("Music recording")
    SCORE = "score", _("Musical score")
    MAP = "map", _("Map")
    SERIAL = "serial", _("Magazine or serial")
    COMPUTER_FILE = "computer_file", _("Software or data")
    KIT = "kit", _("Kit")
    IMAGE = "image", _("Picture or image")
    OBJECT = "object", _("Object")
    MANUSCRIPT = "manuscript", _("Manuscript")
    OTHER = "other", _("Other")


class Record(models.Model):
    control_number = models.CharField(_("control number (001)"), max_length=64, blank=True)
    control_number_source = models.CharField(
        _("control number source (003)"), max_length=32, blank=True
    )

    title = models.TextField(_("title"))
    responsibility = models.TextField(_("statement of responsibility"), blank=True)
    main_author = models.CharField(_("main author"), max_length=255, blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    edition = models.CharField(_("edition"), max_length=255, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    pub_place = models.CharField(_("place of publication"), max_length=255, blank=True)
    pub_year = models.SmallIntegerField(_("year"), null=True, blank=True)
    extent = models.CharField(_("extent"), max_length=255, blank=True)
    isbns = models.JSONField(_("ISBNs"), default=list, blank=True, help_text=_("ISBN-13"))
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("MARC codes")
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    genres = models.JSONField(_("genres"), default=list, blank=True)
    series = models.JSONField(_("series"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    dewey = models.CharField(_("Dewey number"), max_length=32, blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.BOOK
    )
    literary_form = models.CharField(_("literary form (008/33)"), max_length=1, blank=True)
    is_fiction = models.BooleanField(_("fiction"), default=False)
    is_biography = models.BooleanField(_("biography"), default=False)

    audience = models.CharField(_("audience (008/22)"), max_length=1, blank=True)
    reading_grade_min = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    reading_grade_max = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    interest_age_min = models.SmallIntegerField(null=True, blank=True)
    interest_age_max = models.SmallIntegerField(null=True, blank=True)
    interest_grade_min = models.SmallIntegerField(null=True, blank=True, help_text=_("K = 0"))
    interest_grade_max = models.SmallIntegerField(null=True, blank=True)
    lexile = models.SmallIntegerField(
        _("Lexile measure"), null=True, blank=True, help_text=_("BR levels are negative")
    )
    lexile_code = models.CharField(_("Lexile code"), max_length=2, blank=True)
    fp_level = models.CharField(_("Fountas & Pinnell level"), max_length=3, blank=True)
    ar_level = models.DecimalField(
        _("AR book level"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    ar_points = models.DecimalField(
        _("AR points"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    ar_interest = models.CharField(_("AR interest level"), max_length=4, blank=True)

    marc = models.BinaryField(_("MARC (UTF-8 ISO 2709)"))
    marc_original = models.BinaryField(_("MARC as received"), null=True, blank=True)
    source_encoding = models.CharField(_("decoded as"), max_length=80, blank=True)
    content_hash = models.CharField(max_length=40, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["control_number", "control_number_source"])]
        ordering = ["title", "pk"]
        verbose_name = _("record")
        verbose_name_plural = _("records")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from shelfwise.catalog.shelving import RECORD_FIELDS, items_reshelve

        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or RECORD_FIELDS & set(update_fields):
            items_reshelve([self.pk])  # its copies' stored section and year


class RecordIsbn(models.Model):
    """One ISBN-13 of a record: the index import matching and ISBN search use."""

    # No index of its own: record_isbn_unique (record, isbn) leads with it.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="isbn_rows", db_index=False
    )
    isbn = models.CharField(max_length=13, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "isbn"], name="record_isbn_unique")
        ]


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    CHECKED_OUT = "checked_out", _("Checked out")
    ON_HOLD_SHELF = "on_hold_shelf", _("On the hold shelf")
    IN_TRANSIT = "in_transit", _("In transit")
    IN_PROCESSING = "in_processing", _("In processing")
    ON_ORDER = "on_order", _("On order")
    LOST = "lost", _("Lost")
    MISSING = "missing", _("Missing")
    DAMAGED = "damaged", _("Damaged")
    CLAIMED_RETURNED = "claimed_returned", _("Claimed returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Item(models.Model):
    # Neither key has an index of its own: the composite indexes below lead with
    # each (a single-column copy only cost every insert and status change a b-tree).
    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="items", db_index=False
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="items", db_index=False
    )
    barcode = models.CharField(_("barcode"), max_length=64, unique=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    call_number = models.CharField(_("call number"), max_length=100, blank=True)
    item_type = models.CharField(_("item type"), max_length=32, default="book")
    copy_number = models.CharField(_("copy number"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.AVAILABLE
    )
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2, null=True, blank=True)
    acquired = models.DateField(_("date acquired"), null=True, blank=True)
    circulation_count = models.PositiveIntegerField(_("times circulated"), default=0)
    last_circulated = models.DateField(_("last circulated"), null=True, blank=True)
    notes = models.TextField(_("staff notes"), blank=True)
    # Derived (catalog.shelving), stored so that the collection reports group
    # by plain columns: the section ("500", "fiction" …), the Dewey division
    # ("510", or "" outside Dewey) and the record's publication year.
    section = models.CharField(max_length=10, default="other", editable=False)
    division = models.CharField(max_length=3, blank=True, editable=False)
    pub_year = models.SmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["school", "status"]),
            # Status too: the collection reports count a record's copies in the
            # collection from this index alone.
            models.Index(fields=["record", "school", "status"], name="item_record_school_status"),
            # Covering the collection reports' GROUP BYs, school by school.
            models.Index(
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
        ]
        ordering = ["barcode"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.barcode

    def save(self, *args: Any, **kwargs: Any) -> None:
        from shelfwise.catalog.shelving import ITEM_FIELDS, item_shelve

        update_fields = kwargs.get("update_fields")
        if update_fields is None or ITEM_FIELDS & set(update_fields):
            item_shelve(self, self.record)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "section", "division", "pub_year"}
        super().save(*args, **kwargs)


class ImportJob(models.Model):
    """One MARC import (from the command line or the web) and what it did."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    path = models.CharField(max_length=500, blank=True)
    size = models.BigIntegerField(default=0)
    file_format = models.CharField(max_length=16, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    bytes_read = models.BigIntegerField(default=0)
    records_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    items_created = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    decodings = models.JSONField(default=dict, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.bytes_read / self.size) if self.size else 0


class ImportIssue(models.Model):
    """A record the import rejected, or something it did to a record worth telling."""

    class Kind(models.TextChoices):
        REJECTED = "rejected", _("Rejected")
        DECODED = "decoded", _("Decoded")
        WARNING = "warning", _("Warning")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField(help_text=_("1-based record number in the file"))
    offset = models.BigIntegerField(null=True, blank=True, help_text=_("byte offset in the file"))
    control_number = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=255, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["position", "pk"]
