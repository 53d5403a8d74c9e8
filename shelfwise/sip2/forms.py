"""Forms for self-check: kiosk accounts, the school's policy, PINs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shelfwise.sip2.models import KioskAccount, PatronAuth
from shelfwise.sip2.services import MIN_KIOSK_PASSWORD


class KioskForm(forms.ModelForm):
    class Meta:
        model = KioskAccount
        fields = ["login_id", "location_code", "language", "max_connections", "active"]


class KioskCreateForm(KioskForm):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=MIN_KIOSK_PASSWORD,
        help_text=_("At least 12 characters. Type it into the kiosk's SIP2 settings."),
    )

    class Meta(KioskForm.Meta):
        fields = ["login_id", "password", "location_code", "language", "max_connections"]


class KioskPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=MIN_KIOSK_PASSWORD,
        help_text=_("At least 12 characters."),
    )


class PolicyForm(forms.Form):
    patron_auth = forms.ChoiceField(
        label=_("Readers identify at a kiosk with"),
        choices=PatronAuth.choices,
        widget=forms.RadioSelect,
    )


class PinForm(forms.Form):
    pin = forms.RegexField(
        label=_("New PIN"),
        regex=r"^\d{4,8}$",
        error_messages={"invalid": _("A PIN is 4 to 8 digits.")},
        help_text=_("4 to 8 digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )
    pin_again = forms.CharField(
        label=_("The same PIN again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin") != data.get("pin_again"):
            self.add_error("pin_again", _("The two PINs are not the same."))
        return data


class ReaderPinForm(PinForm):
    barcode = forms.CharField(label=_("Reader's card barcode"), max_length=64)

    field_order = ["barcode", "pin", "pin_again"]
