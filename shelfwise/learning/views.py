"""Pages of professional learning: parse, check the role table, call a service or selector."""

from __future__ import annotations

import csv
import zoneinfo
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.audit.services import audit_log
from shelfwise.learning import selectors, services
from shelfwise.learning.certificates import certificate_for, certificate_pdf
from shelfwise.learning.forms import FeedbackForm, SessionForm, SignInForm
from shelfwise.learning.ical import calendar_bytes, session_event
from shelfwise.learning.models import Material, Registration, Series, Session
from shelfwise.lib.school_years import school_year_bounds, school_year_of
from shelfwise.people.permissions import has_perm, require_perm


def _school_time(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view in the school's time zone: forms read and pages show the school's clock."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        school = getattr(request, "school", None)
        if school is None:
            return view(request, *args, **kwargs)
        with timezone.override(zoneinfo.ZoneInfo(school.timezone)):
            return view(request, *args, **kwargs)

    return wrapped


def _session(request: HttpRequest, pk: int) -> Session:
    """A session of the school the person is working in (another school's is not found)."""
    return get_object_or_404(
        Session.objects.select_related("school", "series", "facilitator"),
        pk=pk,
        school=request.school,
    )


def _can_manage(request: HttpRequest) -> bool:
    return has_perm(request.user, "learning.manage", request.school)


def _school_year(request: HttpRequest) -> str:
    wanted = request.GET.get("year", "")
    try:
        school_year_bounds(wanted)
        return wanted
    except ValueError:
        zone = zoneinfo.ZoneInfo(request.school.timezone)
        return school_year_of(timezone.now().astimezone(zone).date())


def _years_around(year: str) -> list[str]:
    start = int(year[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(start - 3, start + 2)]


@require_perm("learning.participate")
@_school_time
def session_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = list(selectors.sessions_with_counts(school=request.school))
    mine = selectors.registrations_of(person=request.user, school=request.school)
    for session in sessions:
        session.mine = mine.get(session.pk)
    return render(
        request,
        "learning/session_list.html",
        {
            "upcoming": [s for s in sessions if s.ends_at > now],
            "past": [s for s in sessions if s.ends_at <= now][::-1],
            "can_manage": _can_manage(request),
        },
    )


def _save_session(request: HttpRequest, form: SessionForm, session: Session | None) -> Session:
    data = dict(form.cleaned_data)
    records = data.pop("records_text")
    new_series = data.pop("new_series", "").strip()
    with transaction.atomic():
        if new_series:
            data["series"] = Series.objects.create(school=request.school, title=new_series)
        if session is None:
            return services.session_create(
                school=request.school, by=request.user, records=records, **data
            )
        return services.session_update(session=session, by=request.user, records=records, **data)


@require_perm("learning.manage")
@_school_time
def session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            session = _save_session(request, form, None)
        except services.LearningError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The session is published: staff can register now."))
            return redirect("learning:detail", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/session_form.html", {"form": form}, status=status)


@require_perm("learning.manage")
@_school_time
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SessionForm(request.POST or None, instance=session, school=request.school)
    if request.method == "POST" and form.is_valid():
        session.refresh_from_db()  # the form wrote its values onto the instance
        try:
            _save_session(request, form, session)
        except services.LearningError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The session is saved."))
            return redirect("learning:detail", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/session_form.html", {"form": form, "session": session}, status=status
    )


@require_perm("learning.participate")
@_school_time
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    mine = Registration.objects.filter(session=session, person=request.user).first()
    if mine is not None and mine.status == Registration.Status.CANCELLED:
        mine = None
    can_manage = _can_manage(request)
    context = {
        "session": session,
        "mine": mine,
        "position": selectors.waitlist_position(registration=mine) if mine else None,
        "has_feedback": bool(mine) and hasattr(mine, "feedback"),
        "seated": session.registrations.filter(status=Registration.Status.REGISTERED).count(),
        "records": session.records.all(),
        "guides": session.guides.all(),
        "materials": session.materials.all(),
        "is_over": session.ends_at <= timezone.now(),
        "can_manage": can_manage,
    }
    if can_manage:
        context["roster"] = selectors.roster(session=session)
        context["summary"] = selectors.feedback_summary(sessions=[session])
    return render(request, "learning/session_detail.html", context)


@require_POST
@require_perm("learning.participate")
@_school_time
def register(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        result = services.registration_create(session=session, person=request.user)
    except services.LearningError as error:
        messages.error(request, error.messages[0])
    else:
        if result.waitlisted:
            messages.warning(
                request,
                _("The session is full: you are on the waitlist and will get the first free seat."),
            )
        else:
            messages.success(request, _("You are registered."))
    return redirect("learning:detail", pk=session.pk)


@require_POST
@require_perm("learning.participate")
@_school_time
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        services.registration_cancel(session=session, person=request.user)
    except services.LearningError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("learning:detail", pk=session.pk)


def _signin_url(request: HttpRequest, session: Session) -> str:
    return request.build_absolute_uri(reverse("learning:signin") + f"?code={session.signin_code}")


@require_perm("learning.manage")
@_school_time
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator's screen: the code in large type and a QR code of the sign-in link."""
    session = _session(request, pk)
    url = _signin_url(request, session)
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=8, dark="#000", light="#fff", omitsize=True)
    opens, closes = services.signin_window(session)
    return render(
        request,
        "learning/screen.html",
        {"session": session, "qr_svg": svg, "signin_url": url, "opens": opens, "closes": closes},
    )


@require_POST
@require_perm("learning.manage")
@_school_time
def roster_mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("person"),
        session=session,
        pk=int(wanted) if (wanted := request.POST.get("registration", "")).isdigit() else 0,
    )
    attended = request.POST.get("attended") == "1"
    try:
        services.attendance_mark(
            session=session, person=registration.person, by=request.user, attended=attended
        )
    except services.LearningError as error:
        messages.error(request, error.messages[0])
    else:
        if attended:
            message = _("%(person)s is marked present.")
        else:
            message = _("%(person)s is no longer marked present.")
        messages.success(request, message % {"person": registration.person})
    return redirect(reverse("learning:detail", kwargs={"pk": session.pk}) + "#roster-heading")


@require_perm("learning.participate")
@_school_time
def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            schools = [m.school_id for m in request.user.memberships.all()]
            if request.school is not None and request.school.pk not in schools:
                schools.append(request.school.pk)  # a district administrator's chosen school
            try:
                registration = services.attendance_signin(
                    code=form.cleaned_data["code"], person=request.user, schools=schools
                )
            except services.LearningError as error:
                form.add_error("code", error.messages[0])
            else:
                messages.success(
                    request,
                    _("You are signed in to “%(title)s”. Tell us how it went when it ends.")
                    % {"title": registration.session.title},
                )
                return redirect("learning:detail", pk=registration.session_id)
        status = 400
    return render(request, "learning/signin.html", {"form": form}, status=status)


@require_perm("learning.participate")
@_school_time
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.feedback_submit(session=session, person=request.user, **form.cleaned_data)
            except services.LearningError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("learning:detail", pk=session.pk)
        status = 400
    return render(
        request, "learning/feedback.html", {"session": session, "form": form}, status=status
    )


@require_perm("learning.participate")
@_school_time
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee's own certificate; the librarian may print anyone's (?person=id)."""
    session = _session(request, pk)
    person_id = request.user.pk
    wanted = request.GET.get("person", "")
    if wanted and wanted != str(request.user.pk):
        if not _can_manage(request):
            raise PermissionDenied("learning.manage")
        if not wanted.isdigit():
            raise Http404(_("No attendance recorded for this session."))
        person_id = int(wanted)
    registration = (
        Registration.objects.select_related("person", "session__school", "session__facilitator")
        .filter(session=session, person_id=person_id, attended_at__isnull=False)
        .first()
    )
    if registration is None:
        raise Http404(_("No attendance recorded for this session."))
    pdf = certificate_pdf(certificate_for(registration))
    audit_log(
        actor=request.user,
        action="learning.certificate",
        obj=registration,
        school=session.school,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"certificate-{session.title}-{registration.person.username}")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name or "certificate"}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm("learning.participate")
@_school_time
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    url = request.build_absolute_uri(reverse("learning:detail", kwargs={"pk": session.pk}))
    body = calendar_bytes([session_event(session, url=url)], name=session.title)
    return _ics_response(body, f"{slugify(session.title)[:60] or 'session'}.ics")


@require_perm("learning.participate")
@_school_time
def mine(request: HttpRequest) -> HttpResponse:
    """My registrations, attendance, feedback and certificates, and my hours this year."""
    year = _school_year(request)
    return render(
        request,
        "learning/mine.html",
        {
            "registrations": selectors.my_registrations(person=request.user, school=request.school),
            "year": year,
            "years": _years_around(year),
            "hours": selectors.hours_of(
                person=request.user, school=request.school, school_year=year
            ),
            # Sessions with a seat are in the person's calendar feed of scheduling.
            "can_feed": has_perm(request.user, "instruction.book", request.school),
            "can_manage": _can_manage(request),
        },
    )


@require_perm("learning.manage")
@_school_time
def hours(request: HttpRequest) -> HttpResponse:
    """Hours of professional learning per person in a school year (table and CSV)."""
    year = _school_year(request)
    rows = selectors.hours_by_person(school=request.school, school_year=year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="pd-hours-{year}.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow([_("Name"), _("Username"), _("Sessions attended"), _("Hours")])
        for row in rows:
            writer.writerow(
                [row.person.full_name, row.person.username, row.sessions, f"{row.hours:.2f}"]
            )
        return response
    return render(
        request,
        "learning/hours.html",
        {"rows": rows, "year": year, "years": _years_around(year)},
    )


@require_perm("learning.manage")
@_school_time
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=pk, school=request.school)
    sessions = list(selectors.sessions_with_counts(school=request.school).filter(series=series))
    return render(
        request,
        "learning/series_detail.html",
        {
            "series": series,
            "sessions": sessions,
            "summary": selectors.feedback_summary(sessions=sessions),
        },
    )


@require_POST
@require_perm("learning.manage")
@_school_time
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    upload = request.FILES.get("file")
    title = (request.POST.get("title") or "").strip()
    if upload is None or not title:
        messages.error(request, _("Give the material a title and choose a file."))
    elif upload.size > 25 * 1024 * 1024:
        messages.error(request, _("That file is over 25 MB: share a link to it instead."))
    else:
        with transaction.atomic():
            material = Material.objects.create(session=session, title=title[:200], file=upload)
            audit_log(
                actor=request.user,
                action="learning.material_add",
                obj=material,
                school=session.school,
            )
        messages.success(request, _("The material is added."))
    return redirect("learning:detail", pk=session.pk)


@require_perm("learning.participate")
@_school_time
def material_download(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    from django.http import FileResponse

    session = _session(request, pk)
    material = get_object_or_404(Material, pk=material_pk, session=session)
    return FileResponse(material.file.open("rb"), as_attachment=True)
