"""Pages about readers' accounts: "My library" (a person's own loans, holds,
notices and opt-in history) and the overdue list for teachers and librarians.

My library shows a person only their own rows: every object is looked up
with `patron=request.user`, so another reader's loan or hold is a 404.
The overdue list shows names and counts only, and every view of it is
written to the audit log.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.audit.services import audit_log
from shelfwise.circulation import selectors
from shelfwise.circulation.history import reading_history_set
from shelfwise.circulation.models import Hold, Loan, Notice
from shelfwise.circulation.policies import settings_for
from shelfwise.circulation.services import (
    CirculationError,
    hold_cancel,
    loan_renew,
    school_today,
)
from shelfwise.people.permissions import has_perm, require_perm
from shelfwise.people.roles import Role

HISTORY_PER_PAGE = 50


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, with a role in some school (a reader of some library)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "membership", None) is None:
            raise PermissionDenied("no membership")
        return view(request, *args, **kwargs)

    return wrapped


# ---- My library ------------------------------------------------------------------


@member_required
def account(request: HttpRequest) -> HttpResponse:
    person = request.user
    history_page = None
    if person.keeps_reading_history:
        history_page = Paginator(
            selectors.account_history(person=person), HISTORY_PER_PAGE
        ).get_page(request.GET.get("page"))
    notices = selectors.account_notices(person=person)
    context = {
        "loans": selectors.account_loans(person=person),
        "holds": selectors.account_holds(person=person),
        "notices": notices,
        "unread": sum(1 for notice in notices if notice.read_at is None),
        "history_page": history_page,
        "retention_days": settings_for(request.school).retention_days,
        # Students get the calm, large-type layout.
        "large_type": request.membership.role in (Role.STUDENT, Role.AIDE),
    }
    return render(request, "circulation/account.html", context)


@require_POST
@member_required
def account_renew(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_object_or_404(
        Loan.objects.select_related("item__record"),
        pk=pk,
        patron=request.user,
        returned_at=None,
    )
    try:
        loan = loan_renew(loan=loan, by=request.user)
    except CirculationError as exc:
        messages.error(
            request,
            _("“%(title)s” was not renewed: %(reason)s")
            % {"title": loan.item.record.title[:80], "reason": exc},
        )
    else:
        messages.success(
            request,
            _("Renewed “%(title)s”. It is now due %(due)s.")
            % {
                "title": loan.item.record.title[:80],
                "due": date_format(loan.due_on, "DATE_FORMAT"),
            },
        )
    return redirect("circulation:account")


@require_POST
@member_required
def account_hold_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        Hold.objects.select_related("record"),
        pk=pk,
        patron=request.user,
        status__in=selectors.ACTIVE_HOLD,
    )
    hold_cancel(hold=hold, by=request.user)
    messages.success(
        request, _("Your hold on “%(title)s” is cancelled.") % {"title": hold.record.title[:80]}
    )
    return redirect("circulation:account")


@require_POST
@member_required
def account_notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk, patron=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return redirect(f"{_account_url()}#notices-heading")


@require_POST
@member_required
def account_notices_read(request: HttpRequest) -> HttpResponse:
    Notice.objects.filter(patron=request.user, read_at=None).update(read_at=timezone.now())
    return redirect(f"{_account_url()}#notices-heading")


@require_POST
@member_required
def account_history(request: HttpRequest) -> HttpResponse:
    keep = request.POST.get("keep") == "on"
    cut = reading_history_set(person=request.user, keep=keep)
    if keep:
        messages.success(
            request, _("Your reading history is on. Books you return from now on are kept here.")
        )
    else:
        messages.success(
            request,
            _("Your reading history is off, and the list is deleted (%(n)s books).") % {"n": cut},
        )
    return redirect(f"{_account_url()}#history-heading")


def _account_url() -> str:
    return reverse("circulation:account")


# ---- Overdue list -------------------------------------------------------------------


def _overdue(request: HttpRequest) -> tuple[str, list, list]:
    """(scope, groups, quiet classes) for the current person and school."""
    school = request.school
    if has_perm(request.user, "circulation.manage", school):
        return "school", selectors.overdue_for_school(school=school), []
    groups, quiet = selectors.overdue_for_teacher(school=school, teacher=request.user)
    return "classes", groups, quiet


def _audit_overdue(request: HttpRequest, scope: str, groups: list, fmt: str) -> None:
    # Which students' names this person saw, so a question later can be answered.
    audit_log(
        actor=request.user,
        action="circulation.view_overdue",
        school=request.school,
        scope=scope,
        format=fmt,
        patrons=selectors.overdue_patron_ids(groups),
    )


@require_perm("circulation.class_overdue")
def overdue(request: HttpRequest) -> HttpResponse:
    scope, groups, quiet = _overdue(request)
    _audit_overdue(request, scope, groups, "html")
    students = len(selectors.overdue_patron_ids(groups))
    return render(
        request,
        "circulation/overdue.html",
        {"scope": scope, "groups": groups, "quiet": quiet, "students": students},
    )


def _csv_cell(value: Any) -> Any:
    """Keep a spreadsheet from running a name as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_perm("circulation.class_overdue")
def overdue_csv(request: HttpRequest) -> HttpResponse:
    scope, groups, _quiet = _overdue(request)
    _audit_overdue(request, scope, groups, "csv")
    today = school_today(request.school)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="overdue-{request.school.code}-{today.isoformat()}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8 names right
    writer = csv.writer(response)
    if scope == "school":
        writer.writerow([_("Grade"), _("Homeroom"), _("Name"), _("Overdue items")])
        for group in groups:
            for row in group.rows:
                writer.writerow(
                    [_csv_cell(v) for v in (row.grade, row.homeroom, row.name, row.count)]
                )
    else:
        writer.writerow([_("Class"), _("Name"), _("Overdue items")])
        for group in groups:
            for row in group.rows:
                writer.writerow([_csv_cell(v) for v in (row.school_class, row.name, row.count)])
    return response
