"""Collection development: the librarian's targets and weeding rules (editable data),
weeding decisions that outlive the copies they withdrew, and acquisitions
(purchase requests, vendors, budget lines, orders and what was received).

The analysis itself stores nothing: it is read from the catalog and the
anonymous circulation events by `selectors`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LanguageTarget(models.Model):
    """What "enough" means for home-language coverage at one school."""

    class Mode(models.TextChoices):
        TITLES_PER_SPEAKER = "per_speaker", _("A number of titles per speaker")
        PARITY = "parity", _("Parity with English titles per student")

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="language_target"
    )
    mode = models.CharField(
        _("target"), max_length=12, choices=Mode.choices, default=Mode.TITLES_PER_SPEAKER
    )
    titles_per_speaker = models.DecimalField(
        _("titles per speaker"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("language coverage target")
        verbose_name_plural = _("language coverage targets")

    def __str__(self) -> str:
        return f"{self.school_id} {self.mode} {self.titles_per_speaker}"


class WeedingRule(models.Model):
    """A CREW formula for one Dewey span or one section of a school's collection.

    `dewey_prefix` "5" is the 500s, "51" the 510s, "004" computers; the
    longest matching prefix wins. `section` names the non-Dewey parts
    (fiction, easy, graphic, biography, reference) and outranks Dewey.
    `max_age` / `max_idle` blank = X (does not apply).
    """

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="weeding_rules"
    )
    dewey_prefix = models.CharField(_("Dewey prefix"), max_length=3, blank=True)
    section = models.CharField(_("section"), max_length=12, blank=True)
    max_age = models.PositiveSmallIntegerField(
        _("years since publication"), null=True, blank=True, help_text=_("Blank = X")
    )
    max_idle = models.PositiveSmallIntegerField(
        _("years without circulation"), null=True, blank=True, help_text=_("Blank = X")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "dewey_prefix", "section"], name="weeding_rule_unique"
            ),
            models.CheckConstraint(
                condition=(Q(dewey_prefix="") & ~Q(section=""))
                | (~Q(dewey_prefix="") & Q(section="")),
                name="weeding_rule_dewey_or_section",
            ),
        ]
        ordering = ["section", "dewey_prefix"]
        verbose_name = _("weeding rule")
        verbose_name_plural = _("weeding rules")

    def __str__(self) -> str:
        return f"{self.section or self.dewey_prefix}: {self.max_age or 'X'}/{self.max_idle or 'X'}"


class WeedingDecision(models.Model):
    """The librarian's decision on one weeding candidate, kept after the copy is withdrawn.

    What the copy was (barcode, title, call number) is copied here, so the
    record of what was withdrawn and why survives any later change to it.
    """

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep")
        WITHDRAW = "withdraw", _("Withdraw")
        REPLACE = "replace", _("Withdraw and replace")

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    last_copy_flag = models.BooleanField(_("last copy in a language below target"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    barcode = models.CharField(max_length=64)
    title = models.TextField()
    call_number = models.CharField(max_length=100, blank=True)
    dewey = models.CharField(max_length=32, blank=True)
    pub_year = models.SmallIntegerField(null=True, blank=True)
    last_circulated = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "pk"]
        indexes = [models.Index(fields=["school", "decided_at"])]
        verbose_name = _("weeding decision")
        verbose_name_plural = _("weeding decisions")

    def __str__(self) -> str:
        return f"{self.barcode} {self.decision}"


class PurchaseRequest(models.Model):
    """A title someone asked the library to buy, with a status they can follow."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WISH_LIST = "wish_list", _("On the wish list")
        ORDERED = "ordered", _("Ordered")
        RECEIVED = "received", _("Received: on the shelf")
        DECLINED = "declined", _("Declined")

    class Gap(models.TextChoices):
        NONE = "", _("None")
        LANGUAGE = "language", _("Home-language gap")
        READING_LEVEL = "reading_level", _("Reading-level gap")

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="purchase_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, help_text=_("ISBN-13"))
    language = models.CharField(
        _("language"), max_length=3, blank=True, help_text=_("MARC language code")
    )
    reason = models.TextField(_("reason"), blank=True)
    gap = models.CharField(_("gap"), max_length=16, choices=Gap.choices, blank=True)
    gap_value = models.CharField(
        _("gap value"), max_length=16, blank=True, help_text=_("a language code or a band")
    )
    collaboration = models.ForeignKey(
        "instruction.Collaboration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchase_requests",
        verbose_name=_("collaboration"),
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    status_note = models.CharField(_("note to the requester"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")

    def __str__(self) -> str:
        return self.title


class Vendor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    account = models.CharField(_("account number"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """Money for one purpose in one fiscal year (e.g. 2026 "Home languages")."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "name"], name="budget_line_unique")
        ]
        ordering = ["-year", "name"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Order(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLACED = "placed", _("Placed")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="orders")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    placed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return f"#{self.pk} {self.vendor}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    request = models.ForeignKey(
        PurchaseRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    record = models.ForeignKey(
        "catalog.Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    language = models.CharField(_("language"), max_length=3, blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    received = models.PositiveSmallIntegerField(_("received"), default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received__lte=models.F("quantity")), name="order_line_not_over_received"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity
