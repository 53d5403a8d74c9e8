"""Student leadership: recognition notes, aide applications and the roster, shifts (the
librarian's schedule and the aide's own page), student-led projects."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.audit.services import audit_log
from shelfwise.circulation.services import school_today
from shelfwise.people.models import Person
from shelfwise.people.permissions import require_perm
from shelfwise.programs import selectors, services
from shelfwise.programs.forms import (
    ApplicationForm,
    ProjectForm,
    RecognitionForm,
    RecommendationForm,
    ShiftForm,
    members_of,
)
from shelfwise.programs.models import (
    AideApplication,
    Expectation,
    LeaderPosition,
    LeaderProject,
    Shift,
    ShiftDuty,
)

TAG_NAMES = dict(Expectation.choices)


def _with_tag_names(notes):
    notes = list(notes)
    for note in notes:
        note.tag_names = [TAG_NAMES[tag] for tag in note.tags if tag in TAG_NAMES]
    return notes


# --- Recognition notes --------------------------------------------------------------


@require_perm("programs.recognize")
def recognition_students(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    students = list(
        selectors.students_for_recognition(viewer=request.user, school=request.school, query=query)[
            :200
        ]
    )
    return render(
        request, "programs/recognition_students.html", {"students": students, "query": query}
    )


@require_perm("programs.recognize")
def recognition_student(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(Person, pk=pk)
    school = request.school
    if not selectors.may_view_recognitions(viewer=request.user, student=student, school=school):
        raise PermissionDenied("not this student's staff")
    form = RecognitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_create(
                school=school,
                student=student,
                author=request.user,
                tags=form.cleaned_data["tags"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Your note is saved. %(name)s can read it.") % {
                "name": student.display_name or student.first_name or student.username
            })  # fmt: skip
            return redirect("programs:recognition_student", pk=student.pk)
    with transaction.atomic():
        notes = _with_tag_names(selectors.recognitions_of(student=student, school=school))
        audit_log(
            actor=request.user,
            action="programs.view_recognitions",
            obj=student,
            school=school,
        )
    return render(
        request,
        "programs/recognition_student.html",
        {"student": student, "notes": notes, "form": form},
    )


@require_perm("programs.participate")
def recognition_mine(request: HttpRequest) -> HttpResponse:
    notes = _with_tag_names(selectors.recognitions_of(student=request.user, school=request.school))
    return render(request, "programs/recognition_mine.html", {"notes": notes})


# --- Applications and the roster -------------------------------------------------------


@require_perm("programs.apply")
def apply(request: HttpRequest) -> HttpResponse:
    school = request.school
    form = ApplicationForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        teacher = Person.objects.filter(pk=form.cleaned_data["teacher"]).first()
        try:
            if teacher is None:
                raise ValidationError(_("Choose a teacher of your school to recommend you."))
            services.application_submit(
                school=school,
                student=request.user,
                role=form.cleaned_data["role"],
                statement=form.cleaned_data["statement"],
                teacher=teacher,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you! Your teacher will add a recommendation, then the librarian decides."),
            )
            return redirect("programs:apply")
    mine = AideApplication.objects.filter(school=school, student=request.user).select_related(
        "teacher"
    )
    return render(request, "programs/apply.html", {"form": form, "applications": mine})


@require_perm("programs.recommend")
def recommendations(request: HttpRequest) -> HttpResponse:
    pending = selectors.applications_for_teacher(teacher=request.user, school=request.school)
    return render(request, "programs/recommendations.html", {"applications": pending})


@require_perm("programs.recommend")
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        AideApplication.objects.select_related("student"),
        pk=pk,
        school=request.school,
        teacher=request.user,  # only the teacher the student named
    )
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_recommend(
                application=application,
                teacher=request.user,
                text=form.cleaned_data["recommendation"],
            )
        except ValidationError as error:
            form.add_error("recommendation", error)
        else:
            messages.success(request, _("Thank you: your recommendation is sent to the librarian."))
            return redirect("programs:recommendations")
    return render(request, "programs/recommend.html", {"application": application, "form": form})


@require_perm("programs.manage")
def aides(request: HttpRequest) -> HttpResponse:
    school = request.school
    # Students' statements and teachers' recommendations about them: a staff view, audited.
    audit_log(actor=request.user, action="programs.view_applications", school=school)
    return render(
        request,
        "programs/aides.html",
        {
            "roster": selectors.roster(school=school),
            "applications": selectors.applications_for_librarian(school=school)[:50],
        },
    )


@require_perm("programs.manage")
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(AideApplication, pk=pk, school=request.school)
    accept = request.POST.get("decision") == "accept"
    try:
        services.application_decide(application=application, by=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now on the roster.") % {"name": application.student}
            if accept
            else _("The application is closed."),
        )
    return redirect("programs:aides")


@require_perm("programs.manage")
@require_POST
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(LeaderPosition, pk=pk, school=request.school, active=True)
    services.position_end(position=position, by=request.user)
    messages.success(request, _("%(name)s is off the roster.") % {"name": position.student})
    return redirect("programs:aides")


# --- Shifts ------------------------------------------------------------------------------


@require_perm("programs.manage")
def shifts(request: HttpRequest) -> HttpResponse:
    school = request.school
    form = ShiftForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        aide = Person.objects.filter(pk=data["aide"]).first()
        period = school.bell_periods.filter(pk=data["period"]).first() if data["period"] else None
        kwargs = {
            "school": school,
            "aide": aide,
            "role": data["role"],
            "period": period,
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "by": request.user,
        }
        try:
            if data["repeat_until"]:
                made = services.shift_create_weekly(
                    first=data["date"], until=data["repeat_until"], **kwargs
                )
            else:
                made = [services.shift_create(on=data["date"], **kwargs)]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Shifts added: %(n)s.") % {"n": len(made)})
            return redirect("programs:shifts")
    today = school_today(school)
    upcoming = list(
        selectors.shifts_of_school(
            school=school, start=today - timedelta(days=7), end=today + timedelta(days=21)
        )
    )
    return render(
        request, "programs/shifts.html", {"form": form, "shifts": upcoming, "today": today}
    )


@require_perm("programs.manage")
@require_POST
def shift_worked(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=pk, school=request.school)
    services.shift_mark_worked(
        shift=shift, worked=request.POST.get("worked") == "yes", by=request.user
    )
    return redirect("programs:shifts")


@require_perm("programs.manage")
@require_POST
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=pk, school=request.school)
    services.shift_delete(shift=shift, by=request.user)
    messages.success(request, _("The shift is removed."))
    return redirect("programs:shifts")


@require_perm("programs.aide_shifts")
def my_shifts(request: HttpRequest) -> HttpResponse:
    school = request.school
    today = school_today(school)
    mine = list(
        selectors.shifts_of_aide(aide=request.user, school=school, since=today - timedelta(days=14))
    )
    return render(
        request,
        "programs/my_shifts.html",
        {
            "shifts": mine,
            "today": today,
            "on_shift": selectors.aide_on_shift(request.user, school.pk),
            "hours": sum(s.hours for s in mine if s.completed),
        },
    )


@require_perm("programs.aide_shifts")
@require_POST
def duty_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(ShiftDuty, pk=pk, shift__school=request.school)
    services.shift_duty_set(duty=duty, done=request.POST.get("done") == "1", by=request.user)
    return redirect("programs:my_shifts")


@require_perm("programs.aide_shifts")
@require_POST
def shift_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=pk, school=request.school, aide=request.user)
    try:
        services.shift_reflect(
            shift=shift, text=request.POST.get("reflection", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _("Your reflection is saved."))
    return redirect("programs:my_shifts")


# --- Student-led projects -----------------------------------------------------------------


@require_perm("programs.manage")
def projects(request: HttpRequest) -> HttpResponse:
    items = LeaderProject.objects.filter(school=request.school).select_related("sponsor")
    return render(request, "programs/projects.html", {"projects": items.prefetch_related("team")})


@require_perm("programs.manage")
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    school = request.school
    project = get_object_or_404(LeaderProject, pk=pk, school=school) if pk else None
    initial = None
    if project is not None:
        initial = {
            "title": project.title,
            "goals": project.goals,
            "sponsor": project.sponsor_id,
            "team": [p.pk for p in project.team.all()],
            "outcomes": project.outcomes,
        }
    form = ProjectForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sponsor = Person.objects.filter(pk=data["sponsor"]).first()
        if sponsor is None:
            raise Http404
        try:
            services.project_save(
                school=school,
                by=request.user,
                project=project,
                title=data["title"],
                goals=data["goals"],
                sponsor=sponsor,
                team=members_of(school, data["team"]),
                outcomes=data["outcomes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("programs:projects")
    return render(request, "programs/project_form.html", {"form": form, "project": project})
