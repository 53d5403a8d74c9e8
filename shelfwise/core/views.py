"""Site-wide views: the home page of each role and the school switcher."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelfwise.core import selectors
from shelfwise.people.middleware import SESSION_KEY
from shelfwise.people.permissions import is_district_admin
from shelfwise.people.roles import Role
from shelfwise.schools.models import School


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # A visitor comes for the catalog: its search box is the front page.
        return redirect("search:opac")
    membership = request.membership
    school = request.school
    if membership is None or school is None:
        return render(request, "core/home_none.html")

    role = membership.role
    context: dict[str, Any] = {"role": role}
    if role == Role.LIBRARIAN:
        context["counts"] = selectors.collection_counts(school=school)
        context["imports"] = selectors.import_jobs_recent(school=school, limit=5)
    elif role == Role.DISTRICT_ADMIN:
        schools = list(selectors.schools_with_item_counts())
        context["schools"] = schools
        context["total_items"] = sum(s.item_count for s in schools)
    return render(request, f"core/home_{role}.html", context)


@login_required
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    try:
        school_id: int | None = int(request.POST.get("school", ""))
    except ValueError:
        school_id = None
    allowed = school_id is not None and (
        is_district_admin(request.user)
        or request.user.memberships.filter(school_id=school_id).exists()
    )
    school = School.objects.filter(pk=school_id).first() if allowed else None
    if school is None:
        messages.error(request, _("You cannot work in that school."))
    else:
        # Home, not the page the switch was made from: that page may show
        # another school's items, which would be wrong (or forbidden) now.
        request.session[SESSION_KEY] = school.pk
        messages.success(request, _("You are now working in %(school)s.") % {"school": school.name})
    return redirect("home")
