"""Resource guides: a unit's curated resources, in ordered sections, for the classes it serves.

A Guide belongs to one school and serves one or more roster classes. Its
sections hold Resources of several kinds (catalog records, web links,
databases, uploaded files, and instructional supports). Every resource
carries the languages (MARC / ISO 639-2/B codes, as the catalog and the
language profiles do), reading bands (search.bands.BAND_ORDER) and format
the access check compares with the students of its classes; a catalog
record's own languages and bands are read from the record itself.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_share_token() -> str:
    # 16 random bytes: the share link cannot be guessed from a guide's number.
    return secrets.token_urlsafe(16)


class Guide(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Visibility(models.TextChoices):
        CLASSES = "classes", _("Shared with its classes")
        PUBLIC = "public", _("Public: anyone with the link")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="guides")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    subject = models.CharField(
        _("subject"),
        max_length=200,
        blank=True,
        help_text=_("A catalog subject, such as Volcanoes: suggestions for gaps come from it."),
    )
    grade = models.CharField(
        _("grade"), max_length=8, blank=True, help_text=_("CEDS code: KG, 01 … 12")
    )
    classes = models.ManyToManyField(
        "people.SchoolClass", blank=True, related_name="guides", verbose_name=_("classes")
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_guides",
        verbose_name=_("owners and editors"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("who may read it"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.CLASSES,
    )
    share_token = models.CharField(max_length=32, unique=True, default=new_share_token)
    # The collaboration the guide was built for: its participants may edit it.
    collaboration = models.ForeignKey(
        "instruction.Collaboration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        verbose_name=_("collaboration"),
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["school", "status"])]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class GuideTranslation(models.Model):
    """The guide's title and introduction in one interface language (es, ar …)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8)  # a code of settings.LANGUAGES
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guide", "language"], name="guide_translation_unique")
        ]


class Section(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("section title"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["guide", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        RECORD = "record", _("Catalog title")
        LINK = "link", _("Web link")
        DATABASE = "database", _("Database")
        FILE = "file", _("File")
        VOCABULARY = "vocabulary", _("Vocabulary list")
        FRAMES = "frames", _("Sentence frames")
        ORGANIZER = "organizer", _("Graphic organizer")

    class Format(models.TextChoices):
        TEXT = "text", _("Text")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Decision: a record deleted from the catalog leaves the resource with its
    # title and no link rather than blocking the deletion or vanishing silently.
    record = models.ForeignKey(
        "catalog.Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="guides/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    # Sentence frames and graphic-organizer prompts: one per line.
    body = models.TextField(_("text"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bands = models.JSONField(_("reading levels"), default=list, blank=True)
    format = models.CharField(
        _("format"), max_length=8, choices=Format.choices, default=Format.TEXT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.title or (self.record.title if self.record_id else self.url)


class VocabularyTerm(models.Model):
    """One word of a vocabulary list, with its translations {MARC code: text}."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="terms")
    position = models.PositiveIntegerField(default=0)
    term = models.CharField(_("term"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["resource", "position", "pk"]
