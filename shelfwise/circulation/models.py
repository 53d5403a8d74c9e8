"""Circulation: policies, loans, holds, charges, notices and the anonymous event log.

Privacy by design: a Loan points at its patron only while it is open and for
the school's retention period after return; `CirculationEvent` rows, which
statistics read, never point at a person at all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PatronCategory(models.TextChoices):
    STUDENT = "student", _("Student")
    STAFF = "staff", _("Staff")


ANY_ITEM_TYPE = "*"


class LoanPolicy(models.Model):
    """Loan rules for one school × patron category × item type ('*' = any type)."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="loan_policies"
    )
    patron_category = models.CharField(
        _("patron category"), max_length=10, choices=PatronCategory.choices
    )
    item_type = models.CharField(
        _("item type"),
        max_length=32,
        default=ANY_ITEM_TYPE,
        help_text=_("'*' applies to every item type"),
    )
    loan_days = models.PositiveSmallIntegerField(_("loan days"), default=14)
    renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=2)
    max_loans = models.PositiveSmallIntegerField(_("maximum loans"), default=5)
    holds_allowed = models.BooleanField(_("holds allowed"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "patron_category", "item_type"], name="loan_policy_unique"
            ),
        ]
        verbose_name = _("loan policy")
        verbose_name_plural = _("loan policies")

    def __str__(self) -> str:
        return f"{self.school.code} {self.patron_category} {self.item_type}"


class CirculationSettings(models.Model):
    """Per-school circulation settings; `for_school` gives defaults when none are saved."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="circulation_settings"
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days a returned loan keeps its patron"),
        default=0,
        help_text=_("0 = the link to the student is cut at check-in"),
    )
    hold_shelf_days = models.PositiveSmallIntegerField(_("open days on the hold shelf"), default=5)
    due_soon_days = models.PositiveSmallIntegerField(_("due-soon notice, days before"), default=2)
    replacement_charges = models.BooleanField(
        _("charge for lost items"), default=False, help_text=_("Fine-free otherwise")
    )

    class Meta:
        verbose_name = _("circulation settings")
        verbose_name_plural = _("circulation settings")

    def __str__(self) -> str:
        return str(self.school)


class Loan(models.Model):
    class Outcome(models.TextChoices):
        RETURNED = "returned", _("Returned")
        LOST = "lost", _("Lost")
        CLAIMED_RETURNED = "claimed_returned", _("Claimed returned")

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="loans")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    patron = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    checked_out_at = models.DateTimeField(_("checked out"))
    due_on = models.DateField(_("due"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    anonymized = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # One open loan per item, whatever the code does.
            models.UniqueConstraint(
                fields=["item"], condition=Q(returned_at=None), name="one_open_loan_per_item"
            ),
        ]
        indexes = [
            models.Index(fields=["patron", "returned_at"]),
            models.Index(fields=["school", "due_on"]),
        ]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self) -> str:
        return f"{self.item_id} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class Hold(models.Model):
    """A title-level hold: the first copy checked in at the pickup school fills it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READY = "ready", _("Ready for pickup")
        FULFILLED = "fulfilled", _("Picked up")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    record = models.ForeignKey("catalog.Record", on_delete=models.CASCADE, related_name="holds")
    patron = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holds"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    placed_at = models.DateTimeField()
    item = models.ForeignKey(
        "catalog.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="holds"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "patron"],
                condition=Q(status__in=["waiting", "ready"]),
                name="one_active_hold_per_patron_and_title",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="ready"), name="one_ready_hold_per_item"
            ),
        ]
        indexes = [models.Index(fields=["record", "school", "status"])]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")

    def __str__(self) -> str:
        return f"hold {self.record_id} {self.status}"


class CirculationEvent(models.Model):
    """Anonymous: what circulated, when, to which group. Never who."""

    class Kind(models.TextChoices):
        CHECKOUT = "checkout", _("Check-out")
        RENEWAL = "renewal", _("Renewal")
        CHECKIN = "checkin", _("Check-in")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField(db_index=True)
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.Item", null=True, on_delete=models.SET_NULL, related_name="+")
    record = models.ForeignKey(
        "catalog.Record", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    grade_band = models.CharField(max_length=8, blank=True)
    language_group = models.CharField(max_length=8, blank=True)
    english_learner = models.BooleanField(null=True)

    class Meta:
        indexes = [models.Index(fields=["school", "on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class Charge(models.Model):
    """An optional replacement charge (schools are fine-free by default)."""

    patron = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charges"
    )
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    reason = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, blank=True)  # paid | waived | returned

    def __str__(self) -> str:
        return f"{self.reason} {self.amount}"


class Notice(models.Model):
    """A notice sent to a patron; `key` makes sending idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        HOLD_READY = "hold_ready", _("Hold ready")
        PURCHASE = "purchase", _("Purchase request")

    patron = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
