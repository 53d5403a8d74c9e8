"""The patron-cards page: pick a class or a grade of the current school, get the PDF."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shelfwise.audit.services import audit_log
from shelfwise.people.cards import barcodes_ensure, grade_label, grade_sort_key, patron_cards_pdf
from shelfwise.people.models import Person, SchoolClass
from shelfwise.people.permissions import require_perm
from shelfwise.people.roles import Role

# Aides are students with a shift: they carry a card like everyone else.
CARD_ROLES = (Role.STUDENT, Role.AIDE)


def _with_count(label: str, n: int) -> str:
    return ngettext("%(label)s (%(n)s student)", "%(label)s (%(n)s students)", n) % {
        "label": label,
        "n": n,
    }


def _class_choices(school) -> list[tuple[int, str]]:
    classes = (
        SchoolClass.objects.filter(school=school, active=True)
        .annotate(
            students=Count(
                "enrollments",
                filter=Q(enrollments__role="student", enrollments__person__is_active=True),
            )
        )
        .order_by("title", "pk")
    )
    return [(c.pk, _with_count(c.title, c.students)) for c in classes]


def _grade_people(school):
    return Person.objects.filter(
        is_active=True, memberships__school=school, memberships__role__in=CARD_ROLES
    )


def _grade_choices(school) -> list[tuple[str, str]]:
    counts = dict(
        _grade_people(school)
        .exclude(grade="")
        .values_list("grade")
        .annotate(n=Count("pk", distinct=True))
        .values_list("grade", "n")
    )
    return [
        (grade, _with_count(grade_label(grade), n))
        for grade, n in sorted(counts.items(), key=lambda kv: grade_sort_key(kv[0]))
    ]


class ClassCardsForm(forms.Form):
    school_class = forms.TypedChoiceField(label=gettext_lazy("Class"), coerce=int)

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, prefix="class", **kwargs)
        self.fields["school_class"].choices = _class_choices(school)


class GradeCardsForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("Grade"))

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, prefix="grade", **kwargs)
        self.fields["grade"].choices = _grade_choices(school)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Names and barcodes: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm("people.print_cards")
def cards(request: HttpRequest) -> HttpResponse:
    school = request.school
    class_form = ClassCardsForm(school=school)
    grade_form = GradeCardsForm(school=school)
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        people, label, school_class, grade = None, "", None, ""
        if kind == "class":
            class_form = ClassCardsForm(request.POST, school=school)
            if class_form.is_valid():
                # The choices hold only this school's classes: another school's is invalid.
                school_class = SchoolClass.objects.get(
                    pk=class_form.cleaned_data["school_class"], school=school
                )
                people = Person.objects.filter(
                    is_active=True,
                    enrollments__school_class=school_class,
                    enrollments__role="student",
                ).distinct()
                label = school_class.title
                form = class_form
        elif kind == "grade":
            grade_form = GradeCardsForm(request.POST, school=school)
            if grade_form.is_valid():
                grade = grade_form.cleaned_data["grade"]
                people = _grade_people(school).filter(grade=grade).distinct()
                label = grade_label(grade)
                form = grade_form
        if people is not None:
            people = list(people.order_by("last_name", "first_name", "username"))
            if people:
                assigned = barcodes_ensure(people)
                pdf = patron_cards_pdf(people=people, school=school)
                audit_log(
                    actor=request.user,
                    action="people.print_cards",
                    obj=school_class,
                    school=school,
                    grade=grade,
                    cards=len(people),
                    barcodes_assigned=assigned,
                )
                name = slugify(f"{school.code}-{label}") or school.code.lower()
                return _pdf_response(pdf, f"patron-cards-{name}.pdf")
            form.add_error(None, _("Nobody to print: there are no active students there."))
        status = 400
    return render(
        request,
        "people/cards.html",
        {"class_form": class_form, "grade_form": grade_form},
        status=status,
    )
