"""The librarian's dashboard page, and the annual report (page, PDF, district roll-up)."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.lib.school_years import school_year_bounds, school_year_of
from shelfwise.people.permissions import is_district_admin, require_perm
from shelfwise.reports.annual import annual_report, current_year, district_report
from shelfwise.reports.annual_html import annual_context, district_context
from shelfwise.reports.annual_pdf import annual_report_pdf, district_report_pdf
from shelfwise.reports.dashboard import librarian_dashboard
from shelfwise.reports.models import ReportSection
from shelfwise.reports.services import narrative_save

YEARS_OFFERED = 6


@require_perm("reports.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    school = request.school
    board = librarian_dashboard(school=school, now=timezone.now())
    with timezone.override(zoneinfo.ZoneInfo(school.timezone)):
        return render(request, "reports/dashboard.html", {"board": board, **board.sections})


def _years(current: str) -> list[str]:
    """The current school year and the five before it, newest first."""
    first = int(current[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(first, first - YEARS_OFFERED, -1)]


def _valid_year(year: str) -> str:
    """`year` if it names a school year such as 2026-27; otherwise a 404."""
    try:
        school_year_bounds(year)
    except ValueError as error:
        raise Http404(_("Choose a school year such as 2026-27.")) from error
    return year


def _year(request: HttpRequest, current: str) -> str:
    """The year asked for (?year=2025-26), or the current one; a malformed one is a 404."""
    return _valid_year((request.GET.get("year") or request.POST.get("year") or current).strip())


@require_perm("reports.annual")
def annual(request: HttpRequest) -> HttpResponse:
    school = request.school
    current = current_year(school)
    year = _year(request, current)
    if request.method == "POST":
        section = request.POST.get("section", "")
        try:
            narrative_save(
                school=school,
                year=year,
                section=section,
                text=request.POST.get("text", ""),
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Narrative saved."))
        return redirect(f"{reverse('reports:annual')}?year={year}#section-{section}")
    report = annual_report(school, year)
    years = _years(current)
    if year not in years:
        years.append(year)
    with timezone.override(zoneinfo.ZoneInfo(school.timezone)):
        return render(
            request,
            "reports/annual.html",
            {
                **annual_context(report),
                "years": years,
                "year": year,
                "sections": ReportSection,
                "district_admin": is_district_admin(request.user),
                "editable": True,
            },
        )


@require_perm("reports.annual")
def annual_pdf(request: HttpRequest, year: str) -> HttpResponse:
    _valid_year(year)
    school = request.school
    with timezone.override(zoneinfo.ZoneInfo(school.timezone)):
        pdf = annual_report_pdf(annual_report(school, year))
    audit_log(actor=request.user, action="reports.annual_pdf", school=school, year=year)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{school.code}-{year}.pdf"'
    return response


def _district_admin(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_district_admin(request.user):
        raise PermissionDenied("reports.district")
    return None


def annual_district(request: HttpRequest) -> HttpResponse:
    refused = _district_admin(request)
    if refused is not None:
        return refused
    current = school_year_of(timezone.localdate())
    year = _year(request, current)
    years = _years(current)
    if year not in years:
        years.append(year)
    return render(
        request,
        "reports/annual_district.html",
        {**district_context(district_report(year)), "years": years, "year": year},
    )


def annual_district_pdf(request: HttpRequest, year: str) -> HttpResponse:
    refused = _district_admin(request)
    if refused is not None:
        return refused
    _valid_year(year)
    pdf = district_report_pdf(district_report(year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-district-{year}.pdf"'
    return response
