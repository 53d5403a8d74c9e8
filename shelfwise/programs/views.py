"""Programs and events (public list and the librarian's pages), the REAL norms (public,
poster, editor), the library sign-in kiosk and visit counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.circulation.services import school_today
from shelfwise.marc.languages import language_name
from shelfwise.people.permissions import has_perm, require_perm
from shelfwise.programs import selectors, services
from shelfwise.programs.forms import AttendanceForm, KioskForm, NormsForm, PhotoForm, ProgramForm
from shelfwise.programs.models import Program, ProgramPhoto, Visit
from shelfwise.programs.norms import EDITABLE_LANGUAGES, norms_for
from shelfwise.schools.models import School


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _interface_language_name(code: str) -> str:
    """'es' → 'Spanish' / 'español' / 'الإسبانية', in the reader's language."""
    import langcodes

    try:
        return langcodes.Language.get(code).display_name(_language())
    except (LookupError, ValueError):
        return code


def _named_languages(program: Program) -> list[tuple[str, str]]:
    locale = _language()
    return [(code, language_name(code, locale)) for code in program.languages]


# --- The programs hub -------------------------------------------------------------


@require_perm("programs.participate")
def index(request: HttpRequest) -> HttpResponse:
    school = request.school
    can = {
        name: has_perm(request.user, f"programs.{name}", school)
        for name in ("manage", "recognize", "recommend", "apply", "aide_shifts", "kiosk")
    }
    return render(request, "programs/index.html", {"can": can})


# --- Public pages (no login) --------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    """Programs of the school you work in; signed out, a choice of schools."""
    school = getattr(request, "school", None)
    if school is not None:
        return redirect("programs:public_list", code=school.code)
    schools = School.objects.order_by("name")
    return render(request, "programs/public_schools.html", {"schools": schools})


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    school = get_object_or_404(School, code=code)
    now = timezone.now()
    upcoming = list(selectors.programs_public(school=school, upcoming_from=now))
    past = list(
        selectors.programs_public(school=school)
        .filter(starts_at__lt=now)
        .exclude(pk__in=[p.pk for p in upcoming])
        .order_by("-starts_at")[:10]
    )
    for program in upcoming + past:
        program.named_languages = _named_languages(program)
    return render(
        request,
        "programs/public_list.html",
        {"school": school, "upcoming": upcoming, "past": past},
    )


def public_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    school = get_object_or_404(School, code=code)
    program = get_object_or_404(
        Program.objects.prefetch_related("photos"), school=school, pk=pk, published=True
    )
    program.named_languages = _named_languages(program)
    materials = [line.strip() for line in program.materials.splitlines() if line.strip()]
    return render(
        request,
        "programs/public_detail.html",
        {"school": school, "program": program, "materials": materials},
    )


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A program's photo: public when its program is published, else for its librarian."""
    item = get_object_or_404(ProgramPhoto.objects.select_related("program"), pk=pk)
    if not item.program.published and not has_perm(
        request.user, "programs.manage", item.program.school_id
    ):
        raise Http404
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def norms_public(request: HttpRequest, code: str) -> HttpResponse:
    school = get_object_or_404(School, code=code)
    norms = norms_for(school=school, language=_language())
    return render(request, "programs/norms.html", {"school": school, "norms": norms})


def norms_poster(request: HttpRequest, code: str) -> HttpResponse:
    school = get_object_or_404(School, code=code)
    norms = norms_for(school=school, language=_language())
    return render(request, "programs/norms_poster.html", {"school": school, "norms": norms})


# --- The librarian's program pages -------------------------------------------------


@require_perm("programs.manage")
def manage_list(request: HttpRequest) -> HttpResponse:
    programs = list(selectors.programs_staff(school=request.school))
    return render(request, "programs/manage_list.html", {"programs": programs})


@require_perm("programs.manage")
def program_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk, school=request.school) if pk else None
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        languages = data.pop("languages_text")
        try:
            saved = services.program_save(
                school=request.school,
                by=request.user,
                program=program,
                languages=languages,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
            return redirect("programs:manage_detail", pk=saved.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@require_perm("programs.manage")
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(
        Program.objects.prefetch_related("photos", "attendance"), pk=pk, school=request.school
    )
    attendance_form = AttendanceForm(program=program)
    photo_form = PhotoForm()
    if request.method == "POST":
        if "attendance" in request.POST:
            attendance_form = AttendanceForm(request.POST, program=program)
            if attendance_form.is_valid():
                total = services.program_attendance_set(
                    program=program, counts=attendance_form.counts(), by=request.user
                )
                messages.success(request, _("Attendance saved: %(n)s in all.") % {"n": total})
                return redirect("programs:manage_detail", pk=program.pk)
        else:
            photo_form = PhotoForm(request.POST, request.FILES)
            if photo_form.is_valid():
                try:
                    services.program_photo_add(
                        program=program,
                        upload=photo_form.cleaned_data["image"],
                        alt_text=photo_form.cleaned_data["alt_text"],
                        by=request.user,
                    )
                except ValidationError as error:
                    photo_form.add_error("image", error)
                else:
                    messages.success(request, _("Photo added."))
                    return redirect("programs:manage_detail", pk=program.pk)
    program.named_languages = _named_languages(program)
    attendance = [(label, count) for _band, label, count in selectors.attendance_by_band([program])]
    return render(
        request,
        "programs/manage_detail.html",
        {
            "program": program,
            "attendance": attendance,
            "attendance_total": sum(count for _label, count in attendance),
            "attendance_form": attendance_form,
            "photo_form": photo_form,
        },
    )


@require_perm("programs.manage")
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ProgramPhoto, pk=pk, program__school=request.school)
    program_pk = item.program_id
    services.program_photo_delete(photo=item, by=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("programs:manage_detail", pk=program_pk)


# --- Norms editor ------------------------------------------------------------------


@require_perm("programs.manage")
def norms_edit(request: HttpRequest) -> HttpResponse:
    school = request.school
    languages = list(dict.fromkeys(EDITABLE_LANGUAGES + list(school.ui_languages or [])))
    language = request.GET.get("lang") or request.POST.get("lang") or "en"
    if language not in languages:
        language = "en"
    norms = norms_for(school=school, language=language)
    form = NormsForm(request.POST or None, norms=norms)
    if request.method == "POST" and form.is_valid():
        try:
            services.norms_save(
                school=school, language=language, texts=form.texts(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The expectations are saved."))
            return redirect(f"{request.path}?lang={language}")
    choices = [(code, _interface_language_name(code)) for code in languages]
    return render(
        request,
        "programs/norms_edit.html",
        {"form": form, "language": language, "languages": choices},
    )


# --- Visits: the kiosk and the counts ----------------------------------------------


@require_perm("programs.kiosk")
def kiosk(request: HttpRequest) -> HttpResponse:
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.visit_record(
                school=request.school,
                barcode=form.cleaned_data["barcode"],
                purpose=form.cleaned_data["purpose"],
            )
        except services.UnknownCard:
            form.add_error(
                "barcode",
                _("We do not know this card. Nothing was recorded; please ask at the desk."),
            )
        else:
            name = person.display_name or person.first_name or _("reader")
            messages.success(
                request, _("Welcome, %(name)s! Your visit is counted.") % {"name": name}
            )
            return redirect("programs:kiosk")
    return render(request, "programs/kiosk.html", {"form": form})


def _visit_range(request: HttpRequest):
    today = school_today(request.school)
    end = parse_date(request.GET.get("end") or "") or today
    start = parse_date(request.GET.get("start") or "") or end - timedelta(days=13)
    if start > end:
        start, end = end, start
    if (end - start).days > 400:
        start = end - timedelta(days=400)
    return start, end


@require_perm("programs.manage")
def visits(request: HttpRequest) -> HttpResponse:
    start, end = _visit_range(request)
    counts = selectors.visit_counts(school=request.school, start=start, end=end)
    purposes = Visit.Purpose.choices
    rows = [
        (day, [counts_by.get(value, 0) for value, _label in purposes], total)
        for day, counts_by, total in counts["days"]
    ]
    totals = [counts["totals"].get(value, 0) for value, _label in purposes]
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Date"), *[str(label) for _v, label in purposes], _("Total")])
        for day, values, total in rows:
            writer.writerow([day.isoformat(), *values, total])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = f"visits-{request.school.code}-{start.isoformat()}-{end.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "programs/visits.html",
        {
            "start": start,
            "end": end,
            "purposes": purposes,
            "rows": rows,
            "totals": totals,
            "total": counts["total"],
        },
    )
