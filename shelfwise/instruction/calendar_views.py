"""Library calendar pages: week and day views, booking, spaces, iCalendar feeds."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.instruction import feeds, scheduling, selectors
from shelfwise.instruction.forms import BookingForm, SpaceForm
from shelfwise.instruction.models import Booking, FeedToken, Space
from shelfwise.people.permissions import has_perm, require_perm


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _space_filter(request: HttpRequest) -> Space | None:
    try:
        pk = int(request.GET.get("space", ""))
    except ValueError:
        return None
    return Space.objects.filter(school=request.school, pk=pk).first()


@require_perm("instruction.book")
def calendar(request: HttpRequest) -> HttpResponse:
    school = request.school
    today = scheduling.school_now(school).date()
    view = "day" if request.GET.get("view") == "day" else "week"
    day = _day(request.GET.get("date"), today)
    space = _space_filter(request)
    if view == "week":
        start = selectors.week_start(day)
        grid = scheduling.week_grid(school=school, monday=start, space=space)
        prev_day, next_day = start - timedelta(days=7), start + timedelta(days=7)
    else:
        start = day
        grid = scheduling.week_grid(school=school, monday=day, days=1, space=space)
        prev_day, next_day = day - timedelta(days=1), day + timedelta(days=1)
    return render(
        request,
        "instruction/calendar.html",
        {
            "view": view,
            "day": day,
            "start": start,
            "grid": grid,
            "today": today,
            "prev_day": prev_day,
            "next_day": next_day,
            "spaces": Space.objects.filter(school=school),
            "space": space,
            "can_manage": has_perm(request.user, "instruction.manage", school),
        },
    )


@require_perm("instruction.book")
def booking_new(request: HttpRequest) -> HttpResponse:
    school = request.school
    collaborations = selectors.collaborations_visible(person=request.user, school=school).exclude(
        status__in=["declined", "reflected"]
    )
    initial = {"weeks": 1}
    if "collaboration" in request.GET:
        collab = collaborations.filter(pk=request.GET.get("collaboration") or 0).first()
        if collab:
            initial.update(collaboration=collab, title=collab.title)
    if request.GET.get("date"):
        initial["day"] = _day(request.GET.get("date"), None)
    form = BookingForm(
        request.POST or None,
        initial=initial,
        school=school,
        collaborations=collaborations,
        person=request.user,
    )
    conflicts: list[Booking] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = scheduling.booking_create(
                space=data["space"],
                by=request.user,
                title=data["title"],
                day=data["day"],
                period=data["period"],
                start_time=None if data["period"] else data["start_time"],
                end_time=None if data["period"] else data["end_time"],
                weeks=data["weeks"],
                collaboration=data["collaboration"],
                school_class=data["school_class"],
            )
        except scheduling.BookingError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
            conflicts = exc.conflicts
        else:
            messages.success(
                request,
                _("Booked %(count)s time(s) in %(space)s.")
                % {"count": len(made), "space": data["space"].name},
            )
            if data["collaboration"]:
                return redirect("instruction:detail", data["collaboration"].pk)
            return redirect(f"{reverse('instruction:calendar')}?date={data['day'].isoformat()}")
    return render(
        request,
        "instruction/booking_form.html",
        {
            "form": form,
            "conflicts": conflicts,
            "has_spaces": Space.objects.filter(school=school, active=True).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@require_perm("instruction.book")
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("space", "collaboration"), pk=pk)
    if booking.space.school_id != request.school.pk or not scheduling.booking_can_change(
        request.user, booking
    ):
        raise PermissionDenied("not your booking")
    count = scheduling.booking_cancel(
        booking=booking, by=request.user, whole_series=request.POST.get("series") == "1"
    )
    messages.success(request, _("%(count)s booking(s) cancelled.") % {"count": count})
    return redirect(
        f"{reverse('instruction:calendar')}?date={booking.starts_at.date().isoformat()}"
    )


@require_perm("instruction.book")
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.select_related(
            "space", "collaboration", "period", "school_class", "booked_by"
        ),
        pk=pk,
    )
    if booking.space.school_id != request.school.pk:
        raise PermissionDenied("another school")
    collab = booking.collaboration
    return render(
        request,
        "instruction/booking_detail.html",
        {
            "booking": booking,
            "series_left": Booking.objects.filter(
                series_id=booking.series_id, starts_at__gte=booking.starts_at
            ).count()
            if booking.series_id
            else 0,
            "can_change": scheduling.booking_can_change(request.user, booking),
            "show_collab": collab is not None
            and selectors.collaboration_can_view(request.user, collab),
        },
    )


@require_perm("instruction.manage")
def spaces(request: HttpRequest) -> HttpResponse:
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.space_create(
                school=request.school,
                by=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                capacity=form.cleaned_data["capacity"],
            )
        except ValidationError:
            form.add_error("name", _("This school already has a space with that name."))
        else:
            messages.success(request, _("Space added."))
            return redirect("instruction:spaces")
    items = Space.objects.filter(school=request.school)
    return render(request, "instruction/spaces.html", {"form": form, "spaces": items})


def _feed_url(request: HttpRequest, token: FeedToken) -> str:
    return request.build_absolute_uri(reverse("instruction:feed", args=[token.token]))


@require_perm("instruction.book")
def feed_settings(request: HttpRequest) -> HttpResponse:
    mine = feeds.feed_token_for(person=request.user)
    space_feeds = []
    if has_perm(request.user, "instruction.manage", request.school):
        for space in Space.objects.filter(school=request.school):
            token = feeds.feed_token_for(space=space)
            space_feeds.append((space, token, _feed_url(request, token)))
    return render(
        request,
        "instruction/feeds.html",
        {"mine": mine, "my_url": _feed_url(request, mine), "space_feeds": space_feeds},
    )


@require_POST
@require_perm("instruction.book")
def feed_reset(request: HttpRequest) -> HttpResponse:
    space_id = request.POST.get("space")
    if space_id:
        if not has_perm(request.user, "instruction.manage", request.school):
            raise PermissionDenied("only the librarian resets a space's feed")
        space = get_object_or_404(Space, pk=space_id, school=request.school)
        token = feeds.feed_token_for(space=space)
    else:
        token = feeds.feed_token_for(person=request.user)
    feeds.feed_token_reset(token=token, by=request.user)
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("instruction:feeds")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics itself: no login (calendar apps cannot log in); the token is the key."""
    found = FeedToken.objects.select_related("person", "space").filter(token=token).first()
    if found is None or (found.person_id and not found.person.is_active):
        raise Http404
    name = (
        _("Library: %(space)s") % {"space": found.space.name}
        if found.space_id
        else _("Library bookings of %(person)s") % {"person": found.person}
    )
    response = HttpResponse(
        feeds.feed_calendar(found, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="library.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
