"""Forms of the guide editor. They parse; guides.services checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shelfwise.catalog.forms import COMMON_LANGUAGES, language_choices
from shelfwise.guides.models import Guide, Resource
from shelfwise.instruction.models import Collaboration
from shelfwise.instruction.selectors import collaborations_visible
from shelfwise.people.models import Person, SchoolClass
from shelfwise.people.permissions import is_district_admin, roles_by_school
from shelfwise.people.roles import Role
from shelfwise.search.bands import BAND_ORDER

STAFF = (Role.LIBRARIAN, Role.TEACHER, Role.ELL_SPECIALIST)


def class_choices(*, school: Any, person: Any, keep: list[int] | None = None):
    """Classes a person may point a guide at: a librarian (or district admin) any
    active class of the school; a teacher or ELL specialist the classes they
    teach, plus any the guide already serves (so a co-owner keeps them)."""
    classes = SchoolClass.objects.filter(school=school, active=True)
    role = roles_by_school(person).get(school.pk)
    if not (is_district_admin(person) or role == Role.LIBRARIAN):
        classes = classes.filter(
            Q(enrollments__person=person, enrollments__role="teacher") | Q(pk__in=keep or [])
        ).distinct()
    return classes.order_by("title", "pk")


def editor_choices(*, school: Any):
    return Person.objects.filter(
        is_active=True, memberships__school=school, memberships__role__in=STAFF
    ).order_by("last_name", "first_name", "username")


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the guide is for, in a sentence or two, for students."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    subject = forms.CharField(
        label=_("Catalog subject"),
        max_length=200,
        required=False,
        help_text=_(
            "A subject heading such as Volcanoes: the access check suggests catalog titles on it."
        ),
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    classes = forms.ModelMultipleChoiceField(
        label=_("Classes it serves"),
        queryset=SchoolClass.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    editors = forms.ModelMultipleChoiceField(
        label=_("Owners and co-owners"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Staff who may edit this guide. You stay an owner."),
    )
    collaboration = forms.ModelChoiceField(
        label=_("Collaboration"),
        queryset=Collaboration.objects.none(),
        required=False,
        empty_label=_("None: a guide for a unit or class"),
        help_text=_("Everyone taking part in the collaboration may edit the guide."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it once published"),
        choices=Guide.Visibility.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, school: Any, person: Any, guide: Guide | None = None, **kw):
        super().__init__(*args, **kw)
        from shelfwise.people.cards import grade_label

        grades = ["KG", *[f"{n:02d}" for n in range(1, 13)]]
        self.fields["grade"].choices = [("", _("Not set"))] + [(g, grade_label(g)) for g in grades]
        keep = list(guide.classes.values_list("pk", flat=True)) if guide else []
        self.fields["classes"].queryset = class_choices(school=school, person=person, keep=keep)
        self.fields["editors"].queryset = editor_choices(school=school)
        self.fields["editors"].label_from_instance = lambda p: p.full_name or p.username
        self.fields["visibility"].initial = Guide.Visibility.CLASSES
        wanted = Q(pk__in=collaborations_visible(person=person, school=school).values("pk"))
        if guide is not None and guide.collaboration_id:
            wanted |= Q(pk=guide.collaboration_id)  # a co-owner keeps it
        self.fields["collaboration"].queryset = Collaboration.objects.filter(wanted).order_by(
            "title", "pk"
        )


class TranslationForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    intro = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)


def _languages_field(extra: list[str] | None = None) -> forms.MultipleChoiceField:
    codes = tuple(dict.fromkeys([*COMMON_LANGUAGES, *(extra or [])]))
    return forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices(codes),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose more than one."),
    )


class ResourceForm(forms.Form):
    """One form for every kind; the fields a kind does not use are left out."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Note for readers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    url = forms.CharField(
        label=_("Web address"),
        max_length=1100,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    upload = forms.FileField(label=_("File"), required=False)
    vocabulary = forms.CharField(
        label=_("Terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_(
            "One term a line: term | definition | translations as language: word. "
            "For example: magma | molten rock | es: magma | ar: صهارة"
        ),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("One sentence frame or prompt a line, such as: I think ___ because ___."),
    )
    languages = forms.MultipleChoiceField(required=False)
    bands = forms.MultipleChoiceField(
        label=_("Reading levels (grade bands)"),
        choices=[(band, band) for band in BAND_ORDER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    format = forms.ChoiceField(label=_("Format"), choices=Resource.Format.choices)

    FIELDS_BY_KIND = {
        Resource.Kind.LINK: ["title", "url", "description", "languages", "bands", "format"],
        Resource.Kind.DATABASE: ["title", "url", "description", "languages", "bands", "format"],
        Resource.Kind.FILE: ["title", "upload", "description", "languages", "bands", "format"],
        Resource.Kind.VOCABULARY: ["title", "vocabulary", "languages", "bands"],
        Resource.Kind.FRAMES: ["title", "body", "languages", "bands"],
        Resource.Kind.ORGANIZER: [
            "title",
            "body",
            "url",
            "upload",
            "languages",
            "bands",
            "format",
        ],
        Resource.Kind.RECORD: ["title", "description"],
    }

    def __init__(self, *args: Any, kind: str, extra_languages: list[str] | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["languages"] = _languages_field(extra_languages)
        if kind == Resource.Kind.VOCABULARY:
            self.fields["languages"].help_text = _(
                "The language of the terms; the translations' languages are added for you."
            )
        if kind == Resource.Kind.ORGANIZER:
            self.fields["url"].label = _("Web address (optional)")
            self.fields["upload"].label = _("File (optional)")
            self.fields["body"].help_text = _("The organizer's prompts, one a line (optional).")
        keep = self.FIELDS_BY_KIND.get(kind, [])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "languages" in self.fields and not self.is_bound:
            self.fields["languages"].initial = ["eng"]
