"""Forms for professional learning: designing a session, signing in, feedback."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shelfwise.catalog.models import Record
from shelfwise.catalog.selectors import isbn13_or_none
from shelfwise.guides.models import Guide
from shelfwise.learning.models import LIKERT, Feedback, Series, Session

_LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=_LOCAL_DATETIME, **kwargs)


class SessionForm(forms.ModelForm):
    records_text = forms.CharField(
        label=_("Catalog records"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ISBNs or record numbers of books and media to use, one a line."),
    )
    link = forms.URLField(
        label=Session._meta.get_field("link").verbose_name,
        required=False,
        assume_scheme="https",
        max_length=200,
    )
    new_series = forms.CharField(
        label=_("Or start a new series"),
        required=False,
        max_length=200,
        help_text=_("A title for a new series this session begins (optional)."),
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "objectives",
            "audience",
            "format",
            "starts_at",
            "ends_at",
            "location",
            "link",
            "capacity",
            "hours",
            "series",
            "guides",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["series"].queryset = Series.objects.filter(school=school)
        # The school's own resource guides only.
        self.fields["guides"].queryset = Guide.objects.filter(school=school).order_by("title")
        self.fields["guides"].help_text = _("Hold Ctrl (or ⌘) to choose more than one.")
        self.fields["starts_at"].input_formats = [_LOCAL_DATETIME]
        self.fields["ends_at"].input_formats = [_LOCAL_DATETIME]
        if self.instance.pk:
            self.fields["records_text"].initial = "\n".join(
                str(pk) for pk in self.instance.records.values_list("pk", flat=True)
            )

    def clean_records_text(self) -> list[Record]:
        records, unknown = [], []
        for token in re.split(r"[\s,;]+", self.cleaned_data.get("records_text") or ""):
            if not token:
                continue
            isbn = isbn13_or_none(token)
            record = None
            if isbn:
                record = Record.objects.filter(isbn_rows__isbn=isbn).first()
            elif token.isdigit():
                record = Record.objects.filter(pk=int(token)).first()
            if record is None:
                unknown.append(token)
            elif record not in records:
                records.append(record)
        if unknown:
            raise ValidationError(
                _("Not in the catalog: %(list)s. Use an ISBN or a record number."),
                params={"list": ", ".join(unknown)},
            )
        return records

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        if data.get("series") and data.get("new_series"):
            self.add_error("new_series", _("Choose a series or start a new one, not both."))
        if not data.get("location") and not data.get("link"):
            self.add_error("location", _("Give a location, an online link, or both."))
        return data


class SignInForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=20,
        help_text=_("The code on the facilitator's screen."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def _likert(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LIKERT, coerce=int, widget=forms.RadioSelect)


class FeedbackForm(forms.Form):
    clarity = _likert(Feedback._meta.get_field("clarity").verbose_name)
    relevance = _likert(Feedback._meta.get_field("relevance").verbose_name)
    intent_to_use = _likert(Feedback._meta.get_field("intent_to_use").verbose_name)
    comments = forms.CharField(
        label=_("Comments (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
