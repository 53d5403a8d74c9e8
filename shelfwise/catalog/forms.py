"""Forms of the staff catalog: a record by hand, an ISBN lookup, a copy (item)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shelfwise.catalog.models import Format, ItemStatus, Record
from shelfwise.catalog.selectors import isbn13_or_none
from shelfwise.marc.languages import language_name

# MARC language codes offered first in the add form: the home languages most
# common in US schools' multilingual-learner programs, plus a few others.
COMMON_LANGUAGES = (
    "eng", "spa", "ara", "fre", "chi", "vie", "hmn", "som", "por", "rus", "kor", "tgl",
    "hat", "jpn", "ger", "ita", "hin", "urd", "ben", "pan", "per", "pus", "ukr", "pol",
    "nep", "bur", "kar", "swa", "amh", "tir", "khm", "lao", "tha", "guj", "tam", "tel",
    "mar", "ind", "tur", "heb", "gre", "nav", "chr", "yid", "lat", "mul", "und",
)  # fmt: skip

# 008/22 target audience (BKS, MUS, VIS, COM).
AUDIENCE_CHOICES = [
    ("", _("Not specified")),
    ("a", _("Preschool")),
    ("b", _("Primary")),
    ("c", _("Pre-adolescent")),
    ("d", _("Adolescent")),
    ("e", _("Adult")),
    ("f", _("Specialized")),
    ("g", _("General")),
    ("j", _("Juvenile")),
]
AUDIENCE_LABELS = dict(AUDIENCE_CHOICES[1:])

# 008/33 literary form (BKS).
LITERARY_FORM_LABELS = {
    "0": _("Not fiction"),
    "1": _("Fiction"),
    "d": _("Drama"),
    "e": _("Essays"),
    "f": _("Novels"),
    "h": _("Humor, satire"),
    "i": _("Letters"),
    "j": _("Short stories"),
    "m": _("Mixed forms"),
    "p": _("Poetry"),
    "s": _("Speeches"),
}


def language_choices(codes: tuple[str, ...] = COMMON_LANGUAGES) -> list[tuple[str, str]]:
    """(code, name) for `codes`, named and sorted in the current interface language."""
    locale = get_language() or "en"
    named = [(code, language_name(code, locale)) for code in codes]
    return sorted(named, key=lambda pair: pair[1].casefold())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RecordForm(forms.Form):
    """A bibliographic record described by hand; `shelfwise.marc.build` makes the MARC."""

    title = forms.CharField(label=_("Title"), max_length=500)
    subtitle = forms.CharField(
        label=_("Subtitle"), max_length=500, required=False,
        help_text=_("The other title information, e.g. “a story of friendship”."),
    )  # fmt: skip
    authors = forms.CharField(
        label=_("Authors"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, surname first (Ruiz, Lena). The first is the main author."),
    )  # fmt: skip
    isbn = forms.CharField(
        label=_("ISBN"), max_length=32, required=False,
        help_text=_("ISBN-10 or ISBN-13, with or without hyphens."),
    )  # fmt: skip
    publisher = forms.CharField(label=_("Publisher"), max_length=255, required=False)
    year = forms.IntegerField(label=_("Year of publication"), required=False, min_value=1450)
    language = forms.ChoiceField(label=_("Language"))
    language_2 = forms.ChoiceField(
        label=_("Second language"), required=False,
        help_text=_("For bilingual books: the other language of the text."),
    )  # fmt: skip
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    subjects = forms.CharField(
        label=_("Subjects"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Separate subdivisions with --, e.g. Dogs -- Fiction."),
    )  # fmt: skip
    dewey = forms.CharField(
        label=_("Dewey number"), max_length=32, required=False,
        help_text=_("For example 599.75, or [Fic] / [E] as printed in the book."),
    )  # fmt: skip
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.BOOK)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=AUDIENCE_CHOICES, required=False,
        help_text=_("The intended readers, as MARC 008/22 records it."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = language_choices()
        self.fields["language"].choices = choices
        self.fields["language"].initial = "eng"
        self.fields["language_2"].choices = [("", _("None")), *choices]

    def clean_isbn(self) -> str:
        value = self.cleaned_data["isbn"].strip()
        if not value:
            return ""
        isbn13 = isbn13_or_none(value)
        if isbn13 is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a valid ISBN. Check the digits and the last character."),
                params={"value": value},
                code="invalid_isbn",
            )
        return isbn13

    def clean_year(self) -> int | None:
        year = self.cleaned_data["year"]
        if year is not None and year > datetime.date.today().year + 2:
            raise forms.ValidationError(_("The year is in the future."), code="future_year")
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("language_2") and data.get("language_2") == data.get("language"):
            data["language_2"] = ""
        return data

    def build_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `shelfwise.marc.build.build_record`."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "subtitle": data["subtitle"],
            "authors": _lines(data["authors"]),
            "isbn": data["isbn"],
            "publisher": data["publisher"],
            "year": data["year"],
            "languages": [code for code in (data["language"], data["language_2"]) if code],
            "summary": data["summary"],
            "subjects": _lines(data["subjects"]),
            "dewey": data["dewey"],
            "fmt": data["format"],
            "audience": data["audience"],
        }


class IsbnLookupForm(forms.Form):
    isbn = forms.CharField(
        label=_("ISBN"), max_length=32,
        help_text=_("Scan the barcode on the back of the book or type the ISBN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )  # fmt: skip

    def clean_isbn(self) -> str:
        value = self.cleaned_data["isbn"].strip()
        isbn13 = isbn13_or_none(value)
        if isbn13 is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a valid ISBN. Check the digits and the last character."),
                params={"value": value},
                code="invalid_isbn",
            )
        return isbn13


class ItemForm(forms.Form):
    """One copy. The school is never a field: a copy belongs to the school it is added in."""

    barcode = forms.CharField(
        label=_("Barcode"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    location = forms.CharField(
        label=_("Location"), max_length=100, required=False,
        help_text=_("Shelf or collection, e.g. Fiction, Reference, Graphic novels."),
    )  # fmt: skip
    call_number = forms.CharField(label=_("Call number"), max_length=100, required=False)
    item_type = forms.CharField(
        label=_("Item type"), max_length=32, initial="book",
        help_text=_("Circulation policies use it: book, reference, equipment…"),
    )  # fmt: skip
    copy_number = forms.CharField(label=_("Copy number"), max_length=16, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=ItemStatus.choices, initial=ItemStatus.AVAILABLE
    )
    price = forms.DecimalField(
        label=_("Price"), max_digits=8, decimal_places=2, min_value=0, required=False
    )
    acquired = forms.DateField(
        label=_("Date acquired"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Staff notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_barcode(self) -> str:
        return self.cleaned_data["barcode"].strip()


def suggested_call_number(record: Record) -> str:
    """'599.75 CAR' / '[Fic] RUI': class number and the first letters of the main entry."""
    cutter_source = record.main_author or record.title
    letters = "".join(ch for ch in cutter_source if ch.isalpha())[:3].upper()
    return " ".join(part for part in (record.dewey, letters) if part)
