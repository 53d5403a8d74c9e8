"""Site-wide views: the home page of each role and the school switcher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shelfwise.people.middleware import SESSION_KEY
from shelfwise.people.permissions import is_district_admin


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = request.membership.role if request.membership else None
    return render(request, "core/home.html", {"role": role})


@login_required
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        return redirect("home")
    allowed = is_district_admin(request.user) or request.user.memberships.filter(
        school_id=school_id
    ).exists()
    if allowed:
        request.session[SESSION_KEY] = school_id
    return redirect("home")
