"""The circulation desk: a page built around one scan box."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.circulation.desk import DeskOutcome, current_loans, desk_scan
from shelfwise.circulation.lookups import person_by_id
from shelfwise.circulation.models import Loan
from shelfwise.circulation.services import CirculationError, loan_renew
from shelfwise.people.models import Person
from shelfwise.people.permissions import require_perm

SESSION_PATRON = "desk_patron_id"


def _current_patron(request: HttpRequest) -> Person | None:
    """The reader selected at this desk (kept in the session), fetched once per request."""
    if hasattr(request, "_desk_patron"):
        return request._desk_patron
    pk = request.session.get(SESSION_PATRON)
    patron = None
    if pk is not None:
        found, in_school = person_by_id(pk, getattr(request.school, "pk", None))
        patron = found if found is not None and found.is_active and in_school else None
        if patron is None:
            request.session.pop(SESSION_PATRON, None)
    request._desk_patron = patron
    return patron


def _panel(request: HttpRequest, outcome: DeskOutcome | None) -> HttpResponse:
    patron = _current_patron(request)
    # What the desk shows of a patron: name and current loans, nothing else.
    if not patron:
        loans = []
    elif outcome is not None and outcome.patron is patron and "loans" in outcome.extra:
        loans = outcome.extra["loans"]  # just read for the reader's card scan
    else:
        loans = current_loans(patron)
    context = {"patron": patron, "loans": loans, "outcome": outcome}
    template = (
        "circulation/_desk_panel.html"
        if request.headers.get("HX-Request")
        else ("circulation/desk.html")
    )
    return render(request, template, context)


@require_perm("circulation.desk")
def desk(request: HttpRequest) -> HttpResponse:
    outcome = None
    flash = request.session.pop("desk_outcome", None)
    if flash:
        outcome = DeskOutcome(flash["kind"], flash["message"])
    return _panel(request, outcome)


def _respond(request: HttpRequest, outcome: DeskOutcome) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return _panel(request, outcome)
    # Without JavaScript: post, redirect, and show the outcome once.
    request.session["desk_outcome"] = {"kind": outcome.kind, "message": outcome.message}
    return redirect("circulation:desk")


@require_POST
@require_perm("circulation.desk")
def scan(request: HttpRequest) -> HttpResponse:
    outcome = desk_scan(
        code=request.POST.get("code", ""),
        school=request.school,
        patron=_current_patron(request),
        by=request.user,
    )
    if outcome.kind == "patron":
        request.session[SESSION_PATRON] = outcome.patron.pk
        request._desk_patron = outcome.patron
    return _respond(request, outcome)


@require_POST
@require_perm("circulation.desk")
def done(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_PATRON, None)
    request._desk_patron = None
    return _respond(request, DeskOutcome("done", _("Ready for the next reader.")))


@require_POST
@require_perm("circulation.desk")
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_object_or_404(Loan.objects.select_related("item__record"), pk=pk, returned_at=None)
    patron = _current_patron(request)
    if loan.school_id != request.school.pk or patron is None or loan.patron_id != patron.pk:
        raise PermissionDenied
    try:
        loan = loan_renew(loan=loan, by=request.user)
    except CirculationError as exc:
        return _respond(request, DeskOutcome("error", str(exc), patron))
    message = _("Renewed “%(title)s”, now due %(due)s.") % {
        "title": loan.item.record.title[:80],
        "due": date_format(loan.due_on, "DATE_FORMAT"),
    }
    return _respond(request, DeskOutcome("renew", message, patron))
