"""Forms of the instruction pages: labels and errors for people, rules stay in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shelfwise.instruction.models import Collaboration, Space, Standard
from shelfwise.instruction.selectors import collaborators_choices
from shelfwise.people.models import Person, SchoolClass
from shelfwise.schools.models import BellPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name or obj.username


def classes_for(person: Person, school) -> list[SchoolClass]:
    """A teacher's own classes when the roster has any, else the school's active classes."""
    own = SchoolClass.objects.filter(
        school=school, active=True, enrollments__person=person, enrollments__role="teacher"
    ).distinct()
    if own.exists():
        return own
    return SchoolClass.objects.filter(school=school, active=True)


class CollaborationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Collaboration.Kind.choices)
    classes = forms.ModelMultipleChoiceField(
        label=_("Classes"),
        queryset=SchoolClass.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade = forms.CharField(
        label=_("Grade"), max_length=8, required=False, help_text=_("For example 07 or KG.")
    )
    subject = forms.CharField(label=_("Subject"), max_length=100, required=False)
    starts_on = forms.DateField(label=_("Proposed start"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Proposed end"), required=False, widget=DATE)
    learning_goals = forms.CharField(
        label=_("Learning goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ml_supports = forms.CharField(
        label=_("Supports for multilingual learners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Home languages, vocabulary, sentence frames, visuals, audio…"),
    )
    standards = forms.ModelMultipleChoiceField(
        label=_("Standards"),
        queryset=Standard.objects.select_related("framework"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    co_teachers = PeopleChoiceField(
        label=_("Co-teachers"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, person: Person, school, with_co_teachers: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].queryset = classes_for(person, school)
        if with_co_teachers:
            self.fields["co_teachers"].queryset = collaborators_choices(school=school).exclude(
                pk=person.pk
            )
        else:
            del self.fields["co_teachers"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class TransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(forms.Form):
    body = forms.CharField(
        label=_("Shared planning notes"), widget=forms.Textarea(attrs={"rows": 8}), strip=False
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = PersonChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            collaboration_roles__collaboration=collaboration
        ).distinct()


class ParticipantForm(forms.Form):
    person = PersonChoiceField(label=_("Add a co-teacher"), queryset=Person.objects.none())

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = collaborators_choices(school=collaboration.school).exclude(
            collaboration_roles__collaboration=collaboration
        )


class ReflectionForm(forms.Form):
    worked = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("Student evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_time = forms.CharField(
        label=_("Next time"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BookingForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DATE)
    period = forms.ModelChoiceField(
        label=_("Period"),
        queryset=BellPeriod.objects.none(),
        required=False,
        empty_label=_("— a time range instead —"),
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("To"), required=False, widget=TIME)
    weeks = forms.IntegerField(
        label=_("Number of weeks"),
        min_value=1,
        max_value=40,
        initial=1,
        help_text=_("1 for a single booking; 6 books the same day and time for six weeks."),
    )
    collaboration = forms.ModelChoiceField(
        label=_("Collaboration"), queryset=Collaboration.objects.none(), required=False
    )
    school_class = forms.ModelChoiceField(
        label=_("Class visit"), queryset=SchoolClass.objects.none(), required=False
    )

    def __init__(self, *args, school, collaborations, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(school=school, active=True)
        self.fields["period"].queryset = BellPeriod.objects.filter(school=school)
        self.fields["collaboration"].queryset = collaborations
        self.fields["school_class"].queryset = classes_for(person, school)

    def clean(self):
        data = super().clean()
        if data.get("period") is None and not (data.get("start_time") and data.get("end_time")):
            raise forms.ValidationError(_("Choose a period, or give both a start and an end time."))
        return data


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Space.Kind.choices)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, required=False)


class StandardsUploadForm(forms.Form):
    file = forms.FileField(label=_("Standards CSV file"))
