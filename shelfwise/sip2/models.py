"""Self-check kiosks: their accounts, each school's patron-authentication policy, patron PINs.

Secrets are stored hashed with Django's password hashers (Argon2), like staff
passwords: a kiosk's password, a patron's PIN.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Login ids and location codes travel inside SIP2 fields: no "|", no controls.
_SIP_TEXT = RegexValidator(r"^[A-Za-z0-9_.@-]+$", _("Letters, digits and . _ - @ only."))

KIOSK_LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]


class PatronAuth(models.TextChoices):
    BARCODE = "barcode", _("Card barcode only")
    BARCODE_PIN = "barcode_pin", _("Card barcode and PIN")


class Sip2Settings(models.Model):
    """One school's kiosk policy; `for_school` gives the default when none is saved."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="sip2_settings"
    )
    # Decision: barcode only by default. Young readers forget PINs, and a
    # school-library kiosk sits in view of the desk; a school that wants PINs
    # turns them on here.
    patron_auth = models.CharField(
        _("how readers identify at a kiosk"),
        max_length=12,
        choices=PatronAuth.choices,
        default=PatronAuth.BARCODE,
    )

    class Meta:
        verbose_name = _("self-check settings")
        verbose_name_plural = _("self-check settings")

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def for_school(cls, school) -> Sip2Settings:
        return cls.objects.filter(school=school).first() or cls(school=school)


class KioskAccount(models.Model):
    """A self-check kiosk's SIP2 login (CN/CO of message 93) at one school."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="kiosks")
    login_id = models.CharField(_("login id"), max_length=64, unique=True, validators=[_SIP_TEXT])
    password = models.CharField(max_length=128)
    location_code = models.CharField(
        _("location code"),
        max_length=64,
        validators=[_SIP_TEXT],
        help_text=_("Where the kiosk stands, e.g. LIBRARY-FRONT; sent to the kiosk as AN."),
    )
    language = models.CharField(
        _("screen language"),
        max_length=8,
        choices=KIOSK_LANGUAGES,
        default="en",
        help_text=_("For screen messages when the kiosk does not ask for a language."),
    )
    max_connections = models.PositiveSmallIntegerField(
        _("connections at once"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    active = models.BooleanField(_("active"), default=True)
    # The kiosk acts in the audit log as this account (no membership, no login).
    actor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kiosk_account",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "login_id"]
        verbose_name = _("kiosk account")
        verbose_name_plural = _("kiosk accounts")

    def __str__(self) -> str:
        return self.login_id

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)


class PatronPin(models.Model):
    """A reader's kiosk PIN, hashed."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sip2_pin"
    )
    pin_hash = models.CharField(max_length=128)
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("patron PIN")
        verbose_name_plural = _("patron PINs")

    def __str__(self) -> str:
        return f"PIN of {self.person_id}"
