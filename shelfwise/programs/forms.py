"""Forms for programs and leadership: parsing and field errors only; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shelfwise.marc.languages import language_name
from shelfwise.people.models import Person
from shelfwise.people.roles import Role
from shelfwise.programs.models import (
    Expectation,
    GradeBand,
    LeaderRole,
    Program,
    Visit,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgramForm(forms.ModelForm):
    languages_text = forms.CharField(
        label=_("Languages offered"),
        required=False,
        help_text=_("Names or codes, separated by commas: English, español, ar…"),
    )

    class Meta:
        model = Program
        fields = [
            "title",
            "kind",
            "description",
            "audience",
            "grades",
            "partners",
            "starts_at",
            "ends_at",
            "location",
            "materials",
            "published",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            locale = get_language() or "en"
            self.initial["languages_text"] = ", ".join(
                language_name(code, locale) for code in self.instance.languages
            )

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("A program cannot end before it starts."))
        return data

    def clean_languages_text(self) -> list[str]:
        from shelfwise.programs.services import languages_parse

        return languages_parse(self.cleaned_data.get("languages_text", ""))


class AttendanceForm(forms.Form):
    def __init__(self, *args, program: Program | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = {a.grade_band: a.count for a in program.attendance.all()} if program else {}
        for value, label in GradeBand.choices:
            self.fields[f"band_{value}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100000, required=False,
                initial=current.get(value, 0),
            )  # fmt: skip

    def counts(self) -> dict[str, int]:
        return {value: self.cleaned_data.get(f"band_{value}") or 0 for value in GradeBand.values}


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, up to 5 MB. Only photos families agreed to share."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )


class NormsForm(forms.Form):
    def __init__(self, *args, norms=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = {norm.letter: norm for norm in norms or []}
        for letter, label in Expectation.choices:
            norm = current.get(letter)
            self.fields[f"heading_{letter}"] = forms.CharField(
                label=_("Heading for %(letter)s (%(name)s)") % {"letter": letter, "name": label},
                max_length=100,
                initial=norm.heading if norm else label,
            )
            self.fields[f"body_{letter}"] = forms.CharField(
                label=_("What %(name)s looks like, one behavior per line") % {"name": label},
                widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join(norm.lines) if norm else "",
            )

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            letter: (self.cleaned_data[f"heading_{letter}"], self.cleaned_data[f"body_{letter}"])
            for letter in Expectation.values
        }


class RecognitionForm(forms.Form):
    tags = forms.MultipleChoiceField(
        label=_("Which expectations did they show?"),
        choices=Expectation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label=_("What did they do well?"),
        help_text=_("A sentence or two the student will read, such as: “You helped…”."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        max_length=1000,
    )


def _staff_choices(school) -> list[tuple[int, str]]:
    people = Person.objects.filter(
        memberships__school=school,
        memberships__role__in=[Role.TEACHER, Role.ELL_SPECIALIST],
        is_active=True,
    ).order_by("last_name", "first_name")
    return [(p.pk, p.full_name or p.username) for p in people]


def _students_of(school, roles=(Role.STUDENT, Role.AIDE)):
    return Person.objects.filter(
        memberships__school=school, memberships__role__in=roles, is_active=True
    ).order_by("last_name", "first_name")


class ApplicationForm(forms.Form):
    role = forms.ChoiceField(label=_("Which role would you like?"), choices=LeaderRole.choices)
    statement = forms.CharField(
        label=_("Why would you like to help in the library?"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        max_length=2000,
    )
    teacher = forms.TypedChoiceField(
        label=_("Which teacher will recommend you?"), coerce=int, choices=()
    )

    def __init__(self, *args, school=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [("", "—"), *_staff_choices(school)]


class RecommendationForm(forms.Form):
    recommendation = forms.CharField(
        label=_("Your recommendation"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        max_length=2000,
    )


class ShiftForm(forms.Form):
    aide = forms.TypedChoiceField(label=_("Aide"), coerce=int, choices=())
    role = forms.ChoiceField(label=_("Role"), choices=LeaderRole.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.TypedChoiceField(
        label=_("Bell period"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
        help_text=_("Or leave empty and give the times (before school, lunch)."),
    )
    starts_at = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    repeat_until = forms.DateField(
        label=_("Repeat every week until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. Closed days are skipped."),
    )

    def __init__(self, *args, school=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        aides = _students_of(school, roles=(Role.AIDE,))
        self.fields["aide"].choices = [(p.pk, p.full_name or p.username) for p in aides]
        self.fields["period"].choices = [("", "—")] + [
            (p.pk, str(p)) for p in school.bell_periods.order_by("order")
        ]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    sponsor = forms.TypedChoiceField(label=_("Staff sponsor"), coerce=int, choices=())
    team = forms.TypedMultipleChoiceField(
        label=_("Student team"),
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, school=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = Person.objects.filter(
            memberships__school=school,
            memberships__role__in=[Role.LIBRARIAN, Role.TEACHER, Role.ELL_SPECIALIST],
        ).order_by("last_name", "first_name")
        self.fields["sponsor"].choices = [(p.pk, p.full_name or p.username) for p in staff]
        self.fields["team"].choices = [
            (p.pk, p.full_name or p.username) for p in _students_of(school)
        ]


class KioskForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Why are you here today?"),
        choices=Visit.Purpose.choices,
        widget=forms.RadioSelect,
    )
    barcode = forms.CharField(
        label=_("Scan your library card"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


def members_of(school, pks) -> list[Person]:
    return list(Person.objects.filter(pk__in=pks, memberships__school=school).distinct())
